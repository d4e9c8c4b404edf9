"""What staging a step means: its developer files and registry entry, where each would land in the
shared tree, and the shared side's hashes at that moment. Reads the catalog and bytes only."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from catalog_core.api.catalog import StepCatalog
from catalog_core.base.files import current_hash, read_regular, sha256
from catalog_core.base.paths import is_within, real
from catalog_core.facts.registry_reader import read_registry
from catalog_core.integration.ids import ensure_inside
from catalog_core.integration.models import IntegrationError, StagedFile, StagedRegistryEntry
from catalog_core.integration.registry_edit import entry_source
from catalog_core.models import COMPONENT_ORDER, SHARED, ComponentType, RegistryRow, TreeInfo

REGISTRY_TYPE = "registry"


@dataclass(slots=True)
class Snapshot:
    """A step's staged files (with their bytes) and registry entry."""

    files: list[StagedFile] = field(default_factory=list)
    contents: dict[str, bytes] = field(default_factory=dict)  # target path -> bytes
    registry_entry: StagedRegistryEntry | None = None
    target_registry: str | None = None

    @property
    def component_types(self) -> list[str]:
        kinds = [f.component_type for f in self.files]
        ordered = [k.value for k in COMPONENT_ORDER if k.value in kinds]
        return ordered + ([REGISTRY_TYPE] if self.registry_entry else [])

    def written_paths(self) -> list[str]:
        """Every shared path a promotion of this snapshot may write."""
        paths = [f.target_path for f in self.files]
        return paths + ([self.target_registry] if self.target_registry else [])


def find_shared_root(catalog: StepCatalog, explicit: str | os.PathLike[str] | None = None) -> str:
    """The root the shared tree lives in: ``explicit``, else the shared root holding a
    ``STEP_NAMES`` registry, else the first shared root."""
    roots = [str(r) for r in catalog.roots if catalog.workspace_of(r) == SHARED]
    if explicit is not None:
        wanted = real(explicit)
        if wanted not in roots:
            raise IntegrationError(f"{explicit} is not a shared root of this catalog")
        return wanted
    for path in sorted(shared_registries(catalog)):
        for root in roots:
            if is_within(path, root):
                return root
    if not roots:
        raise IntegrationError(
            "no shared workspace among the roots: add the shared tree's folder with --root"
        )
    return roots[0]


def shared_registries(catalog: StepCatalog) -> list[str]:
    return sorted(
        str(path)
        for path, sections in catalog.registry_modules(SHARED).items()
        if "STEP_NAMES" in sections
    )


def developer_workspace(catalog: StepCatalog, workspace_id: str) -> list[str]:
    """The folders of a developer workspace; refuses 'shared' and unknown ids."""
    if workspace_id == SHARED:
        raise IntegrationError("'shared' is the integration target, not a source workspace")
    workspaces = {w.workspace_id: w for w in catalog.list_workspaces()}
    folders = [str(f) for f in workspaces[workspace_id].roots] if workspace_id in workspaces else []
    if not folders:
        known = ", ".join(catalog.developer_ids()) or "none"
        raise IntegrationError(f"unknown developer workspace {workspace_id!r} (known: {known})")
    return [real(f) for f in folders]


def snapshot_step(catalog: StepCatalog, root: str, step: str, workspace_id: str) -> Snapshot:
    """Read the developer's copy of ``step`` and map each file onto the shared tree."""
    folders = developer_workspace(catalog, workspace_id)
    files = {str(f.path): f for f in catalog.component_files(workspace_id)}
    trees = catalog.component_trees()
    info = catalog.get_step_info(step, workspace_id=workspace_id)
    if info is None or info.step_name != step:
        hint = f"; did you mean {info.step_name}?" if info is not None else ""
        raise IntegrationError(f"workspace {workspace_id!r} has no step {step!r}{hint}")
    snap = Snapshot()
    metas = [m for m in info.file_components.values() if m is not None]
    metas += [m for m in info.variants.values() if m not in metas]
    tree = _shared_tree(catalog, root, step)
    for meta in metas:
        if meta.workspace_id != workspace_id:
            continue  # the shared copy is used in this workspace; nothing to promote
        source = str(meta.path)
        if not any(is_within(real(source), f) for f in folders):
            raise IntegrationError(
                f"{source} resolves outside workspace {workspace_id!r}: refusing to stage it"
            )
        record = files[source]
        target = _target_path(
            root, tree, record.file_type, source, str(record.tree), record.rel, trees
        )
        data = read_regular(real(source))
        if any(f.target_path == target for f in snap.files):
            continue
        snap.files.append(
            StagedFile(
                component_type=record.file_type.value,
                job_type=meta.job_type,
                source_path=real(source),
                target_path=target,
                sha256=sha256(data),
                size=len(data),
            )
        )
        snap.contents[target] = data
    _stage_registry_entry(catalog, root, step, workspace_id, snap)
    if not snap.files and snap.registry_entry is None:
        raise IntegrationError(
            f"workspace {workspace_id!r} has no files or registry entry of its own for {step!r}; "
            "nothing to stage"
        )
    return snap


