"""Workspace symbols: steps (at their registry entries) and component classes and constants,
matched by (part of) their name."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from catalog_core.base.text import squash
from catalog_core.features.search import search_steps
from catalog_core.features.steps import get_step_info
from catalog_core.models import ComponentType, Span

if TYPE_CHECKING:
    from catalog_core.index.catalog_index import CatalogIndex

LIMIT = 200


@dataclass(frozen=True, slots=True)
class Symbol:
    name: str
    kind: str  # "step" | "class" | "constant"
    path: Path
    span: Span
    container: str  # the step or component type it belongs to


def _component_symbols(db: CatalogIndex) -> list[tuple[str, Symbol]]:
    return db.memo.get(("component_symbols",), lambda: _collect_symbols(db))


def _collect_symbols(db: CatalogIndex) -> list[tuple[str, Symbol]]:
    found: list[tuple[str, Symbol]] = []
    for path, record in db.table.records.items():
        facts = record.facts
        if facts is None:
            continue
        for name, span in facts.classes:
            found.append(
                (squash(name), Symbol(name, "class", Path(path), Span.of(span), record.kind.value))
            )
        if record.kind in (ComponentType.CONTRACT, ComponentType.SPEC):
            for name, _, span in facts.constants:
                found.append(
                    (
                        squash(name),
                        Symbol(name, "constant", Path(path), Span.of(span), record.kind.value),
                    )
                )
    return found


def _subsequence(query_key: str) -> re.Pattern[str]:
    """Matches a newline-separated key whose letters include the query's, in order (VS Code's
    "fuzzy": ``tabprep`` finds ``tabularpreprocessing``)."""
    return re.compile("[^\n]*?".join(re.escape(c) for c in query_key))


def _line_matches(keys: list[str], pattern: re.Pattern[str]) -> list[int]:
    """Indexes of the keys the pattern matches, best first (a match from the key's start, then
    the most compact), scanning one joined text at C speed."""
    text = "\n".join(keys)
    starts = [0]
    for key in keys[:-1]:
        starts.append(starts[-1] + len(key) + 1)
    found: list[tuple[bool, int, int]] = []  # (not at start, match length, index)
    pos = 0
    while (m := pattern.search(text, pos)) is not None:
        i = bisect_right(starts, m.start()) - 1
        found.append((m.start() != starts[i], m.end() - m.start(), i))
        pos = starts[i] + len(keys[i]) + 1  # the pattern stays within one key: next key
    return [i for _, _, i in sorted(found)]


def _step_symbol(db: CatalogIndex, name: str) -> Symbol | None:
    info = get_step_info(db, name, None, None)
    if info is None or info.registry_location is None:
        return None
    loc = info.registry_location
    return Symbol(name, "step", loc.path, loc.span, info.workspace_id)


def workspace_symbols(db: CatalogIndex, query: str) -> list[Symbol]:
    """Steps, then component classes and constants: names containing the query (after
    abbreviations), then names holding its letters in order."""
    key = squash(query)
    if not key:
        return []
    symbols: list[Symbol] = []
    for result in search_steps(db, query)[:LIMIT]:
        if (symbol := _step_symbol(db, result.step_name)) is not None:
            symbols.append(symbol)
    components = _component_symbols(db)
    symbols += [symbol for name_key, symbol in components if key in name_key]
    if len(symbols) >= LIMIT:
        return symbols[:LIMIT]
    pattern = _subsequence(key)
    seen = {(s.name, s.path) for s in symbols}
    steps = sorted(db.view.all_names())
    for i in _line_matches([squash(n) for n in steps], pattern):
        symbol = _step_symbol(db, steps[i])
        if symbol is not None and (symbol.name, symbol.path) not in seen:
            symbols.append(symbol)
    for i in _line_matches([k for k, _ in components], pattern):
        symbol = components[i][1]
        if (symbol.name, symbol.path) not in seen:
            symbols.append(symbol)
    return symbols[:LIMIT]
