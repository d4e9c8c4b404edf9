"""Reverse lookup accepts every path form; search ranks and deduplicates."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from catalog_core import StepCatalog

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
CONTRACT = "src/pipelines/steps/contracts/preprocess_contract.py"


@pytest.fixture(scope="module")
def catalog() -> StepCatalog:
    return StepCatalog(FIXTURES / "irregular")


@pytest.mark.parametrize(
    "form",
    [
        "absolute",
        "relative to the root",
        "with dot-dot",
        "trailing components",
        "pathlib",
    ],
)
def test_find_step_by_component_path_forms(catalog: StepCatalog, form: str) -> None:
    root = FIXTURES / "irregular"
    path = {
        "absolute": str(root / CONTRACT),
        "relative to the root": CONTRACT,
        "with dot-dot": str(root / "src/pipelines/steps/specs/../contracts/preprocess_contract.py"),
        "trailing components": "contracts/preprocess_contract.py",
        "pathlib": root / CONTRACT,
    }[form]
    assert catalog.find_step_by_component(path) == "TabularPreprocessing"


def test_find_step_through_a_symlinked_folder(tmp_path: Path) -> None:
    link = tmp_path / "linked"
    link.symlink_to(FIXTURES / "irregular")
    catalog = StepCatalog(link)
    assert catalog.find_step_by_component(link / CONTRACT) == "TabularPreprocessing"
    assert (
        catalog.find_step_by_component(FIXTURES / "irregular" / CONTRACT) == "TabularPreprocessing"
    )


def test_unknown_and_ambiguous_paths(catalog: StepCatalog) -> None:
    assert catalog.find_step_by_component("nowhere/x.py") is None
    assert catalog.find_step_by_component("__init__.py") is None  # many candidates: no guess
    assert catalog.find_step_by_component(os.sep) is None


@pytest.mark.parametrize(
    ("query", "first", "reason"),
    [
        ("XGBoostTraining", "XGBoostTraining", "exact_match"),
        ("xgboost_training", "XGBoostTraining", "normalized_match"),
        ("xgb train", "XGBoostTraining", "prefix_match"),
        (
            "tabular_preprocess",
            "TabularPreprocessing",
            "normalized_match",
        ),  # preprocess -> preprocessing
        ("pytorch eval", "PyTorchModelEval", "words_match"),
        ("Dummy_calibration", "Dummy", "node_name_match"),
        ("pakage", "Package", "fuzzy_match"),
        ("contract file named differently", "TabularPreprocessing", "description_match"),
    ],
)
def test_search_ranks(catalog: StepCatalog, query: str, first: str, reason: str) -> None:
    results = catalog.search_steps(query)
    assert (results[0].step_name, results[0].match_reason) == (first, reason)
    names = [r.step_name for r in results]
    assert len(names) == len(set(names))
    scores = [r.match_score for r in results]
    assert scores == sorted(scores, reverse=True)


def test_search_by_job_type(catalog: StepCatalog) -> None:
    assert [r.step_name for r in catalog.search_steps("Dummy", job_type="calibration")] == ["Dummy"]
    assert catalog.search_steps("") == []


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # letters in order, across words (what editors call fuzzy): steps first, then components
        (
            "tabprep",
            [
                ("TabularPreprocessing", "step"),
                ("TabularPreprocessingStepBuilder", "class"),
                ("TabularPreprocessingConfig", "class"),
            ],
        ),
        (
            "lgbmmttrn",
            [
                ("LightGBMMTTraining", "step"),
                ("LightGBMMTTrainingStepBuilder", "class"),
                ("LIGHTGBMMT_TRAINING_SPEC", "constant"),
                ("LightGBMMTTrainingConfig", "class"),
                ("LIGHTGBMMT_TRAINING_CONTRACT", "constant"),
            ],
        ),
        ("zq", []),
        ("", []),
    ],
)
def test_workspace_symbols_match_letters_in_order(
    catalog: StepCatalog, query: str, expected: list[tuple[str, str]]
) -> None:
    assert [(s.name, s.kind) for s in catalog.workspace_symbols(query)] == expected
