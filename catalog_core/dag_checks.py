"""Step names in DAG code (``add_node``/``add_edge`` string arguments) that no registry knows,
or whose job type nothing knows. Other strings are never checked: they may be anything."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .models import Problem, Severity, Span
from .registry_view import SHARED
from .text import likely_typo

if TYPE_CHECKING:
    from .catalog_base import CatalogBase


def dag_problems(catalog: CatalogBase, path: str | None = None) -> list[Problem]:
    index = catalog.index
    paths = [path] if path is not None else sorted(index.python_usages)
    found: list[Problem] = []
    for file in paths:
        usages = index.python_usages.get(file, [])
        if not usages:
            continue
        ws = index.wmap.of(file)
        context = None if ws == SHARED else ws
        known = set(catalog.known_job_types(excluding=file))
        for usage in usages:
            span = Span.of((usage.span[0], usage.span[1] - 1, usage.span[2], usage.span[3] + 1))
            split = catalog.split_node_name(usage.name, context) or catalog.split_node_name(
                usage.name
            )
            if split is None:
                close = [r.step_name for r in catalog.search_steps(usage.name.split("_")[0])[:1]]
                hint = f"; did you mean '{close[0]}'?" if close else ""
                found.append(
                    Problem(
                        rule="dag-unknown-step",
                        severity=Severity.ERROR,
                        path=Path(file),
                        span=span,
                        message=f"'{usage.name}' in {usage.call}() names no registered step{hint}",
                        data={"name": usage.name},
                    )
                )
                continue
            step, job = split
            typo = likely_typo(job.split("_")[0], known) if job else None
            if typo is not None:  # an unknown job type that is not a typo falls back quietly
                hint = f"; did you mean '{step}_{typo}'?"
                found.append(
                    Problem(
                        rule="dag-unknown-job-type",
                        severity=Severity.WARNING,
                        path=Path(file),
                        span=span,
                        step_name=step,
                        message=f"job type '{job}' of '{usage.name}' looks like a misspelling: no "
                        f"variant spec, setting, config file or other DAG uses it{hint}",
                        data={"name": usage.name, "step": step},
                    )
                )
    return found
