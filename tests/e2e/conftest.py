"""Fixtures of the real-editor tests: the workspace they open and the environment their server
runs in."""

from __future__ import annotations

import os
import shutil
import stat
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from e2e_support import CONFIG, FIXTURES, REPO


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
