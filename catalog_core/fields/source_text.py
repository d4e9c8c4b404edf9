"""Decoding a module's source and mapping ``ast`` positions (UTF-8 byte columns) to code points.

Lines break where Python's tokenizer breaks them (``\\r\\n``, ``\\r``, ``\\n``), so line numbers
agree with ``ast`` and with LSP. A byte order mark is no character of line 1.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from bisect import bisect_right

from .model import Position

_BREAK = re.compile(r"\r\n|\r|\n")


def decode(source: bytes | str) -> str:
    """The text of ``source``: bytes through their encoding cookie (UTF-8 by default), undecodable
    bytes and lone surrogates replaced one for one, so columns stay put. Never raises."""
    if isinstance(source, str):
        text = source.removeprefix("\ufeff")
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            text = text.encode("utf-8", "replace").decode("utf-8")
        return text
    data = source.removeprefix(b"\xef\xbb\xbf")
    encoding = "utf-8"
    if b"coding" in data[:400]:
        try:
            encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        except (SyntaxError, LookupError, ValueError):
            encoding = "utf-8"
    try:
        return data.decode(encoding, "replace")
    except LookupError:
        return data.decode("utf-8", "replace")


class Lines:
    """Line starts of a text and conversions from ``ast`` positions."""

    __slots__ = ("_ascii", "starts", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0, *(m.end() for m in _BREAK.finditer(text))]
        self._ascii: dict[int, bool] = {}

    def line_text(self, line: int) -> str:
        """Line ``line`` (0-based) without its line break."""
        if line < 0 or line >= len(self.starts):
            return ""
        end = self.starts[line + 1] if line + 1 < len(self.starts) else len(self.text)
        return self.text[self.starts[line] : end].rstrip("\r\n")

    def column(self, line: int, byte_column: int) -> int:
        """Code-point column of a UTF-8 byte column on ``line`` (0-based)."""
        ascii_ = self._ascii.get(line)
        if ascii_ is None:
            ascii_ = self._ascii[line] = self.line_text(line).isascii()
        if ascii_:
            return byte_column
        encoded = self.line_text(line).encode("utf-8")
        return len(encoded[:byte_column].decode("utf-8", "replace"))

    def offset(self, line: int, byte_column: int) -> int:
        """Offset in the text of an ``ast`` position (``line`` 1-based, as ``ast`` gives it)."""
        index = min(max(line - 1, 0), len(self.starts) - 1)
        return self.starts[index] + self.column(index, byte_column)

    def start(self, node: ast.AST) -> Position:
        line = getattr(node, "lineno", 1) - 1
        return Position(line, self.column(line, getattr(node, "col_offset", 0)))

    def segment(self, node: ast.AST) -> str:
        """The source text of ``node`` (linear: no re-splitting of the whole text per call)."""
        end_line = getattr(node, "end_lineno", None)
        end_col = getattr(node, "end_col_offset", None)
        if end_line is None or end_col is None:
            return ""
        start = self.offset(getattr(node, "lineno", 1), getattr(node, "col_offset", 0))
        return self.text[start : self.offset(end_line, end_col)]

    def position_of(self, offset: int) -> Position:
        line = bisect_right(self.starts, offset) - 1
        return Position(line, offset - self.starts[line])

    def name_after_keyword(self, node: ast.AST, keyword: re.Pattern[str], name: str) -> Position:
        """Where ``name`` is written after the keyword that starts ``node`` (``class``, ``def``);
        the keyword's own position when the name is not found right after it."""
        start = self.offset(getattr(node, "lineno", 1), getattr(node, "col_offset", 0))
        match = keyword.match(self.text, start)
        if match and self.text.startswith(name, match.end()):
            return self.position_of(match.end())
        return self.position_of(start)
