"""Questions about files and names rather than one step: search, which step a component file
belongs to (any path form), and the workspaces."""

from __future__ import annotations

import os
from pathlib import Path

from catalog_core.api.catalog_base import MISSING, CatalogBase, PathLike
from catalog_core.base.paths import real
from catalog_core.base.text import squash
from catalog_core.features.search import SearchIndex
from catalog_core.index.registry_view import SHARED
from catalog_core.models import COMPONENT_ORDER, ComponentRef, StepSearchResult, WorkspaceInfo
from catalog_core.problems.checks import symbol_span


class LookupMixin(CatalogBase):
    # -- search --------------------------------------------------------------------------------

    def search_steps(self, query: str, job_type: str | None = None) -> list[StepSearchResult]:
        """Exact, normalised and fuzzy matches, scored 0..1, one per step, best first."""
        cache = self._index.view_cache  # names and descriptions come from the registries only
        hit = cache.get(("search-index",), MISSING)
        if hit is MISSING:
            hit = cache[("search-index",)] = SearchIndex.build(
                self._index.view.all_names(), self._description
            )
        index: SearchIndex = hit  # type: ignore[assignment]
        split = self.split_node_name(query.strip()) if "_" in query else None
        results: list[StepSearchResult] = []
        matches = index.search(query)
        if split is not None and split[1] and not any(n == split[0] for n, _, _ in matches[:1]):
            matches.insert(0, (split[0], 1.0, "node_name_match"))
        seen: set[str] = set()
        for name, score, reason in matches:
            if name in seen:
                continue
            seen.add(name)
            sv = self._view(name, None)
            if sv is None or (job_type is not None and job_type.lower() not in sv.variants):
                continue
            results.append(
                StepSearchResult.model_construct(
                    step_name=name,
                    workspace_id=sv.workspace,
                    match_score=score,
                    match_reason=reason,
                    components_available=[c for c in COMPONENT_ORDER if sv.has(c)],
                )
            )
        return results

    def _description(self, name: str) -> str:
        reg = self._index.view.lookup(None, name)
        if reg is None:
            for ws in self._index.wmap.developer_ids():
                reg = self._index.view.lookup(ws, name)
                if reg is not None:
                    break
        return reg.field("description") if reg is not None else ""

    # -- components ----------------------------------------------------------------------------

    def resolve_path(self, path: PathLike) -> str | None:
        """The indexed file a path means: absolute, relative to a root, with '..', symlinked,
        or a unique trailing part (``contracts/x_contract.py``)."""
        key = ("path", os.fspath(path))
        hit = self._cached(key)
        if hit is MISSING:
            hit = self._index.cache()[key] = self._resolve_path(path)
        return hit  # type: ignore[return-value]

    def _resolve_path(self, path: PathLike) -> str | None:
        idx = self._index
        raw = os.fspath(path)
        known = idx.table.records
        if os.path.isabs(raw):
            rp = real(raw)
            return rp if rp in known or rp in idx.registry_facts else None
        for root, _ in idx.roots:
            rp = real(os.path.join(root, raw))
            if rp in known:
                return rp
        parts = Path(os.path.normpath(raw)).parts
        if not parts or ".." in parts:
            return None
        matches = [p for p in known if Path(p).parts[-len(parts) :] == parts]
        return matches[0] if len(matches) == 1 else None

    def component_at(self, path: PathLike) -> ComponentRef | None:
        """What an indexed component file is and which steps use it."""
        rp = self.resolve_path(path)
        key = ("component", rp)
        hit = self._cached(key)
        if hit is MISSING:
            hit = self._index.cache()[key] = self._component(rp)
        return hit  # type: ignore[return-value]

    def _component(self, rp: str | None) -> ComponentRef | None:
        idx = self._index
        record = idx.table.records.get(rp) if rp else None
        if record is None:
            return None
        users = sorted(idx.graph.users(record.path), key=lambda u: (u[0] != record.workspace, u))
        steps = list(dict.fromkeys(step for _, step in users))
        claim = idx.graph.claim_by_path.get(record.path)
        if not steps and claim is not None:
            steps = [claim[0]]
        core = record.name_core()
        if core:
            steps.sort(key=lambda s: squash(s) != squash(core))
        reg = idx.view.lookup(record.workspace, steps[0]) if steps else None
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

    def find_step_by_component(self, component_path: PathLike) -> str | None:
        """The step a component file belongs to (any path form); None for unknown files."""
        ref = self.component_at(component_path)
        return ref.step_names[0] if ref is not None and ref.step_names else None

    # -- workspaces ----------------------------------------------------------------------------

    def list_workspaces(self) -> list[WorkspaceInfo]:
        idx = self._index
        result = []
        for ws in [SHARED, *idx.wmap.developer_ids()]:
            folders = idx.wmap.folders_of(ws) if ws != SHARED else [r for r, _ in idx.roots]
            result.append(
                WorkspaceInfo(
                    workspace_id=ws,
                    kind="shared" if ws == SHARED else "developer",
                    roots=[Path(f) for f in folders],
                    trees=[Path(t.path) for t in idx.trees if t.workspace_id == ws],
                    registry_files=[
                        Path(p) for p in sorted(idx.registry_facts) if idx.wmap.of(p) == ws
                    ],
                    step_count=len(self.list_available_steps(ws)),
                    metadata=idx.view.metadata.get(ws, {}),
                )
            )
        return result

    def workspace_of(self, path: PathLike) -> str:
        """The workspace a path (indexed or not) belongs to."""
        return self._index.wmap.of(real(os.fspath(path)))
