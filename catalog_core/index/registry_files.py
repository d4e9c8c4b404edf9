"""Reading the registry modules into the index: their facts (from the persisted index when
the bytes are the ones it read, ``registry_cache``), or why a file named like one is not read."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from catalog_core.facts.registry_reader import RegistryFacts, looks_like_registry, read_registry
from catalog_core.index.registry_cache import decode_registry
from catalog_core.sources.discovery import Discovery

if TYPE_CHECKING:
    from catalog_core.index.catalog_index import CatalogIndex


def read_registries(index: CatalogIndex, found: Discovery, stored: dict[str, Any]) -> None:
    """Every registry module; ``stored``: facts the persisted index kept, by path (used
    for a file only when its bytes are the ones they were read from)."""
    index.registry_candidates = {f.path for f in found.registries}
    index.registry_facts = {}
    index.read_problems = {}
    for item in found.registries:
        facts = read_registry_file(index, item.path, item.size, stored.get(item.path))
        if facts is not None:
            index.registry_facts[item.path] = facts


def read_registry_file(
    index: CatalogIndex, path: str, size: int | None = None, stored: object = None
) -> RegistryFacts | None:
    """A registry module's facts, or None when the file is not one. A file named like a
    registry that cannot be read (too large, binary, unreadable) says so: it may hold the
    steps, and "0 steps, no problems" would hide that."""
    index.read_problems.pop(path, None)
    data, problem = index.read(path, size)
    if data is None:
        if problem is not None:
            index.read_problems[path] = problem
        return None
    if not looks_like_registry(data):
        return None
    kept = decode_registry(stored, data) if stored is not None and problem is None else None
    if kept is not None:
        return kept if kept.is_registry else None
    facts = index.faults.run(path, "reading the registry", lambda: read_registry(path, data), None)
    if facts is None:
        return None
    if problem is not None:
        facts.problems.insert(0, problem)
    return facts if facts.is_registry else None
