"""Registry modules' facts in the persisted index. A registry is still read by every start (its
bytes are the facts' ``data``, and its CRC-32 proves the facts are its own); only parsing its
entries is skipped. Kept only for what round-trips exactly: entries read by the fast reader
(offsets into the file, string fields), JSON metadata, no problems; anything else is parsed.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from typing import Any

from catalog_core.base.text import LineIndex
from catalog_core.facts.registry_reader import RegistryEntry, RegistryFacts
from catalog_core.index.columns import NOT_OURS, read_span


def _plain(value: Any) -> bool:
    """JSON keeps it exactly (no tuples, no non-string keys, no floats' surprises)."""
    if value is None or type(value) in (str, int, bool):
        return True
    if type(value) is list:
        return all(_plain(v) for v in value)
    if type(value) is dict:
        return all(type(k) is str and _plain(v) for k, v in value.items())
    return False


def encode_registry(facts: RegistryFacts) -> dict[str, Any] | None:
    if facts.problems or not _plain(facts.metadata):
        return None
    sections: dict[str, list[Any]] = {}
    for name, entries in facts.sections.items():
        rows = sections[name] = []
        for entry in entries:
            fields = entry.fields
            if entry._lines is None or entry._values is not None or entry.section != name:
                return None  # spans made by the ast reader: parse again
            if not all(type(v) is str for v in fields.values()):
                return None
            rows.append([entry.name, fields, *entry._key, *entry._body])
    return {
        "crc": zlib.crc32(facts.data),
        "size": len(facts.data),
        "sections": sections,
        "spans": {k: list(v) for k, v in facts.section_spans.items()},
        "metadata": facts.metadata,
    }


def decode_registry(stored: Any, data: bytes) -> RegistryFacts | None:
    """The facts stored for exactly these bytes, or None (another content, or not ours)."""
    try:
        if stored["size"] != len(data) or stored["crc"] != zlib.crc32(data):
            return None
        lines, size = LineIndex(data), len(data)
        sections: dict[str, list[RegistryEntry]] = {}
        strings: dict[str, str] = {}  # equal strings as one, as the reader shares them
        share = strings.setdefault
        for name, rows in stored["sections"].items():
            sections[name] = [
                RegistryEntry(
                    share(_str(n), n),
                    _fields(f, share),
                    _pair(ks, ke, size),
                    None,
                    name,
                    lines,
                    _pair(bs, be, size),
                )
                for n, f, ks, ke, bs, be in rows
            ]
        spans = {_str(k): read_span(v) for k, v in stored["spans"].items()}
        metadata = stored["metadata"]
        if type(metadata) is not dict or not spans or not set(sections) <= set(spans):
            return None
        return RegistryFacts(data, sections, spans, metadata, [])
    except NOT_OURS:
        return None


def _str(value: Any) -> str:
    if type(value) is not str:
        raise TypeError("not a string")
    return value


def _fields(value: Any, share: Callable[[str, str], str]) -> dict[str, str]:
    if type(value) is not dict or not all(type(v) is str for v in value.values()):
        raise TypeError("not fields")
    return {k: share(v, v) for k, v in value.items()}


def _pair(start: Any, end: Any, size: int) -> tuple[int, int]:
    """Offsets into a registry of ``size`` bytes."""
    if type(start) is not int or type(end) is not int or not 0 <= start <= end <= size:
        raise TypeError("not offsets")
    return start, end
