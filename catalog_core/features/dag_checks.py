"""Step names in DAG code (``add_node``/``add_edge`` string arguments) that no registry knows,
or whose job type nothing knows. Other strings are never checked: they may be anything."""

from __future__ import annotations

from pathlib import Path

from catalog_core.base.names import job_head
from catalog_core.base.text import likely_typo, to_bytes
from catalog_core.facts.usages import Usage, scan_python_usages
from catalog_core.features.search import search_steps
from catalog_core.features.steps import known_job_types, split_node_name
from catalog_core.index.catalog_index import CatalogIndex
from catalog_core.models import SHARED, Problem, Severity, Span


def dag_problems(index: CatalogIndex, path: str | None = None) -> list[Problem]:
    paths = [path] if path is not None else sorted(index.python_usages)
    found: list[Problem] = []
    for file in paths:
        usages = index.python_usages.get(file, [])
        if usages:
            found.extend(usage_problems(index, file, usages))
    return found


def text_problems(index: CatalogIndex, path: str, text: str) -> list[Problem]:
    """The DAG-name problems of Python text that is no file of the catalog (a notebook's code
    cell), answered in the context of ``path`` (where the text lives)."""
    return usage_problems(index, path, scan_python_usages(to_bytes(text)))


def usage_problems(index: CatalogIndex, file: str, usages: list[Usage]) -> list[Problem]:
    """Unknown steps and misspelt job types among the node names written in one file."""
    found: list[Problem] = []
    if usages:
        ws = index.wmap.of(file)
        context = None if ws == SHARED else ws
        known = set(known_job_types(index, excluding=file))
        suggest = _Suggestions(index)
        # a node name is written several times (its node, its edges): split and check it once
        splits: dict[str, tuple[str, str | None] | None] = {}
        typos: dict[str, str | None] = {}
        where = Path(file)
        for usage in usages:
            if not usage.checked:
                continue  # a node of some other graph (networkx...): not ours to judge
            span = Span.of((usage.span[0], usage.span[1] - 1, usage.span[2], usage.span[3] + 1))
            if usage.name in splits:
                split = splits[usage.name]
            else:
                split = splits[usage.name] = split_node_name(
                    index, usage.name, context
                ) or split_node_name(index, usage.name)
            if split is None:
                close = suggest(usage.name.split("_")[0])
                hint = f"; did you mean '{close}'?" if close else ""
                found.append(
                    Problem.at(
                        where,
                        "dag-unknown-step",
                        Severity.ERROR,
                        f"'{usage.name}' in {_where(usage.call)} names no registered step{hint}",
                        span,
                        data={"name": usage.name},
                    )
                )
                continue
            step, job = split
            head = job_head(job) if job else ""
            if head not in typos:  # bounded like the suggestions: a typo is one of few
                typos[head] = (
                    likely_typo(head, known) if head and len(typos) < _Suggestions.LIMIT else None
                )
            typo = typos[head]
            if typo is not None:  # an unknown job type that is not a typo falls back quietly
                hint = f"; did you mean '{step}_{typo}'?"
                found.append(
                    Problem.at(
                        where,
                        "dag-unknown-job-type",
                        Severity.WARNING,
                        f"job type '{job}' of '{usage.name}' looks like a misspelling: no "
                        f"variant spec, setting, config file or other DAG uses it{hint}",
                        span,
                        step_name=step,
                        data={"name": usage.name, "step": step},
                    )
                )
    return found


class _Suggestions:
    """Did-you-mean names for unknown DAG names: one search per distinct name, and no more than
    ``LIMIT`` searches per file, so a generated module with thousands of unknown names stays
    linear (its problems are all reported; only the hints stop)."""

    LIMIT = 200

    def __init__(self, index: CatalogIndex) -> None:
        self.index = index
        self.found: dict[str, str | None] = {}

    def __call__(self, name: str) -> str | None:
        if name not in self.found:
            if len(self.found) >= self.LIMIT:
                return None
            results = search_steps(self.index, name)[:1]
            self.found[name] = results[0].step_name if results else None
        return self.found[name]


def _where(call: str) -> str:
    """Where a name was written: ``add_node()`` in Python, ``dag.nodes`` in DAG JSON."""
    return f"dag.{call}" if call in ("nodes", "edges") else f"{call}()"
