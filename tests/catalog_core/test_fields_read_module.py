"""catalog_core.fields.read_module: one module's classes, fields, derived keys, imports and bases
with their positions; syntax errors, encodings, and fuzzed or pathological input (always an
answer, quickly).
"""

from __future__ import annotations

from pathlib import Path

from fields_support import FIXTURE
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalog_core.fields import (
    Position,
    read_module,
)

# ---- one module's facts ------------------------------------------------------------------------

SAMPLE = '''\
"""Module."""
from typing import Annotated, ClassVar, Final, Optional
import typing as t
from pydantic import AliasChoices, BaseModel, ConfigDict, Field, PrivateAttr, computed_field
from . import sibling
from ..pkg.mod import Thing as Other

class Café(BaseModel):
    """Doc first line.

    More."""
    K: ClassVar[int] = 1
    K2: t.ClassVar[dict] = {}
    K3: "ClassVar[str]" = "s"
    FIN: Final[int] = 3
    _private: int = 0
    hidden: int = PrivateAttr(default=1)
    model_config = ConfigDict(extra="forbid")
    naïve: str = "é"; après: int = Field(..., description="déjà")
    plain: int
    opt: Optional[int] = None
    fact: list[int] = Field(default_factory=list)
    ann: Annotated[int, Field(description="in Annotated")] = 4
    aliased: str = Field("a", alias="Aliased", validation_alias=AliasChoices("x1", "x2"), serialization_alias="out")
    expr: int = 2 * 3
    joined: str = Field(default="j", description="one " + "two")

    @computed_field
    @property
    def comp(self) -> int:
        """Computed."""
        return 1

    @property
    def prop(self) -> str:
        return ""

    @prop.setter
    def prop(self, value: str) -> None:
        pass

    @property
    def _hidden_prop(self) -> int:
        return 0

    def model_dump(self, **kw):
        data = super().model_dump(**kw)
        data["dumped_a"] = 1
        data.update({"dumped_b": 2}, dumped_c=3)
        data["_skipped"] = 0
        return data

    @model_validator(mode="after")
    def fill(self):
        self.filled = 1
        self._private = 2
        object.__setattr__(self, "set_via_object", 3)
        return self
'''


def test_read_module_fields_and_positions() -> None:
    facts = read_module(SAMPLE.encode())
    assert facts.error is None
    cls = facts.classes["Café"]
    assert cls.position == Position(7, 6) and cls.span[:2] == (7, 0)
    assert cls.doc == "Doc first line." and cls.extra == "forbid"
    by_name = {f.name: f for f in cls.fields}
    assert list(by_name) == [
        "naïve",
        "après",
        "plain",
        "opt",
        "fact",
        "ann",
        "aliased",
        "expr",
        "joined",
    ]
    assert by_name["naïve"].position == Position(18, 4)
    assert by_name["après"].position == Position(18, 22)  # code points, after non-ASCII text
    assert by_name["après"].required and by_name["après"].description == "déjà"
    assert by_name["naïve"].default is not None and by_name["naïve"].default.value == "é"
    assert by_name["plain"].required and by_name["plain"].annotation == "int"
    assert by_name["opt"].default is not None and by_name["opt"].default.text == "None"
    assert by_name["fact"].default_factory == "list" and not by_name["fact"].required
    assert by_name["ann"].description == "in Annotated" and by_name["ann"].default is not None
    aliased = by_name["aliased"]
    assert (aliased.alias, aliased.serialization_alias) == ("Aliased", "out")
    assert aliased.validation_alias == 'AliasChoices("x1", "x2")'
    assert aliased.input_names == ("Aliased", "x1", "x2")
    expr = by_name["expr"].default
    assert expr is not None and expr.text == "2 * 3" and not expr.is_literal
    assert by_name["joined"].description == "one two"
    derived = [(d.name, d.kind) for d in cls.derived]
    assert derived == [
        ("comp", "computed"),
        ("prop", "property"),
        ("dumped_a", "dumped"),
        ("dumped_b", "dumped"),
        ("dumped_c", "dumped"),
        ("filled", "validator"),
        ("set_via_object", "validator"),
    ]
    comp = cls.derived[0]
    assert comp.description == "Computed." and comp.annotation == "int"
    assert comp.position == Position(29, 8)
    filled = next(d for d in cls.derived if d.name == "filled")
    assert filled.position == Position(54, 13)


