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
                repr(r.interface),
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
        "interfaces": {p: repr(f) for p, f in sorted(index.interfaces.items())},
        "interface_rows": {
            p: [(e.name, e.fields, e.key_span) for es in f.sections.values() for e in es]
            for p, f in sorted(index.interface_rows.items())
        },
        "dags": {p: repr(f) for p, f in sorted(index.dags.items())},
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


# -- the interface-first layout: interfaces, DAG JSON and notebooks edited ---------------------

V2_STEPS = ["CradleDataLoading", "TabularPreprocessing", "Package", "XGBoostTraining", "NewStep"]


def _v2_edit(root: Path, rng: random.Random) -> list[Path]:
    """One random edit of an interface, a DAG JSON file, a notebook or a step-pack file."""
    interfaces = sorted(root.rglob("*.step.yaml"))
    dags = sorted(root.rglob("*.dag.json"))
    kind = rng.randrange(9)
    if kind == 0 and interfaces:  # the step renamed (its registry row changes)
        target = rng.choice(interfaces)
        text = re.sub(
            r"(?m)^step_type: .*$",
            f"step_type: {rng.choice(V2_STEPS)}",
            target.read_text(errors="replace"),
        )
        target.write_text(text)
        return [target]
    if kind == 1 and interfaces:  # the entry point or the config class changed
        target = rng.choice(interfaces)
        text = re.sub(
            r"entry_point: \S+",
            f"entry_point: {rng.choice(['package.py', 'gone.py', 'null'])}",
            target.read_text(errors="replace"),
        )
        text = re.sub(r"config_class: \w+", f"config_class: {rng.choice(V2_STEPS)}Config", text)
        target.write_text(text)
        return [target]
    if kind == 2 and interfaces:  # a variant added or the variants dropped
        target = rng.choice(interfaces)
        text = target.read_text(errors="replace")
        if "variants:" in text and rng.random() < 0.5:
            text = text.split("variants:", 1)[0]
        else:
            text += f"\nvariants:\n  {rng.choice(JOBS)}:\n    spec: {{}}\n"
        target.write_text(text)
        return [target]
    if kind == 3 and interfaces:  # half-typed
        target = rng.choice(interfaces)
        text = target.read_text(errors="replace")
        target.write_text(text[: rng.randrange(len(text) + 1)])
        return [target]
    if kind == 4 and interfaces:  # deleted
        target = rng.choice(interfaces)
        target.unlink()
        return [target]
    if kind == 5:  # a new interface
        folder = rng.choice(sorted({p.parent for p in interfaces} or {root}))
        step = rng.choice(V2_STEPS)
        dest = folder / f"new_{rng.randrange(3)}.step.yaml"
        dest.write_text(
            f"step_type: {step}\nregistry:\n  sagemaker_step_type: Processing\n"
            f"contract:\n  entry_point: {rng.choice(['package.py', 'x.py'])}\n"
        )
        return [dest]
    if kind == 6 and dags:  # a DAG node renamed or the file truncated
        target = rng.choice(dags)
        text = target.read_text(errors="replace")
        if rng.random() < 0.5:
            text = text.replace("CradleDataLoading", rng.choice(V2_STEPS), 1)
        else:
            text = text[: rng.randrange(len(text) + 1)]
        target.write_text(text)
        return [target]
    if kind == 7:  # a notebook's code changed
        notebooks = sorted(root.rglob("*.ipynb"))
        if notebooks:
            target = rng.choice(notebooks)
            target.write_text(
                target.read_text(errors="replace").replace("XGBoostTraining", rng.choice(V2_STEPS))
            )
            return [target]
    targets = interfaces + dags
    if not targets:
        return []
    target = rng.choice(targets)
    target.write_bytes(rng.randbytes(rng.randrange(1, 200)))
    return [target]


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(seed=st.integers(0, 2**32 - 1), edits=st.integers(1, 6))
def test_update_equals_rebuild_interface_first(tmp_path_factory, seed: int, edits: int) -> None:
    base = tmp_path_factory.mktemp("v2")
    for name in ("v2", "v2_project", "mixed"):
        shutil.copytree(FIXTURES / name, base / name)
    roots = [base / "v2_project", base / "v2", base / "mixed"]
    index = CatalogIndex(roots)
    snapshot(index)
    rng = random.Random(seed)
    for _ in range(edits):
        changed = _v2_edit(base, rng)
        index.update(changed)
        assert snapshot(index) == snapshot(CatalogIndex(roots))
