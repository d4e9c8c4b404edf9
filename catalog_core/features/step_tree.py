"""The catalog as a tree: workspaces, the steps each defines, and their components (present or
missing, required or not) with problem counts: what the editor's Steps view shows."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from catalog_core.features.checking import problems as all_problems
from catalog_core.features.lookup import list_workspaces
from catalog_core.features.steps import get_step_info, list_available_steps
from catalog_core.models import COMPONENT_ORDER, ComponentType, Location, required_components

if TYPE_CHECKING:
    from catalog_core.index.catalog_index import CatalogIndex

SEVERITIES = ("error", "warning", "information", "hint")


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


@dataclass(slots=True)
class TreeWorkspace:
    id: str
    kind: Literal["shared", "developer", "package", "pack"]
    root: Path | None
    read_only: bool
    steps: list[TreeStep] = field(default_factory=list)


def step_tree(db: CatalogIndex) -> list[TreeWorkspace]:
    return db.memo.get(("step_tree",), lambda: _step_tree(db))


def _step_tree(db: CatalogIndex) -> list[TreeWorkspace]:
    by_step: dict[tuple[str, str | None], dict[str, int]] = {}
    for p in all_problems(db):
        if p.step_name:
            counts = by_step.setdefault((p.step_name, p.workspace_id), dict.fromkeys(SEVERITIES, 0))
            counts[p.severity.value] += 1
    tree = []
    for ws in list_workspaces(db):
        context = None if ws.kind == "shared" else ws.workspace_id
        node = TreeWorkspace(
            ws.workspace_id, ws.kind, ws.roots[0] if ws.roots else None, read_only=False
        )
        for name in list_available_steps(db, ws.workspace_id, None):
            info = get_step_info(db, name, None, context or ws.workspace_id)
            if info is None or (context is not None and info.workspace_id != ws.workspace_id):
                continue
            if info.source == "pack" and node.kind == "developer":
                node.kind = "pack"
            counts = dict.fromkeys(SEVERITIES, 0)
            for key in ((name, info.workspace_id), (name, None)):
                for sev, n in by_step.get(key, {}).items():
                    counts[sev] += n
            required = set(required_components(info.sagemaker_step_type, info.layout))
            components = []
            interface = info.layout == "interface"
            for kind in COMPONENT_ORDER:
                meta = info.file_components.get(kind.value)
                label = "interface" if interface and kind is ComponentType.SPEC else kind.value
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
                                f"spec ({job})",
                                True,
                                False,
                                Location(path=variant.path, span=variant.span),
                            )
                        )
            node.steps.append(
                TreeStep(
                    name,
                    info.sagemaker_step_type or None,
                    "interface" if interface else "1.x",
                    info.is_complete,
                    counts,
                    info.registry_location,
                    components,
                    sorted(info.variants),
                )
            )
        tree.append(node)
    return tree
