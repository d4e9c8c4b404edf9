"""Every conversion between catalog_core's plain values and LSP types, in one place.

catalog_core counts columns in code points; clients count UTF-16 (or UTF-8/32) code units.
Lines are converted only when they are not ASCII.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from lsprotocol import types
from pygls.uris import from_fs_path, to_fs_path

from catalog_core import Problem, Span
from catalog_core.api import rules

LineOf = Callable[[str, int], str]  # (path, line) -> the line's text ("" when unknown)

SEVERITY = {
    "error": types.DiagnosticSeverity.Error,
    "warning": types.DiagnosticSeverity.Warning,
    "information": types.DiagnosticSeverity.Information,
    "hint": types.DiagnosticSeverity.Hint,
}


def to_path(uri: str) -> str | None:
    """The real filesystem path of a ``file:`` URI, else None: other schemes, relative paths
    (``file:x.py`` has no folder, and the server's working directory is not one), and paths no
    file system can hold (a NUL byte) name no file of ours."""
    try:
        path = to_fs_path(uri) if isinstance(uri, str) and uri.startswith("file:") else None
    except Exception:  # a malformed URI is not a file of ours
        return None
    if not path or "\x00" in path or not os.path.isabs(path):
        return None
    try:
        return os.path.realpath(path)
    except (OSError, ValueError):
        return None


def to_uri(path: str | Path) -> str:
    return from_fs_path(str(path)) or Path(path).as_uri()


def _units(text: str, encoding: str) -> int:
    # surrogatepass: a lone surrogate (possible in a client's text) counts as one UTF-16 unit
    if encoding == types.PositionEncodingKind.Utf8:
        return len(text.encode("utf-8", "surrogatepass"))
    if encoding == types.PositionEncodingKind.Utf32:
        return len(text)
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def column_to_client(line: str, column: int, encoding: str) -> int:
    prefix = line[:column]
    if prefix.isascii():
        return column
    return _units(prefix, encoding) + max(column - len(line), 0)


def column_from_client(line: str, units: int, encoding: str) -> int:
    if line.isascii():
        return units
    seen = 0
    for index, char in enumerate(line):
        if seen >= units:
            return index
        seen += _units(char, encoding)
    return len(line)


def lsp_position(
    path: str, line: int, column: int, line_of: LineOf, encoding: str
) -> types.Position:
    text = line_of(path, line) if column > 0 else ""
    # a position is never negative, whatever a reader's span says (clamped, not refused)
    return types.Position(
        line=max(line, 0), character=max(column_to_client(text, max(column, 0), encoding), 0)
    )


def lsp_range(path: str, span: Span, line_of: LineOf, encoding: str) -> types.Range:
    return types.Range(
        start=lsp_position(path, span.start_line, span.start_character, line_of, encoding),
        end=lsp_position(path, span.end_line, span.end_character, line_of, encoding),
    )


def lsp_location(path: str | Path, span: Span, line_of: LineOf, encoding: str) -> types.Location:
    return types.Location(uri=to_uri(path), range=lsp_range(str(path), span, line_of, encoding))


def lsp_diagnostic(
    problem: Problem, level: str, line_of: LineOf, encoding: str
) -> types.Diagnostic:
    path = str(problem.path) if problem.path else ""
    return types.Diagnostic(
        range=lsp_range(path, problem.span, line_of, encoding),
        message=problem.message,
        severity=SEVERITY[level],
        code=problem.rule,
        code_description=_code_description(problem.rule),
        source="stepcat",
        data={"rule": problem.rule, **problem.data},
    )


def _code_description(rule_id: str) -> types.CodeDescription | None:
    """A link to the rule's section of the rules page (``docs/rules.md``)."""
    doc = rules.rule(rule_id)
    return types.CodeDescription(href=doc.url) if doc is not None else None
