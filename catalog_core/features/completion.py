"""Completion of step and node names (in DAG calls and config_types keys) and of config class
names (config_types values), while the user types: strings may be unclosed, files invalid."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from catalog_core.base.text import LineIndex, RawSpan, squash
from catalog_core.features.names import line_of
from catalog_core.features.steps import known_job_types, split_node_name, step_summary
from catalog_core.sources.discovery import DAG_SUFFIX, INTERFACE_SUFFIX

if TYPE_CHECKING:
    from catalog_core.index.catalog_index import CatalogIndex

MAX_ITEMS = 100  # more is noise in a completion list; the list says it is incomplete
Slot = Literal["node", "config_class", "interface_key", "interface_value"]

# Text before the cursor, on the current and a few previous lines, that opens a DAG string.
_DAG_OPEN = re.compile(
    r"""add_(?:node|edge)\s*\((?:\s*[rRuU]?(["'])[^"'\n]*\1\s*,)*\s*[rRuU]?(["'])([^"'\n]*)$"""
)
_JSON_OPEN = re.compile(r'"((?:[^"\\\n]|\\.)*)$')
# The key whose value is being typed: "key" : "partial<cursor>, possibly on the same line as others.
_KEY_BEFORE = re.compile(r'"((?:[^"\\\n]|\\.)*)"\s*:\s*"(?:[^"\\\n]|\\.)*$')
_KEY_REACH = 2000  # characters before the cursor the key may start at


@dataclass(frozen=True, slots=True)
class Candidate:
    label: str
    kind: Slot
    detail: str
    step: str | None = None
    preselect: bool = False


@dataclass(slots=True)
class CompletionResult:
    slot: Slot
    replace: RawSpan  # the string's content typed so far (up to the closing quote, if any)
    prefix: str
    items: list[Candidate] = field(default_factory=list)
    incomplete: bool = False


def _string_end(line_text: str, character: int) -> int:
    """Column of the closing quote after the cursor (or the end of the word typed)."""
    m = re.match(r"[A-Za-z0-9_]*", line_text[character:])
    return character + (m.end() if m else 0)


def python_slot(text: str, line: int, character: int) -> tuple[Slot, RawSpan, str] | None:
    lines = text.split("\n")
    current = lines[line] if line < len(lines) else ""
    before = "\n".join([*lines[max(line - 4, 0) : line], current[:character]])
    m = _DAG_OPEN.search(before)
    if m is None or line >= len(lines) or character > len(current):
        return None
    prefix = m.group(3)
    return "node", (line, character - len(prefix), line, _string_end(current, character)), prefix


def json_slot(text: str, line: int, character: int) -> tuple[Slot, RawSpan, str] | None:
    current = line_of(text, line)
    m = _JSON_OPEN.search(current[:character])
    if m is None:
        return None
    offset = LineIndex(text).offset(line, character) - len(m.group(1)) - 1  # the opening quote
    opener = text.rfind('"config_types"', 0, offset)
    if opener == -1:
        return None
    brace = text.find("{", opener)
    if brace == -1 or brace > offset or _depth(text, brace, offset) != 1:
        return None
    before = text[brace + 1 : offset].rstrip()
    slot: Slot = "config_class" if before.endswith(":") else "node"
    prefix = m.group(1)
    return slot, (line, character - len(prefix), line, _string_end(current, character)), prefix


_DAG_ARRAYS = re.compile(r'"(nodes|edges|entry_points|exit_points|sink_nodes)"\s*:\s*\[')


def dag_json_slot(text: str, line: int, character: int) -> tuple[Slot, RawSpan, str] | None:
    """A node name being typed in a ``*.dag.json``: a string inside ``nodes``, ``edges`` or
    the metadata's node lists (the nearest such array opened before the cursor, still open)."""
    current = line_of(text, line)
    m = _JSON_OPEN.search(current[:character])
    if m is None:
        return None
    offset = LineIndex(text).offset(line, character) - len(m.group(1)) - 1  # the opening quote
    arrays = list(_DAG_ARRAYS.finditer(text, max(0, offset - 200_000), offset))
    opened = arrays[-1] if arrays else None
    if opened is None or _brackets(text, opened.end() - 1, offset) < 1:
        return None
    prefix = m.group(1)
    return "node", (line, character - len(prefix), line, _string_end(current, character)), prefix


def _brackets(text: str, start: int, end: int) -> int:
    depth = 0
    for tok in re.finditer(r'"(?:[^"\\]|\\.)*"|[\[\]]', text[start:end]):
        if tok.group() == "[":
            depth += 1
        elif tok.group() == "]":
            depth -= 1
    return depth


def _depth(text: str, start: int, end: int) -> int:
    depth = 0
    for tok in re.finditer(r'"(?:[^"\\]|\\.)*"|[{}]', text[start:end]):
        if tok.group() == "{":
            depth += 1
        elif tok.group() == "}":
            depth -= 1
    return depth


def _steps_by_key(db: CatalogIndex, context: str | None) -> list[tuple[str, str]]:
    """(squashed name, step) of the steps a context sees, sorted; kept until registries change."""

    def steps() -> list[tuple[str, str]]:
        names = db.view.names(context) if context else db.view.all_names()
        return sorted((squash(n), n) for n in names)

    return db.view_memo.get(("completion-steps", context), steps)


def _node_candidates(db: CatalogIndex, prefix: str, context: str | None) -> list[Candidate]:
    """The step being typed with its variants first, its other known job types next, then
    other steps whose name starts like the prefix (and their variants)."""
    key = squash(prefix)
    split = split_node_name(db, prefix.rstrip("_"), context) if prefix else None
    typed = split[0] if split else None
    ranked: list[tuple[int, str, Candidate]] = []
    for sq, step in _steps_by_key(db, context):
        if key and not (sq.startswith(key) or key.startswith(sq)) and step != typed:
            continue
        if step != typed and len(ranked) >= MAX_ITEMS + 1:
            continue
        summary = step_summary(db, step, context)
        if summary is None:
            continue
        step_type, workspace, variants = summary
        detail = f"{step_type or 'step'} · {workspace}"
        rank = 0 if step == typed else 2
        ranked.append((rank, step, Candidate(step, "node", detail, step)))
        ranked.extend(
            (
                rank,
                f"{step}_0{job}",
                Candidate(f"{step}_{job}", "node", f"variant spec · {detail}", step),
            )
            for job in variants
        )
        if step == typed:
            ranked.extend(
                (
                    1,
                    f"{step}_1{job}",
                    Candidate(
                        f"{step}_{job}", "node", f"base spec (no {job} variant) · {detail}", step
                    ),
                )
                for job in known_job_types(db)
                if job not in variants
            )
    ranked.sort(key=lambda r: (r[0], r[1]))
    return [c for _, _, c in ranked]


def _class_candidates(
    db: CatalogIndex, text: str, line: int, character: int, context: str | None
) -> list[Candidate]:
    """Every config class; the one the registry declares for the key being filled in first."""
    offset = LineIndex(text).offset(line, character)
    m = _KEY_BEFORE.search(text[max(0, offset - _KEY_REACH) : offset])
    step = split_node_name(db, m.group(1), context) if m else None
    preferred = None
    if step is not None:
        reg = db.view.lookup(context, step[0])
        preferred = reg.field("config_class") if reg else None
    classes: dict[str, str] = {}
    for layer in [db.view.core, *db.view.layers.values()]:
        for cls, owners in layer.by_config.items():
            classes.setdefault(cls, owners[0])
    items = [
        Candidate(cls, "config_class", f"config of {owner}", owner, cls == preferred)
        for cls, owner in sorted(classes.items())
    ]
    items.sort(key=lambda c: (not c.preselect, c.label))
    return items


def complete(
    db: CatalogIndex,
    path: str,
    text: str,
    line: int,
    character: int,
    context: str | None = None,
) -> CompletionResult | None:
    """Candidates for the name being typed at the position, or None outside a name slot."""
    if path.endswith(INTERFACE_SUFFIX):
        from catalog_core.features.interface_help import interface_completion

        return interface_completion(db, text, line, character, context)
    slot = (
        dag_json_slot(text, line, character)
        if path.endswith(DAG_SUFFIX)
        else json_slot(text, line, character)
        if path.endswith(".json")
        else python_slot(text, line, character)
    )
    if slot is None:
        return None
    kind, replace, prefix = slot
    items = (
        _class_candidates(db, text, line, character, context)
        if kind == "config_class"
        else _node_candidates(db, prefix, context)
    )
    # Node names depend on the prefix (a step's other job types are offered once it is typed),
    # so the editor must ask again as the user types rather than filter this list.
    incomplete = kind == "node" or len(items) > MAX_ITEMS
    return CompletionResult(kind, replace, prefix, items[:MAX_ITEMS], incomplete)
