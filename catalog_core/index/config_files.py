"""The catalog's pipeline config files: which JSON files are configs (``metadata.config_types``),
their documents (cached by content), the step names they use, and the catalog-backed context
the config_types rules run against."""

from __future__ import annotations

import os
from collections import Counter
from typing import TYPE_CHECKING

from catalog_core.base.globs import glob_match
from catalog_core.base.guard import Faults
from catalog_core.base.paths import is_within
from catalog_core.base.text import squash
from catalog_core.facts.config_document import ConfigDocument, looks_like_config, read_config
from catalog_core.models import Problem

if TYPE_CHECKING:
    from catalog_core.api.catalog_base import CatalogBase as StepCatalog


def _wanted(path: str, roots: list[tuple[str, list[str]]]) -> bool:
    for root, patterns in roots:
        if is_within(path, root):
            rel = os.path.relpath(path, root).replace(os.sep, "/")
            return any(glob_match(rel, p) for p in patterns)
    return False


class ConfigFiles:
    """Config documents of one index generation; parsed documents survive changes elsewhere."""

    def __init__(self, catalog: StepCatalog) -> None:
        self.catalog = catalog
        index = catalog.index
        self._cache = index.config_cache
        roots = [(root, settings.config_files) for root, settings in index.roots]
        self.paths = [p for p in index.json_files if _wanted(p, roots)]
        for path in index.buffers:
            if path.endswith(".json") and path not in self.paths and _wanted(path, roots):
                self.paths.append(path)
        self._docs: dict[str, ConfigDocument] | None = None
        self.failures: dict[str, list[Problem]] = {}  # internal errors met reading a file

    def _load(self, path: str) -> ConfigDocument | None:
        index = self.catalog.index
        buffered = index.buffers.get(path)
        if buffered is not None:
            stamp: object = hash(buffered)
        else:
            try:
                st = os.stat(path)
            except OSError:
                return None
            stamp = (st.st_mtime_ns, st.st_size)
        key = (path, stamp)
        if key not in self._cache:
            faults = Faults()
            data, _ = index.read(path)
            doc = None
            if data is not None and looks_like_config(data):
                text = data.decode("utf-8", "replace")
                doc = faults.run(path, "reading the config file", lambda: read_config(text), None)
                if doc is not None and not doc.is_pipeline_config:
                    doc = None
            self._cache[key] = (doc, faults.problems())
        cached: tuple[ConfigDocument | None, list[Problem]] = self._cache[key]  # type: ignore[assignment]
        if cached[1]:
            self.failures[path] = cached[1]
        return cached[0]

    def documents(self) -> dict[str, ConfigDocument]:
        if self._docs is None:
            docs = {}
            for path in sorted(self.paths):
                doc = self._load(path)
                if doc is not None:
                    docs[path] = doc
            self._docs = docs
        return self._docs

    def document(self, path: str) -> ConfigDocument | None:
        return self.documents().get(path) or (
            self._load(path) if path in self.catalog.index.buffers else None
        )

    def job_types_used(self) -> dict[str, Counter[str]]:
        """Per config file, the job types its keys use: a suffix after a registered step name
        that the entry itself declares as its ``job_type`` (data types, modes and typos are not
        job types)."""
        used: dict[str, Counter[str]] = {}
        for path, doc in self.documents().items():
            jobs: Counter[str] = Counter()
            for member in doc.config_types.members if doc.config_types else ():
                split = self.catalog.split_node_name(member.key)
                declared = doc.specific_fields(member.key).get("job_type")
                if split is not None and split[1] and isinstance(declared, str):
                    job = split[1].split("_")[0]
                    if job.lower() == declared.lower():
                        jobs[job.lower()] += 1
            used[path] = jobs
        return used


class CatalogConfigContext:
    """The catalog as the config_types rules see it. ``path``'s own job types do not count as
    known, so a typo is not excused by the file that contains it."""

    def __init__(self, catalog: StepCatalog, path: str | None = None) -> None:
        self.catalog = catalog
        self.path = path
        self._known: set[str] | None = None

    def split_key(self, key: str) -> tuple[str, str | None] | None:
        view = self.catalog.index.view
        if view.is_registered(key):
            return key, None
        parts = key.split("_")
        for i in range(len(parts) - 1, 0, -1):
            base = "_".join(parts[:i])
            if view.is_registered(base):
                return base, "_".join(parts[i:])
        return None

    def config_class_of(self, step: str) -> str | None:
        reg = self.catalog.index.view.lookup(None, step)
        return (reg.field("config_class") or None) if reg else None

    def step_of_config_class(self, config_class: str) -> str | None:
        steps = self.catalog.index.view.steps_by_config_class(None, config_class)
        return steps[0] if steps else None

    def is_config_class(self, name: str) -> bool:
        if self.catalog.index.view.steps_by_config_class(None, name):
            return True
        return bool(self.catalog.index.table.provides.get(("cls", "shared", name)))

    def is_step(self, name: str) -> bool:
        return self.catalog.index.view.is_registered(name)

    def known_job_types(self) -> set[str]:
        if self._known is None:
            self._known = set(self.catalog.known_job_types(excluding=self.path))
        return self._known

    def suggest_steps(self, name: str) -> list[str]:
        base = name.split("_")[0]
        return [
            r.step_name
            for r in self.catalog.search_steps(base)[:3]
            if squash(r.step_name) != squash(name)
        ]
