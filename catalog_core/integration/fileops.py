"""Durable file primitives: hashing, safe reads, temp file + fsync + rename, fsync of folders."""

from __future__ import annotations

import hashlib
import os
import stat
import sys

from catalog_core.integration.models import IntegrationError

MAX_COPY_SIZE = 10 * 1024 * 1024
_READ_FLAGS = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_BINARY", 0)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_regular(path: str, max_size: int = MAX_COPY_SIZE) -> bytes:
    """The bytes of a regular file; FIFOs, devices, folders and huge files are refused."""
    try:
        fd = os.open(path, _READ_FLAGS)
    except OSError as exc:
        raise IntegrationError(f"cannot read {path}: {exc.strerror}") from exc
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise IntegrationError(f"{path} is not a regular file")
        if st.st_size > max_size:
            raise IntegrationError(f"{path} is larger than {max_size} bytes")
        chunks = []
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def current_hash(path: str) -> str | None:
    """sha256 of the file at ``path``, or None when nothing is there."""
    if not os.path.lexists(path):
        return None
    return sha256(read_regular(path))


def fsync_dir(folder: str) -> None:
    """Make a rename or unlink in ``folder`` durable (POSIX; Windows cannot open folders)."""
    if sys.platform == "win32":  # pragma: no cover
        return
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_temp(path: str, data: bytes, mode: int | None = None) -> None:
    """Write ``data`` to ``path`` (a fresh temporary name) and fsync it."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), 0o644)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        if mode is not None and hasattr(os, "fchmod"):
            os.fchmod(fd, stat.S_IMODE(mode))
        os.fsync(fd)
    finally:
        os.close(fd)


def replace_durably(temp: str, path: str) -> None:
    """Rename ``temp`` over ``path`` (atomic) and fsync the folder so the rename survives."""
    os.replace(temp, path)
    fsync_dir(os.path.dirname(path))


def atomic_write(path: str, data: bytes, temp: str | None = None) -> None:
    """Readers see the old bytes or the new ones, never a partial file, even after a crash."""
    temp = temp or os.path.join(
        os.path.dirname(path), f".{os.path.basename(path)}.{os.getpid()}.tmp"
    )
    mode = os.stat(path).st_mode if os.path.exists(path) else None
    write_temp(temp, data, mode)
    replace_durably(temp, path)


def remove_durably(path: str) -> None:
    if os.path.lexists(path):
        os.unlink(path)
        fsync_dir(os.path.dirname(path))


def make_dirs_durably(folder: str) -> list[str]:
    """Create ``folder`` and missing parents; return the folders created, outermost first."""
    missing: list[str] = []
    current = folder
    while not os.path.isdir(current):
        missing.append(current)
        parent = os.path.dirname(current)
        if parent == current:
            break
        current = parent
    for path in reversed(missing):
        os.mkdir(path)
        fsync_dir(os.path.dirname(path))
    return list(reversed(missing))
