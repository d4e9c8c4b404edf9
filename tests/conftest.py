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


@pytest.fixture(scope="session", autouse=True)
def _cache_dir(tmp_path_factory: pytest.TempPathFactory):
    """The persisted index goes to a temporary folder, never the user's cache folder (child
    processes, the language server's included, inherit the variable)."""
    from catalog_core.base.cache_store import DIR_VARIABLE

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(DIR_VARIABLE, str(tmp_path_factory.mktemp("stepcat-cache")))
        yield


@pytest.fixture
def workspace_copy(tmp_path: Path):
    """Copy a fixture workspace into a temporary folder and return the copy's path."""

    def copy(name: str) -> Path:
        target = tmp_path / name
        shutil.copytree(FIXTURES / name, target, symlinks=True)
        return target

    return copy


@pytest.fixture
def isolated_library(monkeypatch: pytest.MonkeyPatch):
    """The importable registry with no roots, context, registrations or environment left over
    from another test; returns ``use(*roots)`` to point it at folders."""
    from catalog_core.registry import library
    from catalog_core.registry.current_workspace import ENV_VARIABLES, _workspace
    from catalog_core.registry.step_registration import clear_registered_steps

    for name in (*ENV_VARIABLES, library.ROOTS_VARIABLE):
        monkeypatch.delenv(name, raising=False)
    token = _workspace.set(None)

    def use(*roots: Path) -> None:
        library.configure(roots)

    yield use
    _workspace.reset(token)
    clear_registered_steps()
    library.configure()
