"""Where a name leads: definition targets (the node's variant spec or base spec, then script,
contract, builder, config; or a class definition), step cards for hovers, and references."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from catalog_core.features.checking import step_problems
from catalog_core.features.configs import config_files
from catalog_core.features.names import NameAt
from catalog_core.features.steps import get_step_info, resolve_pipeline_node, split_node_name
from catalog_core.models import (
    COMPONENT_ORDER,
    SHARED,
    ComponentType,
    FileMetadata,
    Location,
    Problem,
    Span,
    StepInfo,
)

if TYPE_CHECKING:
    from catalog_core.index.catalog_index import CatalogIndex

_ENTRY = re.compile(
    rb"^(?:def[ \t]+main[ \t]*\(|if[ \t]+__name__[ \t]*==[ \t]*['\"]__main__['\"])", re.M
)


@dataclass(frozen=True, slots=True)
class Target:
    label: str  # "spec (training)", "script", "contract", "builder", "config", "class"
    path: Path
    span: Span  # the defining symbol (selection)
    workspace_id: str

    @property
    def line_span(self) -> Span:
        """The defining line, from its start to the end of the symbol."""
        return Span.of((self.span.start_line, 0, self.span.end_line, self.span.end_character))


@dataclass(slots=True)
class StepCard:
    info: StepInfo
    node_name: str
    required: set[ComponentType]
    problems: list[Problem] = field(default_factory=list)


def resolve(db: CatalogIndex, name: str, context: str | None) -> StepInfo | None:
    """A step or node name in a workspace's context, falling back to the whole catalog."""
    info = resolve_pipeline_node(db, name, context) if context else None
    return info or resolve_pipeline_node(db, name, None)


def entry_symbol_span(db: CatalogIndex, path: Path) -> Span:
    """A script's entry (``def main`` or the ``__main__`` guard), read on demand; else line 0."""

    def find() -> Span:
        data, _ = db.read(str(path))
        m = _ENTRY.search(data) if data is not None else None
        if data is None or m is None:
            return Span.of((0, 0, 0, 0))
        line = data.count(b"\n", 0, m.start())
        return Span.of((line, 0, line, len(m.group().rstrip(b"(").rstrip())))

    return db.memo.get(("entry", str(path)), find)


def _component_target(db: CatalogIndex, kind: ComponentType, meta: FileMetadata) -> Target:
    label = f"{kind.value} ({meta.job_type})" if meta.job_type else kind.value
    span = meta.span
    if kind is ComponentType.SCRIPT and span.start_line == 0 and span.end_character == 0:
        span = entry_symbol_span(db, meta.path)
    return Target(label, meta.path, span, meta.workspace_id)


def step_targets(db: CatalogIndex, info: StepInfo) -> list[Target]:
    """Spec (the node's variant, else the base spec, else every variant), script, contract,
    builder, config; each on the line of its class or constant."""
    targets = []
    if info.layout == "interface" and info.file_components.get(ComponentType.SPEC.value):
        # The interface is the step: its variant's (or step_type's) line; the script and the
        # config are one definition away from there (entry_point, registry.config_class).
        spec = info.file_components[ComponentType.SPEC.value]
        assert spec is not None
        return [_component_target(db, ComponentType.SPEC, spec)]
    for kind in COMPONENT_ORDER:
        meta = info.file_components.get(kind.value)
        if meta is not None:
            targets.append(_component_target(db, kind, meta))
        elif kind is ComponentType.SPEC and info.job_type is None:
            targets.extend(_component_target(db, kind, v) for v in info.variants.values())
    return targets


def class_targets(db: CatalogIndex, name: str, context: str | None) -> list[Target]:
    from catalog_core.problems.checks import symbol_span

    index = db
    spaces = (
        [context, SHARED]
        if context and context != SHARED
        else [SHARED, *index.wmap.developer_ids()]
    )
    for ws in spaces:
        paths = index.table.find(("cls", ws or SHARED, name))
        if paths:
            targets = []
            for path in paths:
                record = index.table.records[path]
                span = record.facts.class_span(name) if record.facts else None
                targets.append(
                    Target(
                        "class",
                        Path(path),
                        Span.of(span) if span else symbol_span(record)[1],
                        ws or SHARED,
                    )
                )
            return targets
    return []


