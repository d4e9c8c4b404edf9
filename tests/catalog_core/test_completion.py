"""Completion in catalog_core: node-name lists depend on the prefix, so they are marked
incomplete (an editor that filtered the list from an early keystroke would never offer a step's
other job types); a config_types value offers the class its key's step declares first."""

from __future__ import annotations

from pathlib import Path

import pytest

from catalog_core import StepCatalog

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
DAG = FIXTURES / "irregular" / "pipelines" / "training_dag.py"


def labels_and_incomplete(catalog: StepCatalog, typed: str) -> tuple[list[str], bool]:
    text = DAG.read_text() + typed + '")\n'
    line = text.count("\n") - 1
    result = catalog.complete(str(DAG), text, line, len(typed), None)
    assert result is not None
    return [c.label for c in result.items], result.incomplete


def test_a_longer_prefix_adds_items_so_node_lists_are_incomplete() -> None:
    catalog = StepCatalog([FIXTURES / "irregular"])
    early, early_incomplete = labels_and_incomplete(catalog, 'dag.add_node("C')
    typed, typed_incomplete = labels_and_incomplete(catalog, 'dag.add_node("CradleDataLoading_')
    assert "CradleDataLoading_calibration" not in early
    assert typed == [
        "CradleDataLoading",
        "CradleDataLoading_training",
        "CradleDataLoading_validation",
        "CradleDataLoading_calibration",
        "CradleDataLoading_evaluation",
        "CradleDataLoading_testing",
    ]
    assert early_incomplete and typed_incomplete


@pytest.mark.parametrize(
    "typed",
    [
        '{"metadata": {"config_types": {\n  "Package": "PackageConfig",\n  "XGBoostTraining": "XGB',
        # one line, another member before the one being typed (minified files)
        '{"metadata": {"config_types": {"Package": "PackageConfig", "XGBoostTraining": "',
    ],
)
def test_the_config_class_of_the_key_being_filled_in_comes_first(typed: str) -> None:
    catalog = StepCatalog([FIXTURES / "configs"])
    lines = typed.split("\n")
    result = catalog.complete("pipeline.json", typed, len(lines) - 1, len(lines[-1]), None)
    assert result is not None and result.slot == "config_class"
    assert [(c.label, c.preselect) for c in result.items[:2]] == [
        ("XGBoostTrainingConfig", True),
        ("BasePipelineConfig", False),
    ]
