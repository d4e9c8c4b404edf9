"""Component records and the key -> files table that linking reads.

A record is one component file: where it is, which workspace owns it, and the facts read from
it. Each record *provides* lookup keys (a class name, a name derived from its file name, a
contract module stem, a script path...). Linking only ever reads this table through keys, which
is what lets an update re-link exactly the steps whose keys changed.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from typing import TypeVar

from catalog_core.base.names import name_core, suffix_splits
from catalog_core.base.text import squash
from catalog_core.facts.interface_reader import InterfaceFacts
from catalog_core.facts.pyfacts import PyFacts
from catalog_core.models import ComponentType, Problem

Key = tuple[str, ...]
"""('cls', ws, name) | ('key', ws, kind, squashed) | ('cstem', ws, stem) | ('centry', ws, squashed)
| ('script', ws, rel) | ('claim', ws, step) | ('iface', path)"""
K = TypeVar("K")
V = TypeVar("V")

_SCRIPT = ComponentType.SCRIPT
_CONTRACT = ComponentType.CONTRACT
_SPEC = ComponentType.SPEC
_BUILDER = ComponentType.BUILDER
_CONFIG = ComponentType.CONFIG
_KIND_VALUE = {kind: kind.value for kind in ComponentType}  # without the enum's descriptor


class ComponentRecord:
    """One component file. ``core`` is the step-ish part of its file name, or None when the
    file name carries no step name (``__init__``, ``_private``, files in sub-folders)."""

    __slots__ = (
        "core",
        "facts",
        "interface",
        "kind",
        "mtime_ns",
        "path",
        "problems",
        "provided",
        "rel",
        "top_level",
        "tree",
        "workspace",
    )

    def __init__(
        self,
        path: str,
        kind: ComponentType,
        workspace: str,
        tree: str,
        rel: str,
        mtime_ns: int,
        facts: PyFacts | None = None,
        problems: list[Problem] | None = None,
    ) -> None:
        self.path = path
        self.kind = kind
        self.workspace = workspace
        self.tree = tree
        self.rel = rel  # below its component folder, posix
        self.mtime_ns = mtime_ns
        self.facts = facts
        self.interface: InterfaceFacts | None = None  # set for a ``*.step.yaml`` (index.interfaces)
        self.problems: list[Problem] | tuple[()] = problems if problems is not None else ()
        self.provided: tuple[Key, ...] = ()  # filled by FactTable.add, once facts are final
        self.top_level = top_level = "/" not in rel
        if not top_level or rel.startswith("_"):  # the stem starts as its top-level file name
            self.core = None
        else:  # ``stem``, inlined for the top-level ``.py`` files a build makes records of
            stem = rel[:-3] if rel.endswith(".py") else self.stem
            self.core = name_core(kind, stem) or None

    @property
    def stem(self) -> str:
        """The file name without ``.py`` (``.step.yaml`` for an interface): derived, not kept
        (the index holds 10,000s of records)."""
        name = self.rel.rsplit("/", 1)[-1]
        return name[: -len(".step.yaml")] if name.endswith(".step.yaml") else name[:-3]

    def __repr__(self) -> str:
        return f"ComponentRecord({self.kind.value} {self.path} [{self.workspace}])"

    @property
    def is_interface(self) -> bool:
        """A ``*.step.yaml`` (readable or not): found through its registry row, never claimed."""
        return self.rel.endswith(".step.yaml")

    def name_core(self) -> str | None:
        return self.core

    def spec_splits(self) -> list[tuple[str, str | None]]:
        """For a spec file name ``a_b_c_spec``: (``a_b_c``, None), (``a_b``, ``c``), (``a``,
        ``b_c``). The registry decides which split is the real one."""
        core = self.core
        if core is None:
            return []
        return [(core, None), *suffix_splits(core)]

    def keys(self) -> list[Key]:
        """Every lookup key this record provides."""
        ws = self.workspace
        facts = self.facts
        kind = self.kind
        if self.rel.endswith(".step.yaml"):  # is_interface
            return [("iface", self.path)]
        found: list[Key] = []
        if facts is not None and facts.classes:  # a loop: a comprehension is a frame of its own
            for cls, _ in facts.classes:
                found.append(("cls", ws, cls))
        core = self.core
        if core is not None and kind is not _SPEC:  # specs are found through their claims
            # interned: a step's builder, config, contract and script share one key string
            found.append(("key", ws, _KIND_VALUE[kind], sys.intern(squash(core))))
        if kind is _CONTRACT:
            found.append(("cstem", ws, self.stem))
            if facts is not None and facts.entry_point is not None:
                entry = sys.intern(squash(script_stem(facts.entry_point[0])))
                found.append(("centry", ws, entry))
        elif kind is _SCRIPT:
            found.append(("script", ws, self.rel))
        return found


def script_stem(entry_point: str) -> str:
    name = entry_point.replace("\\", "/").rsplit("/", 1)[-1]
    return name[:-3] if name.endswith(".py") else name


def script_rel(entry_point: str) -> str:
    """Normalise a contract's entry_point to a path below the scripts folder."""
    rel = entry_point.replace("\\", "/")
    while rel.startswith("./"):
        rel = rel[2:]
    return rel if rel.endswith(".py") else rel + ".py"


