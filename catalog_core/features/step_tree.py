"""The catalog as a tree: workspaces, the steps each defines, and their components (present or
missing, required or not) with problem counts: what the editor's Steps view shows.

The tree is asked for one level at a time, as an editor's tree view expands it:
``tree_workspaces`` (each with its step count), ``tree_steps`` (a workspace's steps, from the
step views alone: no component metadata is built), ``tree_components`` (one step's components).
``tree_owners`` says which step nodes a file belongs to (reveal-on-open). ``step_tree`` is the
whole tree at once (the three levels composed)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from catalog_core.base.paths import real
from catalog_core.features.checking import problems as all_problems
from catalog_core.features.lookup import list_workspaces
from catalog_core.features.steps import get_step_info, list_available_steps, step_view
from catalog_core.models import (
    COMPONENT_ORDER,
    SHARED,
    ComponentType,
    Location,
    Span,
    required_components,
)
from catalog_core.problems.checks import StepView
from catalog_core.sources.discovery import PACK_FOLDER

if TYPE_CHECKING:
    from catalog_core.index.catalog_index import CatalogIndex

SEVERITIES = ("error", "warning", "information", "hint")
Kind = Literal["shared", "developer", "package", "pack"]


@dataclass(frozen=True, slots=True)
class TreeComponent:
    label: str  # script, contract, spec, spec (training), builder, config, interface
    present: bool
    required: bool
    location: Location | None
    note: str = ""


@dataclass(slots=True)
class TreeStep:
    name: str
    sagemaker_step_type: str | None
    layout: Literal["1.x", "interface"]
    complete: bool
    problems: dict[str, int]
    location: Location | None  # the registry entry (or interface step_type)
    components: list[TreeComponent] = field(default_factory=list)
    variants: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # labels of the required ones absent


@dataclass(slots=True)
class TreeWorkspace:
    id: str
    kind: Kind
    root: Path | None
    read_only: bool
    steps: list[TreeStep] = field(default_factory=list)
    step_count: int = 0


def step_tree(db: CatalogIndex) -> list[TreeWorkspace]:
    """The whole tree: every workspace with its steps and their components."""
    tree = []
    for ws in tree_workspaces(db):
        steps = tree_steps(db, ws.id) or []
        full = [
            TreeStep(
                s.name,
                s.sagemaker_step_type,
                s.layout,
                s.complete,
                s.problems,
                s.location,
                tree_components(db, ws.id, s.name) or [],
                s.variants,
                s.missing,
            )
            for s in steps
        ]
        tree.append(TreeWorkspace(ws.id, ws.kind, ws.root, ws.read_only, full, ws.step_count))
    return tree


def _views(db: CatalogIndex, workspace_id: str) -> list[StepView]:
    """The step views of the steps a workspace's tree node lists: in a developer workspace,
    those whose definition is its own (not the shared one it sees)."""

    def views() -> list[StepView]:
        found = []
        for name in list_available_steps(db, workspace_id, None):
            sv = step_view(db, name, workspace_id)
            if sv is not None and (workspace_id == SHARED or sv.workspace == workspace_id):
                found.append(sv)
        return found

    return db.memo.get(("tree_views", workspace_id), views)


def _names(db: CatalogIndex, workspace_id: str) -> frozenset[str]:
    return db.memo.get(
        ("tree_names", workspace_id), lambda: frozenset(sv.step for sv in _views(db, workspace_id))
    )


def _is_pack(sv: StepView) -> bool:
    reg = sv.registered
    path = reg.path if reg is not None else next(iter(sv.components.values()), "")
    return PACK_FOLDER in Path(path).parts


def tree_workspaces(db: CatalogIndex) -> list[TreeWorkspace]:
    """The workspaces with their step counts (no steps)."""
    tree = []
    for ws in list_workspaces(db):
        views = _views(db, ws.workspace_id)
        kind: Kind = ws.kind
        if kind == "developer" and any(_is_pack(sv) for sv in views):
            kind = "pack"
        root = ws.roots[0] if ws.roots else None
        tree.append(TreeWorkspace(ws.workspace_id, kind, root, False, step_count=len(views)))
    return tree


def _problem_counts(db: CatalogIndex) -> dict[tuple[str, str | None], dict[str, int]]:
    def counts() -> dict[tuple[str, str | None], dict[str, int]]:
        by_step: dict[tuple[str, str | None], dict[str, int]] = {}
        for p in all_problems(db):
            if p.step_name:
                key = (p.step_name, p.workspace_id)
                counts = by_step.setdefault(key, dict.fromkeys(SEVERITIES, 0))
                counts[p.severity.value] += 1
        return by_step

    return db.memo.get(("tree_problem_counts",), counts)


def _label(kind: ComponentType, layout: str) -> str:
    return "interface" if layout == "interface" and kind is ComponentType.SPEC else kind.value


def tree_steps(db: CatalogIndex, workspace_id: str) -> list[TreeStep] | None:
    """A workspace's steps without their components, or None for an unknown workspace."""
    if workspace_id != SHARED and workspace_id not in db.wmap.developer_ids():
        return None
    by_step = _problem_counts(db)
    steps = []
    for sv in _views(db, workspace_id):
        reg = sv.registered
        step_type = reg.field("sagemaker_step_type") if reg is not None else ""
        layout = reg.layout if reg is not None else "1.x"
        counts = dict.fromkeys(SEVERITIES, 0)
        for key in ((sv.step, sv.workspace), (sv.step, None)):
            for sev, n in by_step.get(key, {}).items():
                counts[sev] += n
        required = required_components(step_type, layout)
        missing = [_label(kind, layout) for kind in required if not sv.has(kind)]
        location = None
        if reg is not None:
            location = Location(path=Path(reg.path), span=Span.of(reg.entry.key_span))
        steps.append(
            TreeStep(
                sv.step,
                step_type or None,
                "interface" if layout == "interface" else "1.x",
                not missing,
                counts,
                location,
                variants=sorted(sv.variants),
                missing=missing,
            )
        )
    return steps


