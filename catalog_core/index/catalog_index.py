"""The index: every fact the catalog knows, built from the roots and kept current by ``update``.

Build = discover -> read registries -> place workspaces -> read component files -> link.
Update = re-read the changed files only, then re-link the steps whose recorded lookup keys those
files provide. A registry edit re-links everything (the names every link depends on changed); a
new folder or a settings edit rebuilds. Either way the result equals a fresh build, which the
tests check after random edits. Problems are not stored: ``diagnostics`` derives them on demand.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

from catalog_core.base import memory
from catalog_core.base.files import mtime_ns, read_bytes
from catalog_core.base.guard import Faults
from catalog_core.base.paths import is_within, real
from catalog_core.base.settings import CatalogSettings, load_settings
from catalog_core.base.text import to_bytes
from catalog_core.facts.dag_json import DagJsonFacts
from catalog_core.facts.interface_reader import InterfaceFacts
from catalog_core.facts.loader import load_facts
from catalog_core.facts.pyfacts import PyFacts
from catalog_core.facts.registry_reader import RegistryFacts
from catalog_core.facts.usages import Usage
from catalog_core.index import warm_start
from catalog_core.index.graph import LinkGraph, StepKey
from catalog_core.index.interfaces import pack_of
from catalog_core.index.memo import Memo
from catalog_core.index.other_files import (
    add_interface_record,
    read_dag_file,
    read_interface_file,
    scan_notebook,
    scan_python,
    update_interface,
)
from catalog_core.index.records import ComponentRecord, FactTable, Key
from catalog_core.index.registry_files import read_registries, read_registry_file
from catalog_core.index.registry_view import RegistryView
from catalog_core.models import ComponentType, Problem
from catalog_core.sources.discovery import (
    ComponentTree,
    Discovery,
    FoundFile,
    discover,
    file_role,
    is_registry_candidate,
)
from catalog_core.sources.framework import NO_FRAMEWORK, InstalledFramework, package_sources
from catalog_core.sources.source import Source, workspace_sources
from catalog_core.sources.workspaces import WorkspaceMap, build_workspace_map

_SETTINGS_FILES = ("pyproject.toml", "stepcat.toml")
_SCRIPT = ComponentType.SCRIPT
ALL = None  # update() result meaning "anything may have changed"


@contextmanager
def _no_gc() -> Iterator[None]:
    """Building allocates many long-lived objects; the cyclic collector would walk them again
    and again for nothing (the index holds no reference cycles). Afterwards they are frozen
    (``gc.freeze``): moved out of the collector's generations, so later collections in the host
    process do not rescan the whole index. Refcounting still frees them when replaced; a host
    that needs cycles created before a build collected can call ``gc.unfreeze()``."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.freeze()
            gc.enable()


