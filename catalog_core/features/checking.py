"""Every problem of the catalog, or of one file: the index's own, the config files', the DAG
modules', and full syntax checks on demand; severities and suppressions applied."""

from __future__ import annotations

import os
from collections.abc import Iterable
from functools import partial
from pathlib import Path

from catalog_core.base.guard import guarded_list
from catalog_core.base.paths import real
from catalog_core.facts.syntax import syntax_problem
from catalog_core.features.configs import config_problems
from catalog_core.features.dag_checks import dag_problems
from catalog_core.features.dag_checks import text_problems as dag_text_problems
from catalog_core.features.interface_attributes import attribute_problems
from catalog_core.features.project_checks import project_problems
from catalog_core.index.catalog_index import CatalogIndex
from catalog_core.models import SHARED, Problem, StepInfo
from catalog_core.problems.diagnostics import all_problems, configure, problems_for

PathLike = str | os.PathLike[str]


def problems(db: CatalogIndex, path: PathLike | None = None) -> list[Problem]:
    """Every problem (or those located in one file), config files included, severities as
    configured. Computed on demand and kept until the next change."""
    if path is None:
        return list(db.memo.get(("problems",), lambda: _all(db)))
    rp = real(os.fspath(path))
    return list(db.memo.get(("problems", rp), lambda: _of_file(db, rp)))


def _all(db: CatalogIndex) -> list[Problem]:
    found = [
        *all_problems(db),
        *config_problems(db),
        *guarded_list(None, "checking DAG names", partial(dag_problems, db)),
        *guarded_list(None, "checking DAGs against configs", partial(project_problems, db)),
    ]
    for path in db.interfaces:
        found.extend(_attributes(db, path))
    return configure(db, found)


def _attributes(db: CatalogIndex, path: str) -> list[Problem]:
    """A step interface's config attribute names (not the installed framework's: not the
    user's to fix)."""
    if db.in_package(path):
        return []
    ws = db.wmap.of(path)
    context = None if ws == SHARED else ws
    return guarded_list(
        path, "checking config attributes", partial(attribute_problems, db, path, context)
    )


def _of_file(db: CatalogIndex, rp: str) -> list[Problem]:
    found = problems_for(db, rp)
    if rp in db.python_usages:
        found = [*found, *guarded_list(rp, "checking DAG names", partial(dag_problems, db, rp))]
    elif rp.endswith(".json"):
        found = [*found, *config_problems(db, rp)]
    elif rp in db.interfaces:
        found = [*found, *_attributes(db, rp)]
    found += guarded_list(rp, "checking DAGs against configs", partial(project_problems, db, rp))
    return configure(db, found)


def text_problems(db: CatalogIndex, path: PathLike, text: str) -> list[Problem]:
    """Problems of Python text that is no file of the catalog (a notebook's code cell), in the
    context of ``path``: its DAG names, severities and suppressions as configured there."""
    rp = real(os.fspath(path))
    found = guarded_list(rp, "checking DAG names", partial(dag_text_problems, db, rp, text))
    return configure(db, found)


def python_files(db: CatalogIndex) -> list[Path]:
    """Every Python file the index read or located: components, registries, DAG modules."""
    paths = set(db.table.records) | set(db.registry_facts) | set(db.python_usages)
    return [Path(p) for p in sorted(paths) if p.endswith((".py", ".pyi"))]


def check_syntax(db: CatalogIndex, paths: Iterable[PathLike] | None = None) -> list[Problem]:
    """Fully parse Python files (default: ``python_files()``) and report where each stops
    parsing. On demand only: indexing itself never parses whole files. Results are kept per
    file until it changes."""
    found: list[Problem] = []
    for path in python_files(db) if paths is None else paths:
        rp = real(os.fspath(path))
        data, _ = db.read(rp)
        if data is None:
            continue  # unreadable files are reported by problems()
        key = ("syntax", rp, hash(data))
        if key not in db.syntax_cache:
            found_here = guarded_list(rp, "checking syntax", partial(_syntax_list, rp, data))
            db.syntax_cache[key] = found_here[0] if found_here else None
        hit = db.syntax_cache[key]
        if isinstance(hit, Problem):
            found.append(hit)
    return configure(db, found)


def _syntax_list(path: str, data: bytes) -> list[Problem]:
    problem = syntax_problem(path, data)
    return [problem] if problem is not None else []


def step_problems(db: CatalogIndex, info: StepInfo) -> list[Problem]:
    """The problems about one step: those naming it, and those in its files (its registry
    entry's file included) that name no other step."""
    files = {str(f) for f in info.all_files} | {str(v.path) for v in info.variants.values()}
    if info.registry_location is not None:
        files.add(str(info.registry_location.path))
    return [
        p
        for p in problems(db)
        if p.step_name == info.step_name
        or (p.path is not None and str(p.path) in files and p.step_name in (None, info.step_name))
    ]
