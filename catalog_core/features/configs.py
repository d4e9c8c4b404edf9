"""Pipeline config files as the catalog sees them: the documents, the context the
``config_types`` rules run against, their problems, and the lossless key fixer."""

from __future__ import annotations

import os
from functools import partial
from pathlib import Path

from catalog_core.base.guard import guarded_list
from catalog_core.base.names import split_node_name
from catalog_core.base.paths import real
from catalog_core.base.text import squash
from catalog_core.facts.config_document import ConfigDocument
from catalog_core.features.config_fields import field_problems
from catalog_core.index.catalog_index import CatalogIndex
from catalog_core.index.config_files import ConfigFiles
from catalog_core.models import SHARED, Problem
from catalog_core.problems.config_fixer import FixPlan, fix_text
from catalog_core.problems.config_rules import validate

PathLike = str | os.PathLike[str]


def config_files(db: CatalogIndex) -> ConfigFiles:
    return db.memo.get(("config_files",), lambda: ConfigFiles(db))


def config_document(db: CatalogIndex, path: PathLike) -> ConfigDocument | None:
    """A config file (or its open editor buffer) read with positions; None if not a config."""
    return config_files(db).document(real(os.fspath(path)))


class CatalogConfigContext:
    """The catalog as the config_types rules see it. ``path``'s own job types do not count as
    known, so a typo is not excused by the file that contains it."""

    def __init__(self, db: CatalogIndex, path: str | None = None) -> None:
        self.db = db
        self.path = path
        self._known: set[str] | None = None

    def split_key(self, key: str) -> tuple[str, str | None] | None:
        view = self.db.view
        return split_node_name(key, view.is_registered, keep_case=True)

    def config_class_of(self, step: str) -> str | None:
        reg = self.db.view.lookup(None, step)
        return (reg.field("config_class") or None) if reg else None

    def step_of_config_class(self, config_class: str) -> str | None:
        steps = self.db.view.steps_by_config_class(None, config_class)
        return steps[0] if steps else None

    def is_config_class(self, name: str) -> bool:
        if self.db.view.steps_by_config_class(None, name):
            return True
        return bool(self.db.table.provides.get(("cls", "shared", name)))

    def is_step(self, name: str) -> bool:
        return self.db.view.is_registered(name)

    def known_job_types(self) -> set[str]:
        from catalog_core.features.steps import known_job_types

        if self._known is None:
            self._known = set(known_job_types(self.db, excluding=self.path))
        return self._known

    def suggest_steps(self, name: str) -> list[str]:
        from catalog_core.features.search import search_steps

        base = name.split("_")[0]
        return [
            r.step_name
            for r in search_steps(self.db, base)[:3]
            if squash(r.step_name) != squash(name)
        ]


def config_context(db: CatalogIndex, path: PathLike | None = None) -> CatalogConfigContext:
    return CatalogConfigContext(db, real(os.fspath(path)) if path is not None else None)


def config_problems(db: CatalogIndex, path: PathLike | None = None) -> list[Problem]:
    """config_types problems of one config file, or of all of them."""
    files = config_files(db)
    if path is not None:
        rp = real(os.fspath(path))
        doc = files.document(rp)
        found = [] if doc is None else _validated(db, rp, doc)
        return [*files.failures.get(rp, []), *found]
    found = []
    for rp, doc in files.documents().items():
        found.extend(_validated(db, rp, doc))
    for failures in files.failures.values():
        found.extend(failures)
    return found


def _validated(db: CatalogIndex, rp: str, doc: ConfigDocument) -> list[Problem]:
    return guarded_list(rp, "checking the config file", partial(_validate, db, rp, doc))


def _validate(db: CatalogIndex, rp: str, doc: ConfigDocument) -> list[Problem]:
    found = validate(doc, Path(rp), config_context(db, rp))
    ws = db.wmap.of(rp)
    context = None if ws == SHARED else ws
    return found + guarded_list(
        rp, "checking config fields", partial(field_problems, db, rp, doc.text, context)
    )


def fix_config_text(db: CatalogIndex, text: str, path: PathLike) -> tuple[str, FixPlan]:
    """A config file's text with its class-name keys rewritten to step names, and the plan
    (edits and the keys left alone, with why)."""
    return fix_text(text, config_context(db, path))
