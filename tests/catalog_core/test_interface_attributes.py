"""``*.step.yaml`` values that name config attributes (``compute.*_field``,
``job_arguments[].source``) resolve like config JSON keys: the interface's config class (declared,
or derived by the registry row) and everything it inherits. Expected answers are data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from catalog_core.api import StepCatalog
from catalog_core.facts.interface_quick import quick_interface
from catalog_core.facts.interface_reader import read_interface

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
INTERFACES = FIXTURES / "v2/src/cursus/steps/interfaces"
CASES = json.loads((FIXTURES / "expected_v2/interface_attributes.json").read_text())["cases"]


@pytest.fixture(scope="module")
def catalog() -> StepCatalog:
    return StepCatalog(FIXTURES / "v2")


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["file"])
def test_attribute_hover_and_declaration(catalog: StepCatalog, case: dict[str, object]) -> None:
    path = INTERFACES / str(case["file"])
    text = path.read_text()
    value = str(case["value"])
    line = next(n for n, t in enumerate(text.split("\n")) if t.rstrip().endswith(": " + value))
    col = text.split("\n")[line].rindex(value) + 1
    at = catalog.field_key_at(str(path.resolve()), text, line, col)
    assert at is not None and (at.key, at.config_class) == (value, case["class"])
    card = catalog.field_card(str(path.resolve()), text, at, None)
    assert card is not None
    assert [card.owners[0], card.source.annotation] == [case["owner"], case["type"]]
    assert card.location is not None
    assert [card.location[0].name, card.location[1].start_line] == case["declared"]
    assert catalog.field_key_at(str(path.resolve()), text, line, 0) is None  # on the key


ATTRIBUTES = FIXTURES / "v2_attributes"
DATA = json.loads((FIXTURES / "expected_v2/interface_attributes.json").read_text())


def test_unknown_attributes_warn_with_did_you_mean() -> None:
    """Every kind of attribute the chain has is valid (field, inherited, property, computed,
    validator-filled, set in a method, method, ClassVar, private, pydantic's own); an open,
    unresolvable, plain or missing class says nothing."""
    catalog = StepCatalog(ATTRIBUTES)
    found = [
        [p.path.name, p.span.start_line, p.span.start_character, p.message]
        for p in catalog.problems()
        if p.rule == "interface-unknown-config-attribute" and p.path is not None
    ]
    assert found == DATA["problems"]
    fixes = {
        p.message.split("'")[1]: p.data["fix"]
        for p in catalog.problems()
        if p.rule == "interface-unknown-config-attribute" and "fix" in p.data
    }
    assert fixes == DATA["fixes"]
    assert [p for p in ATTRIBUTES.rglob("*.imported")] == []  # read, never imported


def test_one_files_problems_equal_the_whole_catalogs() -> None:
    catalog = StepCatalog(ATTRIBUTES)
    path = (ATTRIBUTES / "src/acme/steps/interfaces/model_training.step.yaml").resolve()
    own = [p for p in catalog.problems(path) if p.rule == "interface-unknown-config-attribute"]
    assert [[p.span.start_line, p.message] for p in own] == [
        [row[1], row[3]] for row in DATA["problems"]
    ]


def test_no_unknown_attribute_in_the_v2_tree(catalog: StepCatalog) -> None:
    """Every compute.*_field and job_arguments source of the v2 fixture names a real attribute."""
    assert [p for p in catalog.problems() if p.rule == "interface-unknown-config-attribute"] == []


def test_a_misspelt_value_typed_in_the_editor_warns_and_fixing_it_clears(
    catalog: StepCatalog,
) -> None:
    path = (INTERFACES / "tabular_preprocessing.step.yaml").resolve()
    text = path.read_text()
    typed = text.replace("source: job_type", "source: jobtype")
    catalog.set_document(path, typed)
    try:
        rows = [
            (p.span.start_line, p.message)
            for p in catalog.problems(path)
            if p.rule == "interface-unknown-config-attribute"
        ]
        line = typed.split("\n").index("    source: jobtype")
        assert rows == [
            (
                line,
                "'jobtype' is no attribute of TabularPreprocessingConfig or its bases: building "
                "the step fails when it reads it; did you mean 'job_type'?",
            )
        ]
    finally:
        catalog.close_document(path)
    assert [
        p for p in catalog.problems(path) if p.rule.startswith("interface-unknown-config")
    ] == []


def _half_typed_xgboost_model() -> tuple[str, int, int]:
    """xgboost_model.step.yaml (``config_class: XGBoostModelStepConfig``, not the derived
    name) with a value being typed and broken YAML below the step_type and config_class lines:
    the full reader stops at the error, the quick reader gives up. (text, line, column)."""
    text = (INTERFACES / "xgboost_model.step.yaml").read_text()
    typed = text.replace(
        "  py_version_field: py_version\n", "  py_version_field: py_v\nhalf typed [\n"
    )
    line = typed.split("\n").index("  py_version_field: py_v")
    return typed, line, len("  py_version_field: py_v")


@pytest.mark.parametrize("indexed", [True, False], ids=["open-document", "outside-the-index"])
def test_a_half_typed_interface_still_completes_its_config_class(
    catalog: StepCatalog, tmp_path: Path, indexed: bool
) -> None:
    typed, line, col = _half_typed_xgboost_model()
    data = typed.encode()
    assert quick_interface(data) is None
    assert any(p.rule == "yaml-syntax-error" for p in read_interface("x", data).problems)
    if indexed:
        path = (INTERFACES / "xgboost_model.step.yaml").resolve()
        catalog.set_document(path, typed)
    else:  # no facts in the index: the class is read from the lines
        path = tmp_path / "xgboost_model.step.yaml"
        path.write_text(typed)
    try:
        found = catalog.complete_fields(str(path), typed, line, col, None)
    finally:
        if indexed:
            catalog.close_document(path)
    assert found is not None and found.prefix == "py_v"
    assert found.items[0].label == "py_version"
    assert {"instance_type", "framework_version"} <= {c.label for c in found.items}
