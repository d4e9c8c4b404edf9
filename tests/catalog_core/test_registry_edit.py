"""The STEP_NAMES edit changes only the promoted entry's text; every other byte stays, and the
result reads back (registry_reader) with the entry."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest
from integration_support import DEMO_NEW, DEMO_OVERRIDE, NEW_STEP, Scenario

from catalog_core.facts.registry_reader import read_registry
from catalog_core.integration import IntegrationError
from catalog_core.integration.registry_edit import (
    EntrySource,
    entry_source,
    upsert_step_names_entry,
)

NEW = EntrySource('"New": {\n    "sagemaker_step_type": "Processing",\n}', relative=True)
FIELDS = {"sagemaker_step_type": "Processing"}

# (case, registry before, registry after adding or replacing "New")
CASES = [
    (
        "append after the last entry",
        'STEP_NAMES = {\n    "A": {\n        "x": "1",\n    },\n}\n',
        'STEP_NAMES = {\n    "A": {\n        "x": "1",\n    },\n'
        '    "New": {\n        "sagemaker_step_type": "Processing",\n    },\n}\n',
    ),
    (
        "last entry without a trailing comma, with a comment",
        'STEP_NAMES = {\n    "A": {"x": "1"}  # keep me\n}\n',
        'STEP_NAMES = {\n    "A": {"x": "1"},  # keep me\n'
        '    "New": {\n        "sagemaker_step_type": "Processing",\n    },\n}\n',
    ),
    (
        "empty dict",
        "STEP_NAMES = {}\n",
        'STEP_NAMES = {\n    "New": {\n        "sagemaker_step_type": "Processing",\n    },\n}\n',
    ),
    (
        "annotated, two-space indent, comments after the last entry",
        'X = 1\nSTEP_NAMES: dict = {\n  "A": {"x": "1"},\n  # trailing comment\n}\nY = 2\n',
        'X = 1\nSTEP_NAMES: dict = {\n  "A": {"x": "1"},\n'
        '  "New": {\n      "sagemaker_step_type": "Processing",\n  },\n'
        "  # trailing comment\n}\nY = 2\n",
    ),
    (
        "windows newlines",
        'STEP_NAMES = {\r\n    "A": {"x": "1"},\r\n}\r\n',
        'STEP_NAMES = {\r\n    "A": {"x": "1"},\r\n'
        '    "New": {\r\n        "sagemaker_step_type": "Processing",\r\n    },\r\n}\r\n',
    ),
    (
        "replace a nested, single-quoted entry in place",
        "STEP_NAMES = {\n    'New': {'x': {'deep': [1, '}']}},  # old\n    'B': {},\n}\n",
        'STEP_NAMES = {\n    "New": {\n        "sagemaker_step_type": "Processing",\n    },'
        "  # old\n    'B': {},\n}\n",
    ),
]


@pytest.mark.parametrize(("case", "before", "after"), CASES, ids=[c[0] for c in CASES])
def test_the_edit_touches_only_the_entry(case: str, before: str, after: str) -> None:
    edited = upsert_step_names_entry(before.encode(), "New", NEW, FIELDS, "registry.py")
    assert edited.decode() == after
    entries = read_registry("registry.py", edited).sections["STEP_NAMES"]
    assert {e.name: e.fields for e in entries}["New"] == FIELDS


@pytest.mark.parametrize(
    ("registry", "message"),
    [
        ('STEP_NAMES = {\n    "New": dict(x="1"),\n}\n', "not a dict literal"),
        ('STEP_NAMES = {\n    "A": {"x": \n', "does not parse"),
        ('OTHER = {\n    "A": {},\n}\n', "has no 'STEP_NAMES = {...}'"),
    ],
)
def test_registries_that_cannot_be_edited_safely_are_refused(registry: str, message: str) -> None:
    with pytest.raises(IntegrationError, match=message):
        upsert_step_names_entry(registry.encode(), "New", NEW, FIELDS, "registry.py")


def test_an_entry_that_would_not_read_back_is_refused() -> None:
    wrong_key = EntrySource('"Other": {\n    "sagemaker_step_type": "Processing",\n}', True)
    with pytest.raises(IntegrationError, match="did not read back"):
        upsert_step_names_entry(b"STEP_NAMES = {}\n", "New", wrong_key, FIELDS, "registry.py")


def test_entry_source_is_relative_to_the_key_line() -> None:
    source = b'LOCAL_STEPS = {\n    "New": {\n        "a": "b",\n    },\n}\n'
    assert entry_source(source, "LOCAL_STEPS", "New", "ws.py") == EntrySource(
        '"New": {\n    "a": "b",\n}', relative=True
    )
    assert entry_source(source, "LOCAL_STEPS", "Missing", "ws.py") is None


# (scenario, registry lines removed, registry lines added) by a real promotion
PROMOTED_REGISTRY_DIFFS = [
    (NEW_STEP, 0, 7),
    (DEMO_NEW, 0, 7),
    (DEMO_OVERRIDE, 1, 1),  # only the description differs
]


@pytest.mark.parametrize(
    ("scenario", "removed", "added"), PROMOTED_REGISTRY_DIFFS, ids=lambda s: getattr(s, "name", "")
)
def test_promotion_keeps_the_shared_registry_formatting(
    scenario: Scenario, removed: int, added: int, tmp_path: Path
) -> None:
    base = scenario.copy(tmp_path)
    manager = scenario.staged(base)
    component = manager.get_component(scenario.step)
    assert component is not None and component.registry_entry is not None
    registry = Path(manager.root) / component.registry_entry.target_registry
    before = registry.read_text().splitlines(keepends=True)
    assert manager.promote_to_production(scenario.step)["success"]
    after = registry.read_text().splitlines(keepends=True)
    changes = [
        line for line in difflib.ndiff(before, after) if line[:1] in "+-" and line[:2] != "? "
    ]
    assert (sum(c[0] == "-" for c in changes), sum(c[0] == "+" for c in changes)) == (
        removed,
        added,
    )
    entries = read_registry(str(registry), registry.read_bytes()).sections["STEP_NAMES"]
    promoted = {e.name: e.fields for e in entries}[scenario.step]
    assert promoted == component.registry_entry.fields
    assert [e.name for e in entries].count(scenario.step) == 1
