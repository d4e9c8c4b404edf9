"""A tolerant JSON reader that keeps positions where it matters.

It walks objects member by member, keeping every key's exact offsets, and descends only into
the members it is asked to (``metadata.config_types``, ``configuration.specific`` ...). Every
other value is parsed by the standard library's C scanner in one call, so a 1 MB config file
costs about what ``json.loads`` costs. On invalid JSON (a file being typed, a truncated file)
it stops at the error, keeps what it read, and reports the error's offset.
"""

from __future__ import annotations

import json
import json.scanner
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from json.decoder import JSONDecodeError
from typing import Any

_WS = re.compile(r"[ \t\n\r]*")
# The standard library's C string scanner and value scanner (pure-Python fallbacks otherwise).
scanstring: Callable[[str, int], tuple[str, int]] = json.decoder.scanstring  # type: ignore[attr-defined]
_SCAN: Callable[[str, int], tuple[Any, int]] = json.scanner.make_scanner(json.JSONDecoder())  # type: ignore[arg-type]


def _big_int(digits: str) -> int | Decimal:
    """An integer of any length (``int()`` refuses more than 4,300 digits by default)."""
    return int(digits) if len(digits) < 4000 else Decimal(digits)


# The slower scanner, used only for a value the fast one refused for its size.
_SCAN_BIG: Callable[[str, int], tuple[Any, int]] = json.scanner.make_scanner(
    json.JSONDecoder(parse_int=_big_int)  # type: ignore[arg-type]
)

Path = tuple[str, ...]


@dataclass(slots=True)
class Member:
    """One ``"key": value`` of an object, with the offsets of the quoted key and the value."""

    key: str
    key_start: int  # offset of the opening quote
    key_end: int  # offset after the closing quote
    value_start: int
    value_end: int
    value: Any = None  # parsed value; for objects read member by member: an ObjectNode
    children: ObjectNode | None = None


@dataclass(slots=True)
class ObjectNode:
    start: int
    end: int = -1  # offset after '}', -1 when the object is unterminated
    members: list[Member] = field(default_factory=list)
    _by_key: dict[str, Member] | None = field(default=None, repr=False, compare=False)

    def get(self, key: str) -> Member | None:
        """The last member with this key (JSON parsers keep the last duplicate). Members are
        final once the reader is done; the lookup table is built on first use."""
        if self._by_key is None:
            self._by_key = {m.key: m for m in self.members}
        return self._by_key.get(key)

    def to_python(self) -> dict[str, Any]:
        return {
            m.key: m.children.to_python() if m.children is not None else m.value
            for m in self.members
        }


@dataclass(slots=True)
class JsonRead:
    root: ObjectNode | None
    error: tuple[int, str] | None  # (offset, message) of the first syntax error


class _Stop(Exception):
    def __init__(self, offset: int, message: str) -> None:
        self.offset = offset
        self.message = message


def _ws(text: str, pos: int) -> int:
    return _WS.match(text, pos).end()  # type: ignore[union-attr]


def _scan(text: str, pos: int) -> tuple[Any, int]:
    try:
        return _SCAN(text, pos)
    except JSONDecodeError:
        raise
    except ValueError:  # an integer too long for int(): valid JSON all the same
        return _SCAN_BIG(text, pos)


def read_json(text: str, descend: set[Path]) -> JsonRead:
    """Read ``text``; objects at the paths in ``descend`` (and the root) are read member by
    member with positions. Never raises. A byte order mark counts as white space."""
    if text.startswith("\ufeff"):
        text = " " + text[1:]  # same length: offsets and columns stay true
    pos = _ws(text, 0)
    if pos >= len(text):
        return JsonRead(None, (pos, "empty file: expected a JSON object"))
    if text[pos] != "{":
        return JsonRead(None, (pos, "expected a JSON object at the top level"))
    root = ObjectNode(pos)
    try:
        _read_object(text, pos, root, (), descend)
        end = _ws(text, root.end)
        if end != len(text):
            return JsonRead(root, (end, "extra data after the top-level object"))
        return JsonRead(root, None)
    except _Stop as stop:
        return JsonRead(root, (stop.offset, stop.message))
    except RecursionError:
        return JsonRead(root, (pos, "nesting too deep"))


def _read_object(text: str, pos: int, node: ObjectNode, path: Path, descend: set[Path]) -> None:
    pos = _ws(text, pos + 1)
    if pos < len(text) and text[pos] == "}":
        node.end = pos + 1
        return
    while True:
        if pos >= len(text):
            raise _Stop(pos, "unexpected end of file: the object is not closed")
        if text[pos] != '"':
            raise _Stop(pos, "expected a property name in double quotes")
        try:
            key, key_end = scanstring(text, pos + 1)
        except JSONDecodeError as exc:
            raise _Stop(exc.pos, exc.msg) from None
        member = Member(key, pos, key_end, -1, -1)
        pos = _ws(text, key_end)
        if pos >= len(text) or text[pos] != ":":
            raise _Stop(pos, "expected ':' after the property name")
        pos = _ws(text, pos + 1)
        member.value_start = pos
        node.members.append(member)
        child_path = (*path, key)
        if pos < len(text) and text[pos] == "{" and child_path in descend:
            member.children = ObjectNode(pos)
            _read_object(text, pos, member.children, child_path, descend)
            pos = member.children.end
        else:
            try:
                member.value, pos = _scan(text, pos)
            except StopIteration as exc:
                raise _Stop(exc.value, "expected a value") from None
            except JSONDecodeError as exc:
                raise _Stop(exc.pos, exc.msg) from None
        member.value_end = pos
        pos = _ws(text, pos)
        if pos >= len(text):
            raise _Stop(pos, "unexpected end of file: the object is not closed")
        if text[pos] == ",":
            pos = _ws(text, pos + 1)
            continue
        if text[pos] == "}":
            node.end = pos + 1
            return
        raise _Stop(pos, "expected ',' or '}' after a property value")
