"""Config fields: what the fields of config class X are, with everything it inherits, read
statically (``ast``; jedi where static reading cannot follow a base). Nothing is imported or run.

- ``read_module(source)``: one module's classes, fields, derived keys and imports;
- ``FieldResolver(import_roots).fields_of(path, class_name)``: own + inherited fields in MRO
  order, the chain, and the bases nobody could resolve;
- ``valid_keys`` / ``is_known_key`` / ``did_you_mean``: the keys the framework writes into a
  pipeline config for that class.

Depends on the standard library and jedi only (jedi is loaded on its first use).
"""

from __future__ import annotations

from .class_facts import read_module
from .keys import (
    META_KEYS,
    FieldSource,
    did_you_mean,
    is_known_in_any,
    is_known_key,
    key_source,
    valid_keys,
)
from .model import (
    BaseRef,
    ChainLink,
    ClassFacts,
    Default,
    DerivedKey,
    FieldFact,
    ImportRef,
    ModuleFacts,
    Position,
    ResolvedClass,
    ResolvedDerived,
    ResolvedField,
    UnresolvedBase,
)
from .resolve import TERMINAL_PACKAGES, FieldResolver

__all__ = [
    "META_KEYS",
    "TERMINAL_PACKAGES",
    "BaseRef",
    "ChainLink",
    "ClassFacts",
    "Default",
    "DerivedKey",
    "FieldFact",
    "FieldResolver",
    "FieldSource",
    "ImportRef",
    "ModuleFacts",
    "Position",
    "ResolvedClass",
    "ResolvedDerived",
    "ResolvedField",
    "UnresolvedBase",
    "did_you_mean",
    "is_known_in_any",
    "is_known_key",
    "key_source",
    "read_module",
    "valid_keys",
]
