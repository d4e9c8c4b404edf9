"""Offsets to positions: 0-based line and code-point column, for bytes (files) or str (buffers)."""

from __future__ import annotations

import difflib
from bisect import bisect_right
from itertools import accumulate

RawSpan = tuple[int, int, int, int]
"""(start_line, start_character, end_line, end_character): the index's compact span."""

_DIRECT_LOOKUPS = 8  # below this many lookups, counting newlines beats building an index
_DIRECT_REACH = 1 << 16  # ... unless they are far into a big text
_LOCAL_ASCII_CHECK = 4096  # a span's line up to here is checked alone, not the whole text


class LineIndex:
    """Maps offsets in ``data`` to (line, column). Column counts code points, not bytes."""

    __slots__ = (
        "_ascii",
        "_data",
        "_firsts",
        "_is_bytes",
        "_last",
        "_last_line",
        "_lookups",
        "_starts",
    )

    def __init__(self, data: bytes | str, ascii: bool | None = None) -> None:
        """``ascii``: whether ``data`` (bytes) is all ASCII, when the caller already knows."""
        self._data = data
        self._is_bytes = isinstance(data, bytes)
        self._starts: list[int] | None = None
        self._lookups = 0
        self._firsts: dict[tuple[bytes | str, int], int] | None = None
        self._ascii = ascii  # bytes only: is the whole text ASCII? (None: not known yet)
        self._last = (-1, -1, 0)  # (line start, offset, column) of the last non-ASCII lookup
        self._last_line = (0, 0)  # (line, line start) of the last direct lookup

    @property
    def data(self) -> bytes | str:
        return self._data

    def _line_start(self, offset: int) -> tuple[int, int]:
        self._lookups += 1
        if self._starts is None and self._lookups <= _DIRECT_LOOKUPS and offset < _DIRECT_REACH:
            # Counted from the last lookup's line when at or after it (lookups come in file
            # order, often several on one line), else from the top.
            nl = b"\n" if self._is_bytes else "\n"
            data = self._data
            line, start = self._last_line
            if offset < start:
                line, start = 0, 0
            more = data.count(nl, start, offset)  # type: ignore[arg-type]
            if more:
                line += more
                start = data.rfind(nl, start, offset) + 1  # type: ignore[arg-type]
                self._last_line = (line, start)
            return line, start
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

    def line_start(self, offset: int) -> int:
        """Offset where the line holding ``offset`` starts."""
        return self._line_start(offset)[1]

    def first_on_line(self, needle: bytes | str, offset: int) -> int:
        """Offset of the first ``needle`` on the line holding ``offset`` (-1: none). Near the
        line start it is searched directly; far into a long line it is found once per line and
        remembered, so many questions about one huge line stay linear."""
        start = self.line_start(offset)
        data = self._data
        if offset - start < 4096:
            return data.find(needle, start, offset)  # type: ignore[arg-type]
        if self._firsts is None:
            self._firsts = {}
        key = (needle, start)
        hit = self._firsts.get(key)
        if hit is None:
            end = data.find(b"\n" if self._is_bytes else "\n", start)  # type: ignore[arg-type]
            hit = self._firsts[key] = data.find(needle, start, end if end != -1 else len(data))  # type: ignore[arg-type]
        return hit

    def position(self, offset: int) -> tuple[int, int]:
        line, start = self._line_start(offset)
        if not self._is_bytes:
            return line, offset - start
        if self._text_is_ascii():
            return line, offset - start
        # Columns count code points: decode from the last position asked on this line when
        # it is before this one (positions come in file order), else from the line start.
        last_start, last_offset, last_col = self._last
        base, col = (
            (last_offset, last_col) if last_start == start and last_offset <= offset else (start, 0)
        )
        col += len(self._data[base:offset].decode("utf-8", "replace"))  # type: ignore[union-attr]
        self._last = (start, offset, col)
        return line, col

    def _text_is_ascii(self) -> bool:
        if self._ascii is None:
            self._ascii = self._data.isascii()
        return self._ascii

    def span(self, start: int, end: int) -> RawSpan:
        data = self._data
        if self._is_bytes and data.find(b"\n", start, end) == -1:  # type: ignore[arg-type]
            # The usual case (an ASCII token on one line): columns are byte offsets. Only the
            # line up to the token's end must be ASCII; a long one is not copied to check it
            # (the whole text's answer, computed once, stands in).
            if self._starts is None and self._lookups < _DIRECT_LOOKUPS and start < _DIRECT_REACH:
                self._lookups += 1  # _line_start's direct count, inlined (a span per fact)
                line, line_start = self._last_line
                if start < line_start:
                    line, line_start = 0, 0
                more = data.count(b"\n", line_start, start)  # type: ignore[arg-type]
                if more:
                    line += more
                    line_start = data.rfind(b"\n", line_start, start) + 1  # type: ignore[arg-type]
                    self._last_line = (line, line_start)
            else:
                line, line_start = self._line_start(start)
            if self._ascii or (
                self._data[line_start:end].isascii()
                if end - line_start <= _LOCAL_ASCII_CHECK
                else self._text_is_ascii()
            ):
                column = start - line_start
                if not self._ascii:
                    self._last = (line_start, start, column)  # as ``position`` leaves it
                return line, column, line, column + end - start
        sl, sc = self.position(start)
        piece = self._data[start:end]
        if (b"\n" if self._is_bytes else "\n") not in piece:  # type: ignore[operator]
            if not self._is_bytes:
                return sl, sc, sl, sc + len(piece)
            return sl, sc, sl, sc + len(piece.decode("utf-8", "replace"))  # type: ignore[union-attr]
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


def to_bytes(text: str) -> bytes:
    """An editor's text as the bytes the readers take. A lone surrogate (which JSON-RPC can
    carry but UTF-8 cannot) becomes '?': one code point for one, so columns stay true."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "replace")


def squash(name: str) -> str:
    """The comparison key of a name: lower case without separators (``XGBoostTraining`` and
    ``xgboost_training`` are both ``xgboosttraining``). It makes acronyms a non-issue."""
    return name.replace("_", "").replace("-", "").replace(".", "").lower()


def likely_typo(word: str, known: list[str] | set[str] | frozenset[str]) -> str | None:
    """The known word ``word`` is most likely a misspelling of (``calibraton`` ->
    ``calibration``), or None. Words merely unknown are not typos: job types are an open set,
    and the framework falls back to the base spec for them."""
    lowered = word.lower()
    if lowered in known:
        return None
    close = difflib.get_close_matches(lowered, sorted(known), n=1, cutoff=0.8)
    return close[0] if close else None
