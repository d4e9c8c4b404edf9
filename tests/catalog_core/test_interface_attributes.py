"""``*.step.yaml`` values that name config attributes (``compute.*_field``,
``job_arguments[].source``) resolve like config JSON keys: the interface's config class (declared,
or derived by the registry row) and everything it inherits. Expected answers are data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from catalog_core.api import StepCatalog

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
