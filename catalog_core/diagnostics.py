"""Problems, computed on demand from the index (never stored by it): read problems, broken
references, incomplete steps, duplicated and unlinked components, registry and settings
problems; with each root's configured severities applied."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from .checks import check_step, duplicate_problems, overlay, unlinked_problem
from .models import Problem
from .registry_view import SHARED

if TYPE_CHECKING:
    from .index import CatalogIndex


def _reported(index: CatalogIndex) -> Iterable[tuple[str, str]]:
    """(workspace, step) pairs whose step problems are reported: core steps in the shared tree,
    local steps and overrides in the workspace that registers them."""
    for step in index.view.core.steps:
        yield SHARED, step
    for ws in index.wmap.developer_ids():
        for step in index.view.workspace_names(ws):
            yield ws, step


def _step_problems(index: CatalogIndex, ws: str, step: str) -> list[Problem]:
    """A step's problems in a workspace, cached until an update relinks the step."""
    by_workspace = index.step_problems.setdefault(step, {})
    found = by_workspace.get(ws)
    if found is None:
        sv = overlay(ws, step, index.view, index.graph.links)
        found = by_workspace[ws] = check_step(sv, index.table) if sv is not None else []
    return found


def _file_problems(index: CatalogIndex, path: str, linked: bool | None = None) -> list[Problem]:
    record = index.table.records.get(path)
    if record is None:
        return []
    found = [*record.problems, *index.graph.linker.file_check(record)]
    if linked is None:
        linked = bool(index.graph.users(path))
    if not linked:
        unlinked = unlinked_problem(record)
        if unlinked is not None:
            found.append(unlinked)
    return found


def _duplicates(index: CatalogIndex, keys: Iterable[tuple[str, str]]) -> list[Problem]:
    found = []
    for key in keys:
        link = index.graph.links.get(key)
        if link is not None and link.duplicates:
            found.extend(duplicate_problems(link, index.table, index.view))
    return found


def _global(index: CatalogIndex) -> list[Problem]:
    found = [*index.settings_problems, *index.walk_problems, *index.view.problems]
    for facts in index.registry_facts.values():
        found.extend(facts.problems)
    return found


def all_problems(index: CatalogIndex) -> list[Problem]:
    found = _global(index)
    users = index.graph.all_users()
    for path in index.table.records:
        found.extend(_file_problems(index, path, path in users))
    for ws, step in _reported(index):
        found.extend(_step_problems(index, ws, step))
    found.extend(_duplicates(index, index.graph.links))
    return configure(index, found)


def problems_for(index: CatalogIndex, path: str) -> list[Problem]:
    """Problems located in one file, computed for that file only."""
    found = [p for p in _global(index) if p.path is not None and str(p.path) == path]
    found.extend(_file_problems(index, path))
    if path in index.registry_facts:
        for ws, step in _reported(index):
            reg = index.view.lookup(ws, step)
            if reg is not None and reg.path == path:
                found.extend(_step_problems(index, ws, step))
    found.extend(p for p in _duplicates(index, index.graph.users(path)) if str(p.path) == path)
    return configure(index, found)


def configure(index: CatalogIndex, problems: list[Problem]) -> list[Problem]:
    """Apply each root's ``severity`` settings ('off' drops a rule) and sort by position."""
    result = []
    for problem in problems:
        settings = index.settings_for(str(problem.path)) if problem.path else None
        level = settings.level_for(problem.rule, problem.severity) if settings else problem.severity
        if level is None:
            continue
        result.append(
            problem if level == problem.severity else problem.model_copy(update={"severity": level})
        )
    unique = {(p.rule, str(p.path), p.span, p.message): p for p in result}
    return sorted(
        unique.values(),
        key=lambda p: (str(p.path), p.span.start_line, p.span.start_character, p.rule, p.message),
    )
