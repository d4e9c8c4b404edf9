"""Fixtures shared by this folder's tests: ``no_processes`` (a library that indexes starts no
process) and the environment tests' ``project`` (their helpers are in
``environment_support.py``)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest


@pytest.fixture
def no_processes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if anything starts a process."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"a process was started: {args!r}")

    monkeypatch.setattr(subprocess, "Popen", refuse)
    for name in ("posix_spawn", "posix_spawnp", "fork", "forkpty", "system", "popen"):
        if hasattr(os, name):
            monkeypatch.setattr(os, name, refuse)
    for name in ("execv", "execve", "execvp", "execvpe", "spawnv", "spawnve", "spawnvp"):
        if hasattr(os, name):
            monkeypatch.setattr(os, name, refuse)
    posix_subprocess = pytest.importorskip("_posixsubprocess")
    monkeypatch.setattr(posix_subprocess, "fork_exec", refuse)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "pipeline.dag.json").write_text('{"dag": {"nodes": ["AStep"], "edges": []}}')
    return folder
