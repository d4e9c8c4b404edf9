"""Serialising changes to one shared tree: an in-process lock plus ``flock`` on a lock file.

``flock`` locks belong to an open file description, so two threads (or two managers) of one
process that each open the lock file exclude each other too; the in-process lock keeps them from
even contending for the file. The kernel drops the lock when its holder dies (kill -9 included).
On Windows ``msvcrt.locking`` stands in for ``flock`` (not covered by the test suite).
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from catalog_core.integration.models import IntegrationError

_REGISTRY_LOCK = threading.Lock()
_THREAD_LOCKS: dict[str, threading.Lock] = {}
_POLL_SECONDS = 0.05

if sys.platform == "win32":  # pragma: no cover
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

    def _holder(fd: int) -> str:
        return ""

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)

    def _holder(fd: int) -> str:
        try:
            return os.pread(fd, 32, 0).decode().strip()
        except (OSError, UnicodeDecodeError):
            return ""


def _thread_lock(path: str) -> threading.Lock:
    with _REGISTRY_LOCK:
        return _THREAD_LOCKS.setdefault(path, threading.Lock())


@contextmanager
def tree_lock(lock_path: str, timeout: float) -> Iterator[None]:
    """Hold the tree's exclusive lock, or raise ``IntegrationError`` after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    local = _thread_lock(os.path.realpath(lock_path))
    if not local.acquire(timeout=max(timeout, 0)):
        raise IntegrationError(_busy(lock_path, timeout))
    try:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            while not _try_lock(fd):
                if time.monotonic() >= deadline:
                    raise IntegrationError(_busy(lock_path, timeout, _holder(fd)))
                time.sleep(_POLL_SECONDS)
            try:
                yield
            finally:
                _unlock(fd)
        finally:
            os.close(fd)
    finally:
        local.release()


def _busy(lock_path: str, timeout: float, pid: str = "") -> str:
    who = f" by process {pid}" if pid else ""
    return (
        f"another integration operation holds {lock_path}{who}; gave up after {timeout:g}s "
        "(try again when it finishes)"
    )
