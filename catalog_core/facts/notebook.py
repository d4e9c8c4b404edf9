"""TEMPORARY shim of the helper's reader (replaced at merge)."""

from __future__ import annotations

import json
from dataclasses import dataclass

from catalog_core.facts.usages import Usage


@dataclass(slots=True)
class NotebookCell:
    index: int
    source: str

    def usage_in_file(self, usage: Usage) -> Usage:
        return usage


def notebook_code(data: bytes) -> list[NotebookCell]:
    try:
        doc = json.loads(data)
        cells = doc.get("cells", [])
        out = []
        for i, c in enumerate(cells):
            if c.get("cell_type") == "code":
                src = c.get("source", "")
                out.append(NotebookCell(i, "".join(src) if isinstance(src, list) else str(src)))
        return out
    except Exception:
        return []
