"""The name under the cursor in a step interface (``*.step.yaml``) or a DAG JSON file.

Interfaces are read line by line, so a half-typed file still answers: the cursor's word, the
key of its line and, for a list item, the key of the list (``compatible_sources``)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from catalog_core.base.text import RawSpan
from catalog_core.index.catalog_index import CatalogIndex

_KEY = re.compile(r"^(?P<indent>\s*)(?P<dash>-\s+)?(?P<key>[A-Za-z_][\w-]*)\s*:(?P<rest>.*)$")
_ITEM = re.compile(r"^(?P<indent>\s*)-\s")
_WORD = re.compile(r"[A-Za-z0-9_./\-]+")

#: What a word is, by the key it is the value of.
_KIND_OF_KEY = {
    "step_type": "node",
    "compatible_sources": "node",
    "config_class": "config_class",
    "builder_step_name": "builder_class",
    "entry_point": "entry_point",
}


def dag_json_name_at(
    db: CatalogIndex, path: str, line: int, character: int
) -> tuple[str, RawSpan] | None:
    """A node name in ``dag.nodes`` or ``dag.edges`` (span: quotes included)."""
    for usage in db.python_usages.get(path, ()):
        sl, sc, el, ec = usage.span
        if sl == line == el and sc - 1 <= character <= ec + 1:
            return usage.name, (sl, sc - 1, el, ec + 1)
    return None


def interface_name_at(
    lines: Sequence[str], line: int, character: int
) -> tuple[str, str, RawSpan] | None:
    """(word, kind, span) of a step name, class name or entry point under the cursor."""
    if not 0 <= line < len(lines):
        return None
    text = lines[line].split(" #", 1)[0]
    word = _word_at(text, character)
    if word is None:
        return None
    start, end = word
    key = _key_of(lines, line, text, start)
    kind = _KIND_OF_KEY.get(key or "")
    if kind is None:
        return None
    return text[start:end], kind, (line, start, line, end)


def _word_at(text: str, character: int) -> tuple[int, int] | None:
    for m in _WORD.finditer(text):
        if m.start() <= character <= m.end():
            return m.start(), m.end()
        if m.start() > character:
            break
    return None


def _key_of(lines: Sequence[str], line: int, text: str, start: int) -> str | None:
    """The key whose value the word at ``start`` is part of."""
    m = _KEY.match(text)
    if m is not None:
        value_start = m.end("key")
        if start <= value_start:
            return None  # the cursor is on the key itself
        return m.group("key")
    item = _ITEM.match(text)
    if item is None:
        return None
    indent = len(item.group("indent"))
    for above in range(line - 1, max(line - 200, -1), -1):  # the list's key, above the items
        candidate = _KEY.match(lines[above])
        if (
            candidate is not None
            and len(candidate.group("indent")) <= indent
            and not candidate.group("dash")
        ):
            return candidate.group("key") if not candidate.group("rest").strip() else None
    return None
