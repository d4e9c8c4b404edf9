"""Offsets to positions: 0-based line and code-point column, for bytes (files) or str (buffers)."""

from __future__ import annotations

from bisect import bisect_right
from itertools import accumulate

RawSpan = tuple[int, int, int, int]
"""(start_line, start_character, end_line, end_character): the index's compact span."""

_DIRECT_LOOKUPS = 8  # below this many lookups, counting newlines beats building an index
_DIRECT_REACH = 1 << 16  # ... unless they are far into a big text


class LineIndex:
    """Maps offsets in ``data`` to (line, column). Column counts code points, not bytes."""

    __slots__ = ("_data", "_is_bytes", "_lookups", "_starts")

    def __init__(self, data: bytes | str) -> None:
        self._data = data
        self._is_bytes = isinstance(data, bytes)
        self._starts: list[int] | None = None
        self._lookups = 0

    @property
    def data(self) -> bytes | str:
        return self._data

    def _line_start(self, offset: int) -> tuple[int, int]:
        self._lookups += 1
        if self._starts is None and self._lookups <= _DIRECT_LOOKUPS and offset < _DIRECT_REACH:
            nl = b"\n" if self._is_bytes else "\n"
            line = self._data.count(nl, 0, offset)  # type: ignore[arg-type]
            return line, self._data.rfind(nl, 0, offset) + 1  # type: ignore[arg-type]
        if self._starts is None:
            self._starts = self._build_starts()
        line = bisect_right(self._starts, offset) - 1
        return line, self._starts[line]

    def _build_starts(self) -> list[int]:
        """Offsets where lines start, computed in C (split, map, accumulate)."""
        nl = b"\n" if self._is_bytes else "\n"
        lengths = map((1).__add__, map(len, self._data.split(nl)))  # type: ignore[arg-type]
        starts = [0, *accumulate(lengths)]
        starts.pop()  # the offset after the last line
        return starts

    def position(self, offset: int) -> tuple[int, int]:
        line, start = self._line_start(offset)
        if not self._is_bytes:
            return line, offset - start
        prefix = self._data[start:offset]
        if prefix.isascii():
            return line, offset - start
        return line, len(prefix.decode("utf-8", "replace"))  # type: ignore[union-attr]

    def span(self, start: int, end: int) -> RawSpan:
        sl, sc = self.position(start)
        piece = self._data[start:end]
        if (b"\n" if self._is_bytes else "\n") not in piece:  # type: ignore[operator]
            if not self._is_bytes:
                return sl, sc, sl, sc + len(piece)
            if piece.isascii():
                return sl, sc, sl, sc + len(piece)
        el, ec = self.position(end)
        return sl, sc, el, ec

    def offset(self, line: int, character: int) -> int:
        """Offset of a (line, code-point column) position in a str buffer (clamped)."""
        if self._starts is None:
            self._starts = self._build_starts()
        if line >= len(self._starts):
            return len(self._data)
        start = self._starts[max(line, 0)]
        end = self._starts[line + 1] - 1 if line + 1 < len(self._starts) else len(self._data)
        return min(start + max(character, 0), end)


def squash(name: str) -> str:
    """The comparison key of a name: lower case without separators (``XGBoostTraining`` and
    ``xgboost_training`` are both ``xgboosttraining``). It makes acronyms a non-issue."""
    return name.replace("_", "").replace("-", "").replace(".", "").lower()
