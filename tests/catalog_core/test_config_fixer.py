"""The fixer: golden output, what it refuses, and properties (idempotent, lossless outside the
keys it changes, output passes the rules, never raises on broken JSON) checked with hypothesis."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalog_core import StepCatalog
from catalog_core.facts.config_document import read_config
from catalog_core.problems.config_fixer import fix_text
from catalog_core.problems.config_rules import validate

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
ROOT = FIXTURES / "configs"
CONFIGS = ROOT / "pipeline_configs"
STEPS = {  # the fixture registry: step -> config class
    "Base": "BasePipelineConfig",
    "CradleDataLoading": "CradleDataLoadConfig",
    "TabularPreprocessing": "TabularPreprocessingConfig",
    "XGBoostTraining": "XGBoostTrainingConfig",
    "XGBoostModelEval": "XGBoostModelEvalConfig",
    "Package": "PackageConfig",
}
JOBS = [None, "training", "calibration", "validation", "testing"]


@pytest.fixture(scope="module")
def catalog() -> StepCatalog:
    return StepCatalog(ROOT)


def check_fix(
    catalog: StepCatalog,
    name: str,
    expected_edits: list[tuple[str, str]],
    expected_unresolved: list[str],
) -> str:
    path = CONFIGS / name
    text = path.read_text()
    fixed, plan = catalog.fix_config_types(text, path)
    assert [(e.old_key, e.new_key) for e in plan.edits] == expected_edits
    assert [key for key, _ in plan.unresolved] == expected_unresolved
    return fixed


def test_golden(catalog: StepCatalog) -> None:
    fixed = check_fix(
        catalog,
        "class_name_keys.json",
        [
            ("BasePipelineConfig", "Base"),
            ("CradleDataLoadConfig", "CradleDataLoading_training"),
            ("XGBoostTrainingConfig", "XGBoostTraining"),
            ("XGBoostModelEvalConfig", "XGBoostModelEval_calibration"),
        ],
        [],
    )
    assert fixed == (FIXTURES / "expected/config_rules/class_name_keys.fixed.json").read_text()


def test_ambiguous_and_colliding_keys_are_left_and_reported(catalog: StepCatalog) -> None:
    fixed = check_fix(
        catalog, "ambiguous_class_key.json", [], ["CradleDataLoadConfig", "PackageConfig"]
    )
    assert fixed == (CONFIGS / "ambiguous_class_key.json").read_text()


def test_compact_and_truncated_files_are_edited_in_place(catalog: StepCatalog) -> None:
    fixed = check_fix(catalog, "compact.json", [("PackageConfig", "Package")], [])
    assert fixed == (CONFIGS / "compact.json").read_text().replace(
        '"PackageConfig":"Pack', '"Package":"Pack', 1
    )
    truncated = check_fix(
        catalog, "truncated.json", [("XGBoostTrainingConfig", "XGBoostTraining")], []
    )
    assert truncated.startswith((CONFIGS / "truncated.json").read_text()[:40])


def _config(draw: st.DrawFn) -> tuple[str, list[str]]:
    """A valid config in a random style, then some keys turned into class names."""
    nodes = {}
    for step in draw(st.lists(st.sampled_from(sorted(STEPS)), min_size=1, max_size=6, unique=True)):
        job = draw(st.sampled_from(JOBS))
        nodes[f"{step}_{job}" if job else step] = (STEPS[step], job)
    specific = {
        k: ({"__model_type__": cls, "job_type": job} if job else {"__model_type__": cls})
        for k, (cls, job) in nodes.items()
    }
    doc = {
        "configuration": {"shared": {"region": "eu"}, "specific": specific},
        "metadata": {"config_types": {k: cls for k, (cls, _) in nodes.items()}},
    }
    indent = draw(st.sampled_from([None, 1, 2, 4, "\t"]))
    text = json.dumps(doc, indent=indent, sort_keys=draw(st.booleans()))
    broken = []
    for key, (cls, _) in nodes.items():
        if draw(st.booleans()) and f'"{cls}": "{cls}"' not in text and cls not in broken:
            text = text.replace(f'"{key}": "{cls}"', f'"{cls}": "{cls}"').replace(
                f'"{key}":"{cls}"', f'"{cls}":"{cls}"'
            )
            broken.append(cls)
    return text, broken


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.data())
def test_fixer_properties(catalog: StepCatalog, data: st.DataObject) -> None:
    text, broken = data.draw(st.composite(_config)())
    ctx = catalog.config_context()
    fixed, plan = fix_text(text, ctx)
    again, second = fix_text(fixed, ctx)
    assert again == fixed and second.edits == []  # idempotent
    kept = text  # every byte outside the changed keys is preserved, in order
    for edit in sorted(plan.edits, key=lambda e: e.start, reverse=True):
        kept = kept[: edit.start] + kept[edit.end :]
    rebuilt = fixed
    for edit in sorted(plan.edits, key=lambda e: e.start, reverse=True):
        start = edit.start + sum(
            len(e.new_text) - (e.end - e.start) for e in plan.edits if e.start < edit.start
        )
        rebuilt = rebuilt[:start] + rebuilt[start + len(edit.new_text) :]
    assert rebuilt == kept
    assert json.loads(fixed)["configuration"] == json.loads(text)["configuration"]
    assert sorted(e.old_key for e in plan.edits) == sorted(broken)
    rules = {p.rule for p in validate(read_config(fixed), Path("x.json"), ctx)}
    assert rules.isdisjoint(
        {"config-key-is-class-name", "config-orphan-specific", "config-class-mismatch"}
    )


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(sorted(CONFIGS.glob("*.json"))), st.integers(0, 4000), st.text(max_size=8))
def test_broken_json_never_raises(path: Path, cut: int, junk: str) -> None:
    text = path.read_text()
    for variant in (text[:cut], text[:cut] + junk + text[cut:]):
        doc = read_config(variant)
        if doc.error is not None:
            assert 0 <= doc.error[0] <= len(variant)


def test_cli_check_write_and_backup(tmp_path: Path) -> None:
    target = tmp_path / "config.json"
    original = (CONFIGS / "class_name_keys.json").read_bytes()
    target.write_bytes(original)
    cmd = [
        sys.executable,
        "-m",
        "catalog_core",
        "fix-config-types",
        str(target),
        "--root",
        str(ROOT),
    ]
    assert subprocess.run([*cmd, "--check"], capture_output=True).returncode == 1
    dry = subprocess.run(cmd, capture_output=True, text=True)
    assert dry.returncode == 0 and target.read_bytes() == original
    assert "'BasePipelineConfig' -> 'Base'" in dry.stdout
    done = subprocess.run([*cmd, "--write"], capture_output=True, text=True)
    assert done.returncode == 0
    assert (tmp_path / "config.json.bak").read_bytes() == original
    assert (
        target.read_text()
        == (FIXTURES / "expected/config_rules/class_name_keys.fixed.json").read_text()
    )
    assert subprocess.run([*cmd, "--check"], capture_output=True).returncode == 0
    target.write_bytes(original)
    subprocess.run([*cmd, "--write", "--no-backup"], capture_output=True, check=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["config.json", "config.json.bak"]
    missing = subprocess.run(
        [*cmd[:4], str(tmp_path / "nope.json")], capture_output=True, text=True
    )
    assert missing.returncode == 2 and "no such file" in missing.stderr
