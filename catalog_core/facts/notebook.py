"""The code cells of a Jupyter notebook (``.ipynb``), as text the Python readers can scan
(``usages.scan_python_usages`` per cell: pipeline DAGs are often built in notebooks).

Cells are returned with their index in ``cells`` (markdown cells counted, as editors and the
expected answers count them) and, when it is cheap and unambiguous, the 0-based line in the
``.ipynb`` file where the cell's ``"source"`` value starts. Never raises.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

_SOURCE_KEY = re.compile(r'"source"\s*:')


@dataclass(slots=True, frozen=True)
class NotebookCell:
    """One code cell: its index in ``cells``, its source text, and the line of the .ipynb
    file where its ``"source"`` value starts (None when not found unambiguously)."""

    index: int
    source: str
    source_line: int | None = None


def notebook_code(data: bytes) -> list[NotebookCell]:
    """The code cells of a notebook, in order; [] for anything that is not a notebook."""
    try:
        doc: Any = json.loads(data.decode("utf-8", "replace"))
    except (ValueError, RecursionError):
        return []
    cells = doc.get("cells") if isinstance(doc, dict) else None
    if not isinstance(cells, list):
        return []
    lines = _source_lines(data, len(cells))
    found: list[NotebookCell] = []
    for index, cell in enumerate(cells):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        if isinstance(source, list):
            text = "".join(part for part in source if isinstance(part, str))
        elif isinstance(source, str):
            text = source
        else:
            continue
        found.append(NotebookCell(index, text, lines[index] if lines else None))
    return found


def _source_lines(data: bytes, count: int) -> list[int] | None:
    """The line of each cell's ``"source"`` key, when the file holds exactly one per cell
    (nbformat writes one; a cell whose metadata says "source" too makes this give up)."""
    text = data.decode("utf-8", "replace")
    offsets = [m.start() for m in _SOURCE_KEY.finditer(text)]
    if len(offsets) != count:
        return None
    lines: list[int] = []
    line, last = 0, 0
    for offset in offsets:
        line += text.count("\n", last, offset)
        last = offset
        lines.append(line)
    return lines
