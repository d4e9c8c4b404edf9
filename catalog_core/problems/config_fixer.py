"""The config_types fixer: rewrites class-name keys to the step names they are saved under,
changing nothing but those keys (every other byte, the order and the formatting are kept).

A class-name key is renamed to the ``configuration.specific`` entry that belongs to its class
(by ``__model_type__``, else by the registry's step for the class) when exactly one such entry
is not already mapped; with no specific entry, to the name the class generates from the shared
values. Anything ambiguous or colliding is left as it is and reported.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from catalog_core.base.names import suffix_splits
from catalog_core.base.text import RawSpan
from catalog_core.facts.config_document import ConfigDocument, read_config
from catalog_core.facts.jsonpos import Member
from catalog_core.problems.config_context import ConfigContext
from catalog_core.problems.config_naming import base_step_name, generate_step_name


@dataclass(frozen=True, slots=True)
class KeyEdit:
    old_key: str
    new_key: str
    start: int  # offsets of the quoted key, quotes included
    end: int
    span: RawSpan

    @property
    def new_text(self) -> str:
        return json.dumps(self.new_key, ensure_ascii=False)


@dataclass(slots=True)
class FixPlan:
    edits: list[KeyEdit] = field(default_factory=list)
    unresolved: list[tuple[str, str]] = field(default_factory=list)  # (key, why)
    claimed: set[str] = field(default_factory=set)  # specific entries class-name keys point at


def is_class_key(member: Member, ctx: ConfigContext) -> bool:
    key = member.key
    return (
        isinstance(member.value, str)
        and not ctx.is_step(key)
        and (key.endswith("Config") or ctx.is_config_class(key))
    )


def _model_type(entry: Member) -> Any:
    if entry.children is not None:
        model = entry.children.get("__model_type__")
        return model.value if model is not None else None
    return entry.value.get("__model_type__") if isinstance(entry.value, dict) else None


class _SpecificIndex:
    """configuration.specific entries by the class they record and by their registered step."""

    def __init__(self, doc: ConfigDocument, ctx: ConfigContext) -> None:
        self.by_model: dict[Any, list[str]] = {}
        self.by_base: dict[str, list[str]] = {}
        for entry in doc.specific.members if doc.specific else []:
            self.by_model.setdefault(_model_type(entry), []).append(entry.key)
            split = ctx.split_key(entry.key)
            bases = {entry.key.split("_")[0], entry.key}
            if split is not None:
                bases.add(split[0])
            bases.update(prefix for prefix, _ in suffix_splits(entry.key))
            for base in bases:
                self.by_base.setdefault(base, []).append(entry.key)


def _candidates(
    doc: ConfigDocument, ctx: ConfigContext, member: Member, taken: set[str], index: _SpecificIndex
) -> list[str]:
    cls = member.value if isinstance(member.value, str) else member.key
    by_model = [k for m in {member.key, cls} for k in index.by_model.get(m, ()) if k not in taken]
    if by_model:
        return sorted(set(by_model))
    step = ctx.step_of_config_class(cls) or ctx.step_of_config_class(member.key)
    base = step or base_step_name(cls, ctx.step_of_config_class)
    by_step = [k for k in index.by_base.get(base, ()) if k not in taken]
    if by_step:
        return sorted(set(by_step))
    return [generate_step_name(cls, doc.shared_values, ctx.step_of_config_class)]


def plan_fixes(doc: ConfigDocument, ctx: ConfigContext) -> FixPlan:
    plan = FixPlan()
    if doc.config_types is None:
        return plan
    members = doc.config_types.members
    class_keys = [m for m in members if is_class_key(m, ctx)]
    class_ids = {id(m) for m in class_keys}
    taken = {m.key for m in members if id(m) not in class_ids}
    index = _SpecificIndex(doc, ctx) if class_keys else None
    proposals = [(m, _candidates(doc, ctx, m, taken, index)) for m in class_keys if index]
    single = Counter(c[0] for _, c in proposals if len(c) == 1)
    specific_keys = {m.key for m in doc.specific.members} if doc.specific else set()
    for member, candidates in proposals:
        plan.claimed.update(c for c in candidates if c in specific_keys)
        if len(candidates) > 1:
            plan.unresolved.append(
                (member.key, f"ambiguous: {', '.join(candidates)} all belong to it")
            )
        elif single[candidates[0]] > 1:
            plan.unresolved.append(
                (member.key, f"another class-name key would also become '{candidates[0]}'")
            )
        elif candidates[0] in taken:
            plan.unresolved.append(
                (member.key, f"'{candidates[0]}' is already a key of config_types")
            )
        elif candidates[0] != member.key:
            plan.edits.append(
                KeyEdit(
                    member.key,
                    candidates[0],
                    member.key_start,
                    member.key_end,
                    doc.key_span(member),
                )
            )
    return plan


def apply_edits(text: str, edits: list[KeyEdit]) -> str:
    out = text
    for edit in sorted(edits, key=lambda e: e.start, reverse=True):
        out = out[: edit.start] + edit.new_text + out[edit.end :]
    return out


def fix_text(text: str, ctx: ConfigContext) -> tuple[str, FixPlan]:
    """The fixed text and what was done (or could not be). Idempotent and lossless."""
    doc = read_config(text)
    plan = plan_fixes(doc, ctx)
    return apply_edits(text, plan.edits), plan