def reference_keys(record: ComponentRecord) -> list[Key]:
    """The keys a file's reference checks read: its entry_point script, its contract imports
    (in its own workspace and in the shared one, where references may also resolve)."""
    spaces = (record.workspace, "shared") if record.workspace != "shared" else ("shared",)
    interface = record.interface
    if interface is not None:
        ep = interface.entry_point
        return [("script", ws, script_rel(ep)) for ws in spaces] if ep else []
    facts = record.facts
    if facts is None:
        return []
    keys: list[Key] = []
    if record.kind is _CONTRACT and facts.entry_point is not None:
        rel = script_rel(facts.entry_point[0])
        keys.extend(("script", ws, rel) for ws in spaces)
    elif record.kind is _SPEC:
        for imp in facts.contract_imports:
            stem = module_stem(imp.module)
            for ws in spaces:
                keys.append(("cstem", ws, stem))
    return keys


def module_stem(module: str) -> str:
    """``..contracts.x_contract`` -> ``x_contract``."""
    return module.rstrip(".").rsplit(".", 1)[-1]


Paths = tuple[str, ...] | list[str]
"""The files of a key, in no order: a tuple, a list past ``SMALL`` files (nearly every key has
one file: a list of one is half as big again as a tuple, and a tuple grown one by one is
quadratic). The same for the links that read a key (``LinkGraph.deps``)."""
SMALL = 8


def add_to(table: dict[K, tuple[V, ...] | list[V]], key: K, item: V, check: bool = True) -> None:
    """Add ``item`` to ``table[key]`` (unless ``check`` finds it there already)."""
    items = table.get(key)
    if items is None:
        table[key] = (item,)
    elif isinstance(items, list):
        if not check or item not in items:
            items.append(item)
    elif not check or item not in items:
        table[key] = (*items, item) if len(items) < SMALL else [*items, item]


def drop_from(table: dict[K, tuple[V, ...] | list[V]], key: K, item: V) -> None:
    items = table.get(key)
    if items is None or item not in items:
        return
    if isinstance(items, list):
        items.remove(item)
    else:
        items = table[key] = tuple(i for i in items if i != item)
    if not items:
        del table[key]


def _index(table: dict[Key, Paths], keys: Iterable[Key], path: str) -> None:
    for key in keys:
        add_to(table, key, path)


def _unindex(table: dict[Key, Paths], keys: Iterable[Key], path: str) -> None:
    for key in keys:
        drop_from(table, key, path)


class FactTable:
    """Records by path, and which files provide each lookup key."""

    __slots__ = ("_referrers", "_unmade_referrers", "provides", "records")

    def __init__(self) -> None:
        self.records: dict[str, ComponentRecord] = {}
        self.provides: dict[Key, Paths] = {}  # key -> files providing it
        self._referrers: dict[Key, Paths] = {}
        self._unmade_referrers: Callable[[], dict[Key, Paths]] | None = None

    @property
    def referrers(self) -> dict[Key, Paths]:
        """Key -> files whose reference checks read it. After a restore, made when first used
        (an update, a snapshot write): a warm start nobody edits never makes it."""
        if self._unmade_referrers is not None:
            self._referrers, self._unmade_referrers = self._unmade_referrers(), None
        return self._referrers

    def defer_referrers(self, make: Callable[[], dict[Key, Paths]]) -> None:
        self._unmade_referrers = make

    def add(self, record: ComponentRecord) -> None:
        path = record.path
        self.records[path] = record
        provided = record.provided = tuple(record.keys())
        provides = self.provides
        for key in provided:  # _index, the usual case inlined: called for every file of a build
            if key not in provides:
                provides[key] = (path,)
            else:
                add_to(provides, key, path)
        if record.kind is not _SCRIPT:  # a script refers to nothing
            referrers = self.referrers
            for key in reference_keys(record):  # _index, inlined as above
                if key not in referrers:
                    referrers[key] = (path,)
                else:
                    add_to(referrers, key, path)

    def remove(self, path: str) -> ComponentRecord | None:
        record = self.records.pop(path, None)
        if record is not None:
            _unindex(self.provides, record.provided, path)
            _unindex(self.referrers, reference_keys(record), path)
        return record

    def find(self, key: Key) -> list[str]:
        """Files providing ``key``, in a stable order."""
        paths = self.provides.get(key)
        if not paths:
            return []
        return sorted(paths) if len(paths) > 1 else [paths[0]]