def script_targets(db: CatalogIndex, entry_point: str, context: str | None) -> list[Target]:
    """The script an interface's ``contract.entry_point`` names, in its workspace or shared."""
    from catalog_core.index.records import script_rel

    rel = script_rel(entry_point)
    for ws in [context, SHARED] if context and context != SHARED else [SHARED]:
        for path in db.table.find(("script", ws or SHARED, rel)):
            return [Target("script", Path(path), entry_symbol_span(db, Path(path)), ws or SHARED)]
    return []


def definition_targets(db: CatalogIndex, ref: NameAt, context: str | None) -> list[Target]:
    if ref.kind in ("config_class", "builder_class"):
        return class_targets(db, ref.name, context)
    if ref.kind == "entry_point":
        return script_targets(db, ref.name, context)
    info = resolve(db, ref.name, context)
    if info is not None:
        return step_targets(db, info)
    if ref.kind == "config_key":  # a key in the old format names a class: go to the class
        return class_targets(db, ref.name, context)
    return []


def step_card(db: CatalogIndex, name: str, context: str | None) -> StepCard | None:
    from catalog_core.models import required_components

    info = resolve(db, name, context)
    if info is None:
        return None
    return StepCard(
        info,
        info.pipeline_node_name,
        set(required_components(info.sagemaker_step_type, info.layout)),
        step_problems(db, info),
    )


@dataclass(frozen=True, slots=True)
class Reference:
    location: Location
    kind: str  # "registry", "dag", "spec", "config"


def references(db: CatalogIndex, step: str) -> list[Reference]:
    """Every place a step's name is written: registries, DAG calls, spec step_type declarations,
    config files' keys. Node names (``Step_job``) count for their step."""
    index = db
    found: list[Reference] = []

    def add(path: str, raw: tuple[int, int, int, int], kind: str) -> None:
        found.append(Reference(Location(path=Path(path), span=Span.of(raw)), kind))

    def is_step(name: str) -> bool:
        split = split_node_name(db, name)
        return split is not None and split[0] == step

    for path, facts in index.registry_facts.items():
        for entries in facts.sections.values():
            for entry in entries:
                if entry.name == step:
                    add(path, entry.key_span, "registry")
    for path, facts in index.interface_rows.items():
        for entries in facts.sections.values():
            for entry in entries:
                if entry.name == step:
                    add(path, entry.key_span, "interface")
    for path, usages in index.python_usages.items():
        for usage in usages:
            if is_step(usage.name):
                add(path, usage.span, "dag")
    for path, record in index.table.records.items():
        ref = record.facts.step_type if record.facts is not None else None
        claim = index.graph.claim_by_path.get(path)
        if ref is not None and claim is not None and claim[0] == step:
            add(path, ref.span, "spec")
    for path, doc in config_files(db).documents().items():
        for node in (doc.config_types, doc.specific):
            for member in node.members if node else ():
                if is_step(member.key):
                    add(path, doc.key_span(member), "config")
    found.sort(
        key=lambda r: (
            str(r.location.path),
            r.location.span.start_line,
            r.location.span.start_character,
        )
    )
    return found


@dataclass(frozen=True, slots=True)
class ClassCard:
    """What a hover on a config or builder class name shows."""

    name: str
    kind: ComponentType  # CONFIG or BUILDER
    step: str
    defined_in: Path | None  # None: no file defines it


def class_card(db: CatalogIndex, ref: NameAt) -> ClassCard | None:
    view = db.view
    owners = view.steps_by_config_class(None, ref.name) or view.steps_by_builder(None, ref.name)
    if not owners:
        return None
    info = get_step_info(db, owners[0], None, None)
    kind = ComponentType.CONFIG if ref.kind == "config_class" else ComponentType.BUILDER
    meta = info.file_components.get(kind.value) if info else None
    return ClassCard(ref.name, kind, owners[0], meta.path if meta else None)
