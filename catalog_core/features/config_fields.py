"""Config fields in pipeline config JSON (``configuration.shared`` and
``configuration.specific.<node>``): what a key is (hover), where it is declared (definition),
which keys fit (completion), and the keys the node's class does not know (problems).

A key of ``specific.<node>`` is checked against the node's class; a ``shared`` key against the
classes of every node of the file. Nothing is said when a class or one of its bases cannot be
resolved, or when a class allows extra keys: every key the framework writes (fields, computed
fields, properties, validator-filled keys, the serializer's meta keys) is valid.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from catalog_core.base.text import LineIndex, RawSpan
from catalog_core.facts.config_sections import FieldSections, key_slot_at, read_sections
from catalog_core.features.field_classes import checkable, node_classes, resolve_class
from catalog_core.fields import FieldSource, ResolvedClass, did_you_mean, valid_keys
from catalog_core.index.catalog_index import CatalogIndex
from catalog_core.index.other_files import full_interface
from catalog_core.models import Problem, Severity, Span
from catalog_core.sources.discovery import INTERFACE_SUFFIX

UNKNOWN = "config-unknown-field"
SHARED_UNUSED = "config-shared-field-unused"


@dataclass(frozen=True, slots=True)
class FieldCard:
    """What a hover on a field key shows, and where its declaration is."""

    key: str
    node: str | None  # None: a shared key
    source: FieldSource
    owners: tuple[str, ...]  # the classes that declare it (for a shared key, every one)

    @property
    def location(self) -> tuple[Path, Span] | None:
        src = self.source
        if src.module_path is None or src.position is None:
            return None
        line, col = src.position
        return Path(src.module_path), Span.of(
            (line, col, line, col + len(src.field_name or src.key))
        )


@dataclass(frozen=True, slots=True)
class FieldKeyAt:
    """A config field named in a document: a key of a config JSON's field section (``node``
    None: ``shared``), or a ``*.step.yaml`` value naming an attribute of ``config_class``."""

    key: str
    node: str | None
    span: RawSpan  # the quoted key, or the YAML value
    config_class: str | None = None


def sections_of(db: CatalogIndex, path: str, text: str) -> FieldSections:
    return db.memo.get(("field-sections", path, hash(text)), lambda: read_sections(text))


def field_key_at(
    db: CatalogIndex, path: str, text: str, line: int, character: int
) -> FieldKeyAt | None:
    """The config field under the cursor, in a config JSON or a step interface."""
    if path.endswith(INTERFACE_SUFFIX):
        return _interface_attribute_at(db, path, line, character)
    if not path.endswith(".json"):
        return None
    sections = sections_of(db, path, text)
    hit = sections.member_at(sections.lines.offset(line, character))
    if hit is None:
        return None
    node, member = hit
    return FieldKeyAt(member.key, node, sections.key_span(member))


def _interface_attribute_at(
    db: CatalogIndex, path: str, line: int, character: int
) -> FieldKeyAt | None:
    """``compute.*_field`` and ``job_arguments[].source`` values (the interface's facts)."""
    facts = full_interface(db, path)  # config attributes are no fact indexing needs
    if facts is None:
        return None
    for value, span in facts.config_attributes:
        if span[0] == line == span[2] and span[1] <= character <= span[3]:
            # The declared class, else the one the registry row derives (``<Step>Config``).
            reg = db.view.lookup(None, facts.step_type) if facts.step_type else None
            name = facts.config_class or (reg.field("config_class") if reg else None)
            return FieldKeyAt(value, None, span, name) if name else None
    return None


def _classes(
    db: CatalogIndex, sections: FieldSections, node: str | None, context: str | None
) -> list[ResolvedClass | None]:
    nodes = [node] if node is not None else list(sections.config_types)
    return list(node_classes(db, sections.config_types, nodes, context).values())


def field_card(
    db: CatalogIndex, path: str, text: str, at: FieldKeyAt, context: str | None
) -> FieldCard | None:
    if at.config_class is not None:
        classes = [resolve_class(db, at.config_class, context)]
    else:
        classes = _classes(db, sections_of(db, path, text), at.node, context)
    found: list[tuple[str, FieldSource]] = []
    for resolved in classes:
        source = valid_keys(resolved).get(at.key) if resolved is not None else None
        if source is not None and resolved is not None:
            found.append((resolved.name, source))
    if not found:
        return None
    owners = tuple(dict.fromkeys(source.owner or name for name, source in found))
    return FieldCard(at.key, at.node, found[0][1], owners)


@dataclass(frozen=True, slots=True)
class FieldCandidate:
    label: str
    detail: str
    present: bool  # already written in this object
    source: FieldSource


@dataclass(frozen=True, slots=True)
class FieldCompletion:
    replace: RawSpan
    prefix: str
    node: str | None
    items: list[FieldCandidate]


def complete_fields(
    db: CatalogIndex, path: str, text: str, line: int, character: int, context: str | None
) -> FieldCompletion | None:
    """Field names for the key being typed in ``shared`` or ``specific.<node>``: the node's
    class and its bases (for ``shared``: every node's), fields first; present ones marked."""
    lines = LineIndex(text)
    slot = key_slot_at(text, lines.offset(line, character))
    if slot is None:
        return None
    sections = sections_of(db, path, text)
    config_types = sections.config_types
    if not config_types:
        config_types = _config_types_before(db, text)
    nodes = [slot.node] if slot.node is not None else list(config_types)
    candidates: dict[str, FieldCandidate] = {}
    for resolved in node_classes(db, config_types, nodes, context).values():
        if resolved is None:
            continue
        for key, source in valid_keys(resolved).items():
            if source.kind in ("meta", "alias") or key in candidates:
                continue
            detail = f"{source.annotation or source.kind} · {source.owner or resolved.name}"
            candidates[key] = FieldCandidate(key, detail, key in slot.present, source)
    typed = slot.prefix.lower()
    items = sorted(
        candidates.values(),
        key=lambda c: (c.present, not c.label.startswith(typed), c.source.kind != "field", c.label),
    )
    end = _key_end(text, lines.offset(line, character))
    start_line, start_col = lines.position(slot.start)
    end_line, end_col = lines.position(end)
    return FieldCompletion(
        (start_line, start_col, end_line, end_col), slot.prefix, slot.node, items
    )


def _config_types_before(db: CatalogIndex, text: str) -> dict[str, object]:
    """A file being typed may not parse: read the ``config_types`` object on its own."""
    at = text.find('"config_types"')
    start = text.find("{", at) if at >= 0 else -1
    try:
        value, _ = json.JSONDecoder().raw_decode(text, start) if start >= 0 else ({}, 0)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _key_end(text: str, offset: int) -> int:
    end = offset
    while end < len(text) and (text[end].isalnum() or text[end] == "_"):
        end += 1
    return end


def field_problems(db: CatalogIndex, path: str, text: str, context: str | None) -> list[Problem]:
    """Unknown keys of ``specific.<node>`` (warnings, with did-you-mean) and ``shared`` keys
    no class of the file's nodes declares (information)."""
    sections = sections_of(db, path, text)
    if not sections.config_types:
        return []
    classes = node_classes(db, sections.config_types, sections.config_types, context)
    found: list[Problem] = []
    for node, members in sections.specific.items():
        resolved = classes.get(node)
        if resolved is None or not checkable(db, resolved):
            continue
        keys = valid_keys(resolved)
        for member in members:
            if member.key not in keys:
                found.append(_unknown(sections, path, member.key, member, node, resolved))
    known = list(classes.values())
    if not sections.shared or not all(checkable(db, c) for c in known):
        return found
    all_keys = [valid_keys(c) for c in known if c is not None]
    for member in sections.shared:
        if not any(member.key in keys for keys in all_keys):
            found.append(
                Problem.at(
                    Path(path),
                    SHARED_UNUSED,
                    Severity.INFORMATION,
                    f"no config class of this file's nodes declares '{member.key}': "
                    "the shared value is never used",
                    Span.of(sections.key_span(member)),
                )
            )
    return found


def _unknown(
    sections: FieldSections,
    path: str,
    key: str,
    member: object,
    node: str,
    resolved: ResolvedClass,
) -> Problem:
    suggestion = did_you_mean(resolved, key)
    hint = f"; did you mean '{suggestion}'?" if suggestion else ""
    data = {"fix": suggestion} if suggestion else {}
    span = sections.key_span(member)  # type: ignore[arg-type]
    return Problem.at(
        Path(path),
        UNKNOWN,
        Severity.WARNING,
        f"'{key}' is not a field of {resolved.name} (node '{node}') or its bases: "
        f"the framework drops it when loading the config{hint}",
        Span.of(span),
        data=data,
    )