def _shared_tree(catalog: StepCatalog, root: str, step: str) -> TreeInfo:
    """The shared ``steps/`` folder the step's files go to: the one already holding the step's
    shared files, else the one with the most component files."""
    trees = [t for t in catalog.component_trees(SHARED) if is_within(str(t.path), root)]
    if not trees:
        raise IntegrationError(f"the shared root {root} has no steps/ folder to promote into")
    counts = {t.path: 0 for t in trees}
    owned = shared_files(catalog, step)
    for record in catalog.component_files():
        if record.tree in counts:
            counts[record.tree] += 1 + 1000 * (str(record.path) in owned)
    return max(trees, key=lambda t: (counts[t.path], -len(str(t.path)), str(t.path)))


def _target_path(
    root: str,
    tree: TreeInfo,
    kind: ComponentType,
    source: str,
    source_tree: str,
    rel: str,
    trees: list[TreeInfo],
) -> str:
    """Same component folder, same file name: ``<shared steps>/<folder of kind>/<rel>``."""
    folder_name = kind.value + "s"
    for candidate in trees:
        if str(candidate.path) == source_tree:
            for folder in candidate.dirs.get(kind, []):
                if is_within(real(source), real(folder)):
                    folder_name = os.path.basename(folder)
    folders = tree.dirs.get(kind)
    destination = str(folders[0]) if folders else os.path.join(tree.path, folder_name)
    target = os.path.join(destination, *rel.split("/"))
    resolved = ensure_inside(target, root, "shared destination")
    return Path(os.path.relpath(resolved, root)).as_posix()


def _stage_registry_entry(
    catalog: StepCatalog, root: str, step: str, workspace_id: str, snap: Snapshot
) -> None:
    shared_reg = _row(catalog.registry_rows(SHARED), step)
    if shared_reg is not None:
        target = str(shared_reg.path)
    else:
        candidates = [p for p in shared_registries(catalog) if is_within(p, root)]
        target = candidates[0] if candidates else ""
    if target:
        resolved = ensure_inside(target, root, "shared registry")
        snap.target_registry = Path(os.path.relpath(resolved, root)).as_posix()
    reg = _row(catalog.registry_rows(workspace_id), step)
    if reg is None:
        return  # registered by the shared tree only: the registry needs no change
    if not snap.target_registry:
        raise IntegrationError(
            f"the shared root {root} has no registry module with STEP_NAMES to add {step!r} to"
        )
    path = str(reg.path)
    data = read_regular(real(path))
    section = reg.section
    source = entry_source(data, section, step, path)
    entries = [e for e in read_registry(path, data).sections.get(section, []) if e.name == step]
    if source is None or not entries:
        raise IntegrationError(f"{path} no longer defines {step!r} in {section}; re-index")
    snap.registry_entry = StagedRegistryEntry(
        section=section,
        source_path=real(path),
        source_workspace=workspace_id,
        text=source.text,
        relative_indent=source.relative,
        fields=entries[-1].fields,
        target_registry=snap.target_registry,
    )


def shared_files(catalog: StepCatalog, step: str) -> set[str]:
    """The shared tree's files of ``step`` (empty when the shared tree lacks it)."""
    info = catalog.get_step_info(step, workspace_id=SHARED)
    if info is None or info.step_name != step or info.workspace_id != SHARED:
        return set()
    metas = [*info.file_components.values(), *info.variants.values()]
    return {str(m.path) for m in metas if m is not None and m.workspace_id == SHARED}


def shared_hashes(root: str, paths: list[str]) -> dict[str, str | None]:
    """sha256 of each shared path now (None: absent)."""
    return {p: current_hash(os.path.join(root, *p.split("/"))) for p in paths}


def _row(rows: list[RegistryRow], step: str) -> RegistryRow | None:
    return next((r for r in rows if r.name == step), None)
