"""Writing files so that a crash leaves the old or the new content, never a mix, and nothing is
lost: write a temporary file beside the target, fsync it, keep a backup of the old bytes, then
rename over the target."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def backup_path(path: Path) -> Path:
    """``name.bak``, or ``name.bak.1``, ``.2``... when earlier backups exist (none is lost)."""
    candidate = path.with_name(path.name + ".bak")
    n = 0
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.name}.bak.{n}")
    return candidate


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_atomic(path: Path, data: bytes, *, backup: bool = True) -> Path | None:
    """Replace ``path``'s content with ``data`` atomically; return the backup's path (if any)."""
    path = Path(path)
    saved: Path | None = None
    mode = path.stat().st_mode & 0o7777 if path.exists() else 0o644
    if backup and path.exists():
        saved = backup_path(path)
        _write_new(saved, path.read_bytes(), mode)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    _fsync_dir(path.parent)
    return saved


def _write_new(path: Path, data: bytes, mode: int) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
