"""Each fixture workspace answers exactly as its expected file says (tests/fixtures/expected).

The fixtures cover DOMAIN.md's irregularities one by one (irregular), a shared root plus a
standalone developer workspace (multi), and files broken in every way a tree can be (broken).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from catalog_core import StepCatalog

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
CASES = sorted(p.stem for p in (FIXTURES / "expected").glob("*.json"))


def _rel(path: Path | None) -> str | None:
    return os.path.relpath(path, FIXTURES) if path else None


def check_catalog(case: str) -> None:
    expected = json.loads((FIXTURES / "expected" / f"{case}.json").read_text())
    catalog = StepCatalog([FIXTURES / r for r in expected["roots"]])
    for context, steps in expected["steps"].items():
        ctx = None if context == "default" else context
        assert sorted(steps) == sorted(
            n for n in catalog.list_available_steps() if catalog.get_step_info(n, workspace_id=ctx)
        ), context
        for name, want in steps.items():
            info = catalog.get_step_info(name, workspace_id=ctx)
            assert info is not None, (context, name)
            got = {
                "workspace": info.workspace_id,
                **{k: _rel(v.path) if v else None for k, v in info.file_components.items()},
                "variants": {j: _rel(v.path) for j, v in info.variants.items()},
                "complete": info.is_complete,
            }
            assert got == want, (context, name)
    for node, (step, job, spec, workspace) in expected["nodes"].items():
        info = catalog.resolve_pipeline_node(node)
        assert info is not None, node
        spec_meta = info.file_components["spec"]
        assert [
            info.step_name,
            info.job_type,
            _rel(spec_meta.path) if spec_meta else None,
            info.workspace_id,
        ] == [step, job, spec, workspace], node
    for component, step in expected["components"].items():
        assert catalog.find_step_by_component(FIXTURES / component) == step, component
    problems = [
        [p.rule, p.severity.value, _rel(p.path), p.span.start_line + 1, p.span.start_character + 1]
        for p in catalog.problems()
    ]
    assert problems == expected["problems"]
    assert catalog.known_job_types() == expected["job_types"]
    assert {w.workspace_id: w.step_count for w in catalog.list_workspaces()} == expected[
        "workspaces"
    ]


@pytest.mark.parametrize("case", CASES)
def test_fixture_answers(case: str) -> None:
    check_catalog(case)


def test_every_fixture_has_expectations() -> None:
    roots = {
        r
        for case in CASES
        for r in json.loads((FIXTURES / "expected" / f"{case}.json").read_text())["roots"]
    }
    assert {"irregular", "multi/shared", "multi/alice", "broken"} <= roots
