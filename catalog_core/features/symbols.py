"""Workspace symbols: steps (at their registry entries) and component classes and constants,
matched by (part of) their name."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from catalog_core.base.text import squash
from catalog_core.models import ComponentType, Span

if TYPE_CHECKING:
    from catalog_core.api.catalog import StepCatalog

LIMIT = 200


@dataclass(frozen=True, slots=True)
class Symbol:
    name: str
    kind: str  # "step" | "class" | "constant"
    path: Path
    span: Span
    container: str  # the step or component type it belongs to


def _component_symbols(catalog: StepCatalog) -> list[tuple[str, Symbol]]:
    key = ("component_symbols",)
    hit = catalog.index.cache().get(key)
    if hit is not None:
        return hit  # type: ignore[return-value]
    found: list[tuple[str, Symbol]] = []
    for path, record in catalog.index.table.records.items():
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
    catalog.index.cache()[key] = found
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


def _step_symbol(catalog: StepCatalog, name: str) -> Symbol | None:
    info = catalog.get_step_info(name)
    if info is None or info.registry_location is None:
        return None
    loc = info.registry_location
    return Symbol(name, "step", loc.path, loc.span, info.workspace_id)


def workspace_symbols(catalog: StepCatalog, query: str) -> list[Symbol]:
    """Steps, then component classes and constants: names containing the query (after
    abbreviations), then names holding its letters in order."""
    key = squash(query)
    if not key:
        return []
    symbols: list[Symbol] = []
    for result in catalog.search_steps(query)[:LIMIT]:
        if (symbol := _step_symbol(catalog, result.step_name)) is not None:
            symbols.append(symbol)
    components = _component_symbols(catalog)
    symbols += [symbol for name_key, symbol in components if key in name_key]
    if len(symbols) >= LIMIT:
        return symbols[:LIMIT]
    pattern = _subsequence(key)
    seen = {(s.name, s.path) for s in symbols}
    steps = sorted(catalog.index.view.all_names())
    for i in _line_matches([squash(n) for n in steps], pattern):
        symbol = _step_symbol(catalog, steps[i])
        if symbol is not None and (symbol.name, symbol.path) not in seen:
            symbols.append(symbol)
    for i in _line_matches([k for k, _ in components], pattern):
        symbol = components[i][1]
        if (symbol.name, symbol.path) not in seen:
            symbols.append(symbol)
    return symbols[:LIMIT]
