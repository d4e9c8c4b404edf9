"""``base/memory.give_back``: freed heap memory back to the system, and no process started for
it (``ctypes.util.find_library`` runs ``ldconfig``; a library that indexes starts no process)."""

from __future__ import annotations

import os
import platform
import subprocess
import sys

import pytest

from catalog_core.base import memory


def test_give_back_starts_no_process(monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[object] = []

    def refuse(*args: object, **kwargs: object) -> None:
        started.append(args)
        raise AssertionError(f"a process was started: {args!r}")

    monkeypatch.setattr(subprocess, "Popen", refuse)
    for name in ("posix_spawn", "posix_spawnp", "fork", "system"):
        if hasattr(os, name):
            monkeypatch.setattr(os, name, refuse)
    memory._malloc_trim.cache_clear()  # found again, as in a fresh process
    try:
        memory.give_back()
    finally:
        memory._malloc_trim.cache_clear()
    assert started == []
    on_glibc = sys.platform.startswith("linux") and platform.libc_ver()[0] == "glibc"
    assert (memory._malloc_trim() is not None) == on_glibc
