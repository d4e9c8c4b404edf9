"""Steps: the seeds/001 query API (step info, pipeline nodes, variants, listings) and the job
types the catalog knows. Functions of the index; ``StepCatalog`` delegates to them.

Contexts: ``workspace_id=None`` answers from the shared tree, or from the developer workspace
that defines a step the shared tree lacks; ``"shared"`` answers from the shared tree only; a
developer id answers from that workspace, its copies winning over shared ones per component.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from typing import Literal

from catalog_core.base.files import mtime_ns
from catalog_core.base.names import Split, job_head
from catalog_core.base.names import split_node_name as split_rule
from catalog_core.base.paths import real
from catalog_core.base.settings import DEFAULT_JOB_TYPES
from catalog_core.base.text import squash
from catalog_core.facts.usages import Usage
from catalog_core.index.catalog_index import CatalogIndex
from catalog_core.index.registry_view import Registered
from catalog_core.models import (
    COMPONENT_ORDER,
    NO_REGISTRY_DATA,
    SHARED,
    ComponentType,
    FileMetadata,
    Location,
    ReadOnlyDict,
    Span,
    StepInfo,
    built,
    file_path,
)
from catalog_core.problems.checks import StepView, overlay, symbol_span
from catalog_core.sources.discovery import PACK_FOLDER

PathLike = str | os.PathLike[str]
JobTypeSources = tuple[frozenset[str], dict[str, frozenset[str]]]


def context_of(db: CatalogIndex, step: str, workspace_id: str | None) -> str | None:
    """The workspace whose definition of ``step`` answers in this context."""
    if workspace_id is not None:
        known = db.view.lookup(workspace_id, step) is not None
        return workspace_id if known or (workspace_id, step) in db.graph.links else None
    if step in db.view.core.steps:
        return SHARED
    for ws in db.wmap.developer_ids():
        if step in db.view.workspace_names(ws) or (ws, step) in db.graph.links:
            return ws
    return None


def canonical_name(db: CatalogIndex, name: str, workspace_id: str | None = None) -> str | None:
    """The registered step a name means: exact, else normalised (``tabular_preprocessing``)."""
    return db.view_memo.get(
        ("canon", name, workspace_id), lambda: _canonical(db, name, workspace_id)
    )


def _canonical(db: CatalogIndex, name: str, workspace_id: str | None) -> str | None:
    view = db.view
    if view.is_registered(name, workspace_id):
        return name
    key = squash(name)
    step = view.step_by_squash(workspace_id, key)
    if step is None and workspace_id is None:
        for ws in db.wmap.developer_ids():
            step = view.step_by_squash(ws, key)
            if step is not None:
                break
    return step


def split_node_name(
    db: CatalogIndex, node_name: str, workspace_id: str | None = None
) -> Split | None:
    """(step, job type) of a node name (see ``base.names.split_node_name``)."""
    view = db.view
    return split_rule(
        node_name,
        lambda name: view.is_registered(name, workspace_id),
        lambda name: canonical_name(db, name, workspace_id),
    )


def get_step_info(
    db: CatalogIndex, step_name: str, job_type: str | None, workspace_id: str | None
) -> StepInfo | None:
    return db.memo.get(
        ("info", step_name, job_type, workspace_id),
        lambda: _step_info(db, step_name, job_type, workspace_id),
    )


def _step_info(
    db: CatalogIndex, step_name: str, job_type: str | None, workspace_id: str | None
) -> StepInfo | None:
    exact = db.view.is_registered(step_name, workspace_id)
    if job_type is None and not exact:  # a node name, or a normalised step name
        return resolve_pipeline_node(db, step_name, workspace_id)
    step = step_name if exact else canonical_name(db, step_name, workspace_id)
    if step is None:
        return None
    return _info(db, step, job_type.lower() if job_type else None, workspace_id)


def resolve_pipeline_node(
    db: CatalogIndex, node_name: str, workspace_id: str | None
) -> StepInfo | None:
    """``CradleDataLoading_training`` -> the step with its ``training`` variant spec (or the
    base spec when that job type has no variant)."""

    def resolve() -> StepInfo | None:
        split = split_node_name(db, node_name, workspace_id)
        return _info(db, split[0], split[1], workspace_id) if split else None

    return db.memo.get(("node", node_name, workspace_id), resolve)


def step_view(db: CatalogIndex, step: str, workspace_id: str | None) -> StepView | None:
    """The step as the context sees it: its workspace's links over the shared ones."""

    def view() -> StepView | None:
        context = context_of(db, step, workspace_id)
        return None if context is None else overlay(context, step, db.view, db.graph.links)

    return db.memo.get(("view", step, workspace_id), view)


