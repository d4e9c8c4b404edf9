"""A pipeline config's field sections with positions: the keys of ``configuration.shared`` and
of each ``configuration.specific.<node>``, and where a cursor sits among them (also in a file
being typed, where the JSON does not parse yet)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from catalog_core.base.text import LineIndex, RawSpan
from catalog_core.facts.config_document import CONFIG_TYPES, SHARED, SPECIFIC
from catalog_core.facts.jsonpos import Member, Path, read_json

_BASE = {("metadata",), CONFIG_TYPES, ("configuration",), SPECIFIC, SHARED}
_TOKEN = re.compile(r'"(?:[^"\\\n]|\\.)*"?|[{}\[\]:,]')


class _Descend(set[Path]):
    """The fixed paths, and every ``configuration.specific.<node>`` object."""

    def __contains__(self, path: object) -> bool:
        if set.__contains__(self, path):
            return True
        return isinstance(path, tuple) and len(path) == 3 and path[:2] == SPECIFIC


@dataclass(slots=True)
class FieldSections:
    text: str
    lines: LineIndex
    config_types: dict[str, object] = field(default_factory=dict)
    shared: list[Member] = field(default_factory=list)
    specific: dict[str, list[Member]] = field(default_factory=dict)  # node -> its members

    def key_span(self, member: Member) -> RawSpan:
        return self.lines.span(member.key_start, member.key_end)

    def member_at(self, offset: int) -> tuple[str | None, Member] | None:
        """(node, member) whose quoted key holds ``offset``; node None for ``shared``."""
        for member in self.shared:
            if member.key_start <= offset <= member.key_end:
                return None, member
        for node, members in self.specific.items():
            for member in members:
                if member.key_start <= offset <= member.key_end:
                    return node, member
        return None


def read_sections(text: str) -> FieldSections:
    """Never raises; on invalid JSON, the members read before the error."""
    result = read_json(text, _Descend(_BASE))
    sections = FieldSections(text, LineIndex(text))
    root = result.root
    metadata = root.get("metadata") if root else None
    types = metadata.children.get("config_types") if metadata and metadata.children else None
    if types is not None and types.children is not None:
        sections.config_types = {m.key: m.value for m in types.children.members}
    configuration = root.get("configuration") if root else None
    node = configuration.children if configuration else None
    shared = node.get("shared") if node else None
    if shared is not None and shared.children is not None:
        sections.shared = list(shared.children.members)
    specific = node.get("specific") if node else None
    for entry in specific.children.members if specific and specific.children else ():
        if entry.children is not None:
            sections.specific[entry.key] = list(entry.children.members)
    return sections


@dataclass(frozen=True, slots=True)
class KeySlot:
    """A key being typed in a field section: the section (node None: ``shared``), what is typed
    so far, and the keys already present in that object."""

    node: str | None
    prefix: str
    start: int  # offset of the typed text (after the opening quote)
    present: frozenset[str]


def key_slot_at(text: str, offset: int) -> KeySlot | None:
    """The key position of a field section at ``offset`` (inside an opened key string, after
    ``{`` or ``,``), from one pass over the text before it."""
    stack: list[tuple[str | None, set[str]]] = []  # (key of the object, keys seen in it)
    pending: str | None = None  # the last key read, until its value starts
    expect_key = False
    in_key: tuple[int, str] | None = None
    for m in _TOKEN.finditer(text, 0, offset):
        tok = m.group()
        in_key = None
        if tok == "{":
            stack.append((pending, set()))
            pending, expect_key = None, True
        elif tok in ("}", "]"):
            if stack:
                stack.pop()
            pending, expect_key = None, False
        elif tok == "[":
            stack.append(("[", set()))
            pending, expect_key = None, False
        elif tok == ",":
            expect_key = bool(stack) and stack[-1][0] != "["
        elif tok == ":":
            expect_key = False
        elif expect_key:
            closed = len(tok) >= 2 and tok.endswith('"') and m.end() <= offset
            if closed and m.end() < offset:
                key = tok[1:-1]
                pending = key
                stack[-1][1].add(key)
                expect_key = False
            else:
                in_key = (m.start() + 1, tok[1:].rstrip('"') if closed else tok[1:])
    if in_key is None:
        return None
    path = [k for k, _ in stack]
    present = frozenset(stack[-1][1] | _keys_after(text, in_key[0] - 1)) if stack else frozenset()
    if path == [None, "configuration", "shared"]:
        return KeySlot(None, in_key[1], in_key[0], present)
    if len(path) == 4 and path[:3] == [None, "configuration", "specific"] and path[3]:
        return KeySlot(path[3], in_key[1], in_key[0], present)
    return None


def _keys_after(text: str, quote: int) -> set[str]:
    """The keys of the same object after the key string that starts at ``quote``."""
    keys: set[str] = set()
    depth = 0
    last: str | None = None
    first = _TOKEN.match(text, quote)
    for m in _TOKEN.finditer(text, first.end() if first else quote):
        tok = m.group()
        if tok in "{[":
            depth += 1
        elif tok in "}]":
            if depth == 0:
                break
            depth -= 1
        elif tok == ":" and depth == 0 and last is not None:
            keys.add(last)
        last = tok[1:-1] if tok.startswith('"') and len(tok) >= 2 and tok.endswith('"') else None
    return keys
