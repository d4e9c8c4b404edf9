"""Step interfaces' facts in the persisted index: the interface-first layout's per-file facts
(reading 5,000 ``*.step.yaml`` is most of that layout's cold index). An interface whose stamp
is the stored one gets its facts from the snapshot; any other is read. Facts with problems are
not stored (they are read again). Decoding checks every type and raises ``Bad`` otherwise.
"""

from __future__ import annotations

import json
import os
from typing import Any

from catalog_core.facts.interface_reader import InterfaceFacts
from catalog_core.index.columns import NOT_OURS, Bad, read_span
from catalog_core.index.fact_codec import encode_json

_SCALARS = (
    "step_type",
    "node_type",
    "sagemaker_step_type",
    "config_class",
    "builder_step_name",
    "entry_point",
)
_SPANS = ("step_type_span", "config_class_span", "registry_span", "entry_point_span")
_MAPS = ("contract_inputs", "contract_outputs", "dependencies", "spec_outputs", "variants")
_PAIRS = ("compatible_sources", "config_attributes")


def encode_interface(facts: InterfaceFacts) -> str | None:
    if facts.problems:
        return None
    return encode_json(
        [
            [getattr(facts, f) for f in _SCALARS],
            [getattr(facts, f) for f in _SPANS],
            [getattr(facts, f) for f in _MAPS],
            [getattr(facts, f) for f in _PAIRS],
            facts.description,
            facts.entry_point_declared,
            facts.complete,
        ]
    )


def kept_interface(path: str, stored: Any) -> InterfaceFacts | None:
    """The stored facts when ``stored`` is (the file's current stamp, facts JSON), else None."""
    try:
        stamp, raw = stored
        if not raw or stamp[0] < 0:
            return None
        st = os.stat(path)
        if (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino) != tuple(stamp):
            return None
        return decode_interface(raw)
    except (OSError, *NOT_OURS):
        return None


def decode_interface(raw: str) -> InterfaceFacts:
    try:
        value = json.loads(raw)
        scalars, spans, maps, pairs, description, declared, complete = value
        facts = InterfaceFacts(description=_text(description), entry_point_declared=_flag(declared))
        for name, scalar in zip(_SCALARS, scalars, strict=True):
            setattr(facts, name, _optional(scalar))
        for name, span in zip(_SPANS, spans, strict=True):
            setattr(facts, name, None if span is None else read_span(span))
        for name, mapping in zip(_MAPS, maps, strict=True):
            setattr(facts, name, _span_map(mapping))
        for name, pairs_value in zip(_PAIRS, pairs, strict=True):
            setattr(facts, name, _pairs(pairs_value))
        facts.complete = _flag(complete)
        return facts
    except (ValueError, TypeError, RecursionError) as exc:
        raise Bad(f"interface facts: {exc}") from exc


def _text(value: Any) -> str:
    if type(value) is not str:
        raise TypeError("not a string")
    return value


def _optional(value: Any) -> str | None:
    return None if value is None else _text(value)


def _flag(value: Any) -> bool:
    if type(value) is not bool:
        raise TypeError("not a flag")
    return value


def _span_map(value: Any) -> dict[str, tuple[int, int, int, int]]:
    if type(value) is not dict:
        raise TypeError("not a map")
    return {_text(k): read_span(v) for k, v in value.items()}


def _pairs(value: Any) -> list[tuple[str, tuple[int, int, int, int]]]:
    if type(value) is not list:
        raise TypeError("not a list")
    found = []
    for item in value:
        if type(item) is not list or len(item) != 2:
            raise TypeError("not a pair")
        found.append((_text(item[0]), read_span(item[1])))
    return found
