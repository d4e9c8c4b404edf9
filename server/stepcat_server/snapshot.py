"""An open document as it was when a request arrived.

Requests are answered on the analysis thread, in arrival order with the edits; by the time one
runs, pygls may already have applied a later ``didChange`` to the document. Handlers therefore
take a ``Snapshot`` on the event loop (text, lines, the cursor in code points) and the analysis
answers for that text, which is also what the catalog holds at that point of the queue.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from catalog_core.api import StepCatalog
from catalog_core.models import SHARED

LineOf = Callable[[str, int], str]


@dataclass(frozen=True, slots=True)
class Snapshot:
    uri: str
    path: str
    source: str
    lines: tuple[str, ...]
    line: int = 0
    column: int = 0  # code points
    encoding: str = "utf-16"  # the client's position encoding

    def line_of(self, fallback: LineOf) -> LineOf:
        """A ``line_of`` that reads this document's lines from the snapshot, others from
        ``fallback``: ranges in the answer then match the text the request was about."""

        def line_of(path: str, line: int) -> str:
            if path != self.path:
                return fallback(path, line)
            return self.lines[line].rstrip("\r") if line < len(self.lines) else ""

        return line_of


def workspace_context(catalog: StepCatalog, path: str) -> str | None:
    """The workspace whose view of the registry answers for a file: its developer workspace,
    else None (the shared tree, or outside every workspace)."""
    ws = catalog.workspace_of(path)
    return None if ws == SHARED else ws
