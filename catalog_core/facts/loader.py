"""Reading one component file into its facts (or the reason it could not be read)."""

from __future__ import annotations

from catalog_core.base.files import read_file
from catalog_core.facts.pyfacts import PyFacts, extract_facts
from catalog_core.models import ComponentType, Problem

_CONTRACT = ComponentType.CONTRACT
_SPEC = ComponentType.SPEC


def load_facts(
    path: str, kind: ComponentType, size: int | None, max_size: int, buffer: bytes | None = None
) -> tuple[PyFacts | None, Problem | None, int]:
    """Facts of a component file, its read problem and its mtime (ns); ``buffer`` (an editor's
    unsaved text) wins over the disk."""
    data: bytes | None
    if buffer is not None:
        data, problem, mtime = buffer, None, 0
    else:
        data, problem, mtime = read_file(path, max_size, size)
    if data is None:
        return None, problem, mtime
    facts = extract_facts(data, want_contract=kind is _CONTRACT, want_spec=kind is _SPEC)
    return facts, problem, mtime
