"""config_types rules, table-driven: each fixture file under tests/fixtures/configs exercises
one rule, and its expected problems (rule, severity, exact range) are data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from catalog_core import StepCatalog
from catalog_core.problems.config_naming import generate_step_name

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
EXPECTED = json.loads((FIXTURES / "expected/config_rules/configs.json").read_text())
ROOT = FIXTURES / EXPECTED["root"]


@pytest.fixture(scope="module")
def catalog() -> StepCatalog:
    return StepCatalog(ROOT)


def check_file(catalog: StepCatalog, name: str) -> None:
    path = ROOT / "pipeline_configs" / name
    got = [
        [
            p.rule,
            p.severity.value,
            p.span.start_line + 1,
            p.span.start_character + 1,
            p.span.end_line + 1,
            p.span.end_character + 1,
        ]
        for p in catalog.problems(path)
    ]
    assert got == EXPECTED["files"][name]


@pytest.mark.parametrize("name", sorted(EXPECTED["files"]))
def test_rules(catalog: StepCatalog, name: str) -> None:
    check_file(catalog, name)


def test_a_valid_file_has_no_problem_and_non_configs_are_ignored(catalog: StepCatalog) -> None:
    assert EXPECTED["files"]["valid.json"] == []
    assert sorted(p.name for p in catalog.config_files()) == EXPECTED["config_files"]
    assert "package.json" not in EXPECTED["config_files"]


def test_class_name_key_range_is_the_quoted_key(catalog: StepCatalog) -> None:
    path = ROOT / "pipeline_configs/class_name_keys.json"
    lines = path.read_text().splitlines()
    problem = next(p for p in catalog.problems(path) if p.rule == "config-key-is-class-name")
    span = problem.span
    assert (
        lines[span.start_line][span.start_character : span.end_character] == '"BasePipelineConfig"'
    )
    assert problem.data == {"fix": "Base"}


def test_job_types_known_from_dags_settings_and_declaring_configs(catalog: StepCatalog) -> None:
    assert catalog.known_job_types() == [
        "calibration",
        "inference",
        "pretrain",
        "testing",
        "training",
        "validation",
    ]


@pytest.mark.parametrize(
    ("config_class", "fields", "expected"),
    [
        ("CradleDataLoadConfig", {"job_type": "training"}, "CradleDataLoading_training"),
        ("CradleDataLoadConfig", {}, "CradleDataLoading"),
        ("XGBoostTrainingConfig", {"data_type": "tabular"}, "XGBoostTraining_tabular"),
        ("PackageConfig", {"job_type": "training", "mode": "prod"}, "Package_training_prod"),
        ("UnregisteredThingConfig", {"job_type": "calibration"}, "UnregisteredThing_calibration"),
        ("OddName", {}, "OddName"),
        ("PackageConfig", {"step_name_override": "MyPackaging", "job_type": "x"}, "MyPackaging"),
        ("PackageConfig", {"step_name_override": "", "job_type": None}, "Package"),
    ],
)
def test_step_name_generation(
    catalog: StepCatalog, config_class: str, fields: dict, expected: str
) -> None:
    ctx = catalog.config_context()
    assert generate_step_name(config_class, fields, ctx.step_of_config_class) == expected
