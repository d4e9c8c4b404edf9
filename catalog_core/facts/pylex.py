"""Where a Python source's string literals and comments are, found in one linear pass without
parsing (half-typed files included), so text patterns can ignore what is only quoted: a DAG
call in a docstring, a registry template inside an f-string."""

from __future__ import annotations

import re
from bisect import bisect_right

# One alternative per token kind; the engine jumps to the next '#', quote or letter-prefixed
# quote. Unterminated strings run to the end of their line (one quote) or of the file (three).
_TOKEN = re.compile(
    rb"""\#[^\n]*"""
    rb'''|"""[^"\\]*(?:(?:\\.|"(?!""))[^"\\]*)*(?:"""|\Z)'''
    rb"""|'''[^'\\]*(?:(?:\\.|'(?!''))[^'\\]*)*(?:'''|\Z)"""
    rb"""|"[^"\\\n]*(?:\\.[^"\\\n]*)*"?"""
    rb"""|'[^'\\\n]*(?:\\.[^'\\\n]*)*'?""",
    re.S,
)


class QuotedRegions:
    """The (start, end) offsets of every string literal and comment of a Python source."""

    __slots__ = ("_ends", "_starts")

    def __init__(self, data: bytes) -> None:
        starts: list[int] = []
        ends: list[int] = []
        if b"#" in data or b"'" in data or b'"' in data:
            for m in _TOKEN.finditer(data):
                starts.append(m.start())
                ends.append(m.end())
        self._starts = starts
        self._ends = ends

    def contains(self, offset: int) -> bool:
        """Whether ``offset`` lies inside a string literal or a comment (its quote or ``#``
        included)."""
        i = bisect_right(self._starts, offset) - 1
        return i >= 0 and offset < self._ends[i]

    def __len__(self) -> int:
        return len(self._starts)