class CatalogIndex:
    """Mutable state behind ``StepCatalog``. Not thread-safe: callers serialise updates."""

    def __init__(
        self,
        roots: Iterable[str | os.PathLike[str]],
        settings: CatalogSettings | None = None,
        progress: Callable[[str, int, int], None] | None = None,
        framework: InstalledFramework = NO_FRAMEWORK,
        cache: bool | None = None,
    ) -> None:
        workspaces = [os.path.abspath(os.fspath(r)) for r in roots]
        # The installed framework's packages: walked like roots, below every workspace.
        self.framework = framework
        self.workspace_paths = workspaces  # the folders opened, as given (no packages)
        self.sources: list[Source] = workspace_sources(workspaces) + package_sources(
            framework, workspaces
        )
        self.root_paths = [s.path for s in self.sources]
        self.package_roots = [real(s.path) for s in self.sources if s.read_only]
        self.forced_settings = settings
        # progress(message, done, total) during a build; called from the building thread.
        self.progress = progress or (lambda message, done, total: None)
        self.buffers: dict[str, bytes] = {}  # unsaved editor contents, by real path
        # Survive updates: keyed by the content (or stat) of the file they describe.
        self.syntax_cache: dict[tuple[str, str, int], object] = {}
        self.config_cache: dict[tuple[str, object], object] = {}
        self.generation = 0
        self.extra_job_types: frozenset[str] = frozenset()  # e.g. from editor settings
        self.faults = Faults()  # internal errors, as problems on the file they happened in
        # The persisted index (index.warm_start): None follows STEPCAT_CACHE and the settings.
        self.cache = cache
        self.warm = False  # the last build restored the snapshot
        self._warming = False  # a build that must not restore (see _build)
        self.stamps = True  # component files' mtimes taken while reading (see _build)
        self.build()

    # -- build -------------------------------------------------------------------------------

    def build(self) -> None:
        with _no_gc():
            self._build()

    def _build(self) -> None:
        started = warm_start.now_ns()
        self.generation += 1
        self.memo = Memo()  # answers derived from this generation of the index
        self.faults = Faults()
        self.settings_problems: list[Problem] = []
        self.roots: list[tuple[str, CatalogSettings]] = []
        self._max_sizes: dict[str, int] = {}
        for root in self.root_paths:
            if self.forced_settings is not None:
                settings = self.forced_settings
            else:
                no_problems: list[Problem] = []
                settings, problems = self.faults.run(
                    root,
                    "reading settings",
                    partial(load_settings, Path(root)),
                    (CatalogSettings(), no_problems),
                )
                self.settings_problems.extend(problems)
            self.roots.append((real(root), settings))
        cached = warm_start.enabled(self, self.cache)  # written after a cold build
        # Files' mtimes are taken while reading only for a snapshot to compare them with; else
        # an answer that shows one stats the file (a read without fstat, ~10 % of a build).
        self.stamps = cached
        loaded = warm_start.load(self) if cached and not self._warming else None
        found = discover(self.roots, self.faults, warm_start.unchanged_candidates(loaded))
        self.walk_problems = found.problems
        self.trees: list[ComponentTree] = found.trees
        self.json_files = sorted(f.path for f in found.json)
        self.dags: dict[str, DagJsonFacts] = {}
        self.notebooks: set[str] = set()
        self.registry_candidates: set[str] = set()
        self.registry_facts: dict[str, RegistryFacts] = {}
        self.read_problems: dict[str, Problem] = {}
        read_registries(self, found, warm_start.stored_registries(loaded))
        self._read_interfaces(found, warm_start.stored_interfaces(loaded))
        self._place_workspaces(found)
        restored = warm_start.restore(self, loaded, found)
        if loaded is not None and restored is None:
            # Turned away (broken, or not fitting these files): nothing taken from it (registries,
            # interfaces, unchanged folders) is trusted; start over, cold, as with no snapshot.
            del loaded
            self._warming = True
            try:
                return self._build()
            finally:
                self._warming = False
        total = len(found.components)
        del loaded  # the records keep the facts' bytes, nothing else
        self.warm = restored is not None
        if restored is not None:
            memory.give_back()  # the cache file's bytes and the restore's temporaries
        else:
            self.progress(f"found {total} component files", 0, total)
            self.table = FactTable()
            for done, item in enumerate(found.components, 1):
                self.table.add(self._read_component(item))
                if done % 2000 == 0:
                    self.progress(f"read {done}/{total} files", done, total)
        for path in self.interfaces:
            add_interface_record(self, path)
        # Step and node names written in DAGs: Python modules, notebooks' code cells, DAG JSON.
        self.python_usages: dict[str, list[Usage]] = {}
        for item in found.python:
            scan_python(self, item.path, item.size)
        for item in found.notebooks:
            scan_notebook(self, item.path, item.size)
        for item in found.dags:
            read_dag_file(self, item.path, item.size)
        if restored is None:
            self.progress(f"linking {len(self.view.all_names())} steps", total, total)
            self.relink_all()
            if cached:
                warm_start.save(self, started)
            return
        self.memo.clear()
        self.step_problems: dict[str, dict[str, list[Problem]]] = {}  # see relink_all
        if restored.changed:
            self.progress(f"{len(restored.changed)} files changed since the last run", total, total)
            self._warming = True  # a rebuild the update asks for is a cold one
            try:
                self._update(restored.changed)
            finally:
                self._warming = False
        if restored.relink:
            self.relink_all()
        total = sum(not r.is_interface for r in self.table.records.values())
        self.progress(f"found {total} component files", total, total)  # as a cold build says
        if warm_start.worth_saving(restored):
            warm_start.save(self, started)

    def _read_interfaces(self, found: Discovery, stored: dict[str, Any]) -> None:
        """Every ``*.step.yaml``; ``stored``: (stamp, facts) the persisted index kept, by path."""
        self.interfaces: dict[str, InterfaceFacts | None] = {}
        self.interface_rows: dict[str, RegistryFacts] = {}
        self.interface_full: dict[str, InterfaceFacts] = {}  # full reads, made on demand
        self.stored_interface_paths = set(stored)
        self.kept_interfaces: set[str] = set()  # facts taken from the snapshot
        for item in found.interfaces:
            read_interface_file(self, item.path, item.size, stored.get(item.path))

    def _place_workspaces(self, found: Discovery) -> None:
        declared = {p: f.metadata for p, f in self.registry_facts.items() if f.metadata}
        paths = [t.path for t in found.trees] + sorted(self.registry_facts)
        paths += sorted(self.interfaces)
        packs = {t.path for t in found.trees if t.is_pack}
        packs |= {pack for p in self.interfaces if (pack := pack_of(p)) is not None}
        self.wmap: WorkspaceMap = self.faults.run(
            self.root_paths[0] if self.root_paths else "",
            "placing developer workspaces",
            lambda: build_workspace_map(self.roots, paths, declared, sorted(packs)),
            WorkspaceMap(),
        )
        for tree in self.trees:
            tree.workspace_id = self.wmap.of(tree.path)
        self._build_view()

    def _build_view(self) -> None:
        files = {p: (self.wmap.of(p), f) for p, f in self.registry_facts.items()}
        files.update((p, (self.wmap.of(p), f)) for p, f in self.interface_rows.items())
        self.view = RegistryView.build(files, self.faults, self.in_package)
        # Answers that depend only on the registries (name resolution, the search index):
        # kept across component edits, dropped when a registry changes.
        self.view_memo = Memo()

    def read(
        self, path: str, size: int | None = None, max_size: int | None = None
    ) -> tuple[bytes | None, Problem | None]:
        buffered = self.buffers.get(path)
        if buffered is not None:
            return buffered, None
        return read_bytes(path, max_size or self.settings_for(path).max_file_size, size)

    def relative_to_root(self, path: str) -> str | None:
        """``path`` relative to the innermost root holding it (posix), or None."""
        best = max((r for r, _ in self.roots if is_within(path, r)), key=len, default=None)
        return None if best is None else os.path.relpath(path, best).replace(os.sep, "/")

    def settings_for(self, path: str) -> CatalogSettings:
        best: tuple[int, CatalogSettings] | None = None
        for root, settings in self.roots:
            if is_within(path, root) and (best is None or len(root) > best[0]):
                best = (len(root), settings)
        return best[1] if best else (self.forced_settings or CatalogSettings())

    def _tree_max_size(self, tree: ComponentTree) -> int:
        size = self._max_sizes.get(tree.root)
        if size is None:
            size = self._max_sizes[tree.root] = self.settings_for(tree.root).max_file_size
        return size

    def _read_component(self, item: FoundFile) -> ComponentRecord:
        """A record for a component file. Scripts are only located, never read, at index time."""
        kind, tree = item.kind, item.tree
        assert kind is not None and tree is not None
        record = ComponentRecord(
            item.path, kind, tree.workspace_id, tree.path, item.rel, item.mtime_ns
        )
        if kind is not _SCRIPT:
            unread: tuple[PyFacts | None, Problem | None, int] = (None, None, 0)
            path = item.path
            facts, problem, mtime = self.faults.run(
                path,
                "reading the component file",
                load_facts,
                unread,
                path,
                kind,
                item.size,
                self._max_sizes.get(tree.root) or self._tree_max_size(tree),
                self.buffers.get(path) if self.buffers else None,
                self.stamps,
            )
            record.facts = facts
            record.mtime_ns = mtime or item.mtime_ns
            if problem is not None:
                record.problems = [problem]
        return record

    def relink_all(self) -> None:
        self.graph = LinkGraph(self.table, self.view, self.wmap.developer_ids(), self.faults)
        self.graph.link_all()
        self.memo.clear()
        # Each reported step's own problems (before severities), by step then workspace: kept
        # across updates except for the steps an update relinks (``_update``'s ``wanted``).
        self.step_problems = {}

    # -- update ------------------------------------------------------------------------------

    def update(self, changed: Iterable[str | os.PathLike[str]]) -> set[str] | None:
        """Re-read exactly these files (created, changed or deleted) and re-link what they feed.
        Returns the files whose problems may have changed, or ``ALL`` (None) after a rebuild."""
        with _no_gc():
            return self._update([real(os.fspath(p)) for p in changed])

    def _update(self, paths: list[str]) -> set[str] | None:
        if any(self._needs_rebuild(p) for p in paths):
            self._build()
            return ALL
        self.generation += 1
        self.memo.clear()
        registry_change = ""
        wanted: set[StepKey] = set()
        keys: set[Key] = set()
        affected: set[str] = set()
        for path in paths:
            affected.add(path)
            self.faults.forget(path)  # every stage that reads this file runs again below
            if path in self.registry_candidates or path in self.registry_facts:
                registry_change = max(registry_change, self._update_registry(path))
            elif (home := self._component_home(path)) is not None:
                wanted |= self._update_component(path, home[0], home[1], home[2], keys)
            elif (role := file_role(os.path.basename(path))) == "interface":
                if update_interface(self, path, keys):
                    registry_change = max(registry_change, "entries")
            elif role == "python":
                self._update_python(path)
            elif role == "json":
                self._update_json(path)
            elif role == "dag":
                self._update_present(path, partial(read_dag_file, self))
            elif role == "notebook":
                self._update_present(path, partial(scan_notebook, self))
        if registry_change == "structure":  # a registry appeared, vanished or changed identity
            self._build()
            return ALL
        if registry_change == "entries":
            self._build_view()
            self.relink_all()
            return ALL
        graph = self.graph
        wanted |= graph.dependents(keys)
        touched = graph.relink(wanted)
        for _, step in wanted:
            self.step_problems.pop(step, None)
        affected |= touched
        affected |= self._referrers(keys)
        affected |= {reg.path for ws, step in wanted if (reg := self.view.lookup(ws, step))}
        return affected

    def _referrers(self, keys: set[Key]) -> set[str]:
        """Files whose reference checks read one of these keys."""
        referrers = self.table.referrers
        return {path for key in keys for path in referrers.get(key, ())}

    def _needs_rebuild(self, path: str) -> bool:
        if os.path.basename(path) in _SETTINGS_FILES and any(
            os.path.dirname(path) == root for root, _ in self.roots
        ):
            return True
        if os.path.isdir(path):
            return True  # a new or renamed folder can add or move trees
        if (
            path.endswith(".py")
            and is_registry_candidate(path)
            and path not in self.registry_candidates
        ):
            return self._component_home(path) is None and self.under_roots(path)
        return False

    def in_package(self, path: str) -> bool:
        """Inside a read-only package source (the installed framework)."""
        return any(is_within(path, root) for root in self.package_roots)

    def under_roots(self, path: str) -> bool:
        return any(is_within(path, root) for root, _ in self.roots)

    def _update_registry(self, path: str) -> str:
        """Re-read a registry module: '' (no change), 'entries' or 'structure'."""
        old = self.registry_facts.pop(path, None)
        present = os.path.exists(path) or path in self.buffers
        new = read_registry_file(self, path) if present else None
        if new is not None:
            self.registry_facts[path] = new
        if present:
            self.registry_candidates.add(path)
        else:
            self.registry_candidates.discard(path)
        if old is None and new is None:
            return ""
        if old is None or new is None or old.metadata != new.metadata:
            return "structure"
        return "entries" if old.data != new.data else ""

    def _component_home(self, path: str) -> tuple[ComponentTree, ComponentType, str] | None:
        if not path.endswith(".py"):
            return None
        for tree in self.trees:
            if not is_within(path, tree.path):
                continue
            for kind, folders in tree.dirs.items():
                for folder in folders:
                    if is_within(path, folder) and path != folder:
                        return tree, kind, folder
        return None

    def _update_component(
        self, path: str, tree: ComponentTree, kind: ComponentType, folder: str, keys: set[Key]
    ) -> set[StepKey]:
        """Replace one record; collect the keys it provided before and after, and the links it
        could create. Returns the links that must be recomputed besides the keys' dependents."""
        graph = self.graph
        wanted: set[StepKey] = set()
        old = self.table.records.get(path)
        if old is not None:
            wanted |= graph.candidates(old) | set(graph.users(path))
            keys.update(old.provided)
            if old.kind is ComponentType.SPEC:
                claim = graph.drop_claim(path, old.workspace)
                if claim is not None:
                    keys.add(("claim", old.workspace, claim[0]))
            self.table.remove(path)
        if path in self.buffers or os.path.isfile(path):
            rel = os.path.relpath(path, folder).replace(os.sep, "/")
            record = self._read_component(FoundFile(path, mtime_ns(path), None, kind, tree, rel))
            self.table.add(record)
            keys.update(record.provided)
            if kind is ComponentType.SPEC:
                claim = graph.set_claim(record)
                if claim is not None:
                    keys.add(("claim", record.workspace, claim[0]))
            wanted |= graph.candidates(record)
        return wanted

    def _update_present(self, path: str, read: Callable[[str, int | None], None]) -> None:
        if os.path.isfile(path) or path in self.buffers:
            read(path, None)
        else:
            self.python_usages.pop(path, None)
            self.dags.pop(path, None)
            self.notebooks.discard(path)

    def _update_python(self, path: str) -> None:
        if os.path.isfile(path) or path in self.buffers:
            try:
                size: int | None = os.stat(path).st_size
            except OSError:
                size = None
            scan_python(self, path, size)
        else:
            self.python_usages.pop(path, None)

    def _update_json(self, path: str) -> None:
        present = os.path.isfile(path) or path in self.buffers
        listed = path in self.json_files
        if present and not listed:
            self.json_files = sorted([*self.json_files, path])
        elif not present and listed:
            self.json_files = [p for p in self.json_files if p != path]

    def set_extra_job_types(self, job_types: Iterable[str]) -> None:
        """Job types known beyond the catalog's own; a change is a new generation."""
        jobs = frozenset(j.lower() for j in job_types)
        if jobs != self.extra_job_types:
            self.extra_job_types = jobs
            self.generation += 1
            self.memo.clear()

    # -- editor buffers ----------------------------------------------------------------------

    def set_buffer(self, path: str | os.PathLike[str], text: str) -> set[str] | None:
        key = real(os.fspath(path))
        data = to_bytes(text)
        if self.buffers.get(key) == data:
            return set()
        self.buffers[key] = data
        return self.update([key])

    def drop_buffer(self, path: str | os.PathLike[str]) -> set[str] | None:
        key = real(os.fspath(path))
        if self.buffers.pop(key, None) is None:
            return set()
        return self.update([key])
