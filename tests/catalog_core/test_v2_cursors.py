"""Go to definition at the cursors of ``tests/fixtures/expected_v2/cursors.json`` (interface
steps, step packs, DAG JSON, config keys, entry points, compatible_sources, a mixed tree).
Notebook cases are asked through the server, where cells are documents of their own."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from catalog_core.api import StepCatalog

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
CASES: list[dict[str, Any]] = json.loads((FIXTURES / "expected_v2" / "cursors.json").read_text())
ROOTS = {"v2": ["v2"], "v2_project": ["v2_project", "v2"], "mixed": ["mixed"]}


@pytest.fixture(scope="module")
def catalogs() -> dict[str, StepCatalog]:
    return {name: StepCatalog([FIXTURES / r for r in roots]) for name, roots in ROOTS.items()}


@pytest.mark.parametrize(
    "case",
    [c for c in CASES if "cell" not in c],
    ids=lambda c: f"{c['file']}:{c['line']}",
)
def test_definition(catalogs: dict[str, StepCatalog], case: dict[str, Any]) -> None:
    catalog = catalogs[case["file"].split("/")[0]]
    path = str((FIXTURES / case["file"]).resolve())
    text = Path(path).read_text()
    context = catalog.workspace_of(path)
    ref = catalog.name_at(path, text, case["line"] - 1, case["character"])
    targets = catalog.definition_targets(ref, context) if ref is not None else []
    got = [
        [t.path.resolve().relative_to(FIXTURES).as_posix(), t.span.start_line + 1] for t in targets
    ]
    assert got == case["expect"], case["note"]
