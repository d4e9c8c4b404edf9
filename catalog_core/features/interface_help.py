"""Editing a ``*.step.yaml``: completion of keys (by position in the interface schema), of
closed values (``node_type``, ``registry.sagemaker_step_type``, port ``type``...) and of step
names in ``compatible_sources``; the description of the key under the cursor (hover). Read
from the line and indentation, so a half-typed file still answers."""

from __future__ import annotations

import re

from catalog_core.base.text import RawSpan
from catalog_core.facts import interface_schema as schema
from catalog_core.facts.interface_cursor import key_at
from catalog_core.features.completion import Candidate, CompletionResult
from catalog_core.index.catalog_index import CatalogIndex

_WORD = re.compile(r"[A-Za-z0-9_.\-]*")


def _replace(line_text: str, line: int, character: int, typed: str) -> RawSpan:
    """The word being typed: from where the prefix starts to the end of the word."""
    end = character + _WORD.match(line_text, character).end() - character  # type: ignore[union-attr]
    return (line, character - len(typed), line, end)


def interface_completion(
    db: CatalogIndex, text: str, line: int, character: int, context: str | None
) -> CompletionResult | None:
    path, kind, typed = key_at(text, line, character)
    if kind == "comment":
        return None
    lines = text.split("\n")
    line_text = lines[line] if 0 <= line < len(lines) else ""
    replace = _replace(line_text, line, min(character, len(line_text)), typed)
    items: list[Candidate]
    if kind == "key":
        items = [
            Candidate(key, "interface_key", doc)
            for key, doc in schema.keys_at(path)
            if key.startswith(typed) or not typed
        ]
        slot = "interface_key"
    elif path and path[-1] == "compatible_sources":
        steps = sorted(db.view.names(context))
        low = typed.lower()
        items = [Candidate(s, "node", "step", s) for s in steps if s.lower().startswith(low)]
        slot = "node"
    else:
        items = [
            Candidate(v, "interface_value", schema.describe(path) or "")
            for v in schema.values_at(path)
            if v.lower().startswith(typed.lower())
        ]
        slot = "interface_value"
    if not items:
        return None
    return CompletionResult(slot, replace, typed, items)  # type: ignore[arg-type]


def key_help(text: str, line: int, character: int) -> tuple[str, str, RawSpan] | None:
    """(dotted key path, description, span of the key) for a cursor on a key."""
    lines = text.split("\n")
    if not 0 <= line < len(lines):
        return None
    line_text = lines[line]
    start = character
    while start > 0 and (line_text[start - 1].isalnum() or line_text[start - 1] in "_-."):
        start -= 1
    word = _WORD.match(line_text, start).group()  # type: ignore[union-attr]
    if not word or line_text[start + len(word) : start + len(word) + 1] != ":":
        return None
    path, kind, _ = key_at(text, line, start)
    if kind != "key":
        return None
    full = (*path, word)
    doc = schema.describe(full)
    if doc is None:
        return None
    return ".".join(full), doc, (line, start, line, start + len(word))


def key_doc(dotted: str) -> str | None:
    return schema.describe(tuple(dotted.split(".")))
