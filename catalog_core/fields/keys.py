"""The keys a pipeline config JSON may hold for a config class: the keys the framework itself
writes into ``configuration.shared`` / ``configuration.specific.<node>``.

What the framework writes (cursus, ``src/cursus/core/``):

- ``config_fields/config_merger.py``: ``merge_and_save_configs`` -> ``ConfigMerger.save`` writes
  ``{"metadata": {created_at, config_types, field_sources}, "configuration": {"shared",
  "specific"}}``; the categorizer decides shared vs specific per key.
- ``config_fields/config_field_categorizer.py``: ``_collect_field_info`` takes every key of
  ``serialize_config(cfg)`` except ``_metadata`` (so ``__model_type__`` and ``__model_module__``
  land in ``specific.<node>``, or in ``shared`` when equal everywhere).
- ``config_fields/type_aware_config_serializer.py``: ``serialize`` writes ``__model_type__``,
  ``__model_module__``, then, for a class with ``categorize_fields`` (every
  ``BasePipelineConfig``), its required fields, its defaulted fields that are not None, and the
  *derived* names (public ``@property``) that ``model_dump()`` returns; for other models every
  ``model_dump()`` key. A circular reference writes ``_circular_ref`` / ``_ref_message``, a
  failure ``_error`` / ``_serialization_error``, instead of the fields. ``serialize_config``
  adds ``_metadata`` (dropped by the categorizer). Nested models and lists are written as
  values (``{"__model_type__": ...}``, ``{"__type_info__": "list", "value": [...]}``).
- ``base/config_base.py``: ``categorize_fields`` (essential / system / derived = public
  properties not in ``model_fields``); ``BasePipelineConfig.model_dump`` adds ``aws_region``,
  ``pipeline_name``, ``pipeline_description``, ``pipeline_s3_loc``, ``effective_source_dir``,
  and step configs' overrides add theirs (``effective_instance_type``, ``script_path``...).
  ``@computed_field`` values are always in ``model_dump``.

A key is valid here when it is a field (or an input alias), a computed field, a key a
``model_dump`` override or a validator writes, a public property (the framework's derived tier:
a subclass's ``model_dump`` may write it, and accepting it is never a false alarm), or one of
those meta keys.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

from .model import Default, Position, ResolvedClass

META_KEYS: dict[str, str] = {
    "__model_type__": "The config class name, written by the framework's serializer.",
    "__model_module__": "The config class's module, written by the framework's serializer.",
    "_circular_ref": "Written by the serializer instead of the fields of a circular reference.",
    "_ref_message": "Written by the serializer instead of the fields of a circular reference.",
    "_error": "Written by the serializer when serialising the config failed.",
    "_serialization_error": "Written by the serializer when serialising the config failed.",
}


@dataclass(frozen=True, slots=True)
class FieldSource:
    """Where a valid key comes from, with what a hover or completion shows."""

    key: str
    kind: str
    """``field``, ``alias`` (an input name of ``field_name``), ``computed``, ``dumped``,
    ``validator``, ``property`` or ``meta``."""
    owner: str | None = None
    module_path: str | None = None
    position: Position | None = None
    description: str | None = None
    annotation: str | None = None
    default: Default | None = None
    default_factory: str | None = None
    required: bool | None = None
    field_name: str | None = None


def valid_keys(resolved: ResolvedClass) -> dict[str, FieldSource]:
    """Every key the framework writes for the class: fields (MRO order), derived keys, input
    aliases, meta keys. (Computed once per resolved class; each call returns a new dict.)"""
    return dict(_keys(resolved))


def _keys(resolved: ResolvedClass) -> dict[str, FieldSource]:
    cached = resolved.memo.get("valid_keys")
    if isinstance(cached, dict):
        return cached
    keys: dict[str, FieldSource] = {}
    for name, field in resolved.fields.items():
        fact = field.fact
        keys[name] = FieldSource(
            key=name,
            kind="field",
            owner=field.owner,
            module_path=field.owner_path,
            position=fact.position,
            description=fact.description,
            annotation=fact.annotation,
            default=fact.default,
            default_factory=fact.default_factory,
            required=fact.required,
            field_name=name,
        )
    for name, derived in resolved.derived.items():
        keys.setdefault(
            name,
            FieldSource(
                key=name,
                kind=derived.kinds[0],
                owner=derived.owner,
                module_path=derived.owner_path,
                position=derived.position,
                description=derived.description,
                annotation=derived.annotation,
            ),
        )
    for name, field in resolved.fields.items():
        for alias in field.fact.input_names:
            keys.setdefault(
                alias,
                FieldSource(
                    key=alias,
                    kind="alias",
                    owner=field.owner,
                    module_path=field.owner_path,
                    position=field.fact.position,
                    description=field.fact.description,
                    annotation=field.fact.annotation,
                    field_name=name,
                ),
            )
    for name, text in META_KEYS.items():
        keys.setdefault(name, FieldSource(key=name, kind="meta", description=text))
    resolved.memo["valid_keys"] = keys
    return keys


def key_source(resolved: ResolvedClass, key: str) -> FieldSource | None:
    """What a hover shows for ``key`` (None: not a key the framework writes for the class)."""
    return _keys(resolved).get(key)


def is_known_key(resolved: ResolvedClass, key: str) -> bool | None:
    """True: the framework writes ``key`` for this class. False: it does not, and every base
    class was resolved. None: cannot tell (a base could not be resolved), so do not warn."""
    if key in _keys(resolved):
        return True
    return False if resolved.complete else None


def is_known_in_any(classes: Iterable[ResolvedClass | None], key: str) -> bool | None:
    """For ``configuration.shared``: True when some class knows ``key``; False when none does
    and all of them are complete; None otherwise (a class is missing or incomplete)."""
    answer: bool | None = False
    for resolved in classes:
        known = None if resolved is None else is_known_key(resolved, key)
        if known:
            return True
        if known is None:
            answer = None
    return answer


def did_you_mean(resolved: ResolvedClass, key: str, cutoff: float = 0.8) -> str | None:
    """The closest field or derived key to a misspelt ``key`` (case and ``-``/``_`` ignored
    first, then ``difflib``), or None."""
    if key in _keys(resolved):
        return None
    memo = resolved.memo.get("folded_keys")
    folded: dict[str, str] = {}
    if isinstance(memo, dict):
        folded = memo
    else:
        for name, source in _keys(resolved).items():
            if source.kind != "meta":
                folded.setdefault(_fold(name), name)
        resolved.memo["folded_keys"] = folded
    wanted = _fold(key)
    if wanted in folded:
        return folded[wanted]
    close = difflib.get_close_matches(wanted, list(folded), n=1, cutoff=cutoff)
    return folded[close[0]] if close else None


def _fold(name: str) -> str:
    return name.lower().replace("-", "_")
