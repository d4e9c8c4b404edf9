"""Reading one component file into its facts (or the reason it could not be read)."""

from __future__ import annotations

from catalog_core.base.files import read_source
from catalog_core.facts.pyfacts import PyFacts, extract_facts
from catalog_core.models import ComponentType, Problem

_CONTRACT = ComponentType.CONTRACT
_SPEC = ComponentType.SPEC


def load_facts(
    path: str,
    kind: ComponentType,
    size: int | None,
    max_size: int,
    buffer: bytes | None = None,
    stamp: bool = True,
) -> tuple[PyFacts | None, Problem | None, int]:
    """Facts of a component file, its read problem and its mtime (ns; 0 when not ``stamp``ed,
    see ``read_source``); ``buffer`` (an editor's unsaved text) wins over the disk."""
    data: bytes | None
    if buffer is not None:
        data, problem, mtime, ascii = buffer, None, 0, None
    else:
        data, problem, mtime, ascii = read_source(path, max_size, size, stamp)
    if data is None:
        return None, problem, mtime
    facts = extract_facts(
        data, want_contract=kind is _CONTRACT, want_spec=kind is _SPEC, ascii=ascii
    )
    return facts, problem, mtime
