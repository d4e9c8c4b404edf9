"""On-demand full parse of Python files, for positioned ``syntax-error`` problems.

Indexing never parses whole files (it extracts facts with anchored patterns, see pyfacts); this
module is what ``stepcat check`` and an editor's open documents use to say where a file stops
parsing. It compiles to an AST only: nothing is executed.
"""

from __future__ import annotations

import ast
import contextlib
import warnings
from pathlib import Path

from catalog_core.base.files import file_problem
from catalog_core.models import Problem, Severity, Span


def syntax_problem(path: str | Path, data: bytes | str) -> Problem | None:
    """The first syntax error of a Python source, or None when it parses."""
    if isinstance(data, bytes):
        # parsed as text, every offset counts characters (as editors do); other encodings (a
        # coding declaration) stay bytes for the parser to decode, with offsets approximated
        with contextlib.suppress(UnicodeDecodeError):
            data = data.decode("utf-8-sig")
    else:
        data = data.removeprefix("\ufeff")  # a byte order mark is no character of line 1
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # SyntaxWarning for invalid escapes and the like
            # no file name: to word some errors CPython reads the line back from the file it
            # is named after, which blocks forever on a FIFO and is stale for an open document
            ast.parse(data)
    except SyntaxError as exc:
        line = max((exc.lineno or 1) - 1, 0)
        col = _code_points(data, line, max((exc.offset or 1) - 1, 0))
        end_line = max((exc.end_lineno or exc.lineno or 1) - 1, line)
        end_col = _code_points(data, end_line, max((exc.end_offset or exc.offset or 1) - 1, 0))
        if (end_line, end_col) <= (line, col):
            end_line, end_col = line, col + 1
        return file_problem(
            path,
            "syntax-error",
            f"does not parse: {exc.msg}; the catalog used what it could read before and after",
            Severity.ERROR,
            Span.of((line, col, end_line, end_col)),
        )
    except (ValueError, MemoryError, RecursionError) as exc:  # NUL bytes, absurd nesting
        return file_problem(path, "syntax-error", f"does not parse: {exc}", Severity.ERROR)
    return None


def _code_points(data: bytes | str, line: int, byte_col: int) -> int:
    """SyntaxError offsets of bytes input count bytes (mostly); editors count characters."""
    if isinstance(data, str):
        return byte_col
    lines = data.split(b"\n", line + 1)
    text = lines[line] if line < len(lines) else b""
    prefix = text[:byte_col]
    return byte_col if prefix.isascii() else len(prefix.decode("utf-8", "replace"))