def tree_components(db: CatalogIndex, workspace_id: str, step: str) -> list[TreeComponent] | None:
    """One step's components as its workspace's tree node shows them, or None."""
    if step not in _names(db, workspace_id):
        return None
    info = get_step_info(db, step, None, workspace_id)
    if info is None:
        return None
    required = set(required_components(info.sagemaker_step_type, info.layout))
    interface = info.layout == "interface"
    components = []
    for kind in COMPONENT_ORDER:
        meta = info.file_components.get(kind.value)
        label = _label(kind, info.layout)
        if interface and kind is ComponentType.CONTRACT:
            continue  # a section of the interface
        note = ""
        if interface and kind is ComponentType.BUILDER and meta is None:
            note = f"{info.builder_step_name}, synthesised at run time"
        components.append(
            TreeComponent(
                label,
                meta is not None,
                kind in required and not (kind is ComponentType.SPEC and info.variants),
                Location(path=meta.path, span=meta.span) if meta else None,
                note,
            )
        )
        if kind is ComponentType.SPEC and not interface:
            for job, variant in sorted(info.variants.items()):
                components.append(
                    TreeComponent(
                        f"spec ({job})", True, False, Location(path=variant.path, span=variant.span)
                    )
                )
    return components


def tree_owners(db: CatalogIndex, path: str) -> list[tuple[str, str]]:
    """(workspace, step) of the step nodes a component file belongs to, the file's own
    workspace first; [] for a file that is no step's component."""
    rp = real(path)
    if rp not in db.table.records:
        return []
    record = db.table.records[rp]
    users = sorted(db.graph.users(rp), key=lambda u: (u[0] != record.workspace, u))
    return [(ws, step) for ws, step in users if step in _names(db, ws)]
