"""``StepCatalog``: the query API over the index (seeds/001), plus problems and updates.

Contexts: ``workspace_id=None`` answers from the shared tree, or from the developer workspace
that defines a step the shared tree lacks; ``"shared"`` answers from the shared tree only; a
developer id answers from that workspace, its copies winning over shared ones per component.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path

from catalog_core.api.catalog_base import MISSING, PathLike
from catalog_core.api.catalog_lookup import LookupMixin
from catalog_core.api.catalog_problems import ProblemsMixin
from catalog_core.base.paths import real
from catalog_core.base.settings import DEFAULT_JOB_TYPES, CatalogSettings
from catalog_core.base.text import squash
from catalog_core.index.catalog_index import CatalogIndex
from catalog_core.index.registry_view import SHARED
from catalog_core.models import (
    COMPONENT_ORDER,
    ComponentType,
    FileMetadata,
    Location,
    Span,
    StepInfo,
)
from catalog_core.problems.checks import StepView, overlay, symbol_span


class StepCatalog(LookupMixin, ProblemsMixin):
    """Static, multi-workspace index of steps and their component files. Never imports them."""

    def __init__(
        self,
        roots: PathLike | Iterable[PathLike],
        *,
        settings: CatalogSettings | None = None,
        progress: Callable[[str, int, int], None] | None = None,
    ) -> None:
        """Index ``roots`` (a folder or several). ``progress(message, done, total)`` is called
        during builds."""
        if isinstance(roots, (str, os.PathLike)):
            roots = [roots]
        self._index = CatalogIndex(list(roots), settings, progress)
        self.extra_job_types: set[str] = set()  # e.g. from editor settings

    # -- lifecycle -----------------------------------------------------------------------------

    @property
    def roots(self) -> list[Path]:
        return [Path(r) for r, _ in self._index.roots]

    def update(self, changed_paths: Iterable[PathLike]) -> set[Path] | None:
        """Re-read only these files (deleted ones included); the result equals a full rebuild.
        Returns the files whose problems may have changed (None: any file may have)."""
        return _paths(self._index.update(changed_paths))

    def refresh(self) -> None:
        self._index.build()

    def set_document(self, path: PathLike, text: str) -> set[Path] | None:
        """Use an editor's unsaved text for ``path`` instead of the disk (see ``update``)."""
        return _paths(self._index.set_buffer(path, text))

    def close_document(self, path: PathLike) -> set[Path] | None:
        """Return ``path`` to its disk contents (see ``update``)."""
        return _paths(self._index.drop_buffer(path))

    # -- steps ---------------------------------------------------------------------------------

    def _context_of(self, step: str, workspace_id: str | None) -> str | None:
        idx = self._index
        if workspace_id is not None:
            return (
                workspace_id
                if idx.view.lookup(workspace_id, step) is not None
                or ((workspace_id, step) in idx.graph.links)
                else None
            )
        if step in idx.view.core.steps:
            return SHARED
        for ws in idx.wmap.developer_ids():
            if step in idx.view.workspace_names(ws) or (ws, step) in idx.graph.links:
                return ws
        return None

    def canonical_name(self, name: str, workspace_id: str | None = None) -> str | None:
        """The registered step a name means: exact, else normalised (``tabular_preprocessing``)."""
        cache = self._index.view_cache
        key = ("canon", name, workspace_id)
        hit = cache.get(key, MISSING)
        if hit is MISSING:
            hit = cache[key] = self._canonical(name, workspace_id)
        return hit  # type: ignore[return-value]

    def _canonical(self, name: str, workspace_id: str | None) -> str | None:
        view = self._index.view
        if view.is_registered(name, workspace_id):
            return name
        key = squash(name)
        step = view.step_by_squash(workspace_id, key)
        if step is None and workspace_id is None:
            for ws in self._index.wmap.developer_ids():
                step = view.step_by_squash(ws, key)
                if step is not None:
                    break
        return step

    def get_step_info(
        self, step_name: str, job_type: str | None = None, *, workspace_id: str | None = None
    ) -> StepInfo | None:
        """A step (or, with ``job_type``, one of its pipeline nodes); None when unknown."""
        key = ("info", step_name, job_type, workspace_id)
        hit = self._cached(key)
        if hit is not MISSING:
            return hit  # type: ignore[return-value]
        info: StepInfo | None
        exact = self._index.view.is_registered(step_name, workspace_id)
        if job_type is None and not exact:  # a node name, or a normalised step name
            info = self.resolve_pipeline_node(step_name, workspace_id=workspace_id)
        else:
            step = step_name if exact else self.canonical_name(step_name, workspace_id)
            info = (
                self._info(step, job_type.lower() if job_type else None, workspace_id)
                if step
                else None
            )
        self._index.cache()[key] = info
        return info

    def resolve_pipeline_node(
        self, node_name: str, *, workspace_id: str | None = None
    ) -> StepInfo | None:
        """``CradleDataLoading_training`` -> the step with its ``training`` variant spec (or the
        base spec when that job type has no variant). Registered names win over splitting."""
        key = ("node", node_name, workspace_id)
        hit = self._cached(key)
        if hit is not MISSING:
            return hit  # type: ignore[return-value]
        split = self.split_node_name(node_name, workspace_id)
        info = self._info(split[0], split[1], workspace_id) if split else None
        self._index.cache()[key] = info
        return info

    def split_node_name(
        self, node_name: str, workspace_id: str | None = None
    ) -> tuple[str, str | None] | None:
        """(step, job type) of a node name. Exact registry names decide first: the name itself,
        then ``<registered step>_<job type>`` (longest step first); only then normalised forms
        (``tabular_preprocessing``), so ``Dummy_training`` is Dummy's training node even when a
        ``DummyTraining`` step exists."""
        view = self._index.view
        if view.is_registered(node_name, workspace_id):
            return node_name, None
        parts = node_name.split("_")
        splits = [
            ("_".join(parts[:i]), "_".join(parts[i:]).lower()) for i in range(len(parts) - 1, 0, -1)
        ]
        for base, job in splits:
            if view.is_registered(base, workspace_id):
                return base, job
        step = self.canonical_name(node_name, workspace_id)
        if step is not None:
            return step, None
        for base, job in splits:
            step = self.canonical_name(base, workspace_id)
            if step is not None:
                return step, job
        return None

    def _view(self, step: str, workspace_id: str | None) -> StepView | None:
        key = ("view", step, workspace_id)
        hit = self._cached(key)
        if hit is MISSING:
            context = self._context_of(step, workspace_id)
            hit = (
                None
                if context is None
                else overlay(context, step, self._index.view, self._index.graph.links)
            )
            self._index.cache()[key] = hit
        return hit  # type: ignore[return-value]

    def _info(self, step: str, job_type: str | None, workspace_id: str | None) -> StepInfo | None:
        sv = self._view(step, workspace_id)
        if sv is None:
            return None
        reg = sv.registered
        components: dict[str, FileMetadata | None] = {}
        for kind in COMPONENT_ORDER:
            path = sv.components.get(kind)
            if kind is ComponentType.SPEC and job_type and job_type in sv.variants:
                path = sv.variants[job_type]
            components[kind.value] = self._file(path, kind, sv, job_type) if path else None
        variants = {
            j: self._file(p, ComponentType.SPEC, sv, j) for j, p in sorted(sv.variants.items())
        }
        location = None
        if reg is not None:
            location = Location(path=Path(reg.path), span=Span.of(reg.entry.key_span))
        return StepInfo.model_construct(
            step_name=step,
            workspace_id=sv.workspace,
            registry_data=dict(reg.entry.fields) if reg else {},
            file_components=components,
            base_step_name=step if job_type else None,
            job_type=job_type,
            variants=variants,
            registry_location=location,
            registry_source=reg.source if reg else "unregistered",
        )

    def _file(self, path: str, kind: ComponentType, sv: StepView, job: str | None) -> FileMetadata:
        if kind is not ComponentType.SPEC or sv.variants.get(job or "") != path:
            job = None  # only a variant spec carries a job type (a base spec may stand in)
        key = ("file", path, kind, job, sv.registered.path if sv.registered else None)
        hit = self._cached(key)
        if hit is not MISSING:
            return hit  # type: ignore[return-value]
        record = self._index.table.records[path]
        symbol, span = symbol_span(record, sv.registered)
        meta = FileMetadata.model_construct(
            path=Path(path),
            file_type=kind,
            modified_time=datetime.fromtimestamp(record.mtime_ns / 1e9),
            workspace_id=record.workspace,
            job_type=job,
            symbol=symbol,
            span=span,
        )
        self._index.cache()[key] = meta
        return meta

    def list_available_steps(
        self, workspace_id: str | None = None, job_type: str | None = None
    ) -> list[str]:
        """Step names, all of them or those a workspace defines (registers or has files for),
        optionally only those with a variant spec for ``job_type``."""
        idx = self._index
        if workspace_id is None:
            names = idx.view.all_names()
        elif workspace_id == SHARED:
            names = set(idx.view.core.steps)
        else:
            names = idx.view.workspace_names(workspace_id) | {
                s for (ws, s) in idx.graph.links if ws == workspace_id
            }
        if job_type is not None:
            names = {n for n in names if job_type.lower() in self._variants(n, workspace_id)}
        return sorted(names)

    def _variants(self, step: str, workspace_id: str | None) -> dict[str, str]:
        sv = self._view(step, workspace_id)
        return sv.variants if sv is not None else {}

    def warm(self) -> None:
        """Build, ahead of need, what the first question of a kind would otherwise pay for:
        the search index and the known job types."""
        self.search_steps("warm")
        self.job_type_sources()

    def step_summary(
        self, step: str, workspace_id: str | None = None
    ) -> tuple[str, str, list[str]] | None:
        """(SageMaker step type, workspace whose definition it is, job types with a variant
        spec) of a registered step: what lists of steps show, cheaper than a StepInfo."""
        key = ("summary", step, workspace_id)
        hit = self._cached(key)
        if hit is MISSING:
            sv = self._view(step, workspace_id)
            reg = sv.registered if sv is not None else None
            hit = (
                None
                if sv is None
                else (
                    reg.field("sagemaker_step_type") if reg else "",
                    sv.workspace,
                    sorted(sv.variants),
                )
            )
            self._index.cache()[key] = hit
        return hit  # type: ignore[return-value]

    def get_job_type_variants(
        self, base_step_name: str, *, workspace_id: str | None = None
    ) -> list[str]:
        """Job types that have a variant spec for the step, sorted."""
        step = self.canonical_name(base_step_name, workspace_id)
        return sorted(self._variants(step, workspace_id)) if step else []

    def get_shared_components(
        self, base_step_name: str, *, workspace_id: str | None = None
    ) -> dict[str, FileMetadata | None]:
        """The components every job-type variant shares: script, contract, builder, config."""
        info = self.get_step_info(base_step_name, workspace_id=workspace_id)
        if info is None:
            return {}
        return {k: v for k, v in info.file_components.items() if k != ComponentType.SPEC.value}

    def job_type_sources(self) -> tuple[frozenset[str], dict[str, frozenset[str]]]:
        """Known job types: those every file may use (defaults, ``[tool.stepcat] job_types``,
        variant specs) and, per file, those a DAG module or a config file uses. Each part is
        recomputed only when what it depends on changed (one edit touches one file's part)."""
        idx = self._index
        hit = self._cached(("job_type_sources",))
        if hit is not MISSING:
            return hit  # type: ignore[return-value]
        fixed = set(DEFAULT_JOB_TYPES) | {j.lower() for j in self.extra_job_types}
        for _, settings in idx.roots:
            fixed.update(j.lower() for j in settings.job_types)
        fixed |= self._variant_job_types()
        by_file: dict[str, frozenset[str]] = {}
        memo = idx.view_cache.setdefault("usage_jobs", {})  # path -> (usages, jobs)
        for path, usages in idx.python_usages.items():
            cached = memo.get(path)  # type: ignore[attr-defined]
            if cached is None or cached[0] is not usages:
                jobs = set()
                for name in {u.name for u in usages if u.checked}:  # each name once
                    split = self.split_node_name(name)
                    if split is not None and split[1]:
                        jobs.add(split[1].split("_")[0].lower())
                cached = memo[path] = (usages, frozenset(jobs))  # type: ignore[index]
            by_file[path] = cached[1]
        for path, used in self.config_files_index().job_types_used().items():
            by_file[path] = frozenset(used)
        result = (frozenset(fixed), by_file)
        idx.cache()[("job_type_sources",)] = result
        return result

    def _variant_job_types(self) -> frozenset[str]:
        graph = self._index.graph
        key = ("variant_jobs", graph.claims_version, id(graph))
        hit = self._index.view_cache.get(key)
        if hit is None:
            jobs = frozenset(j for claimed in graph.claims.values() for _, j in claimed if j)
            hit = self._index.view_cache[key] = jobs
        return hit  # type: ignore[return-value]

    def known_job_types(self, excluding: PathLike | None = None) -> list[str]:
        """Job types known from defaults, settings, variant specs, DAG modules and config files;
        ``excluding`` leaves one file's own uses out (so a typo does not excuse itself)."""
        fixed, by_file = self.job_type_sources()
        skip = real(os.fspath(excluding)) if excluding is not None else None
        jobs = set(fixed)
        for path, used in by_file.items():
            if path != skip:
                jobs |= used
        return sorted(jobs)

    def is_known_job_type(self, job_type: str, excluding: PathLike | None = None) -> bool:
        return job_type.lower() in self.known_job_types(excluding)


def _paths(changed: set[str] | None) -> set[Path] | None:
    return None if changed is None else {Path(p) for p in changed}
