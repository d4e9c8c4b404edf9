"""At N = 1,000 synthetic steps the catalog finds exactly what the generator wrote: every
component linked, every variant reachable by its node name, every acronym step right."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from synth import generate

from catalog_core import StepCatalog


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    root = tmp_path_factory.mktemp("synth")
    # File contents are scaled down: sizes do not change what is linked, only how long it takes.
    sizes = {"contract": 600, "spec": 400, "config": 800, "builder": 800, "script": 200}
    manifest = generate(root, 1000, seed=11, dev_workspaces=2, dev_steps=15, sizes=sizes)
    return root, manifest


def check_step(catalog: StepCatalog, root: Path, name: str, want: dict) -> list[str]:
    """Differences between the catalog's answer for one step and the manifest."""
    errors = []
    info = catalog.get_step_info(name)
    if info is None:
        return [f"{name}: not found"]
    if info.workspace_id != want["workspace"]:
        errors.append(f"{name}: workspace {info.workspace_id} != {want['workspace']}")
    for component in ("script", "contract", "spec", "builder", "config"):
        meta = info.file_components.get(component)
        expected = want["files"].get(component)
        got = str(meta.path.relative_to(root)) if meta else None
        if got != expected:
            errors.append(f"{name}.{component}: {got} != {expected}")
    for job, rel in want["variants"].items():
        node = catalog.resolve_pipeline_node(f"{name}_{job}")
        spec = node.file_components["spec"] if node else None
        if (
            node is None
            or node.job_type != job
            or spec is None
            or str(spec.path.relative_to(root)) != rel
        ):
            errors.append(f"{name}_{job}: variant spec not reached")
    if sorted(catalog.get_job_type_variants(name)) != sorted(want["variants"]):
        errors.append(f"{name}: variants {catalog.get_job_type_variants(name)}")
    return errors


def test_every_step_matches_the_manifest(synthetic) -> None:
    root, manifest = synthetic
    catalog = StepCatalog(root)
    errors = [
        e for name, want in manifest["steps"].items() for e in check_step(catalog, root, name, want)
    ]
    assert errors == []
    assert len(catalog.list_available_steps()) == manifest["step_count"] == 1030


def test_every_component_file_maps_back_to_its_step(synthetic) -> None:
    root, manifest = synthetic
    catalog = StepCatalog(root)
    wrong = [
        (rel, catalog.find_step_by_component(root / rel), name)
        for name, want in manifest["steps"].items()
        for rel in [*want["files"].values(), *want["variants"].values()]
        if catalog.find_step_by_component(root / rel) != name
    ]
    assert wrong == []


def test_acronym_steps_are_covered_and_clean(synthetic) -> None:
    root, manifest = synthetic
    acronyms = [
        n
        for n in manifest["steps"]
        if n.startswith(("XGBoost", "PyTorch", "LightGBMMT", "MIMS", "BERT", "ONNX"))
    ]
    assert len(acronyms) > 100
    catalog = StepCatalog(root)
    assert [p for p in catalog.problems() if p.step_name in acronyms] == []
    assert json.loads((root / "manifest.json").read_text())["step_count"] == manifest["step_count"]
