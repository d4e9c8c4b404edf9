"""Where a Python source's string literals and comments are, found in one linear pass without
parsing (half-typed files included), so text patterns can ignore what is only quoted: a DAG
call in a docstring, a registry template inside an f-string."""

from __future__ import annotations

import re
from bisect import bisect_right
from operator import itemgetter

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

    __slots__ = ("_spans",)

    def __init__(self, data: bytes) -> None:
        # (start, end) pairs made in C (map over the matches): a 2 MB module holds ~10^5.
        self._spans: list[tuple[int, int]] = (
            list(map(_SPAN, _TOKEN.finditer(data)))
            if b"#" in data or b"'" in data or b'"' in data
            else []
        )

    def contains(self, offset: int) -> bool:
        """Whether ``offset`` lies inside a string literal or a comment (its quote or ``#``
        included)."""
        spans = self._spans
        i = bisect_right(spans, offset, key=_START) - 1
        return i >= 0 and offset < spans[i][1]

    def last_end(self) -> int:
        """Where the last string or comment ends (0: there is none)."""
        return self._spans[-1][1] if self._spans else 0

    def __len__(self) -> int:
        return len(self._spans)


_SPAN = re.Match.span
_START = itemgetter(0)
