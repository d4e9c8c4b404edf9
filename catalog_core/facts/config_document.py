"""A pipeline config file as read for validation: the members of ``metadata.config_types``,
``configuration.specific`` and ``configuration.shared``, each with exact positions."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from catalog_core.base.text import LineIndex, RawSpan
from catalog_core.facts.jsonpos import Member, ObjectNode, read_json

CONFIG_TYPES = ("metadata", "config_types")
SPECIFIC = ("configuration", "specific")
SHARED = ("configuration", "shared")
_DESCEND = {("metadata",), CONFIG_TYPES, ("configuration",), SPECIFIC, SHARED}


@dataclass(slots=True)
class ConfigDocument:
    text: str
    lines: LineIndex
    error: tuple[int, str] | None = None
    config_types: ObjectNode | None = None  # None: no metadata.config_types object
    config_types_member: Member | None = None  # the "config_types" member itself
    specific: ObjectNode | None = None
    shared: ObjectNode | None = None
    shared_values: dict[str, Any] = field(default_factory=dict)

    @property
    def is_pipeline_config(self) -> bool:
        """Has a ``metadata.config_types`` member (an object, or something malformed)."""
        return self.config_types_member is not None

    def span(self, start: int, end: int) -> RawSpan:
        return self.lines.span(start, end)

    def key_span(self, member: Member) -> RawSpan:
        """The quoted key, quotes included."""
        return self.lines.span(member.key_start, member.key_end)

    def value_span(self, member: Member) -> RawSpan:
        """The value; empty at its start when it was not read (the file stops before its end)."""
        return self.lines.span(member.value_start, max(member.value_end, member.value_start))

    def specific_fields(self, key: str) -> dict[str, Any]:
        """shared values overlaid with the specific entry's (what load_configs would use)."""
        fields = dict(self.shared_values)
        entry = self.specific.get(key) if self.specific else None
        if entry is not None:
            value = entry.children.to_python() if entry.children else entry.value
            if isinstance(value, dict):
                fields.update(value)
        return fields


def _child(node: ObjectNode | None, key: str) -> Member | None:
    return node.get(key) if node is not None else None


def read_config(text: str) -> ConfigDocument:
    """Read a config file's text. Never raises; a syntax error is kept with its offset."""
    result = read_json(text, _DESCEND)
    doc = ConfigDocument(text, LineIndex(text), result.error)
    metadata = _child(result.root, "metadata")
    doc.config_types_member = _child(metadata.children if metadata else None, "config_types")
    if doc.config_types_member is not None:
        doc.config_types = doc.config_types_member.children
    configuration = _child(result.root, "configuration")
    config_node = configuration.children if configuration else None
    specific = _child(config_node, "specific")
    doc.specific = specific.children if specific else None
    shared = _child(config_node, "shared")
    doc.shared = shared.children if shared else None
    if doc.shared is not None:
        doc.shared_values = doc.shared.to_python()
    return doc


def looks_like_config(data: bytes) -> bool:
    """Cheap pre-check before reading a JSON file as a pipeline config."""
    return b'"config_types"' in data
