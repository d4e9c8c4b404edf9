"""The catalog's pipeline config files: which JSON files are configs (``metadata.config_types``),
their documents (cached by content) and the job types they use."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING

from catalog_core.base.globs import glob_match
from catalog_core.base.guard import Faults
from catalog_core.base.names import Split, job_head
from catalog_core.base.paths import is_within
from catalog_core.facts.config_document import ConfigDocument, looks_like_config, read_config
from catalog_core.models import Problem

if TYPE_CHECKING:
    from catalog_core.index.catalog_index import CatalogIndex


def _wanted(path: str, roots: list[tuple[str, list[str]]]) -> bool:
    for root, patterns in roots:
        if is_within(path, root):
            rel = os.path.relpath(path, root).replace(os.sep, "/")
            return any(glob_match(rel, p) for p in patterns)
    return False


class ConfigFiles:
    """Config documents of one index generation; parsed documents survive changes elsewhere."""

    def __init__(self, index: CatalogIndex) -> None:
        self.index = index
        self._cache = index.config_cache
        roots = [(root, settings.config_files) for root, settings in index.roots]
        self.paths = [p for p in index.json_files if _wanted(p, roots)]
        for path in index.buffers:
            if path.endswith(".json") and path not in self.paths and _wanted(path, roots):
                self.paths.append(path)
        self._docs: dict[str, ConfigDocument] | None = None
        self.failures: dict[str, list[Problem]] = {}  # internal errors met reading a file

    def _load(self, path: str) -> ConfigDocument | None:
        index = self.index
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
            self._load(path) if path in self.index.buffers else None
        )

    def job_types_used(self, split: Callable[[str], Split | None]) -> dict[str, Counter[str]]:
        """Per config file, the job types its keys use: a suffix after a registered step name
        that the entry itself declares as its ``job_type`` (data types, modes and typos are not
        job types). ``split``: the catalog's node-name split."""
        used: dict[str, Counter[str]] = {}
        for path, doc in self.documents().items():
            jobs: Counter[str] = Counter()
            for member in doc.config_types.members if doc.config_types else ():
                parts = split(member.key)
                declared = doc.specific_fields(member.key).get("job_type")
                if parts is not None and parts[1] and isinstance(declared, str):
                    job = job_head(parts[1])
                    if job.lower() == declared.lower():
                        jobs[job.lower()] += 1
            used[path] = jobs
        return used
