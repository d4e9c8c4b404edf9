"""``*.step.yaml`` values that name attributes of the step's config class (``compute.*_field``,
``contract.job_arguments[].source``): completion of the attribute names while typing, and
``interface-unknown-config-attribute`` on a name the class chain does not have.

The class is the interface's ``registry.config_class``, else the one its registry row derives
(``<StepType>Config``), resolved like a config JSON node's class (``field_classes``). The
framework reads these attributes with ``getattr`` on the config instance, so any attribute the
chain declares, inherits or derives is valid: fields, computed fields, properties,
validator-filled keys, and any other name bound in a class body (methods, class variables,
private attributes) or assigned to ``self`` in a method. Nothing is said when the class or a
base cannot be resolved, the chain is no pydantic model or allows extra keys.
"""

from __future__ import annotations

import re
from pathlib import Path

from catalog_core.base.text import RawSpan
from catalog_core.facts.interface_cursor import key_at
from catalog_core.facts.interface_quick import step_type_and_config_class
from catalog_core.features.config_fields import FieldCandidate, FieldCompletion, complete_fields
from catalog_core.features.field_classes import checkable, field_resolver, resolve_class
from catalog_core.fields import ResolvedClass, did_you_mean, valid_keys
from catalog_core.index.catalog_index import CatalogIndex
from catalog_core.index.other_files import full_interface
from catalog_core.models import Problem, Severity, Span
from catalog_core.sources.discovery import INTERFACE_SUFFIX

UNKNOWN_ATTRIBUTE = "interface-unknown-config-attribute"
_WORD = re.compile(r"[A-Za-z0-9_]*")


def names_attribute(path: tuple[str, ...]) -> bool:
    """Whether a value at this schema path names a config attribute."""
    if len(path) == 2 and path[0] == "compute" and path[1].endswith("_field"):
        return True
    return path == ("contract", "job_arguments", "source")


def interface_class_name(db: CatalogIndex, path: str, text: str | None = None) -> str | None:
    """The interface's config class: declared, else derived by its registry row. From the
    facts when the file reads, else from the lines (a half-typed file)."""
    facts = full_interface(db, path)
    step_type = facts.step_type if facts is not None else None
    declared = facts.config_class if facts is not None else None
    if facts is None and text is not None:
        step_type, declared = step_type_and_config_class(text)
    if declared:
        return declared
    reg = db.view.lookup(None, step_type) if step_type else None
    return (reg.field("config_class") or None) if reg else None


def attribute_names(db: CatalogIndex, resolved: ResolvedClass) -> set[str]:
    """Every attribute an instance of the class may have (see the module's docstring)."""
    names = set(valid_keys(resolved))
    resolver = field_resolver(db)
    for link in resolved.chain:
        facts = resolver.class_facts(link.module_path, link.name)
        if facts is not None:
            names.update(facts.attributes)
    return names


def complete_attributes(
    db: CatalogIndex, path: str, text: str, line: int, character: int, context: str | None
) -> FieldCompletion | None:
    """The config class's attribute names for the value being typed (fields first)."""
    schema_path, kind, typed = key_at(text, line, character)
    if kind != "value" or not names_attribute(schema_path):
        return None
    name = interface_class_name(db, path, text)
    resolved = resolve_class(db, name, context) if name else None
    if resolved is None:
        return None
    items = [
        FieldCandidate(
            key, f"{source.annotation or source.kind} · {source.owner or name}", False, source
        )
        for key, source in valid_keys(resolved).items()
        if source.kind not in ("meta", "alias")
    ]
    low = typed.lower()
    items.sort(
        key=lambda c: (not c.label.lower().startswith(low), c.source.kind != "field", c.label)
    )
    lines = text.split("\n")
    current = lines[line] if 0 <= line < len(lines) else ""
    word = _WORD.match(current, min(character, len(current)))
    end = max(word.end() if word else character, character)
    replace: RawSpan = (line, character - len(typed), line, end)
    return FieldCompletion(replace, typed, None, items)


def complete_field_names(
    db: CatalogIndex, path: str, text: str, line: int, character: int, context: str | None
) -> FieldCompletion | None:
    """Config field names at the cursor: keys in a pipeline config JSON, attribute names in
    a step interface."""
    if path.endswith(INTERFACE_SUFFIX):
        return complete_attributes(db, path, text, line, character, context)
    return complete_fields(db, path, text, line, character, context)


def attribute_problems(db: CatalogIndex, path: str, context: str | None) -> list[Problem]:
    """``interface-unknown-config-attribute`` for each value naming no attribute of the class."""
    facts = full_interface(db, path)
    if facts is None or not facts.config_attributes:
        return []
    name = interface_class_name(db, path)
    resolved = resolve_class(db, name, context) if name else None
    if resolved is None or not checkable(db, resolved):
        return []
    known = attribute_names(db, resolved)
    found = []
    for value, span in facts.config_attributes:
        if value in known or value.startswith("_") or value.startswith("model_"):
            continue  # private and pydantic's own names: not told apart statically
        suggestion = did_you_mean(resolved, value)
        hint = f"; did you mean '{suggestion}'?" if suggestion else ""
        found.append(
            Problem.at(
                Path(path),
                UNKNOWN_ATTRIBUTE,
                Severity.WARNING,
                f"'{value}' is no attribute of {resolved.name} or its bases: building the step "
                f"fails when it reads it{hint}",
                Span.of(span),
                step_name=facts.step_type,
                data={"fix": suggestion} if suggestion else {},
            )
        )
    return found
