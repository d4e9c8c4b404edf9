"""Walking the roots: component trees, their files, registry modules, config JSON, other
Python files, step interfaces (``*.step.yaml``), DAG JSON (``*.dag.json``) and notebooks. One pass with ``os.scandir``; loops, unreadable folders and missing roots become
problems, never exceptions. Only directory entries and ``stat`` are touched here.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from catalog_core.base.files import file_problem
from catalog_core.base.globs import glob_match
from catalog_core.base.guard import Faults
from catalog_core.base.paths import real
from catalog_core.base.settings import DEFAULT_EXCLUDES, CatalogSettings
from catalog_core.models import ComponentType, Problem, Severity


@dataclass(slots=True)
class ComponentTree:
    """A ``steps/`` folder with component subfolders."""

    path: str
    root: str
    dirs: dict[ComponentType, list[str]] = field(default_factory=dict)
    workspace_id: str = "shared"

    @property
    def is_pack(self) -> bool:
        """A project's step pack (``<project>/step_pack``): its steps are the project's own."""
        return os.path.basename(self.path) == PACK_FOLDER


@dataclass(slots=True)
class FoundFile:
    path: str
    mtime_ns: int
    size: int | None  # None: not stat'ed yet (the read will)
    kind: ComponentType | None = None  # None: not a component file
    tree: ComponentTree | None = None
    rel: str = ""  # posix path below its component folder ("x.py", "sub/x.py")


@dataclass(slots=True)
class Discovery:
    roots: list[str] = field(default_factory=list)
    trees: list[ComponentTree] = field(default_factory=list)
    components: list[FoundFile] = field(default_factory=list)
    registries: list[FoundFile] = field(default_factory=list)
    python: list[FoundFile] = field(default_factory=list)
    json: list[FoundFile] = field(default_factory=list)
    interfaces: list[FoundFile] = field(default_factory=list)  # *.step.yaml
    dags: list[FoundFile] = field(default_factory=list)  # *.dag.json
    notebooks: list[FoundFile] = field(default_factory=list)  # *.ipynb
    problems: list[Problem] = field(default_factory=list)
    # Component folders not listed: unchanged since the persisted index listed them (their
    # files are the index's; see ``discover``'s ``unchanged``).
    unchanged: list[str] = field(default_factory=list)


PACK_FOLDER = "step_pack"
INTERFACE_SUFFIX = ".step.yaml"
DAG_SUFFIX = ".dag.json"
NOTEBOOK_SUFFIX = ".ipynb"


def file_role(name: str) -> str | None:
    """What a file is by its name: "interface", "dag", "notebook", "json", "python" or None."""
    if name.endswith(".py"):
        return "python"
    if name.endswith(INTERFACE_SUFFIX):
        return "interface"
    if name.endswith(DAG_SUFFIX):
        return "dag"
    if name.endswith(".json"):
        return "json"
    if name.endswith(NOTEBOOK_SUFFIX):
        return "notebook"
    return None


def is_registry_candidate(path: str) -> bool:
    """Registry modules are looked for by name: ``*step_names*.py``, ``*registry*.py``, or any
    module in a ``registry`` folder (plus the files named in settings)."""
    name = os.path.basename(path)
    parent = os.path.basename(os.path.dirname(path))
    return "step_names" in name or "registry" in name or parent == "registry"


class _Walker:
    def __init__(
        self,
        root: str,
        settings: CatalogSettings,
        out: Discovery,
        seen: set[tuple[int, int]],
        unchanged: dict[str, tuple[int, ...]] | None = None,
    ):
        self.root = root
        self.unchanged = unchanged or {}
        self.settings = settings
        self.out = out
        self.seen = seen
        self.excluded = set(DEFAULT_EXCLUDES) | {
            p for p in settings.exclude if "/" not in p and "*" not in p
        }
        self.patterns = [p for p in settings.exclude if "/" in p or "*" in p]
        self.component_names = settings.component_dir_names()
        self.registry_patterns = settings.registry_files
        self._by_role = {
            "json": out.json,
            "interface": out.interfaces,
            "dag": out.dags,
            "notebook": out.notebooks,
        }

    def rel(self, path: str) -> str:
        return os.path.relpath(path, self.root).replace(os.sep, "/")

    def skip_dir(self, name: str, path: str) -> bool:
        if name in self.excluded or (name.startswith(".") and name not in (".", "..")):
            return True
        if self.patterns:
            rel = self.rel(path)
            return any(glob_match(rel, p) for p in self.patterns)
        return False

    def is_listed_registry(self, path: str) -> bool:
        if not self.registry_patterns:
            return False
        rel = self.rel(path)
        return any(glob_match(rel, p) for p in self.registry_patterns)

    def enter(self, path: str) -> list[os.DirEntry[str]] | None:
        """List a folder once (by inode); report loops and unreadable folders."""
        try:
            st = os.stat(path)
            key = (st.st_dev, st.st_ino)
            if key in self.seen:
                return None
            self.seen.add(key)
            with os.scandir(path) as it:
                return list(it)
        except OSError as exc:
            self.out.problems.append(
                file_problem(
                    path,
                    "unreadable-folder",
                    f"cannot list folder: {exc.strerror or exc}; its files are not indexed",
                )
            )
            return None

    def is_loop(self, entry: os.DirEntry[str], parent_real: str) -> bool:
        if not entry.is_symlink():
            return False
        target = real(entry.path)
        if parent_real == target or parent_real.startswith(target.rstrip(os.sep) + os.sep):
            self.out.problems.append(
                file_problem(
                    entry.path,
                    "symlink-loop",
                    f"symbolic link points back to its ancestor {target}; not followed",
                    Severity.INFORMATION,
                )
            )
            return True
        return False

    def walk(self) -> None:
        stack = [real(self.root)]
        while stack:
            folder = stack.pop()
            entries = self.enter(folder)
            if entries is None:
                continue
            name = os.path.basename(folder)
            if name in self.settings.tree_names or name == PACK_FOLDER:
                tree = self.tree_of(folder, entries)
                if tree is not None:
                    entries = [e for e in entries if e.name not in self.component_names]
            subdirs: list[str] = []
            for entry in entries:
                try:
                    is_dir = entry.is_dir()
                except OSError:
                    continue
                if is_dir:
                    if not self.skip_dir(entry.name, entry.path) and not self.is_loop(
                        entry, folder
                    ):
                        subdirs.append(real(entry.path) if entry.is_symlink() else entry.path)
                else:
                    self.add_file(entry)
            stack.extend(reversed(subdirs))

    def tree_of(self, folder: str, entries: list[os.DirEntry[str]]) -> ComponentTree | None:
        dirs: dict[ComponentType, list[str]] = {}
        for entry in entries:
            kind = self.component_names.get(entry.name)
            if kind is not None and entry.is_dir():
                dirs.setdefault(kind, []).append(
                    real(entry.path) if entry.is_symlink() else entry.path
                )
        if not dirs:
            return None
        tree = ComponentTree(path=folder, root=self.root, dirs=dirs)
        self.out.trees.append(tree)
        for kind, paths in dirs.items():
            for path in paths:
                self.walk_component_dir(tree, kind, path, path)
        return tree

    def walk_component_dir(
        self, tree: ComponentTree, kind: ComponentType, top: str, folder: str
    ) -> None:
        """Every ``.py`` file below a component folder, however deep (an explicit stack, so a
        thousand nested folders are just a thousand iterations)."""
        if folder in self.unchanged and self._still(folder):
            return
        add = self.out.components.append
        stack = [(folder, "")]
        while stack:
            current, prefix = stack.pop()
            entries = self.enter(current)
            if entries is None:
                continue
            subdirs = []
            for entry in entries:
                name = entry.name
                try:
                    if name.endswith(".py") and entry.is_file():
                        # Not stat'ed: a read takes the size and time (see ``discover``).
                        path = real(entry.path) if entry.is_symlink() else entry.path
                        add(FoundFile(path, 0, None, kind, tree, prefix + name))
                    elif (
                        entry.is_dir()
                        and not self.skip_dir(name, entry.path)
                        and not self.is_loop(entry, current)
                    ):
                        subdirs.append((entry.path, f"{prefix}{name}/"))
                except OSError:
                    continue
            stack.extend(reversed(subdirs))

    def _still(self, folder: str) -> bool:
        """True (and the folder counted as listed) when a leaf component folder has the stamp
        it had when listed last: no entry was added, removed or renamed in it since."""
        try:
            st = os.stat(folder)
        except OSError:
            return False
        key = (st.st_dev, st.st_ino)
        stamp = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
        if stamp != self.unchanged[folder] or key in self.seen:
            return False
        self.seen.add(key)
        self.out.unchanged.append(folder)
        return True

    def add_file(self, entry: os.DirEntry[str]) -> None:
        role = file_role(entry.name)
        if role is None:
            return
        try:
            st = entry.stat()
        except OSError:
            return
        path = real(entry.path) if entry.is_symlink() else entry.path
        found = FoundFile(path, st.st_mtime_ns, st.st_size)
        if role == "python":
            if is_registry_candidate(path) or self.is_listed_registry(path):
                self.out.registries.append(found)
            else:
                self.out.python.append(found)
        else:
            self._by_role[role].append(found)


def discover(
    roots: list[tuple[str, CatalogSettings]],
    faults: Faults | None = None,
    unchanged: dict[str, tuple[int, ...]] | None = None,
) -> Discovery:
    """Walk every root once; nested roots and repeated folders are visited a single time.
    ``unchanged``: leaf component folders (no sub-folder) and their stamps (size, mtime,
    ctime, inode) when the persisted index listed them; one whose stamp is the same is not
    listed again (``Discovery.unchanged``): the caller knows its files. No file is stat'ed:
    those read take their size and time from the read, scripts (located, never read) have
    none (0: an answer that shows one stats the file)."""
    out = Discovery()
    faults = faults or Faults()
    seen: set[tuple[int, int]] = set()
    # Inner roots first, so a nested root's own settings govern its subtree.
    ordered = sorted(roots, key=lambda r: -len(Path(r[0]).parts))
    for root, settings in ordered:
        out.roots.append(root)
        if not os.path.isdir(root):
            out.problems.append(
                Problem(
                    rule="missing-root",
                    severity=Severity.ERROR,
                    path=Path(root),
                    message=f"root folder does not exist or is not a folder: {root}",
                )
            )
            continue
        walker = _Walker(root, settings, out, seen, unchanged)
        faults.run(root, "listing folders", walker.walk, None)  # what was found so far is kept
    return out
