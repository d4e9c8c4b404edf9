"""Shared test helpers: fixture workspaces on disk, copied when a test mutates them."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
FIXTURES = TESTS / "fixtures"
REPO = TESTS.parent
sys.path.insert(0, str(REPO / "benchmarks"))  # the synthetic-catalog generator


@pytest.fixture
def workspace_copy(tmp_path: Path):
    """Copy a fixture workspace into a temporary folder and return the copy's path."""

    def copy(name: str) -> Path:
        target = tmp_path / name
        shutil.copytree(FIXTURES / name, target, symlinks=True)
        return target

    return copy
