"""Columns of plain data for the persisted index: int columns as machine arrays (``array``),
string columns as NUL-separated UTF-8. Written and read back without parsing one value at a
time, which is what makes a warm start cheaper than reading the files; and still only data:
reading never runs code. Every column is checked on reading (kind, length, id range): anything
else raises ``Bad``.
"""

from __future__ import annotations

import sys
from array import array
from typing import Any

INT = "q"  # 64-bit signed: sizes, nanosecond times, inode numbers and ids
BYTE_ORDER = sys.byteorder  # part of the cache's stamp: a file is read by the machine kind
_SEP = "\0"


class Bad(Exception):
    """Data that is not what this version writes."""


#: What reading data this version did not write can raise, wherever the persisted index is read:
#: each reader catches these and treats the data as absent (never an error for the user).
NOT_OURS = (Bad, KeyError, IndexError, TypeError, ValueError, AttributeError, RecursionError)


LIMIT = 2**31  # a line or character number in a stored span (LSP's uinteger) is below this


def read_span(value: Any) -> tuple[int, int, int, int]:
    """A stored span: four ints, each in ``range(LIMIT)``; ``Bad`` for anything else."""
    if type(value) is not list or len(value) != 4:
        raise Bad("not a span")
    for v in value:
        if type(v) is not int or not 0 <= v < LIMIT:
            raise Bad("not a span")
    return (value[0], value[1], value[2], value[3])


class ColumnWriter:
    def __init__(self) -> None:
        self._ints: dict[str, array[int]] = {}
        self._texts: dict[str, list[str]] = {}

    def ints(self, name: str) -> array[int]:
        return self._ints.setdefault(name, array(INT))

    def texts(self, name: str) -> list[str]:
        return self._texts.setdefault(name, [])

    def encode(self) -> tuple[dict[str, Any], list[bytes | bytearray]] | None:
        """(the layout, the columns' bytes in order: written one after the other, never joined),
        or None when a string holds a NUL (nothing is stored). Each column is let go once
        encoded, so the writer holds about one copy of the data at a time."""
        parts: list[bytes | bytearray] = []
        offset = 0
        layout: dict[str, Any] = {"ints": {}, "texts": {}}
        for name in list(self._ints):
            values = self._ints.pop(name)
            raw = values.tobytes()
            layout["ints"][name] = [offset, len(values)]
            parts.append(raw)
            offset += len(raw)
        for name in list(self._texts):
            items = self._texts.pop(name)
            text = _SEP.join(items)
            if text.count(_SEP) != max(len(items) - 1, 0):
                return None
            raw = text.encode("utf-8", "surrogatepass")
            layout["texts"][name] = [offset, len(raw), len(items)]
            parts.append(raw)
            offset += len(raw)
        return layout, parts


def _negative(raw: bytes | memoryview) -> bool:
    """Whether an ``INT`` column holds a negative number: a sign bit set in any top byte,
    found by one C scan (``min`` makes an int object of every element)."""
    return not bytes(raw[_TOP::_WIDTH]).isascii()


_WIDTH = array(INT).itemsize
_TOP = _WIDTH - 1 if sys.byteorder == "little" else 0


class ColumnReader:
    def __init__(self, layout: Any, data: bytes | memoryview) -> None:
        if type(layout) is not dict:
            raise Bad("no layout")
        ints_at, texts_at = layout.get("ints"), layout.get("texts")
        if type(ints_at) is not dict or type(texts_at) is not dict:
            raise Bad("no layout")
        self.ints_at: dict[str, Any] = ints_at
        self.texts_at: dict[str, Any] = texts_at
        self.data = data

    def _slice(self, where: Any, width: int, parts: int) -> tuple[int, int]:
        """(start, end) of a column placed at ``where``: ``parts`` non-negative ints."""
        if type(where) is not list or len(where) != parts:
            raise Bad("a column's place")
        if any(type(v) is not int or v < 0 for v in where):
            raise Bad("a column's place")
        start, size = where[0], where[1] * width
        if start + size > len(self.data):
            raise Bad("a column beyond the data")
        return start, start + size

    def ints(self, name: str, count: int | None = None, below: int | None = None) -> array[int]:
        """An int column (``count`` long, each in ``range(below)``)."""
        where: Any = self.ints_at.get(name)
        column = array(INT)
        start, end = self._slice(where, column.itemsize, 2)
        raw = self.data[start:end]
        column.frombytes(raw)
        if count is not None and len(column) != count:
            raise Bad(f"column {name}: another length")
        if below is not None and column and (_negative(raw) or max(column) >= below):
            raise Bad(f"column {name}: an id out of range")
        return column

    def texts(self, name: str, count: int | None = None) -> list[str]:
        where: Any = self.texts_at.get(name)
        start, end = self._slice(where, 1, 3)
        items_count = where[2]
        if count is not None and items_count != count:
            raise Bad(f"column {name}: another length")
        try:
            text = str(self.data[start:end], "utf-8", "surrogatepass")
        except UnicodeDecodeError as exc:
            raise Bad(f"column {name}: not text") from exc
        items = text.split(_SEP) if items_count else []
        if len(items) != items_count:
            raise Bad(f"column {name}: another length")
        return items
