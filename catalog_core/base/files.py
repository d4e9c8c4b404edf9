"""Reading a workspace file safely: size limit, binary detection, encoding check. Never raises.

Reading is all the index ever does with a workspace file: nothing here imports or runs it.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from catalog_core.base.text import LineIndex
from catalog_core.models import FILE_START, Problem, Severity, Span

_BINARY_PROBE = 8192
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


def read_file(
    path: str, max_size: int, size: int | None = None
) -> tuple[bytes | None, Problem | None, int]:
    """The file's bytes (or None and the reason it was not read) and its mtime in ns.

    A file that is not valid UTF-8 is still returned (facts are extracted from bytes) together
    with a positioned ``not-utf8`` problem.
    """
    mtime = 0
    if size is not None and size > max_size:
        return None, _too_large(path, size, max_size), mtime
    try:
        fd = os.open(path, _OPEN_FLAGS)
        try:
            st = os.fstat(fd)
            mtime = st.st_mtime_ns
            if not stat.S_ISREG(st.st_mode):
                return (
                    None,
                    file_problem(path, "unreadable-file", "not a regular file; skipped"),
                    mtime,
                )
            size = st.st_size
            if size > max_size:
                return None, _too_large(path, size, max_size), mtime
            data = os.read(fd, size + 1)  # +1 reveals a file that grew since it was listed
            if len(data) > size:
                rest = [data]
                while len(data) <= max_size and (chunk := os.read(fd, 1 << 20)):
                    rest.append(chunk)
                    data = b"".join(rest)
        finally:
            os.close(fd)
    except OSError as exc:
        return (
            None,
            file_problem(
                path, "unreadable-file", f"cannot read file: {exc.strerror or exc}", Severity.ERROR
            ),
            mtime,
        )
    if len(data) > max_size:
        return (
            None,
            file_problem(
                path, "file-too-large", f"file grew over the {max_size:,}-byte limit; not indexed"
            ),
            mtime,
        )
    if data.find(b"\x00", 0, _BINARY_PROBE) != -1:
        return (
            None,
            file_problem(path, "binary-file", "binary file (NUL bytes); not indexed"),
            mtime,
        )
    if data.isascii():
        return data, None, mtime
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        span = Span.of(LineIndex(data).span(exc.start, exc.start + 1))
        return (
            data,
            file_problem(
                path,
                "not-utf8",
                f"not valid UTF-8 at byte {exc.start} ({exc.reason}); save the file as UTF-8",
                span=span,
            ),
            mtime,
        )
    return data, None, mtime


def _too_large(path: str, size: int, max_size: int) -> Problem:
    return file_problem(
        path,
        "file-too-large",
        f"file is {size:,} bytes, over the {max_size:,}-byte limit; not indexed "
        "(raise [tool.stepcat] max_file_size to include it)",
    )


def decode(data: bytes) -> str:
    return data.decode("utf-8", "replace")
