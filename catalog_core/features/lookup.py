"""Questions about files and workspaces rather than one step: which indexed file a path means,
what a component file is and which steps use it, and the workspaces."""

from __future__ import annotations

import os
from pathlib import Path

from catalog_core.base.paths import real
from catalog_core.base.text import squash
from catalog_core.index.catalog_index import CatalogIndex
from catalog_core.models import SHARED, ComponentFile, ComponentRef, TreeInfo, WorkspaceInfo
from catalog_core.problems.checks import symbol_span

PathLike = str | os.PathLike[str]


def resolve_path(db: CatalogIndex, path: PathLike) -> str | None:
    """The indexed file a path means: absolute, relative to a root, with '..', symlinked, or a
    unique trailing part (``contracts/x_contract.py``)."""
    raw = os.fspath(path)
    return db.memo.get(("path", raw), lambda: _resolve_path(db, raw))


def _resolve_path(db: CatalogIndex, raw: str) -> str | None:
    known = db.table.records
    if os.path.isabs(raw):
        rp = real(raw)
        return rp if rp in known or rp in db.registry_facts else None
    for root, _ in db.roots:
        rp = real(os.path.join(root, raw))
        if rp in known:
            return rp
    parts = Path(os.path.normpath(raw)).parts
    if not parts or ".." in parts:
        return None
    matches = [p for p in known if Path(p).parts[-len(parts) :] == parts]
    return matches[0] if len(matches) == 1 else None


def component_at(db: CatalogIndex, path: PathLike) -> ComponentRef | None:
    """What an indexed component file is and which steps use it."""
    rp = resolve_path(db, path)
    return db.memo.get(("component", rp), lambda: _component(db, rp))


def _component(db: CatalogIndex, rp: str | None) -> ComponentRef | None:
    record = db.table.records.get(rp) if rp else None
    if record is None:
        return None
    users = sorted(db.graph.users(record.path), key=lambda u: (u[0] != record.workspace, u))
    steps = list(dict.fromkeys(step for _, step in users))
    claim = db.graph.claim_by_path.get(record.path)
    if not steps and claim is not None:
        steps = [claim[0]]
    core = record.name_core()
    if core:
        steps.sort(key=lambda s: squash(s) != squash(core))
    reg = db.view.lookup(record.workspace, steps[0]) if steps else None
    symbol, span = symbol_span(record, reg)
    return ComponentRef(
        path=Path(record.path),
        file_type=record.kind,
        workspace_id=record.workspace,
        step_names=steps,
        job_type=claim[1] if claim else None,
        symbol=symbol,
        span=span,
    )


def find_step_by_component(db: CatalogIndex, component_path: PathLike) -> str | None:
    """The step a component file belongs to (any path form); None for unknown files."""
    ref = component_at(db, component_path)
    return ref.step_names[0] if ref is not None and ref.step_names else None


def list_workspaces(db: CatalogIndex) -> list[WorkspaceInfo]:
    from catalog_core.features.steps import list_available_steps

    result = []
    for ws in [SHARED, *db.wmap.developer_ids()]:
        folders = db.wmap.folders_of(ws) if ws != SHARED else [r for r, _ in db.roots]
        result.append(
            WorkspaceInfo(
                workspace_id=ws,
                kind="shared" if ws == SHARED else "developer",
                roots=[Path(f) for f in folders],
                trees=[Path(t.path) for t in db.trees if t.workspace_id == ws],
                registry_files=[Path(p) for p in sorted(db.registry_facts) if db.wmap.of(p) == ws],
                step_count=len(list_available_steps(db, ws)),
                metadata=db.view.metadata.get(ws, {}),
            )
        )
    return result


def workspace_of(db: CatalogIndex, path: PathLike) -> str:
    """The workspace a path (indexed or not) belongs to."""
    return db.wmap.of(real(os.fspath(path)))


def developer_ids(db: CatalogIndex) -> list[str]:
    return db.wmap.developer_ids()


def component_files(db: CatalogIndex, workspace_id: str | None) -> list[ComponentFile]:
    return [
        ComponentFile(
            path=Path(record.path),
            file_type=record.kind,
            workspace_id=record.workspace,
            tree=Path(record.tree),
            rel=record.rel,
            classes=[name for name, _ in record.facts.classes] if record.facts else [],
        )
        for record in db.table.records.values()
        if workspace_id is None or record.workspace == workspace_id
    ]


def counts(db: CatalogIndex) -> dict[str, int]:
    return {
        "steps": len(db.view.all_names()),
        "component_files": len(db.table.records),
        "workspaces": 1 + len(db.wmap.developer_ids()),
    }


def component_trees(db: CatalogIndex, workspace_id: str | None) -> list[TreeInfo]:
    return [
        TreeInfo(
            path=Path(tree.path),
            workspace_id=tree.workspace_id,
            root=Path(tree.root),
            dirs={kind: [Path(f) for f in folders] for kind, folders in tree.dirs.items()},
        )
        for tree in db.trees
        if workspace_id is None or tree.workspace_id == workspace_id
    ]


def registry_modules(db: CatalogIndex, workspace_id: str | None) -> dict[Path, list[str]]:
    """Registry modules (of one workspace) and the sections each declares, even empty ones."""
    return {
        Path(path): sorted(facts.section_spans)
        for path, facts in sorted(db.registry_facts.items())
        if workspace_id is None or db.wmap.of(path) == workspace_id
    }


def line_text(db: CatalogIndex, path: str, line: int) -> str:
    """One line of a file as the index sees it (an editor's unsaved text wins over the disk),
    without its line end; "" past the end or when unreadable."""

    def lines() -> list[str]:
        data, _ = db.read(path)
        return data.decode("utf-8", "replace").split("\n") if data is not None else []

    text = db.memo.get(("lines", path), lines)
    return text[line].rstrip("\r") if 0 <= line < len(text) else ""
