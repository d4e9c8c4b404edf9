"""Registry entries as plain rows: what a layer declares, what one module declares, and which
steps name a class."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from catalog_core.base.paths import real
from catalog_core.index.catalog_index import CatalogIndex
from catalog_core.index.registry_view import Registered
from catalog_core.models import SHARED, RegistryRow, Span


def _row(reg: Registered, workspace: str) -> RegistryRow:
    key = reg.entry.key_span
    ends = [(span[2], span[3]) for span in reg.entry.value_spans.values()]
    end = max([(key[2], key[3]), *ends])
    return RegistryRow(
        name=reg.name,
        fields=dict(reg.entry.fields),
        workspace=workspace,
        section=reg.entry.section,
        source=reg.source,
        path=Path(reg.path),
        span=Span.of(key),
        extent=Span.of((key[0], key[1], end[0], end[1])),
    )


def rows(db: CatalogIndex, workspace_id: str | None) -> list[RegistryRow]:
    layer = workspace_id or SHARED
    return [_row(reg, layer) for reg in db.view.registered_in(workspace_id).values()]


def fields(db: CatalogIndex, workspace_id: str | None) -> dict[str, dict[str, Any]]:
    """name -> fields of the entries one layer declares (the registry's own dicts: read only)."""
    return {name: reg.entry.fields for name, reg in db.view.registered_in(workspace_id).items()}


def rows_in(db: CatalogIndex, path: str | os.PathLike[str]) -> list[RegistryRow]:
    rp = real(os.fspath(path))
    facts = db.registry_facts.get(rp)
    if facts is None:
        return []
    workspace = db.wmap.of(rp)
    found = []
    for entries in facts.sections.values():
        for entry in entries:
            reg = db.view.lookup(workspace, entry.name)
            source = reg.source if reg is not None and reg.path == rp else "local"
            if workspace == SHARED:
                source = "core"
            found.append(_row(Registered(entry, rp, source), workspace))
    return found


def steps_with_class(
    db: CatalogIndex, class_name: str, field: str, workspace_id: str | None
) -> list[str]:
    if field == "builder_step_name":
        return db.view.steps_by_builder(workspace_id, class_name)
    return db.view.steps_by_config_class(workspace_id, class_name)
