"""The interface-first fixtures (``tests/fixtures/{v2,v2_project,mixed}``) against their expected
answers (``tests/fixtures/expected_v2``, written from DOMAIN_V2.md): every step with its files,
every DAG node resolved, the registry rows no interface declares, and exactly the problems."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from catalog_core.api import StepCatalog

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
EXPECTED = FIXTURES / "expected_v2"
WORKSPACES = ["v2", "v2_project", "mixed"]
# The context the answers are for: the project's own (its step pack shadows the framework).
CONTEXT = {"v2_project": "v2_project"}


def _expected(name: str) -> dict[str, Any]:
    return json.loads((EXPECTED / f"{name}.json").read_text())


def _rel(path: Any) -> str | None:
    return None if path is None else Path(path).resolve().relative_to(FIXTURES).as_posix()


@pytest.fixture(scope="module")
def catalogs() -> dict[str, StepCatalog]:
    return {
        name: StepCatalog([FIXTURES / root for root in _expected(name)["roots"]])
        for name in WORKSPACES
    }


def _step_answer(
    catalog: StepCatalog, step: str, want: dict[str, Any], context: str | None
) -> dict[str, Any]:
    info = catalog.get_step_info(step, workspace_id=context)
    assert info is not None, step
    files = info.file_components
    got: dict[str, Any] = {
        "layout": info.layout,
        "interface": _rel(files["spec"].path)
        if info.layout == "interface" and files["spec"]
        else None,
        "config_class": info.config_class,
        "config": _rel(files["config"].path) if files["config"] else None,
        "builder_step_name": info.builder_step_name,
        "script": _rel(files["script"].path) if files["script"] else None,
        "sagemaker_step_type": info.registry_data.get("sagemaker_step_type"),
        "node_type": info.node_type,
        "variants": sorted(info.variants),
        "source": info.source,
    }
    if info.layout == "1.x":
        got["contract"] = _rel(files["contract"].path) if files["contract"] else None
        got["spec"] = _rel(files["spec"].path) if files["spec"] else None
        got["builder_file"] = _rel(files["builder"].path) if files["builder"] else None
    return {k: got[k] for k in want if k in got}


@pytest.mark.parametrize("name", WORKSPACES)
def test_every_step_with_its_files(catalogs: dict[str, StepCatalog], name: str) -> None:
    expected = _expected(name)
    catalog = catalogs[name]
    extras = set(expected["registry_rows_without_interface"])
    assert set(catalog.list_available_steps()) - extras == set(expected["steps"])
    for step, want in expected["steps"].items():
        want = {k: v for k, v in want.items() if k != "also_1x"}
        assert _step_answer(catalog, step, want, CONTEXT.get(name)) == want, step


@pytest.mark.parametrize("name", WORKSPACES)
def test_registry_rows_without_interface(catalogs: dict[str, StepCatalog], name: str) -> None:
    catalog = catalogs[name]
    for step, row in _expected(name)["registry_rows_without_interface"].items():
        info = catalog.get_step_info(step)
        assert info is not None and info.registry_data == row, step
        assert info.is_complete, step  # builders are synthesised; abstract rows need no files


@pytest.mark.parametrize("name", WORKSPACES)
def test_every_node_resolves(catalogs: dict[str, StepCatalog], name: str) -> None:
    catalog = catalogs[name]
    for node, want in _expected(name)["nodes"].items():
        info = catalog.resolve_pipeline_node(node, workspace_id=CONTEXT.get(name))
        if want is None:
            assert info is None, node
            continue
        assert info is not None, node
        step, job, where = want
        assert (info.base_step_name or info.step_name, info.job_type) == (step, job), node
        spec = info.file_components["spec"]
        assert spec is not None, node
        if info.layout == "interface":
            symbol = spec.symbol or ""
            assert (symbol if symbol.startswith("variants.") else "base") == where, node
        else:
            assert _rel(spec.path) == where, node


@pytest.mark.parametrize("name", WORKSPACES)
def test_exactly_the_expected_problems(catalogs: dict[str, StepCatalog], name: str) -> None:
    expected = _expected(name)
    scope = expected.get("problems_scope", "")
    got = sorted(
        (p.rule, p.severity.value, _rel(p.path), p.span.start_line + 1)
        for p in catalogs[name].problems()
        if p.path is not None and (_rel(p.path) or "").startswith(scope)
    )
    want = sorted((rule, sev, path, line) for rule, sev, path, line, _ in expected["problems"])
    assert got == want
