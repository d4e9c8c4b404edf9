"""Giving freed memory back to the system after a large, short-lived allocation (writing the
persisted index): glibc keeps freed heap memory mapped, so the process's peak would otherwise
be the write's temporaries plus everything allocated after them (the answers). ``malloc_trim``
releases it, as Dask's workers do after a task; elsewhere (musl, macOS, Windows) nothing is done.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import cache


@cache
def _malloc_trim() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    import ctypes  # here: only a process that writes the snapshot pays its import (~1.5 MB)

    try:
        # The process's own symbols (libc is loaded already): no library search, which for
        # ``ctypes.util.find_library`` means running ``ldconfig`` (a library starts no process).
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):  # not glibc
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return trim


def give_back() -> None:
    """Return the freed heap memory to the system (a few milliseconds; never fails)."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
