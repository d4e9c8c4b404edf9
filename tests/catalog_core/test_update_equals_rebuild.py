"""``update(changed)`` leaves the index exactly as a fresh build of the same files would, after
random edits, renames, deletions, creations and registry changes (hypothesis drives the edits).
"""

from __future__ import annotations

import random
import re
import shutil
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalog_core.index.catalog_index import CatalogIndex
from catalog_core.problems.diagnostics import all_problems

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
STEPS = [
    "Base",
    "CradleDataLoading",
    "TabularPreprocessing",
    "XGBoostTraining",
    "PyTorchModelEval",
    "LightGBMMTTraining",
    "Package",
    "Dummy",
    "DummyTraining",
    "FeatureSelection",
    "NewStep",
]
JOBS = ["training", "calibration", "validation", "testing", "evaluation"]


def snapshot(index: CatalogIndex) -> dict[str, Any]:
    """Everything the index derives from the files, in a comparable form."""
    graph = index.graph
    return {
        "records": {
            p: (
                r.kind,
                r.workspace,
                r.rel,
                repr(r.facts),
                [x.model_dump() for x in r.problems],
                r.provided,
            )
            for p, r in sorted(index.table.records.items())
        },
        "provides": {k: sorted(v) for k, v in sorted(index.table.provides.items())},
        "referrers": {k: sorted(v) for k, v in sorted(index.table.referrers.items())},
        "registries": {
            p: (f.data, sorted(f.sections)) for p, f in sorted(index.registry_facts.items())
        },
        "claims": {k: sorted(v, key=str) for k, v in sorted(graph.claims.items())},
        "claim_by_path": dict(sorted(graph.claim_by_path.items())),
        "links": {
            k: (dict(v.components), dict(v.variants), sorted(v.duplicates), sorted(v.deps))
            for k, v in sorted(graph.links.items())
        },
        "deps": {k: sorted(v) for k, v in sorted(graph.deps.items())},
        "usages": dict(sorted(index.python_usages.items())),
        "json": index.json_files,
        # problems are cached per step across updates: the cache must match a fresh build
        "problems": [p.model_dump() for p in all_problems(index)],
    }


def _py_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.py") if "steps" in p.parts or "registry" in p.parts)


def _edit(root: Path, rng: random.Random) -> list[Path]:
    """One random realistic edit; returns the paths it touched (created, changed or deleted)."""
    files = _py_files(root)
    target = rng.choice(files)
    kind = rng.randrange(9)
    text = target.read_text(errors="replace") if target.exists() else ""
    if kind == 0:  # rename a class
        new = re.sub(
            r"class (\w+)",
            lambda m: f"class {rng.choice(STEPS)}{rng.choice(['Config', 'StepBuilder'])}",
            text,
            count=1,
        )
        target.write_text(new)
        return [target]
    if kind == 1:  # change the declared step or job type
        new = re.sub(
            r'get_spec_step_type\("(\w+)"\)', f'get_spec_step_type("{rng.choice(STEPS)}")', text
        )
        new = re.sub(
            r'"(training|calibration|validation|testing)"\)', f'"{rng.choice(JOBS)}")', new
        )
        target.write_text(new)
        return [target]
    if kind == 2:  # point a contract elsewhere / change an import
        new = re.sub(
            r'entry_point="[^"]*"',
            f'entry_point="{rng.choice(["script.py", "dummy.py", "gone.py"])}"',
            text,
        )
        new = re.sub(
            r"contracts\.(\w+)",
            f"contracts.{rng.choice(['dummy_contract', 'package_contract', 'missing_contract'])}",
            new,
        )
        target.write_text(new)
        return [target]
    if kind == 3:  # delete
        target.unlink()
        return [target]
    if kind == 4:  # rename (delete + create)
        dest = target.with_name(
            rng.choice(
                [
                    "renamed_spec.py",
                    "config_dummy_step.py",
                    "dummy_contract.py",
                    "builder_package_step.py",
                    "tabular_preprocessing_testing_spec.py",
                ]
            )
        )
        existed = dest.exists()
        shutil.move(target, dest)
        return [target, dest] if not existed or dest != target else [dest]
    if kind == 5:  # create a variant spec
        step = rng.choice(STEPS)
        snake = re.sub(r"(?<!^)(?=[A-Z])", "_", step).lower()
        folder = rng.choice(sorted({p.parent for p in files if p.parent.name == "specs"}))
        dest = folder / f"{snake}_{rng.choice(JOBS)}_spec.py"
        dest.write_text(
            f'S = StepSpecification(step_type=get_spec_step_type_with_job_type("{step}", "{rng.choice(JOBS)}"))\n'
        )
        return [dest]
    if kind == 6:  # half-typed file
        target.write_text(text[: rng.randrange(len(text) + 1)])
        return [target]
    if kind == 7:  # registry entry added, removed or changed
        registries = [p for p in files if "registry" in p.parts]
        reg = rng.choice(registries)
        body = reg.read_text()
        choice = rng.randrange(3)
        if choice == 0:
            body = body.replace(
                "{\n",
                '{\n    "NewStep": {"config_class": "NewStepConfig", "builder_step_name": "NewStepStepBuilder", "sagemaker_step_type": "Processing"},\n',
                1,
            )
        elif choice == 1:
            body = re.sub(
                r'"config_class": "(\w+)"', '"config_class": "RenamedConfig"', body, count=1
            )
        else:
            body = re.sub(r'\n    "\w+": \{[^{}]*\},', "", body, count=1)
        reg.write_text(body)
        return [reg]
    garbage = rng.randbytes(rng.randrange(1, 200))  # binary garbage in a component file
    target.write_bytes(garbage)
    return [target]


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(seed=st.integers(0, 2**32 - 1), edits=st.integers(1, 6))
def test_update_equals_rebuild(tmp_path_factory, seed: int, edits: int) -> None:
    base = tmp_path_factory.mktemp("ws")
    shutil.copytree(FIXTURES / "irregular", base / "irregular")
    shutil.copytree(FIXTURES / "multi", base / "multi")
    roots = [base / "irregular", base / "multi" / "shared", base / "multi" / "alice"]
    index = CatalogIndex(roots)
    snapshot(index)  # fills the caches an update must keep or drop correctly
    rng = random.Random(seed)
    for _ in range(edits):
        changed = _edit(base, rng)
        index.update(changed)
        assert snapshot(index) == snapshot(CatalogIndex(roots))


def test_update_reports_the_files_whose_problems_changed(workspace_copy) -> None:
    root = workspace_copy("irregular")
    index = CatalogIndex([root])
    script = root / "src/pipelines/steps/scripts/calibrate_model.py"
    script.write_text("def main():\n    return 0\n")
    affected = index.update([script])
    contract = root / "src/pipelines/steps/contracts/model_calibration_contract.py"
    registry = root / "src/pipelines/registry/step_names.py"
    assert affected is not None and {str(contract), str(script), str(registry)} <= affected
