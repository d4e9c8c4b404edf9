"""Per-file facts as plain JSON, and component records whose facts are decoded on first use.

A restored record (``RestoredRecord``) keeps its facts as a slice of the cache's blob until
something reads ``record.facts``; most never are read in a warm start. Decoding checks every
type: a fragment that is not exactly what ``encode_facts`` writes is not trusted, and the file
is read again instead (``load_facts``), as a cold build would.
"""

from __future__ import annotations

import json
import json.encoder
from sys import intern
from typing import Any

from catalog_core.base.files import MAX_SIZE
from catalog_core.facts.loader import load_facts
from catalog_core.facts.pyfacts import ContractImport, PyFacts, StepTypeRef, shared_span
from catalog_core.index.columns import NOT_OURS, Bad, read_span
from catalog_core.index.records import ComponentRecord

_PLAIN = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, check_circular=False)


def _unserialisable(value: Any) -> Any:
    raise TypeError(f"not JSON: {type(value).__name__}")


# The C encoder made once: ``JSONEncoder.encode`` makes one per call, most of its cost.
_MAKER = getattr(json.encoder, "c_make_encoder", None)
_STRINGS = getattr(json.encoder, "c_encode_basestring", None)
_C_ENCODER = (
    _MAKER(None, _unserialisable, _STRINGS, None, ":", ",", False, False, True)
    if _MAKER is not None and _STRINGS is not None
    else None
)


def encode_json(value: Any) -> str:
    """Compact JSON (the C encoder, made once)."""
    if _C_ENCODER is None:
        return _PLAIN.encode(value)
    return "".join(_C_ENCODER(value, 0))


FACTS_SLOT = ComponentRecord.__dict__["facts"]  # the base class's slot descriptor


def encode_facts(facts: PyFacts) -> bytes:
    step = facts.step_type
    text = encode_json(
        [
            facts.classes,
            facts.constants,
            facts.entry_point,
            None if step is None else (step.name, step.job_type, step.literal, step.span),
            [(c.module, c.span) for c in facts.contract_imports],
        ]
    )
    return text.encode("utf-8", "surrogatepass")


def decode_facts(raw: bytes | str) -> PyFacts:
    """The facts ``encode_facts`` wrote; ``Bad`` for anything else."""
    try:
        value = json.loads(raw)
    except (ValueError, RecursionError) as exc:
        raise Bad(str(exc)) from exc
    if type(value) is not list or len(value) != 5:
        raise Bad("not a facts list")
    classes, constants, entry, step, imports = value
    # Shared as a cold build shares them: equal spans one tuple, recurring names interned.
    return PyFacts(
        [(_str(n), _span(s)) for n, s in _pairs(classes, 2)],
        [(_str(n), intern(_str(c)), _span(s)) for n, c, s in _pairs(constants, 3)],
        None if entry is None else _entry(entry),
        None if step is None else _step(step),
        [ContractImport(intern(_str(m)), _span(s)) for m, s in _pairs(imports, 2)],
    )


def _span(value: Any) -> tuple[int, int, int, int]:
    return shared_span(read_span(value))


def _pairs(value: Any, width: int) -> list[list[Any]]:
    if type(value) is not list:
        raise Bad("not a list")
    for item in value:
        if type(item) is not list or len(item) != width:
            raise Bad("not a row")
    return value


def _str(value: Any) -> str:
    if type(value) is not str:
        raise Bad("not a string")
    return value


def _entry(value: Any) -> tuple[str, tuple[int, int, int, int]]:
    (item,) = _pairs([value], 2)
    return _str(item[0]), _span(item[1])


def _step(value: Any) -> StepTypeRef:
    (item,) = _pairs([value], 4)
    name, job, literal, span = item
    if job is not None:
        _str(job)
    if type(literal) is not bool:
        raise Bad("not a flag")
    return StepTypeRef(intern(_str(name)), job, literal, _span(span))


class RestoredRecord(ComponentRecord):
    """A component record restored from the cache: ``facts`` is decoded when first read from
    the record's own JSON fragment, which is then let go."""

    __slots__ = ("_pending",)

    _pending: bytes | None

    @property
    def facts(self) -> PyFacts | None:
        pending = self._pending
        if pending is not None:
            self._pending = None
            facts: PyFacts | None
            try:
                facts = decode_facts(pending)
            except NOT_OURS:  # not ours after all: read the file, as a cold build would
                facts, _, _ = load_facts(self.path, self.kind, None, MAX_SIZE)
            FACTS_SLOT.__set__(self, facts)
        return FACTS_SLOT.__get__(self)

    @facts.setter
    def facts(self, value: PyFacts | None) -> None:
        self._pending = None
        FACTS_SLOT.__set__(self, value)
