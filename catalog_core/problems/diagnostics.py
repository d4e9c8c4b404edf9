"""Problems, computed on demand from the index (never stored by it): read problems, broken
references, incomplete steps, duplicated and unlinked components, registry and settings
problems; with each root's configured severities applied."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import TYPE_CHECKING

from catalog_core.base.guard import RULE, guarded_list
from catalog_core.index.other_files import full_interface
from catalog_core.models import SHARED, Problem, Severity
from catalog_core.problems.checks import check_step, duplicate_problems, overlay, unlinked_problem
from catalog_core.problems.suppress import Suppressions, inline_suppressions, silenced

if TYPE_CHECKING:
    from catalog_core.index.catalog_index import CatalogIndex
    from catalog_core.index.records import ComponentRecord


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
        if (ws, step) in index.graph.failed:  # reported as an internal error, not as missing files
            found = []
        else:
            sv = overlay(ws, step, index.view, index.graph.links)
            reg = sv.registered if sv is not None else None
            found = guarded_list(
                reg.path if reg else None,
                f"checking step '{step}'",
                lambda: check_step(sv, index.table) if sv is not None else [],
            )
        by_workspace[ws] = found
    return found


def _file_problems(index: CatalogIndex, path: str, linked: bool | None = None) -> list[Problem]:
    record = index.table.records.get(path)
    if record is None:
        return []
    return guarded_list(path, "checking the file", lambda: _checked_file(index, record, linked))


def _checked_file(
    index: CatalogIndex, record: ComponentRecord, linked: bool | None
) -> list[Problem]:
    if record.interface is not None:  # the full read: its own problems and its references
        full = full_interface(index, record.path) or record.interface
        found = [*full.problems, *index.graph.linker.file_check(record, full)]
    else:
        found = [*record.problems, *index.graph.linker.file_check(record)]
    if linked is None:
        linked = bool(index.graph.users(record.path))
    if not linked and not _left_by_migration(index, record):
        unlinked = unlinked_problem(record)
        if unlinked is not None:
            found.append(unlinked)
    return found


def _left_by_migration(index: CatalogIndex, record: ComponentRecord) -> bool:
    """A 1.x file of a step its interface now defines (``step-in-both-layouts`` says so once)."""
    migrated = index.view.migrated
    if not migrated:
        return False
    graph = index.graph
    steps = graph.linker.candidates(record, graph.claim_by_path.get(record.path))
    return any(step in migrated for step in steps)


def _duplicates(index: CatalogIndex, keys: Iterable[tuple[str, str]]) -> list[Problem]:
    found = []
    for key in keys:
        link = index.graph.links.get(key)
        if link is not None and link.duplicates:
            found.extend(
                guarded_list(
                    None,
                    f"checking duplicates of '{link.step}'",
                    partial(duplicate_problems, link, index.table, index.view),
                )
            )
    return found


def _global(index: CatalogIndex) -> list[Problem]:
    found = [*index.settings_problems, *index.walk_problems, *index.view.problems]
    found.extend(index.read_problems.values())
    for facts in index.registry_facts.values():
        found.extend(facts.problems)
    for dag in index.dags.values():
        found.extend(dag.problems)
    found.extend(index.faults.problems())
    found.extend(index.graph.failed.values())  # reported on their registry entries
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
    """Apply each root's ``severity`` and ``per_file_ignores`` settings ('off' drops a rule) and
    inline ``# stepcat: ignore[...]`` comments, and sort by position. Problems located in the
    installed framework (a read-only package source) are dropped: not the user's to fix."""
    result = []
    by_path: dict[str | None, _FileRules] = {}
    for problem in problems:
        path = str(problem.path) if problem.path else None
        if path is not None and index.package_roots and index.in_package(path):
            continue  # inside the installed framework: the user cannot fix it
        rules = by_path.get(path)
        if rules is None:
            rules = by_path[path] = _FileRules(index, path)
        level = rules.level(problem)
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


class _FileRules:
    """What silences or re-levels problems in one file: its root's settings, its inline
    ``# stepcat: ignore`` comments (read once per file and generation)."""

    def __init__(self, index: CatalogIndex, path: str | None) -> None:
        self.index = index
        self.path = path
        self.settings = index.settings_for(path) if path else None
        self.rel = (
            index.relative_to_root(path)
            if path and self.settings is not None and self.settings.per_file_ignores
            else None
        )
        self.inline: Suppressions | None = None

    def level(self, problem: Problem) -> Severity | None:
        settings = self.settings
        if settings is None:
            return problem.severity
        level = settings.level_for(problem.rule, problem.severity)
        if level is None or problem.rule == RULE:  # our own failures are never hidden
            return level
        if self.rel is not None and settings.ignored(self.rel, problem.rule):
            return None
        if self.path is not None and self.path.endswith((".py", ".pyi", ".yaml", ".yml")):
            if self.inline is None:
                self.inline = _inline(self.index, self.path)
            if silenced(self.inline, problem.span.start_line, problem.rule):
                return None
        return level


def _inline(index: CatalogIndex, path: str) -> Suppressions:
    def read() -> Suppressions:
        facts = index.registry_facts.get(path)
        data = facts.data if facts is not None else index.read(path)[0]
        return inline_suppressions(data or b"")

    return index.memo.get(("suppressions", path), read)
