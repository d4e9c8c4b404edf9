"""catalog_core.fields: config classes' fields, statically (ast) and through jedi.

The fixture tree (tests/fixtures/fields) is a framework-like package with its expected answers
in expected.json; every fixture module writes ``<file>.imported`` if it is ever imported.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalog_core.fields import (
    META_KEYS,
    FieldResolver,
    Position,
    ResolvedClass,
    did_you_mean,
    is_known_in_any,
    is_known_key,
    key_source,
    read_module,
    valid_keys,
)

REPO = Path(__file__).resolve().parents[2]
FIXTURE = REPO / "tests" / "fixtures" / "fields"
EXPECTED = json.loads((FIXTURE / "expected.json").read_text())
ROOTS = [str(FIXTURE / r) for r in EXPECTED["roots"]]
MODES = ("static", "auto", "jedi")


def _expand(items: list) -> list:
    out: list = []
    for item in items:
        out.extend(EXPECTED[item[1:]] if isinstance(item, str) else [item])
    return out


def _expected_derived(spec: dict) -> dict[str, list[str]]:
    derived: dict[str, list[str]] = {}
    for key, value in spec.items():
        if key.startswith("@"):
            derived.update(EXPECTED[key[1:]])
        else:
            derived[key] = value
    return derived


def _rel(path: str) -> str:
    return Path(path).relative_to(FIXTURE).as_posix()


@pytest.fixture(scope="module")
def resolvers() -> dict[str, FieldResolver]:
    return {mode: FieldResolver(ROOTS, mode=mode) for mode in MODES}


def _resolve(resolver: FieldResolver, name: str) -> ResolvedClass | None:
    return resolver.fields_of(str(FIXTURE / EXPECTED["classes"][name]["module"]), name)


# ---- the fixture's expected answers, static path and jedi path -------------------------------


CASES = [
    (mode, name)
    for name, spec in EXPECTED["classes"].items()
    for mode in MODES
    if not (spec.get("jedi_only") and mode == "static")
]


@pytest.mark.parametrize(("mode", "name"), CASES)
def test_expected_answers(resolvers: dict[str, FieldResolver], mode: str, name: str) -> None:
    spec = EXPECTED["classes"][name]
    resolved = _resolve(resolvers[mode], name)
    assert resolved is not None
    assert [[link.name, _rel(link.module_path)] for link in resolved.chain] == spec["chain"]
    fields = [
        [
            f.name,
            f.owner,
            f.fact.required,
            f.fact.default.text if f.fact.default else None,
            f.fact.description,
        ]
        for f in resolved.fields.values()
    ]
    assert fields == _expand(spec["fields"])
    shadows = {n: [o for o, _ in f.shadows] for n, f in resolved.fields.items() if f.shadows}
    assert shadows == spec.get("shadows", {})
    assert {k: list(v.kinds) for k, v in resolved.derived.items()} == _expected_derived(
        spec["derived"]
    )
    assert [u.expression for u in resolved.unresolved] == spec["unresolved"]
    assert resolved.complete == (not spec["unresolved"])
    assert sorted(resolved.known_bases) == sorted(spec["known_bases"])
    keys = valid_keys(resolved)
    for alias, field_name in spec.get("aliases", {}).items():
        assert keys[alias].kind == "alias" and keys[alias].field_name == field_name


def test_static_path_follows_every_fixture_base_without_jedi() -> None:
    resolver = FieldResolver(ROOTS, mode="static")
    for name, spec in EXPECTED["classes"].items():
        resolved = _resolve(resolver, name)
        assert resolved is not None
        if not spec.get("jedi_only"):
            assert {link.via for link in resolved.chain[1:]} <= {"static"}, name
    assert resolver.counts["jedi"] == 0


def test_jedi_path_finds_every_cross_module_base() -> None:
    resolver = FieldResolver(ROOTS, mode="jedi")
    resolved = _resolve(resolver, "XGBoostTrainingConfig")
    assert resolved is not None
    assert [link.via for link in resolved.chain] == ["self", "jedi", "jedi", "jedi"]
    assert resolver.counts["static"] == 0 and resolver.counts["jedi_found"] >= 3


def test_static_stops_where_only_jedi_can_follow() -> None:
    static = _resolve(FieldResolver(ROOTS, mode="static"), "DynamicConfig")
    assert static is not None and not static.complete
    assert [u.expression for u in static.unresolved] == ["PickedBase"]
    assert list(static.fields) == ["dynamic_field"]
    assert is_known_key(static, "author") is None  # chain incomplete: never a warning
    auto = FieldResolver(ROOTS, mode="auto")
    resolved = _resolve(auto, "DynamicConfig")
    assert resolved is not None and resolved.complete
    assert [link.via for link in resolved.chain] == ["self", "jedi", "static"]
    assert auto.counts["jedi"] == 1


@pytest.mark.parametrize(("module", "name"), EXPECTED["missing_classes"])
def test_missing_classes(resolvers: dict[str, FieldResolver], module: str, name: str) -> None:
    for resolver in resolvers.values():
        assert resolver.fields_of(str(FIXTURE / module), name) is None


@pytest.mark.parametrize(("name", "key", "known", "suggestion"), EXPECTED["keys"])
def test_keys(
    resolvers: dict[str, FieldResolver],
    name: str,
    key: str,
    known: bool | None,
    suggestion: str | None,
) -> None:
    resolved = _resolve(resolvers["static"], name)
    assert resolved is not None
    assert is_known_key(resolved, key) is known
    assert did_you_mean(resolved, key) == suggestion


def test_valid_keys_describe_where_they_come_from(resolvers: dict[str, FieldResolver]) -> None:
    resolved = _resolve(resolvers["static"], "TabularPreprocessingConfig")
    assert resolved is not None
    keys = valid_keys(resolved)
    assert set(META_KEYS) <= set(keys)
    author = keys["author"]
    assert (author.kind, author.owner, author.required) == ("field", "BasePipelineConfig", True)
    assert _rel(author.module_path or "") == "src/fw/core/base/config_base.py"
    assert author.position == Position(18, 4)
    name = keys["pipeline_name"]
    assert (name.kind, name.owner, name.annotation) == ("dumped", "BasePipelineConfig", "str")
    assert name.description == "Pipeline name derived from author, service name and region."
    assert name.position == Position(42, 8)  # the property, not the line of model_dump
    assert keys["full_script_path"].kind == "computed"
    assert key_source(resolved, "pipeline_name") == name
    assert key_source(resolved, "nope") is None
    assert keys["__model_type__"].kind == "meta"
    assert list(keys)[: len(resolved.fields)] == list(resolved.fields)
    keys.clear()  # a copy: the cached keys are not touched
    assert "author" in valid_keys(resolved)


def test_is_known_in_any(resolvers: dict[str, FieldResolver]) -> None:
    tab = _resolve(resolvers["static"], "TabularPreprocessingConfig")
    train = _resolve(resolvers["static"], "XGBoostTrainingConfig")
    orphan = _resolve(resolvers["static"], "OrphanConfig")
    assert is_known_in_any([tab, train], "volume_size") is True
    assert is_known_in_any([tab, train], "volume_sizes") is False
    assert is_known_in_any([tab, orphan], "volume_sizes") is None
    assert is_known_in_any([tab, None], "volume_sizes") is None


# ---- caching, editor text, invalidation --------------------------------------------------------


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURE, tmp_path / "fields")
    return tmp_path / "fields"


def _roots(tree: Path) -> list[str]:
    return [str(tree / r) for r in EXPECTED["roots"]]


def test_cached_answers_follow_file_changes(tree: Path) -> None:
    resolver = FieldResolver(_roots(tree), mode="static")
    module = str(tree / EXPECTED["classes"]["TabularPreprocessingConfig"]["module"])
    first = resolver.fields_of(module, "TabularPreprocessingConfig")
    assert first is not None
    assert resolver.fields_of(module, "TabularPreprocessingConfig") is first  # cached
    base = tree / "src/fw/core/base/config_base.py"
    text = base.read_text().replace(
        "    pipeline_version: str", "    new_field: int = 3\n    pipeline_version: str"
    )
    base.write_text(text)
    os.utime(base, ns=(1, 1))  # a different mtime even on coarse clocks
    second = resolver.fields_of(module, "TabularPreprocessingConfig")
    assert second is not None and second is not first
    assert second.fields["new_field"].owner == "BasePipelineConfig"


def test_editor_text_is_used_and_invalidated(tree: Path) -> None:
    buffers: dict[str, str] = {}
    resolver = FieldResolver(_roots(tree), text_of=buffers.get, mode="static")
    module = tree / EXPECTED["classes"]["ReadableConfig"]["module"]
    assert resolver.fields_of(str(module), "HalfTypedConfig") is None
    fixed = module.read_text().replace('description="unfinished"', 'description="finished")')
    buffers[str(module)] = fixed
    resolved = resolver.fields_of(str(module), "HalfTypedConfig")
    assert resolved is not None and resolved.fields["half_field"].fact.description == "finished"
    del buffers[str(module)]
    assert resolver.fields_of(str(module), "HalfTypedConfig") is None


def test_invalidate_lets_a_new_module_resolve_a_missing_base(tree: Path) -> None:
    resolver = FieldResolver(_roots(tree), mode="static")
    module = str(tree / EXPECTED["classes"]["OrphanConfig"]["module"])
    before = resolver.fields_of(module, "OrphanConfig")
    assert before is not None and not before.complete
    ghost = tree / "src/fw/missing_module.py"
    ghost.write_text(
        "from pydantic import BaseModel\n\nclass GhostBase(BaseModel):\n    boo: int = 1\n"
    )
    resolver.invalidate(str(ghost))
    after = resolver.fields_of(module, "OrphanConfig")
    assert after is not None and after.complete
    assert after.fields["boo"].owner == "GhostBase"
    assert [link.name for link in after.chain][:2] == ["OrphanConfig", "GhostBase"]
    resolver.invalidate()
    assert resolver.fields_of(module, "OrphanConfig") == after


def test_cyclic_and_self_inheritance_are_unresolved(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("from b import B\n\nclass A(B):\n    x: int = 1\n")
    (tmp_path / "b.py").write_text("from a import A\n\nclass B(A):\n    y: int = 1\n")
    (tmp_path / "c.py").write_text("class C(C):\n    z: int = 1\n")
    resolver = FieldResolver([str(tmp_path)], mode="static")
    resolved = resolver.fields_of(str(tmp_path / "a.py"), "A")
    assert resolved is not None and not resolved.complete
    assert "cyclic" in resolved.unresolved[0].reason
    self_ref = resolver.fields_of(str(tmp_path / "c.py"), "C")
    assert self_ref is not None and not self_ref.complete


def test_import_forms(tmp_path: Path) -> None:
    files = {
        "pkg/__init__.py": "from .inner.mod import Deep as Renamed\n",
        "pkg/inner/__init__.py": "",
        "pkg/inner/mod.py": "from pydantic import BaseModel\nclass Deep(BaseModel):\n    deep: int = 1\n",
        "pkg/stars.py": "from .inner.mod import *\n",
        "ns/part/leaf.py": "from typing import Generic, TypeVar\nT = TypeVar('T')\nclass Leaf(Generic[T]):\n    leaf: str = 'x'\n",
        "user.py": textwrap.dedent(
            """
            import pkg.inner.mod
            import pkg.inner.mod as m
            from pkg import Renamed
            from pkg.stars import Deep as Starred
            from ns.part import leaf
            try:
                from pkg.inner.mod import Deep as Tried
            except ImportError:
                Tried = None
            Alias = m.Deep

            class A(pkg.inner.mod.Deep): pass
            class B(m.Deep): pass
            class C(Renamed): pass
            class D(Starred): pass
            class E(leaf.Leaf[int]): pass
            class F(Tried): pass
            class G(Alias): pass
            class H(object): pass
            class I(A): pass
            """
        ),
    }
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    resolver = FieldResolver([str(tmp_path)], mode="static")
    for cls in "ABCDFGI":
        resolved = resolver.fields_of(str(tmp_path / "user.py"), cls)
        assert resolved is not None and resolved.complete, cls
        assert list(resolved.fields) == ["deep"], cls
        assert resolved.known_bases == ("pydantic.BaseModel",), cls
    leaf = resolver.fields_of(str(tmp_path / "user.py"), "E")
    assert (
        leaf is not None
        and list(leaf.fields) == ["leaf"]
        and leaf.known_bases == ("typing.Generic",)
    )
    plain = resolver.fields_of(str(tmp_path / "user.py"), "H")
    assert plain is not None and plain.complete and plain.known_bases == ("builtins.object",)


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


# ---- never imported, never run ---------------------------------------------------------------

_AUDIT = textwrap.dedent(
    """
    import json, sys
    seen = []
    watching = [False]
    RUNS = ("subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.fork", "os.spawn")
    def hook(event, args):
        if watching[0] and (event == "import" or event in RUNS):
            seen.append([event, str(args[0]) if args else ""])
    sys.addaudithook(hook)
    from catalog_core.fields import FieldResolver
    import jedi, jedi.inference.finder  # jedi's own lazy modules are not what we look for
    roots, targets, mode = json.loads(sys.argv[1])
    resolver = FieldResolver(roots, mode=mode)
    watching[0] = True
    answers = [resolver.fields_of(path, name) for path, name in targets]
    watching[0] = False
    print(json.dumps({"seen": seen, "found": [a is not None for a in answers],
                      "counts": resolver.counts}))
    """
)


def _audit(roots: list[str], targets: list[list[str]], mode: str) -> dict:
    env = dict(os.environ, PYTHONPATH=str(REPO), PYTHONDONTWRITEBYTECODE="1")
    out = subprocess.run(
        [sys.executable, "-c", _AUDIT, json.dumps([roots, targets, mode])],
        capture_output=True,
        text=True,
        check=True,
        env=env,
        cwd=str(FIXTURE / "src"),  # the project's folder as the working directory
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("mode", MODES)
def test_no_fixture_module_is_ever_imported_or_run(mode: str) -> None:
    for marker in FIXTURE.rglob("*.imported"):
        marker.unlink()
    targets = [[str(FIXTURE / s["module"]), n] for n, s in EXPECTED["classes"].items()]
    result = _audit(ROOTS, targets, mode)
    assert all(result["found"])
    assert result["seen"] == []  # no import, no subprocess, not even of stdlib modules
    assert list(FIXTURE.rglob("*.imported")) == []
    if mode != "static":
        assert result["counts"]["jedi_found"] > 0


def test_jedi_never_loads_a_project_extension_module(tmp_path: Path) -> None:
    """jedi imports compiled modules in-process: never from the project's folders."""
    package = tmp_path / "extpkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "native.cpython-311-x86_64-linux-gnu.so").write_bytes(b"\x7fELF not really")
    (package / "native.abi3.so").write_bytes(b"\x7fELF not really")
    (tmp_path / "user.py").write_text(
        "from extpkg.native import NativeBase\n\nclass C(NativeBase):\n    x: int = 1\n"
    )
    result = _audit([str(tmp_path)], [[str(tmp_path / "user.py"), "C"]], "jedi")
    assert result["counts"]["jedi"] == 1
    assert [e for e in result["seen"] if "extpkg" in e[1]] == []
    assert result["seen"] == []


def test_jedi_default_environment_would_run_an_interpreter() -> None:
    """Why jedi_bridge passes its own environment: jedi's default starts a subprocess."""
    code = textwrap.dedent(
        """
        import sys
        runs = []
        sys.addaudithook(lambda e, a: runs.append(e) if e == "subprocess.Popen" else None)
        import jedi
        jedi.Script("import os\\nos.path", path="x.py").infer(2, 4)
        print(len(runs))
        """
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert int(out.stdout.strip()) >= 1
