"""A class's answer from its own facts and its resolved bases: the MRO (C3, as Python computes
it), fields in MRO order with the most derived declaration winning, and derived keys."""

from __future__ import annotations

from dataclasses import dataclass

from .model import (
    DERIVED_KINDS,
    ChainLink,
    ClassFacts,
    ResolvedClass,
    ResolvedDerived,
    ResolvedField,
    UnresolvedBase,
)

ClassKey = tuple[str, str]  # (module path, class name)
_DEFINING = ("computed", "property")


@dataclass(frozen=True, slots=True)
class Composed:
    resolved: ResolvedClass
    classes: dict[ClassKey, ClassFacts]
    mro: tuple[ClassKey, ...]


def compose(
    path: str,
    cls: ClassFacts,
    bases: list[tuple[Composed, str]],
    unresolved: list[UnresolvedBase],
    known: list[str],
) -> Composed:
    key = (path, cls.name)
    classes: dict[ClassKey, ClassFacts] = {key: cls}
    links: dict[ClassKey, ChainLink] = {key: ChainLink(cls.name, path, cls.position, "self")}
    for sub, _ in bases:
        classes.update(sub.classes)
        for link in sub.resolved.chain[1:]:
            links.setdefault((link.module_path, link.name), link)
    for sub, via in bases:  # how this class found its direct bases
        first = sub.resolved.chain[0]
        links[(first.module_path, first.name)] = ChainLink(
            first.name, first.module_path, first.position, via
        )
    heads = [sub.mro[0] for sub, _ in bases]
    mro = _c3(key, [list(sub.mro) for sub, _ in bases] + [heads]) or _depth_first(key, bases)
    for sub, _ in bases:
        unresolved.extend(u for u in sub.resolved.unresolved if u not in unresolved)
        known.extend(k for k in sub.resolved.known_bases if k not in known)
    fields = _fields(mro, classes)
    resolved = ResolvedClass(
        name=cls.name,
        module_path=path,
        chain=tuple(links[k] for k in mro),
        fields=fields,
        derived=_derived(mro, classes, fields),
        unresolved=tuple(unresolved),
        known_bases=tuple(known),
    )
    return Composed(resolved, classes, tuple(mro))


def _c3(head: ClassKey, sequences: list[list[ClassKey]]) -> list[ClassKey] | None:
    result = [head]
    seqs = [list(s) for s in sequences if s]
    while seqs:
        for seq in seqs:
            candidate = seq[0]
            if not any(candidate in other[1:] for other in seqs):
                break
        else:
            return None  # no consistent order: Python would refuse the class
        result.append(candidate)
        for seq in seqs:
            if seq[0] == candidate:
                del seq[0]
        seqs = [s for s in seqs if s]
    return result


def _depth_first(head: ClassKey, bases: list[tuple[Composed, str]]) -> list[ClassKey]:
    order = [head]
    for sub, _ in bases:
        order.extend(k for k in sub.mro if k not in order)
    return order


def _fields(mro: list[ClassKey], classes: dict[ClassKey, ClassFacts]) -> dict[str, ResolvedField]:
    fields: dict[str, ResolvedField] = {}
    for path, name in mro:
        for fact in classes[(path, name)].fields:
            seen = fields.get(fact.name)
            if seen is None:
                fields[fact.name] = ResolvedField(fact, name, path)
            else:
                fields[fact.name] = ResolvedField(
                    seen.fact, seen.owner, seen.owner_path, (*seen.shadows, (name, path))
                )
    return fields


def _derived(
    mro: list[ClassKey], classes: dict[ClassKey, ClassFacts], fields: dict[str, ResolvedField]
) -> dict[str, ResolvedDerived]:
    derived: dict[str, ResolvedDerived] = {}
    for path, name in mro:
        for key in classes[(path, name)].derived:
            if key.name in fields:
                continue
            seen = derived.get(key.name)
            if seen is None:
                derived[key.name] = ResolvedDerived(
                    key.name,
                    (key.kind,),
                    name,
                    path,
                    key.position,
                    key.description,
                    key.annotation,
                )
                continue
            kinds = tuple(k for k in DERIVED_KINDS if k in seen.kinds or k == key.kind)
            if key.kind in _DEFINING and not any(k in _DEFINING for k in seen.kinds):
                # the definition (a property) is a better target than the line that writes it
                derived[key.name] = ResolvedDerived(
                    key.name,
                    kinds,
                    name,
                    path,
                    key.position,
                    key.description or seen.description,
                    key.annotation or seen.annotation,
                )
            else:
                derived[key.name] = ResolvedDerived(
                    key.name,
                    kinds,
                    seen.owner,
                    seen.owner_path,
                    seen.position,
                    seen.description or key.description,
                    seen.annotation or key.annotation,
                )
    return derived