def _info(
    db: CatalogIndex, step: str, job_type: str | None, workspace_id: str | None
) -> StepInfo | None:
    """The step's answer; a node's (a job type) is the step's with the variant spec as its
    spec: its file answers are the step's own objects (one per file and context)."""
    # ``step`` is registered in the context: this is get_step_info(step)'s own memo entry.
    base = db.memo.get(("info", step, None, workspace_id), lambda: _step(db, step, workspace_id))
    if base is None or job_type is None:
        return base
    components = dict(base.file_components)
    variant = base.variants.get(job_type) if job_type else None
    if variant is not None:
        components[ComponentType.SPEC.value] = variant
        job_type = next(j for j in base.variants if j == job_type)  # one str per job type
    values = dict(base.__dict__)  # every field, as built (see ``built``)
    values["file_components"] = components
    values["base_step_name"] = base.step_name if job_type else None  # == step, not a copy
    values["job_type"] = job_type
    return built(StepInfo, values)


def _step(db: CatalogIndex, step: str, workspace_id: str | None) -> StepInfo | None:
    sv = db.memo.peek(("view", step, workspace_id))  # kept only when another feature asked
    if not isinstance(sv, StepView):
        context = context_of(db, step, workspace_id)
        if context is None:
            return None
        sv = overlay(context, step, db.view, db.graph.links)
    if sv is None:
        return None
    reg = sv.registered
    components: dict[str, FileMetadata | None] = {}
    for kind in COMPONENT_ORDER:
        path = sv.components.get(kind)
        components[kind.value] = _file(db, path, kind, sv, None) if path else None
    variants = ReadOnlyDict(
        (j, _file(db, p, ComponentType.SPEC, sv, j)) for j, p in sorted(sv.variants.items())
    )  # read-only: shared by the step's answer and its nodes' answers
    location = None
    if reg is not None:
        location = _location(db, reg)
    spec = sv.components.get(ComponentType.SPEC)
    record = db.table.records.get(spec) if spec else None
    interface = record.interface if record is not None else None
    return built(
        StepInfo,
        {
            "step_name": step,
            "workspace_id": sv.workspace,
            "registry_data": _fields(db, reg) if reg else NO_REGISTRY_DATA,
            "file_components": components,
            "base_step_name": None,
            "job_type": None,
            "variants": variants,
            "registry_location": location,
            "registry_source": reg.source if reg else "unregistered",
            "layout": reg.layout if reg else "1.x",
            "source": _source(db, sv),
            "node_type": interface.node_type if interface is not None else None,
        },
    )


def _location(db: CatalogIndex, reg: Registered) -> Location:
    """Where a step is registered: one answer per registry entry, shared by the step's answers
    and its nodes' (kept while the registries are unchanged)."""

    def location() -> Location:
        span = Span.of(reg.entry.key_span)
        return built(Location, {"path": _path(db, reg.path), "span": span})

    key = ("location", reg.path, reg.entry.section, reg.name)  # one entry per view
    return db.view_memo.get(key, location)


def _fields(db: CatalogIndex, reg: Registered) -> ReadOnlyDict:
    """A read-only copy of the step's registry entry, shared by the step's answer and its
    nodes' (read-only: a caller who changed one answer's would change the others')."""
    key = ("fields", reg.path, reg.entry.section, reg.name)
    return db.view_memo.get(key, lambda: ReadOnlyDict(reg.entry.fields))


def _path(db: CatalogIndex, path: str) -> Path:
    """One ``Path`` per registry file (a few files hold every entry)."""
    return db.view_memo.get(("path", path), lambda: Path(path))


def _source(db: CatalogIndex, sv: StepView) -> Literal["package", "pack", "workspace"]:
    """package (the shared tree), pack (a project's step pack) or workspace (1.x developer)."""
    if sv.workspace == SHARED:
        return "package"
    reg = sv.registered
    path = reg.path if reg is not None else next(iter(sv.components.values()), "")
    return "pack" if PACK_FOLDER in Path(path).parts else "workspace"


def _file(
    db: CatalogIndex, path: str, kind: ComponentType, sv: StepView, job: str | None
) -> FileMetadata:
    if kind is not ComponentType.SPEC or sv.variants.get(job or "") != path:
        job = None  # only a variant spec carries a job type (a base spec may stand in)
    record = db.table.records[path]
    symbol, span = symbol_span(record, sv.registered, job)
    return built(
        FileMetadata,
        {
            "path": file_path(path, record.rel),
            "file_type": kind,
            # 0: not taken by a build that wrote no snapshot (CatalogIndex.stamps)
            "modified_time": datetime.fromtimestamp((record.mtime_ns or mtime_ns(path)) / 1e9),
            "workspace_id": record.workspace,
            "job_type": job,
            "symbol": symbol,
            "span": span,
        },
    )


