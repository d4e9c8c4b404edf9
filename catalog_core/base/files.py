"""Reading files safely: one read (regular files only, never blocking on a FIFO, a size
limit, growth while reading noticed), and on top of it what indexing needs (binary detection,
an encoding check, the reason as a problem instead of an exception) and content hashes.

Reading is all the index ever does with a workspace file: nothing here imports or runs it.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from stat import S_ISREG

from catalog_core.base.text import LineIndex
from catalog_core.models import FILE_START, Problem, Severity, Span

_BINARY_PROBE = 8192
_WHOLE = 1 << 16  # a file read without its stamp: one read of this many bytes (see ``_read``)
MAX_SIZE = 10 * 1024 * 1024  # the default limit (settings: max_file_size)
# O_NONBLOCK: a FIFO or device named like a source file must not hang the index.
_OPEN_FLAGS = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_BINARY", 0)


def file_problem(
    path: str | Path,
    rule: str,
    message: str,
    severity: Severity = Severity.WARNING,
    span: Span = FILE_START,
) -> Problem:
    return Problem.at(path, rule, severity, message, span)


def read_bytes(
    path: str, max_size: int, size: int | None = None
) -> tuple[bytes | None, Problem | None]:
    """The file's bytes, or None and the reason it was not read (see ``read_file``)."""
    data, problem, _ = read_file(path, max_size, size)
    return data, problem


class FileError(Exception):
    """A file that cannot be read safely, with the problem rule and a message saying why."""

    def __init__(self, rule: str, message: str, severity: Severity = Severity.WARNING) -> None:
        super().__init__(message)
        self.rule = rule
        self.message = message
        self.severity = severity
        self.mtime = 0

    def problem(self, path: str | Path) -> Problem:
        return file_problem(path, self.rule, self.message, self.severity)


def read_regular(path: str, max_size: int = MAX_SIZE, size: int | None = None) -> bytes:
    """The bytes of a regular file of at most ``max_size`` bytes: the one safe read of the
    project. FIFOs, devices and folders are refused without blocking (``O_NONBLOCK``), as is a
    file over the limit (``size``, when the caller already knows it, refuses without opening).
    Raises ``FileError``; its ``mtime`` says when the file was last changed, when known."""
    data, _ = _read(path, max_size, size)
    return data


def _read(path: str, max_size: int, size: int | None, stamp: bool = True) -> tuple[bytes, int]:
    """The bytes and mtime (ns) of a regular file. Without ``stamp`` (nobody will compare
    the mtime with a later one) a file under ``_WHOLE`` bytes is open, read, close: a short
    read is the end of a regular file, and the walk that found the file already knows it is
    one (a file swapped for a FIFO since opens and reads without blocking). A longer file, or
    one the caller wants stamped, is checked on its ``fstat`` as well: type, size, growth."""
    if size is not None and size > max_size:
        raise _too_large(size, max_size)
    mtime = 0
    try:
        fd = os.open(path, _OPEN_FLAGS)
        try:
            first = b""
            if not stamp:
                first = os.read(fd, _WHOLE)
                if len(first) < _WHOLE and len(first) <= max_size:
                    return first, 0
            st = os.fstat(fd)
            mtime = st.st_mtime_ns
            if not S_ISREG(st.st_mode):
                raise _stamped(FileError("unreadable-file", "not a regular file; skipped"), mtime)
            if st.st_size > max_size:
                raise _stamped(_too_large(st.st_size, max_size), mtime)
            # +1 reveals a file that grew since listed (or since the first read)
            data = os.read(fd, max(st.st_size + 1 - len(first), 0))
            if first:
                data = first + data
            if len(data) > st.st_size:
                data = _read_rest(fd, data, max_size)
        finally:
            os.close(fd)
    except OSError as exc:
        error = FileError(
            "unreadable-file", f"cannot read file: {exc.strerror or exc}", Severity.ERROR
        )
        raise _stamped(error, mtime) from exc
    if len(data) > max_size:
        message = f"file grew over the {max_size:,}-byte limit; not indexed"
        raise _stamped(FileError("file-too-large", message), mtime)
    return data, mtime


def mtime_ns(path: str | Path) -> int:
    """The file's mtime in ns, 0 when it cannot be stat'ed."""
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return 0


def _read_rest(fd: int, first: bytes, max_size: int) -> bytes:
    """A file that grew since its size was taken: read on, until its end or past the limit."""
    chunks = [first]
    total = len(first)
    while total <= max_size and (chunk := os.read(fd, 1 << 20)):
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)


def _stamped(error: FileError, mtime: int) -> FileError:
    error.mtime = mtime
    return error


def read_file(
    path: str, max_size: int, size: int | None = None
) -> tuple[bytes | None, Problem | None, int]:
    """For indexing: the file's bytes (or None and the reason it was not read) and its mtime
    in ns. Binary files are not read. A file that is not valid UTF-8 is still returned (facts
    are extracted from bytes) together with a positioned ``not-utf8`` problem."""
    data, problem, mtime, _ = read_source(path, max_size, size)
    return data, problem, mtime


def read_source(
    path: str, max_size: int, size: int | None = None, stamp: bool = True
) -> tuple[bytes | None, Problem | None, int, bool]:
    """``read_file``, and whether the bytes are all ASCII (found out by the encoding check:
    the line index need not ask again). Without ``stamp`` the mtime of a small file is not
    taken (0: see ``_read``)."""
    try:
        data, mtime = _read(path, max_size, size, stamp)
    except FileError as error:
        return None, error.problem(path), error.mtime, False
    if data.find(b"\x00", 0, _BINARY_PROBE) != -1:
        return (
            None,
            file_problem(path, "binary-file", "binary file (NUL bytes); not indexed"),
            mtime,
            False,
        )
    if data.isascii():
        return data, None, mtime, True
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        span = Span.of(LineIndex(data).span(exc.start, exc.start + 1))
        message = f"not valid UTF-8 at byte {exc.start} ({exc.reason}); save the file as UTF-8"
        return data, file_problem(path, "not-utf8", message, span=span), mtime, False
    return data, None, mtime, False


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def current_hash(path: str) -> str | None:
    """sha256 of the file at ``path``, or None when nothing is there (``FileError`` when
    something unreadable is)."""
    if not os.path.lexists(path):
        return None
    return sha256(read_regular(path))


def _too_large(size: int, max_size: int) -> FileError:
    return FileError(
        "file-too-large",
        f"file is {size:,} bytes, over the {max_size:,}-byte limit; not indexed "
        "(raise [tool.stepcat] max_file_size to include it)",
    )


def decode(data: bytes) -> str:
    return data.decode("utf-8", "replace")