def test_read_module_imports() -> None:
    facts = read_module(SAMPLE)
    assert facts.imports["t"].module == "typing" and facts.imports["t"].name is None
    assert facts.imports["sibling"] == type(facts.imports["sibling"])("", 1, "sibling")
    other = facts.imports["Other"]
    assert (other.module, other.level, other.name) == ("pkg.mod", 2, "Thing")


def test_read_module_bases() -> None:
    facts = read_module("import a.b\nclass X(a.b.Base, Generic[T], make(), metaclass=M):\n  pass\n")
    bases = facts.classes["X"].bases
    assert [b.dotted for b in bases] == ["a.b.Base", "Generic", None]
    assert [b.text for b in bases] == ["a.b.Base", "Generic[T]", "make()"]
    assert bases[0].position == Position(1, 12)
    assert facts.imports["a"].module == "a"


def test_syntax_error_keeps_the_rest() -> None:
    text = (FIXTURE / "src/fw/steps/configs/config_broken.py").read_text()
    facts = read_module(text)
    assert facts.error is not None and "line 15" in facts.error
    assert list(facts.classes) == ["ReadableConfig", "AfterErrorConfig"]
    after = facts.classes["AfterErrorConfig"]
    assert after.position == Position(17, 6)
    assert after.fields[0].position == Position(18, 4)


def test_encodings_and_bom() -> None:
    latin = "# -*- coding: latin-1 -*-\nclass A:\n    é: str = 'ü'\n".encode("latin-1")
    facts = read_module(latin)
    assert facts.classes["A"].fields[0].name == "é"
    bom = read_module(b"\xef\xbb\xbfclass B:\n    x: int = 1\n")
    assert bom.classes["B"].position == Position(0, 6)
    crlf = read_module("class C:\r\n    x: int = 1\r    y: int = 2\n")
    assert [f.position for f in crlf.classes["C"].fields] == [Position(1, 4), Position(2, 4)]
    surrogate = read_module("class D:\n    x: str = '\ud800'\n")
    assert surrogate.classes["D"].fields[0].name == "x"


def _check_total(source: bytes | str) -> None:
    facts = read_module(source)
    for cls in facts.classes.values():
        for fact in cls.fields:
            assert fact.position.line >= 0 and fact.position.column >= 0


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_fuzz_random_bytes(data: bytes) -> None:
    _check_total(data)


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list('class A(B):\n x: int = Field("é")\t#@\'"[]{}\\\x00\r')),
        max_size=400,
    )
)
def test_fuzz_python_like_text(text: str) -> None:
    _check_total(text)


_FIXTURE_SOURCES = sorted(FIXTURE.rglob("*.py"))


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(_FIXTURE_SOURCES), st.integers(min_value=0), st.integers(min_value=0))
def test_fuzz_truncations_and_cuts(path: Path, cut: int, hole: int) -> None:
    data = path.read_bytes()
    cut %= len(data) + 1
    _check_total(data[:cut])
    _check_total(data[:cut] + data[min(len(data), cut + hole % 40) :])


def test_pathological_inputs_stay_fast() -> None:
    import time

    for source in (
        "(" * 5000,
        "-" * 200_000 + "1",
        "class A:\n" + "    x = [\n" * 3000,
        "\x00" * 1000,
    ):
        start = time.perf_counter()
        read_module(source)
        assert time.perf_counter() - start < 2.0
