"""``ast.parse`` that never raises: a module that does not parse whole gives the statements of
the longest prefix that parses, plus each later top-level statement that parses on its own
(so a half-typed class in the middle of a file hides only itself), and an error string.

Nothing is compiled to bytecode or executed: ``ast.parse`` only builds a tree.
"""

from __future__ import annotations

import ast
import re

from .source_text import Lines

_MAX_PREFIX_TRIES = 24
# A line starting a new top-level statement: not indented, not blank, not a comment, and not a
# clause that continues the statement above it.
_TOP = re.compile(r"(?![ \t\f#\r\n)\]}]|$|(?:else|elif|except|finally|case)\b)")
_DECORATOR = re.compile(r"@")


def parse_module(text: str, lines: Lines) -> tuple[list[ast.stmt], str | None]:
    """The module's top-level statements and, when it did not parse whole, why."""
    tree, error, error_line = _try_parse(text)
    if tree is not None:
        return tree.body, None
    starts = _statement_starts(lines)
    body: list[ast.stmt] = []
    cut = 0
    if error_line is not None:
        candidates = [s for s in starts if s <= error_line][::-1][:_MAX_PREFIX_TRIES]
        budget = 3 * len(text) + 4096  # prefixes parsed in all: keeps a broken file linear
        for line in candidates:
            budget -= lines.starts[line]
            if budget < 0:
                break
            prefix, _, _ = _try_parse(text[: lines.starts[line]])
            if prefix is not None:
                body.extend(prefix.body)
                cut = line
                break
    for first, last in _chunks([s for s in starts if s >= cut], lines):
        end = lines.starts[last] if last < len(lines.starts) else len(text)
        chunk, _, _ = _try_parse(text[lines.starts[first] : end])
        if chunk is not None and chunk.body:
            if first:
                ast.increment_lineno(chunk, first)
            body.extend(chunk.body)
    return body, error


def _try_parse(text: str) -> tuple[ast.Module | None, str | None, int | None]:
    """(tree, None, None), or (None, error text, 0-based error line or None)."""
    try:
        return ast.parse(text), None, None
    except SyntaxError as exc:
        line = (exc.lineno or 1) - 1
        if "\x00" in text:
            line = min(line, text.count("\n", 0, text.index("\x00")))
        return None, f"line {line + 1}: {exc.msg}", line
    except (ValueError, TypeError) as exc:  # null bytes on older Pythons
        nul = text.count("\n", 0, text.index("\x00")) if "\x00" in text else None
        return None, f"line {(nul or 0) + 1}: {exc}", nul
    except (RecursionError, MemoryError):
        return None, "too deeply nested to parse", None


def _statement_starts(lines: Lines) -> list[int]:
    starts = []
    text = lines.text
    for index, offset in enumerate(lines.starts):
        if _TOP.match(text, offset):
            starts.append(index)
    return starts


def _chunks(starts: list[int], lines: Lines) -> list[tuple[int, int]]:
    """(first line, line after the last) of each top-level statement from ``starts``; a
    decorator line stays with the statement it decorates."""
    line_count = len(lines.starts)
    chunks: list[tuple[int, int]] = []
    first: int | None = None
    for index, line in enumerate(starts):
        if first is None:
            first = line
        following = starts[index + 1] if index + 1 < len(starts) else line_count
        if following != line_count and _DECORATOR.match(lines.text, lines.starts[line]):
            continue
        chunks.append((first, following))
        first = None
    return chunks
