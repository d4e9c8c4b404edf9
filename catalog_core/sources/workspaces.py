"""Which workspace a path belongs to: the shared tree or a developer workspace.

A folder is a developer workspace when (in this order) its root declares ``workspace_id`` in
``[tool.stepcat]``, it matches a workspace pattern such as ``development/projects/*`` anywhere in
its path, it holds a step pack (``<project>/step_pack``: the workspace is ``<project>``, named
after its folder), or a registry module under a root declares
``WORKSPACE_METADATA['developer_id']``.
Everything else is ``shared``. Ownership is decided by the longest component prefix.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from catalog_core.base.paths import deepest_owner, is_within, match_components
from catalog_core.base.settings import CatalogSettings
from catalog_core.models import SHARED


@dataclass(slots=True)
class WorkspaceMap:
    folders: dict[str, str] = field(default_factory=dict)  # developer folder -> workspace id
    _cache: dict[str, str] = field(default_factory=dict)

    def add(self, folder: str, workspace_id: str) -> None:
        self.folders.setdefault(folder, workspace_id)
        self._cache.clear()

    def of(self, path: str) -> str:
        cached = self._cache.get(path)
        if cached is None:
            owner = deepest_owner(path, self.folders)
            cached = self.folders[owner] if owner is not None else SHARED
            self._cache[path] = cached
        return cached

    def developer_ids(self) -> list[str]:
        return sorted(set(self.folders.values()))

    def folders_of(self, workspace_id: str) -> list[str]:
        return sorted(f for f, w in self.folders.items() if w == workspace_id)


def build_workspace_map(
    roots: list[tuple[str, CatalogSettings]],
    paths: list[str],
    declared: dict[str, dict[str, Any]],
    packs: list[str] = [],  # noqa: B006 (read only)
) -> WorkspaceMap:
    """``paths``: trees and registry files to place; ``declared``: registry path -> metadata;
    ``packs``: step-pack folders."""
    wmap = WorkspaceMap()
    for root, settings in roots:
        if settings.workspace_id:
            wmap.add(root, settings.workspace_id)
    for pack in packs:
        project = os.path.dirname(pack)
        if deepest_owner(pack, wmap.folders) is None:
            wmap.add(project, os.path.basename(project))
    for path in paths:
        for root, settings in roots:
            if not is_within(path, root):
                continue
            for pattern in settings.workspace_globs:
                hit = match_components(path, pattern)
                if hit is not None:
                    wmap.add(hit[0], hit[1])
                    break
    for path, metadata in sorted(declared.items()):
        dev_id = metadata.get("developer_id") or metadata.get("workspace_id")
        if not isinstance(dev_id, str) or not dev_id:
            continue
        if deepest_owner(path, wmap.folders) is not None:
            continue
        owner = deepest_owner(path, [r for r, _ in roots])
        if owner is not None:
            wmap.add(registry_home(path, owner), dev_id)
    return wmap


def registry_home(registry: str, root: str) -> str:
    """The folder a developer registry speaks for: the project around it, never more.
    ``<project>/src/<package>/registry/workspace_registry.py`` -> ``<project>``;
    ``<folder>/registry/x.py`` -> ``<folder>``; any other module -> its own folder. A module
    with ``WORKSPACE_METADATA`` somewhere in a shared tree (a test fixture, say) therefore
    claims its own corner, not the whole root."""
    parts = list(Path(registry).parent.relative_to(root).parts) if registry != root else []
    if parts and parts[-1] == "registry":
        parts.pop()
    if len(parts) >= 2 and parts[-2] == "src":
        parts = parts[:-2]
    return os.path.join(root, *parts) if parts else root
