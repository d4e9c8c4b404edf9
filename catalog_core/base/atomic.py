"""Writing files so that nothing is lost: every command that rewrites user files goes through
``write_files``; the promotion journal composes the primitives at the end of this module
(temporary file + fsync + rename, durable removals and folders).

- **All or nothing across files**: every new content is written to a temporary sibling and every
  backup is made *before* the first target changes; if anything fails on the way, no target has
  changed. Targets are then renamed into place one after the other; a failure among those
  renames puts the ones already renamed back.
- **Backups**: ``name.bak`` (``name.bak.1``, ``.2``... when taken; a dangling ``name.bak`` link
  counts as taken and is never written through), so every run can be undone by hand or with
  ``restore_backups``.
- **Links and permissions**: a symbolic link is followed and its *target* is rewritten (the link
  stays a link); a file with several hard links is rewritten in place after its backup is
  safe, so every link sees the change (a rename would split them); the file's mode is kept; a
  file that is not writable, or a folder where no temporary file can be made, is refused with a
  clear ``WriteError`` before anything changes.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_BINARY = getattr(os, "O_BINARY", 0)


class WriteError(Exception):
    """A file could not be written; nothing was changed. The message says which and why."""


@dataclass(slots=True)
class Written:
    path: Path  # as given (a link stays the path the user named)
    target: Path  # the regular file actually rewritten
    backup: Path | None
    in_place: bool  # rewritten in place to keep its hard links


@dataclass(slots=True)
class _Plan:
    path: Path
    target: str
    data: bytes
    old: bytes | None
    mode: int
    in_place: bool
    temp: str | None = None
    backup: str | None = None
    done: bool = False


def backup_path(path: Path) -> Path:
    """``name.bak``, or ``name.bak.1``, ``.2``... when earlier backups exist (none is lost). A
    name taken by anything, a dangling link included, is skipped."""
    candidate = path.with_name(path.name + ".bak")
    n = 0
    while os.path.lexists(candidate):
        n += 1
        candidate = path.with_name(f"{path.name}.bak.{n}")
    return candidate


def write_atomic(path: Path, data: bytes, *, backup: bool = True) -> Path | None:
    """Replace one file's content (see ``write_files``); return its backup's path, if any."""
    return write_files({Path(path): data}, backup=backup)[0].backup


def write_files(contents: dict[Path, bytes], *, backup: bool = True) -> list[Written]:
    """Give every file its new bytes, all or nothing (see the module docstring)."""
    plans = [_plan(Path(p), data) for p, data in contents.items()]
    try:
        for plan in plans:
            if backup and plan.old is not None:
                plan.backup = str(backup_path(Path(plan.target)))
                _write_new(plan.backup, plan.old, plan.mode)
            if not plan.in_place:
                plan.temp = _temp_beside(plan.target, plan.data, plan.mode)
        for plan in plans:
            _commit(plan)
    except BaseException as exc:
        _roll_back(plans)
        if isinstance(exc, OSError):
            name = getattr(exc, "filename", None) or "a file"
            raise WriteError(
                f"cannot write {name}: {exc.strerror or exc}; nothing was changed"
            ) from exc
        raise
    for folder in {os.path.dirname(p.target) for p in plans}:
        _fsync_dir(folder)
    return [
        Written(p.path, Path(p.target), Path(p.backup) if p.backup else None, p.in_place)
        for p in plans
    ]


def restore_backups(written: list[Written]) -> None:
    """Undo a ``write_files`` run from its backups (files that had none are left as they are)."""
    contents = {w.target: Path(w.backup).read_bytes() for w in written if w.backup is not None}
    write_files(contents, backup=False)


def _plan(path: Path, data: bytes) -> _Plan:
    target = os.path.realpath(path)  # a link's target is the file to change
    try:
        st = os.stat(target)
    except FileNotFoundError:
        folder = os.path.dirname(target)
        if not os.access(folder, os.W_OK | os.X_OK):
            raise WriteError(f"cannot create {path}: folder {folder} is not writable") from None
        return _Plan(path, target, data, None, 0o644, in_place=False)
    except OSError as exc:
        raise WriteError(f"cannot write {path}: {exc.strerror or exc}") from exc
    if not stat.S_ISREG(st.st_mode):
        raise WriteError(f"cannot write {path}: not a regular file")
    if not os.access(target, os.W_OK):
        raise WriteError(f"cannot write {path}: the file is read-only (its permissions say so)")
    try:
        with open(target, "rb") as handle:
            old = handle.read()
    except OSError as exc:
        raise WriteError(f"cannot read {path} before writing it: {exc.strerror or exc}") from exc
    in_place = st.st_nlink > 1
    if not in_place and not os.access(os.path.dirname(target), os.W_OK | os.X_OK):
        raise WriteError(
            f"cannot write {path}: its folder is not writable (a temporary file is needed "
            "for an atomic write)"
        )
    return _Plan(path, target, data, old, stat.S_IMODE(st.st_mode), in_place)


def _temp_beside(target: str, data: bytes, mode: int) -> str:
    fd, temp = tempfile.mkstemp(
        prefix=f".{os.path.basename(target)}.", suffix=".stepcat.tmp", dir=os.path.dirname(target)
    )
    try:
        _write_all(fd, data)
        if hasattr(os, "fchmod"):
            os.fchmod(fd, mode)
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    os.close(fd)
    return temp


def _commit(plan: _Plan) -> None:
    if plan.in_place:
        fd = os.open(plan.target, os.O_WRONLY | os.O_TRUNC | _BINARY)
        try:
            _write_all(fd, plan.data)
            os.fsync(fd)
        finally:
            os.close(fd)
    else:
        assert plan.temp is not None
        os.replace(plan.temp, plan.target)
        plan.temp = None
    plan.done = True


def _roll_back(plans: list[_Plan]) -> None:
    """Put back what was committed, then drop the temporary files and the backups: after a
    failed run the tree is as it was, with nothing extra in it."""
    for plan in plans:
        if plan.temp is not None:
            with contextlib.suppress(OSError):
                os.unlink(plan.temp)
            plan.temp = None
        if plan.done:
            with contextlib.suppress(OSError):
                if plan.old is None:
                    os.unlink(plan.target)
                else:
                    _commit(
                        _Plan(
                            plan.path,
                            plan.target,
                            plan.old,
                            None,
                            plan.mode,
                            plan.in_place,
                            _temp(plan),
                        )
                    )
            plan.done = False
        if plan.backup is not None:
            with contextlib.suppress(OSError):
                os.unlink(plan.backup)


def _temp(plan: _Plan) -> str | None:
    return (
        None
        if plan.in_place or plan.old is None
        else _temp_beside(plan.target, plan.old, plan.mode)
    )


def _write_new(path: str, data: bytes, mode: int) -> None:
    """A new file that must not exist yet, never through a link."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _BINARY, mode)
    try:
        _write_all(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _fsync_dir(folder: str) -> None:
    with contextlib.suppress(OSError):
        fsync_dir(folder)


# -- the primitives the promotion journal composes (it names its own temporary files) --------


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
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | _BINARY, 0o644)
    try:
        _write_all(fd, data)
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
    """Readers see the old bytes or the new ones, never a partial file, even after a crash
    (no backup: the journal keeps its own)."""
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
