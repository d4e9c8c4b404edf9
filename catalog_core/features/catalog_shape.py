"""Whether a change altered what the editor's Steps and DAG views show: the steps of each
workspace (registered or linked, with their SageMaker step type and layout), each step's
component and variant files, and the problem counts per step. Line positions are left out: an
edit that only moves lines (or changes a function body) leaves the views as they are."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from catalog_core.features.checking import problems
from catalog_core.models import SHARED

if TYPE_CHECKING:
    from catalog_core.index.catalog_index import CatalogIndex
    from catalog_core.index.graph import StepKey
    from catalog_core.index.linker import Link

ProblemKey = tuple[str, str | None, str]  # (step, workspace, severity)


class CatalogShape:
    """The last shape seen; ``changed`` compares a new state of the index with it."""

    def __init__(self) -> None:
        self._rows: object = None
        self._links: dict[StepKey, Link] | None = None  # the links last seen (the objects)
        self._counts: dict[str, Counter[ProblemKey]] | None = None  # None: no baseline yet

    def changed(self, db: CatalogIndex, paths: set[str] | None) -> bool:
        """After a change of ``paths`` (the files whose problems may differ; None: any), whether
        the shape differs from the last one seen. The first call answers True."""
        rows = db.view_memo.get(("shape_rows",), lambda: _rows(db))  # kept until a registry changes
        links = db.graph.links
        moved = rows != self._rows or self._links is None or _links_differ(self._links, links)
        self._rows, self._links = rows, dict(links)
        if paths is None or self._counts is None:
            by_path: dict[str, Counter[ProblemKey]] = {}
            for p in problems(db):
                if p.step_name:
                    key = (p.step_name, p.workspace_id, p.severity.value)
                    by_path.setdefault(str(p.path), Counter())[key] += 1
            before, self._counts = self._counts, by_path
            return before is None or moved or by_path != before
        counts = self._counts
        for path in paths:
            now: Counter[ProblemKey] = Counter(
                (p.step_name, p.workspace_id, p.severity.value)
                for p in problems(db, path)
                if p.step_name
            )
            if now != counts.get(path, Counter()):
                moved = True
            if now:
                counts[path] = now
            else:
                counts.pop(path, None)
        return moved


def _links_differ(before: dict[StepKey, Link], now: dict[StepKey, Link]) -> bool:
    """Whether any step's component or variant files differ. A link is never changed once
    made (``relink`` makes a new one), so one still the same object is skipped unread: an edit
    costs a pass over the keys, not a copy of every link's files."""
    if len(before) != len(now):
        return True
    for key, link in now.items():
        old = before.get(key)
        if old is link:
            continue
        if old is None or old.components != link.components or old.variants != link.variants:
            return True
    return False


def _rows(db: CatalogIndex) -> list[tuple[str, str, str, str, str]]:
    """Each workspace's registered steps with their registry file, type and layout."""
    view = db.view
    rows: list[tuple[str, str, str, str, str]] = []
    for ws in [SHARED, *db.wmap.developer_ids()]:
        for name in sorted(view.workspace_names(ws) if ws != SHARED else view.core.steps):
            reg = view.lookup(ws, name)
            if reg is not None:
                rows.append((ws, name, reg.path, reg.field("sagemaker_step_type"), reg.layout))
    return rows
