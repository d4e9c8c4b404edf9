"""The registry as the current workspace context sees it, materialised once per (data
generation, context) from the catalog's ``RegistryView`` plus runtime registrations, and the
read-only live mappings (``STEP_NAMES`` and co.) that answer from it on every lookup.

Layering for workspace W: core files, then core runtime registrations, then W's
``LOCAL_STEPS`` / ``STEP_OVERRIDES``, then W's runtime registrations. No context: the core.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, ItemsView, Iterable, Iterator, KeysView, Mapping, ValuesView
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, TypeVar

from catalog_core.base.text import squash
from catalog_core.registry import library
from catalog_core.registry.current_workspace import (
    ENV_KEYS,
    ENVIRON,
    context_key,
    workspace_from_key,
)
from catalog_core.registry.current_workspace import context_value as _context_value

if TYPE_CHECKING:
    from catalog_core.api.catalog import StepCatalog

V = TypeVar("V")
_KEY_STEPCAT, _KEY_CURSUS = ENV_KEYS
Entry = Mapping[str, Any]


class UnknownStepError(KeyError, ValueError):
    """A name the registry of the context does not know. Both a KeyError (what a dict raises)
    and a ValueError (what the framework's helper functions raise)."""

    def __init__(self, what: str, name: object, workspace: str | None, matches: list[str]):
        self.what, self.name, self.workspace, self.close_matches = what, name, workspace, matches
        context = f"workspace '{workspace}'" if workspace else "the core registry"
        hint = f"; did you mean {', '.join(repr(m) for m in matches)}?" if matches else ""
        if what == "file name":
            text = f"Cannot map file name {name!r} to a step registered in {context}"
        else:
            text = f"Unknown {what}: {name!r} (not registered in {context})"
        super().__init__(text + hint)

    def __str__(self) -> str:
        return str(self.args[0])

    def __reduce__(self) -> tuple[Any, ...]:  # picklable (multiprocessing) despite 4 arguments
        return (type(self), (self.what, self.name, self.workspace, self.close_matches))


@dataclass(frozen=True, slots=True)
class StepTables:
    """Everything the step_names API answers from, for one workspace context."""

    workspace: str | None
    step_names: Mapping[str, Entry]  # name -> read-only entry
    config_step_registry: Mapping[str, str]  # config class -> name
    builder_step_names: Mapping[str, str]  # name -> builder class
    spec_step_types: Mapping[str, str]  # name -> spec type
    by_spec_type: Mapping[str, str]  # spec type -> name
    by_squash: Mapping[str, str]  # squash(name), then squash(spec type) -> name

    def close_matches(self, name: object, keys: Iterable[str] | None = None) -> list[str]:
        """Up to three registered names like ``name`` (same letters first, then similar)."""
        pool = list(self.step_names if keys is None else keys)
        if not isinstance(name, str):
            return []
        same = self.by_squash.get(squash(name))
        found = [same] if same is not None and same != name and same in pool else []
        for match in difflib.get_close_matches(name, pool, n=3, cutoff=0.6):
            if match not in found:
                found.append(match)
        return found[:3]

    def unknown(self, name: object, what: str = "step name") -> UnknownStepError:
        return UnknownStepError(what, name, self.workspace, self.close_matches(name))


# -- runtime registrations (this process only; never written to files) --------------------

_registered: dict[str | None, dict[str, dict[str, Any]]] = {}


def add_registration(workspace: str | None, name: str, definition: dict[str, Any]) -> None:
    with library.lock:
        _registered.setdefault(workspace, {})[name] = definition
        library.changed()


def remove_registration(name: str, workspace: str | None) -> bool:
    with library.lock:
        found = _registered.get(workspace, {}).pop(name, None) is not None
        if found:
            library.changed()
        return found


def clear_registrations() -> None:
    with library.lock:
        _registered.clear()
        library.changed()


def registered_workspaces() -> list[str]:
    return sorted(ws for ws, steps in _registered.items() if ws is not None and steps)


def registrations(workspace: str | None) -> dict[str, dict[str, Any]]:
    return dict(_registered.get(workspace, {}))


# -- tables per context ----------------------------------------------------------------------

_tables: dict[object, StepTables] = {}  # context_key() -> tables; dropped on every change


def _forget() -> None:
    _tables.clear()
    for live in _LIVE:
        live._cache.clear()


library.on_change(_forget)


def current_tables() -> StepTables:
    key = context_key()
    tables = _tables.get(key)
    return tables if tables is not None else _load(key)


def tables_for(workspace_id: str | None) -> StepTables:
    """Tables for an explicit workspace (None: the current context)."""
    if workspace_id is None:
        return current_tables()
    tables = _tables.get(workspace_id)
    return tables if tables is not None else _load(workspace_id)


def _load(key: object) -> StepTables:
    with library.locked() as catalog:
        tables = _tables.get(key)
        if tables is None:
            tables = _tables[key] = _materialise(workspace_from_key(key), catalog)
        return tables


def _materialise(workspace: str | None, catalog: StepCatalog) -> StepTables:
    merged: dict[str, Entry] = {}
    layers: list[Mapping[str, Any]] = [
        catalog.registry_fields(None),
        _registered.get(None, {}),
    ]
    if workspace is not None:
        layers.append(catalog.registry_fields(workspace))
        layers.append(_registered.get(workspace, {}))
    for layer in layers:
        for name, fields in layer.items():
            merged[name] = MappingProxyType(dict(fields))
    config: dict[str, str] = {}
    builders: dict[str, str] = {}
    specs: dict[str, str] = {}
    by_spec: dict[str, str] = {}
    by_squash: dict[str, str] = {}
    for name, entry in merged.items():
        cls, builder, spec = (
            entry.get(k) for k in ("config_class", "builder_step_name", "spec_type")
        )
        if isinstance(cls, str):
            config[cls] = name
        if isinstance(builder, str):
            builders[name] = builder
        if isinstance(spec, str):
            specs[name] = spec
            by_spec.setdefault(spec, name)
        by_squash.setdefault(squash(name), name)
    for name, spec in specs.items():  # a spec type is the weaker claim on a normalised name
        by_squash.setdefault(squash(spec), name)
    return StepTables(workspace, merged, config, builders, specs, by_spec, by_squash)


# -- live mappings ---------------------------------------------------------------------------


class LiveMapping(Mapping[str, V]):
    """A read-only mapping that answers from the current workspace context's registry on every
    access, so a name imported once stays correct after the context changes or a refresh.
    ``snapshot()`` gives the current context's table itself, for tight loops."""

    __slots__ = ("_cache", "_pick", "_what", "name")

    def __init__(self, name: str, what: str, pick: Callable[[StepTables], Mapping[str, V]]):
        self.name, self._what, self._pick = name, what, pick
        self._cache: dict[object, Mapping[str, V]] = {}  # context_key() -> table
        _LIVE.append(self)

    def _table(self) -> Mapping[str, V]:
        ctx: object = _context_value()  # context_key(), inlined
        if ctx is None and (_KEY_STEPCAT in ENVIRON or _KEY_CURSUS in ENVIRON):
            ctx = context_key()
        table = self._cache.get(ctx)
        return table if table is not None else self._fill(ctx)

    def _fill(self, key: object) -> Mapping[str, V]:
        with library.lock:  # no change can drop the tables between loading and caching
            tables = _tables.get(key) or _load(key)
            table = self._cache[key] = self._pick(tables)
            return table

    def snapshot(self) -> Mapping[str, V]:
        """The current context's table, read-only; it does not follow later changes."""
        return MappingProxyType(self._table())

    def __getitem__(self, key: str) -> V:
        # The hot path, kept to a few bytecodes: context_key() inlined, one subscript per step.
        ctx: object = _context_value()
        if ctx is None and (_KEY_STEPCAT in ENVIRON or _KEY_CURSUS in ENVIRON):
            ctx = context_key()
        try:
            return self._cache[ctx][key]
        except KeyError:
            return self._missing(ctx, key)

    def _missing(self, ctx: object, key: str) -> V:
        table = self._cache.get(ctx)
        if table is None:
            table = self._fill(ctx)
            if key in table:
                return table[key]
        tables = _tables.get(ctx) or _load(ctx)
        matches = tables.close_matches(key, table.keys())
        raise UnknownStepError(self._what, key, tables.workspace, matches)

    def get(self, key: str, default: Any = None) -> Any:
        ctx: object = _context_value()  # hot too: _table() inlined
        if ctx is None and (_KEY_STEPCAT in ENVIRON or _KEY_CURSUS in ENVIRON):
            ctx = context_key()
        try:
            table = self._cache[ctx]
        except KeyError:
            table = self._fill(ctx)
        return table.get(key, default)

    def __contains__(self, key: object) -> bool:
        ctx: object = _context_value()  # hot too: _table() inlined
        if ctx is None and (_KEY_STEPCAT in ENVIRON or _KEY_CURSUS in ENVIRON):
            ctx = context_key()
        try:
            table = self._cache[ctx]
        except KeyError:
            table = self._fill(ctx)
        return key in table

    def __iter__(self) -> Iterator[str]:
        return iter(self._table())

    def __len__(self) -> int:
        return len(self._table())

    def keys(self) -> KeysView[str]:
        return self._table().keys()

    def items(self) -> ItemsView[str, V]:
        return self._table().items()

    def values(self) -> ValuesView[V]:
        return self._table().values()

    def copy(self) -> dict[str, Any]:
        """A plain, mutable dict of the current context's table (entries copied too)."""
        return {k: dict(v) if isinstance(v, Mapping) else v for k, v in self._table().items()}

    def __eq__(self, other: object) -> bool:
        return dict(self._table()) == (dict(other) if isinstance(other, Mapping) else other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        tables = current_tables()
        where = f"workspace '{tables.workspace}'" if tables.workspace else "core"
        return f"<{self.name} ({where}): {len(self._table())} entries>"


_LIVE: list[LiveMapping[Any]] = []
