"""Where a cursor sits among a pipeline config's field keys, while the file is typed (data:
tests/fixtures/expected_fields/config_key_slots.json), and the sections read with positions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from catalog_core.facts.config_sections import key_slot_at, read_sections

DATA = Path(__file__).resolve().parents[1] / "fixtures/expected_fields/config_key_slots.json"
CASES = json.loads(DATA.read_text())["cases"]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["text"][:60])
def test_key_slot(case: dict[str, object]) -> None:
    text = str(case["text"])
    offset = text.index("|")
    slot = key_slot_at(text.replace("|", ""), offset)
    expected = case["slot"]
    if expected is None:
        assert slot is None
        return
    assert slot is not None
    assert isinstance(expected, dict)
    assert (slot.node, slot.prefix, sorted(slot.present)) == (
        expected["node"],
        expected["prefix"],
        expected["present"],
    )


def test_sections_with_positions() -> None:
    text = '{"configuration": {"shared": {"a": 1}, "specific": {"N": {"b": 2, "c": {"d": 3}}}}}'
    sections = read_sections(text)
    assert [m.key for m in sections.shared] == ["a"]
    assert {n: [m.key for m in ms] for n, ms in sections.specific.items()} == {"N": ["b", "c"]}
    node, member = sections.member_at(text.index('"b"') + 1) or (None, None)
    assert (node, member and member.key) == ("N", "b")
    assert sections.member_at(text.index('"d"') + 1) is None  # a value's inner key


@given(st.text(alphabet='{}[]:,"ab\\ \n', max_size=60), st.integers(0, 60))
def test_never_raises(text: str, offset: int) -> None:
    key_slot_at(text, min(offset, len(text)))
    read_sections(text)
