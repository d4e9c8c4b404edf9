"""``base/memory.give_back``: freed heap memory back to the system, and no process started for
it (``ctypes.util.find_library`` runs ``ldconfig``; a library that indexes starts no process)."""

from __future__ import annotations

import platform
import sys

import pytest

from catalog_core.base import memory


@pytest.mark.usefixtures("no_processes")  # conftest: starting a process fails the test
def test_give_back_starts_no_process() -> None:
    memory._malloc_trim.cache_clear()  # found again, as in a fresh process
    try:
        memory.give_back()
        trim = memory._malloc_trim()
    finally:
        memory._malloc_trim.cache_clear()
    on_glibc = sys.platform.startswith("linux") and platform.libc_ver()[0] == "glibc"
    assert (trim is not None) == on_glibc
