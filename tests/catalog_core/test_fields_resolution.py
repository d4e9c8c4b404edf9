"""catalog_core.fields: config classes' fields and valid keys resolved through their base classes,
statically (ast) and through jedi, against the fixture tree's expected answers
(``fields_support.py``); cycles and the import forms a base can be named by.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from fields_support import EXPECTED, FIXTURE, MODES, ROOTS

from catalog_core.fields import (
    META_KEYS,
    FieldResolver,
    Position,
    ResolvedClass,
    did_you_mean,
    is_known_in_any,
    is_known_key,
    key_source,
    valid_keys,
)


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


# ---- base classes: cycles, self-inheritance, import forms ----------------------------------------


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
