"""The values the fields package answers with: plain frozen dataclasses, no pydantic.

Positions are 0-based (line, column), the column counted in code points of the line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple


class Position(NamedTuple):
    line: int
    column: int


@dataclass(frozen=True, slots=True)
class Default:
    """A field's default: its source text, and its value when the text is a Python literal."""

    text: str
    value: object = None
    is_literal: bool = False


@dataclass(frozen=True, slots=True)
class FieldFact:
    """One pydantic field declared in a class body (``name: annotation [= default]``)."""

    name: str
    position: Position
    annotation: str | None
    required: bool
    default: Default | None = None
    default_factory: str | None = None
    description: str | None = None
    alias: str | None = None
    validation_alias: str | None = None
    serialization_alias: str | None = None
    input_names: tuple[str, ...] = ()
    """Other names pydantic accepts for it on input (literal aliases, ``AliasChoices``)."""


DERIVED_KINDS = ("computed", "dumped", "validator", "property")
"""How a key that is not a field gets into the framework's output, strongest evidence first:
``computed`` (``@computed_field``, always in ``model_dump``), ``dumped`` (a ``model_dump``
override writes it), ``validator`` (a validator fills it), ``property`` (a public ``@property``:
the framework's ``categorize_fields`` calls these the derived tier)."""


@dataclass(frozen=True, slots=True)
class DerivedKey:
    """A key that is not a declared field, but that the class may write or fill."""

    name: str
    kind: str
    position: Position
    description: str | None = None
    annotation: str | None = None


@dataclass(frozen=True, slots=True)
class BaseRef:
    """One base class expression of a class statement."""

    text: str
    dotted: str | None
    """``a.b.C`` when the expression is a dotted name (a subscript like ``Generic[T]`` is
    reduced to its subscripted name); None for calls and other expressions."""
    position: Position
    """Where the last name of the expression starts (where ``goto`` should look)."""


@dataclass(frozen=True, slots=True)
class ClassFacts:
    name: str
    position: Position
    span: tuple[int, int, int, int]
    bases: tuple[BaseRef, ...]
    fields: tuple[FieldFact, ...]
    derived: tuple[DerivedKey, ...]
    doc: str | None = None
    extra: str | None = None
    """``model_config``'s ``extra`` when it is written as a literal here."""
    attributes: frozenset[str] = frozenset()
    """Every name the class makes an attribute of its instances, fields or not: names bound in
    its body (``ClassVar``s, private attributes, methods, nested classes) and ``self.x = ...``
    in its methods. What ``getattr(config, name)`` may find (``*.step.yaml`` attributes)."""


@dataclass(frozen=True, slots=True)
class ImportRef:
    """What a module-level import binds: ``from <level dots><module> import <name>`` or, with
    ``name`` None, ``import <module> [as x]``."""

    module: str
    level: int = 0
    name: str | None = None


@dataclass(frozen=True, slots=True)
class ModuleFacts:
    classes: dict[str, ClassFacts] = field(default_factory=dict)
    imports: dict[str, ImportRef] = field(default_factory=dict)
    star_imports: tuple[ImportRef, ...] = ()
    aliases: dict[str, str] = field(default_factory=dict)
    """Module-level ``Name = dotted.name`` bindings."""
    other_names: frozenset[str] = frozenset()
    """Other module-level names bound by statements we do not follow (``X = make()``)."""
    error: str | None = None
    """Why the source did not parse whole (then the facts come from the parts that did)."""


# ---- resolution -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ChainLink:
    """One class of a resolved chain (MRO order), with how its base was found."""

    name: str
    module_path: str
    position: Position
    via: str
    """``self`` (the class asked about), ``static`` or ``jedi``."""


@dataclass(frozen=True, slots=True)
class ResolvedField:
    fact: FieldFact
    owner: str
    owner_path: str
    shadows: tuple[tuple[str, str], ...] = ()
    """(class, path) of base classes whose declaration of the same name this one replaces."""

    @property
    def name(self) -> str:
        return self.fact.name


@dataclass(frozen=True, slots=True)
class ResolvedDerived:
    name: str
    kinds: tuple[str, ...]
    owner: str
    owner_path: str
    position: Position
    description: str | None = None
    annotation: str | None = None


@dataclass(frozen=True, slots=True)
class UnresolvedBase:
    expression: str
    in_class: str
    module_path: str
    reason: str


@dataclass(frozen=True, slots=True)
class ResolvedClass:
    name: str
    module_path: str
    chain: tuple[ChainLink, ...]
    fields: dict[str, ResolvedField]
    derived: dict[str, ResolvedDerived]
    unresolved: tuple[UnresolvedBase, ...] = ()
    known_bases: tuple[str, ...] = ()
    """Library bases that end the chain by design (``pydantic.BaseModel``, ``abc.ABC``...)."""
    memo: dict[str, object] = field(default_factory=dict, compare=False, repr=False)
    """Answers derived from this one (``keys.valid_keys``), computed once."""

    @property
    def complete(self) -> bool:
        """Every base was found: only then is a key that matches nothing really unknown."""
        return not self.unresolved
