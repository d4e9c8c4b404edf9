"""Problems: the index's own, the pipeline config files' (config_types rules), and on-demand
syntax checks of Python files."""

from __future__ import annotations

import os
from collections.abc import Iterable
from functools import partial
from pathlib import Path

from catalog_core.api.catalog_base import MISSING, CatalogBase, PathLike
from catalog_core.base.guard import guarded_list
from catalog_core.base.paths import real
from catalog_core.facts.config_document import ConfigDocument
from catalog_core.facts.syntax import syntax_problem
from catalog_core.features.dag_checks import dag_problems
from catalog_core.index.config_files import CatalogConfigContext, ConfigFiles
from catalog_core.models import Problem
from catalog_core.problems.config_rules import validate
from catalog_core.problems.diagnostics import all_problems, configure, problems_for


class ProblemsMixin(CatalogBase):
    # -- problems ------------------------------------------------------------------------------

    def problems(self, path: PathLike | None = None) -> list[Problem]:
        """Every problem (or those located in one file), config files included, severities as
        configured. Computed on demand and cached until the next change."""
        if path is not None:
            rp = real(os.fspath(path))
            key: tuple[object, ...] = ("problems", rp)
            hit = self._cached(key)
            if hit is MISSING:
                found = problems_for(self._index, rp)
                if rp.endswith(".json"):
                    found = [*found, *self.config_problems(rp)]
                elif rp in self._index.python_usages:
                    found = [
                        *found,
                        *guarded_list(rp, "checking DAG names", lambda: dag_problems(self, rp)),
                    ]
                hit = self._index.cache()[key] = configure(self._index, found)
            return list(hit)  # type: ignore[call-overload]
        hit = self._cached(("problems",))
        if hit is MISSING:
            found = [
                *all_problems(self._index),
                *self.config_problems(),
                *guarded_list(None, "checking DAG names", lambda: dag_problems(self)),
            ]
            hit = self._index.cache()[("problems",)] = configure(self._index, found)
        return list(hit)  # type: ignore[call-overload]

    def config_files_index(self) -> ConfigFiles:
        hit = self._cached(("config_files",))
        if hit is MISSING:
            hit = self._index.cache()[("config_files",)] = ConfigFiles(self)
        return hit  # type: ignore[return-value]

    def config_files(self) -> list[Path]:
        """The pipeline config JSON files under the roots (those with metadata.config_types)."""
        return [Path(p) for p in self.config_files_index().documents()]

    def config_document(self, path: PathLike) -> ConfigDocument | None:
        """A config file (or its open editor buffer) read with positions; None if not a config."""
        return self.config_files_index().document(real(os.fspath(path)))

    def config_context(self, path: PathLike | None = None) -> CatalogConfigContext:
        return CatalogConfigContext(self, real(os.fspath(path)) if path is not None else None)

    def config_problems(self, path: PathLike | None = None) -> list[Problem]:
        """config_types problems of one config file, or of all of them."""
        index = self.config_files_index()
        if path is not None:
            rp = real(os.fspath(path))
            doc = index.document(rp)
            found = [] if doc is None else self._validated(rp, doc)
            return [*index.failures.get(rp, []), *found]
        found = []
        for rp, doc in index.documents().items():
            found.extend(self._validated(rp, doc))
        for failures in index.failures.values():
            found.extend(failures)
        return found

    def _validated(self, rp: str, doc: ConfigDocument) -> list[Problem]:
        return guarded_list(
            rp, "checking the config file", lambda: validate(doc, Path(rp), self.config_context(rp))
        )

    def python_files(self) -> list[Path]:
        """Every Python file the index read or located: components, registries, DAG modules."""
        idx = self._index
        paths = set(idx.table.records) | set(idx.registry_facts) | set(idx.python_usages)
        return [Path(p) for p in sorted(paths)]

    def check_syntax(self, paths: Iterable[PathLike] | None = None) -> list[Problem]:
        """Fully parse Python files (default: ``python_files()``) and report where each stops
        parsing. On demand only: indexing itself never parses whole files. Results are cached
        per file until it changes."""
        found: list[Problem] = []
        for path in self.python_files() if paths is None else paths:
            rp = real(os.fspath(path))
            data, _ = self._index.read(rp)
            if data is None:
                continue  # unreadable files are reported by problems()
            key = ("syntax", rp, hash(data))
            hit = self._index.syntax_cache.get(key, MISSING)
            if hit is MISSING:
                found_here = guarded_list(rp, "checking syntax", partial(_syntax_list, rp, data))
                hit = self._index.syntax_cache[key] = found_here[0] if found_here else None
            if hit is not None:
                found.append(hit)  # type: ignore[arg-type]
        return configure(self._index, found)


def _syntax_list(path: str, data: bytes) -> list[Problem]:
    problem = syntax_problem(path, data)
    return [problem] if problem is not None else []