def list_available_steps(
    db: CatalogIndex, workspace_id: str | None = None, job_type: str | None = None
) -> list[str]:
    """Step names, all of them or those a workspace defines (registers or has files for),
    optionally only those with a variant spec for ``job_type``."""
    if workspace_id is None:
        names = db.view.all_names()
    elif workspace_id == SHARED:
        names = set(db.view.core.steps)
    else:
        names = db.view.workspace_names(workspace_id) | {
            s for (ws, s) in db.graph.links if ws == workspace_id
        }
    if job_type is not None:
        names = {n for n in names if job_type.lower() in variants_of(db, n, workspace_id)}
    return sorted(names)


def variants_of(db: CatalogIndex, step: str, workspace_id: str | None) -> dict[str, str]:
    sv = step_view(db, step, workspace_id)
    return sv.variants if sv is not None else {}


def job_type_variants(db: CatalogIndex, base_step_name: str, workspace_id: str | None) -> list[str]:
    """Job types that have a variant spec for the step, sorted."""
    step = canonical_name(db, base_step_name, workspace_id)
    return sorted(variants_of(db, step, workspace_id)) if step else []


def shared_components(
    db: CatalogIndex, base_step_name: str, workspace_id: str | None
) -> dict[str, FileMetadata | None]:
    """The components every job-type variant shares: script, contract, builder, config."""
    info = get_step_info(db, base_step_name, None, workspace_id)
    if info is None:
        return {}
    return {k: v for k, v in info.file_components.items() if k != ComponentType.SPEC.value}


def step_summary(
    db: CatalogIndex, step: str, workspace_id: str | None
) -> tuple[str, str, list[str]] | None:
    """(SageMaker step type, workspace whose definition it is, job types with a variant spec)
    of a registered step: what lists of steps show, cheaper than a StepInfo."""

    def summary() -> tuple[str, str, list[str]] | None:
        sv = step_view(db, step, workspace_id)
        if sv is None:
            return None
        reg = sv.registered
        return (reg.field("sagemaker_step_type") if reg else "", sv.workspace, sorted(sv.variants))

    return db.memo.get(("summary", step, workspace_id), summary)


# -- job types --------------------------------------------------------------------------------


def job_type_sources(db: CatalogIndex) -> JobTypeSources:
    """Known job types: those every file may use (defaults, ``[tool.stepcat] job_types``,
    variant specs) and, per file, those a DAG module or a config file uses. Each part is
    recomputed only when what it depends on changed (one edit touches one file's part)."""
    return db.memo.get(("job_type_sources",), lambda: _job_type_sources(db))


def _job_type_sources(db: CatalogIndex) -> JobTypeSources:
    from catalog_core.features.configs import config_files  # the config layer uses steps too

    fixed = set(DEFAULT_JOB_TYPES) | {j.lower() for j in db.extra_job_types}
    for _, settings in db.roots:
        fixed.update(j.lower() for j in settings.job_types)
    fixed |= _variant_job_types(db)
    by_file: dict[str, frozenset[str]] = {}
    for path, usages in db.python_usages.items():
        kept = db.view_memo.peek(("usage_jobs", path))  # (usages, jobs): one edit, one file
        if not (isinstance(kept, tuple) and kept[0] is usages):
            kept = db.view_memo.put(("usage_jobs", path), (usages, _jobs_of(db, usages)))
        by_file[path] = kept[1]
    for path, used in config_files(db).job_types_used(lambda key: split_node_name(db, key)).items():
        by_file[path] = frozenset(used)
    return frozenset(fixed), by_file


def _jobs_of(db: CatalogIndex, usages: list[Usage]) -> frozenset[str]:
    jobs = set()
    for name in {u.name for u in usages if u.checked}:  # each name once
        split = split_node_name(db, name)
        if split is not None and split[1]:
            jobs.add(job_head(split[1]).lower())
    return frozenset(jobs)


def _variant_job_types(db: CatalogIndex) -> frozenset[str]:
    graph = db.graph
    return db.view_memo.get(
        ("variant_jobs", graph.claims_version, id(graph)),
        lambda: frozenset(j for claimed in graph.claims.values() for _, j in claimed if j),
    )


def known_job_types(db: CatalogIndex, excluding: PathLike | None = None) -> list[str]:
    """Job types known from defaults, settings, variant specs, DAG modules and config files;
    ``excluding`` leaves one file's own uses out (so a typo does not excuse itself)."""
    fixed, by_file = job_type_sources(db)
    skip = real(os.fspath(excluding)) if excluding is not None else None
    jobs = set(fixed)
    for path, used in by_file.items():
        if path != skip:
            jobs |= used
    return sorted(jobs)
