"""Workspace symbols: steps (at their registry entries) and component classes and constants,
matched by (part of) their name."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..models import ComponentType, Span
from ..text import squash

if TYPE_CHECKING:
    from ..catalog import StepCatalog

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


def workspace_symbols(catalog: StepCatalog, query: str) -> list[Symbol]:
    symbols: list[Symbol] = []
    for result in catalog.search_steps(query)[:LIMIT] if query else []:
        info = catalog.get_step_info(result.step_name)
        if info is not None and info.registry_location is not None:
            loc = info.registry_location
            symbols.append(Symbol(result.step_name, "step", loc.path, loc.span, info.workspace_id))
    key = squash(query)
    for name_key, symbol in _component_symbols(catalog):
        if len(symbols) >= LIMIT:
            break
        if key in name_key:
            symbols.append(symbol)
    return symbols
