"""The framework-compatible ``catalog_core.step_names`` API answers from the fixture catalogs:
every public name imports, each helper gives the expected answer per workspace context (passed
as ``workspace_id`` and set as the context), and unknown names get the documented error."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest

import catalog_core
import catalog_core.step_names as sn
from catalog_core.step_names import UnknownStepError, workspace_context

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo"
MULTI = (FIXTURES / "multi" / "shared", FIXTURES / "multi" / "alice")

pytestmark = pytest.mark.usefixtures("isolated_library")

CORE_INFO = {
    "TabularPreprocessing": {
        "config_class": "TabularPreprocessingConfig",
        "builder_step_name": "TabularPreprocessingStepBuilder",
        "spec_type": "TabularPreprocessing",
        "sagemaker_step_type": "Processing",
        "description": "Tabular data preprocessing step",
    },
    "XGBoostTraining": {
        "config_class": "XGBoostTrainingConfig",
        "builder_step_name": "XGBoostTrainingStepBuilder",
        "spec_type": "XGBoostTraining",
        "sagemaker_step_type": "Training",
        "description": "XGBoost model training step",
    },
}
ALICE_INFO = {
    **CORE_INFO,
    "XGBoostTraining": {
        **CORE_INFO["XGBoostTraining"],
        "description": "XGBoost training with Alice's early stopping",
    },
    "FeatureSelection": {
        "config_class": "FeatureSelectionConfig",
        "builder_step_name": "FeatureSelectionStepBuilder",
        "spec_type": "FeatureSelection",
        "sagemaker_step_type": "Processing",
        "description": "Selects features",
    },
}

# (function, arguments, workspace, expected answer) on the multi fixture.
MULTI_CASES: list[tuple[str, tuple[Any, ...], str | None, Any]] = [
    ("get_step_names", (), None, CORE_INFO),
    ("get_step_names", (), "alice", ALICE_INFO),
    ("list_all_step_info", (), "alice", ALICE_INFO),
    ("get_step_names", (), "nobody", CORE_INFO),  # an unknown workspace sees the core
    ("get_step_names", (), "shared", CORE_INFO),
    (
        "get_config_step_registry",
        (),
        "alice",
        {
            "TabularPreprocessingConfig": "TabularPreprocessing",
            "XGBoostTrainingConfig": "XGBoostTraining",
            "FeatureSelectionConfig": "FeatureSelection",
        },
    ),
    (
        "get_builder_step_names",
        (),
        None,
        {
            "TabularPreprocessing": "TabularPreprocessingStepBuilder",
            "XGBoostTraining": "XGBoostTrainingStepBuilder",
        },
    ),
    (
        "get_spec_step_types",
        (),
        "alice",
        {
            "TabularPreprocessing": "TabularPreprocessing",
            "XGBoostTraining": "XGBoostTraining",
            "FeatureSelection": "FeatureSelection",
        },
    ),
    ("get_config_class_name", ("FeatureSelection",), "alice", "FeatureSelectionConfig"),
    ("get_builder_step_name", ("XGBoostTraining",), None, "XGBoostTrainingStepBuilder"),
    ("get_spec_step_type", ("TabularPreprocessing",), None, "TabularPreprocessing"),
    (
        "get_spec_step_type_with_job_type",
        ("TabularPreprocessing", "training"),
        None,
        "TabularPreprocessing_Training",
    ),
    ("get_spec_step_type_with_job_type", ("XGBoostTraining",), None, "XGBoostTraining"),
    (
        "get_step_name_from_spec_type",
        ("TabularPreprocessing_Calibration",),
        None,
        "TabularPreprocessing",
    ),
    ("get_step_name_from_spec_type", ("FeatureSelection",), "alice", "FeatureSelection"),
    ("get_all_step_names", (), None, ["TabularPreprocessing", "XGBoostTraining"]),
    (
        "get_all_step_names",
        (),
        "alice",
        ["TabularPreprocessing", "XGBoostTraining", "FeatureSelection"],
    ),
    ("validate_step_name", ("FeatureSelection",), None, False),
    ("validate_step_name", ("FeatureSelection",), "alice", True),
    ("validate_step_name", ("xgboost_training",), None, False),  # exact names only
    ("validate_spec_type", ("XGBoostTraining_Training",), None, True),
    ("validate_spec_type", ("FeatureSelection",), None, False),
    ("get_step_description", ("XGBoostTraining",), None, "XGBoost model training step"),
    (
        "get_step_description",
        ("XGBoostTraining",),
        "alice",
        "XGBoost training with Alice's early stopping",
    ),
    ("get_sagemaker_step_type", ("FeatureSelection",), "alice", "Processing"),
    (
        "get_steps_by_sagemaker_type",
        ("Processing",),
        "alice",
        ["TabularPreprocessing", "FeatureSelection"],
    ),
    ("get_steps_by_sagemaker_type", ("Transform",), None, []),
    ("get_all_sagemaker_step_types", (), None, ["Processing", "Training"]),
    ("validate_sagemaker_step_type", ("RegisterModel",), None, True),
    ("validate_sagemaker_step_type", ("Procesing",), None, False),
    (
        "get_sagemaker_step_type_mapping",
        (),
        "alice",
        {
            "Processing": ["TabularPreprocessing", "FeatureSelection"],
            "Training": ["XGBoostTraining"],
        },
    ),
    (
        "get_canonical_name_from_file_name",
        ("config_xgboost_training_step.py",),
        None,
        "XGBoostTraining",
    ),
    (
        "get_canonical_name_from_file_name",
        ("builder_tabular_preprocessing_step",),
        None,
        "TabularPreprocessing",
    ),
    (
        "get_canonical_name_from_file_name",
        ("tabular_preprocessing_contract.py",),
        None,
        "TabularPreprocessing",
    ),
    ("get_canonical_name_from_file_name", ("xgboost_training_spec.py",), None, "XGBoostTraining"),
    (
        "get_canonical_name_from_file_name",
        ("tabular_preprocessing_calibration_spec.py",),
        None,
        "TabularPreprocessing",
    ),
    ("get_canonical_name_from_file_name", ("xgboost_training.py",), None, "XGBoostTraining"),
    ("get_canonical_name_from_file_name", ("xgboost_training",), None, "XGBoostTraining"),
    ("get_canonical_name_from_file_name", ("XGBoostTraining",), None, "XGBoostTraining"),
    (
        "get_canonical_name_from_file_name",
        ("steps/specs/feature_selection_training_spec.py",),
        "alice",
        "FeatureSelection",
    ),
    ("validate_file_name", ("feature_selection_spec.py",), None, False),
    ("validate_file_name", ("feature_selection_spec.py",), "alice", True),
    ("validate_file_name", ("xgboost_training_extra_spec.py",), None, False),  # not a job type
    ("list_available_workspaces", (), None, ["alice"]),
    ("get_workspace_step_count", ("alice",), None, 3),
    ("get_workspace_step_count", ("shared",), None, 2),
    ("has_workspace_conflicts", (), None, False),
    ("get_workspace_conflicts", (), None, {}),
]

# The demo: acronyms, a one-word step, a second developer, a contract named unlike its step.
DEMO_CASES: list[tuple[str, tuple[Any, ...], str | None, Any]] = [
    ("get_canonical_name_from_file_name", ("lightgbmmt_training",), "bob", "LightGBMMTTraining"),
    (
        "get_canonical_name_from_file_name",
        ("config_lightgbmmt_training_step.py",),
        "bob",
        "LightGBMMTTraining",
    ),
    (
        "get_canonical_name_from_file_name",
        ("pytorch_model_eval_contract.py",),
        None,
        "PyTorchModelEval",
    ),
    ("get_canonical_name_from_file_name", ("xgboost_model",), None, "XGBoostModel"),
    ("get_canonical_name_from_file_name", ("package",), None, "Package"),
    (
        "get_canonical_name_from_file_name",
        ("cradle_data_loading_training_spec.py",),
        None,
        "CradleDataLoading",
    ),
    (
        "get_canonical_name_from_file_name",
        ("tabular_preprocess_contract.py",),
        None,
        "TabularPreprocessing",
    ),
    ("validate_file_name", ("lightgbmmt_training",), None, False),  # bob's step only
    ("validate_sagemaker_step_type", ("CradleDataLoading",), None, True),
    ("list_available_workspaces", (), None, ["alice", "bob", "fraud_detection"]),
    ("has_workspace_conflicts", (), None, False),
    ("get_workspace_step_count", ("bob",), None, 7),
]


def check(function: str, args: tuple[Any, ...], workspace: str | None, expected: Any) -> None:
    """The answer with ``workspace_id=``, and the same answer with the context set instead."""
    fn = getattr(sn, function)
    param = inspect.signature(fn).parameters.get("workspace_id")
    if param is None or param.default is not None:  # no optional workspace_id to pass
        assert fn(*args) == expected, (function, args)
        return
    assert fn(*args, workspace_id=workspace) == expected, (function, args, workspace)
    if workspace not in (None, "nobody"):
        with workspace_context(workspace):
            assert fn(*args) == expected, (function, args, "as context", workspace)


@pytest.mark.parametrize("case", MULTI_CASES, ids=lambda c: f"{c[0]}{c[1]}@{c[2]}")
def test_multi_fixture_answers(isolated_library, case) -> None:
    isolated_library(*MULTI)
    check(*case)


@pytest.mark.parametrize("case", DEMO_CASES, ids=lambda c: f"{c[0]}{c[1]}@{c[2]}")
def test_demo_answers(isolated_library, case) -> None:
    isolated_library(DEMO)
    check(*case)


PUBLIC_NAMES = [
    "STEP_NAMES",
    "CONFIG_STEP_REGISTRY",
    "BUILDER_STEP_NAMES",
    "SPEC_STEP_TYPES",
    "get_step_names",
    "get_config_step_registry",
    "get_builder_step_names",
    "get_spec_step_types",
    "get_config_class_name",
    "get_builder_step_name",
    "get_spec_step_type",
    "get_spec_step_type_with_job_type",
    "get_step_name_from_spec_type",
    "get_all_step_names",
    "validate_step_name",
    "validate_spec_type",
    "get_step_description",
    "list_all_step_info",
    "get_sagemaker_step_type",
    "get_steps_by_sagemaker_type",
    "get_all_sagemaker_step_types",
    "validate_sagemaker_step_type",
    "get_sagemaker_step_type_mapping",
    "get_canonical_name_from_file_name",
    "validate_file_name",
    "list_available_workspaces",
    "get_workspace_step_count",
    "has_workspace_conflicts",
    "set_workspace_context",
    "get_workspace_context",
    "clear_workspace_context",
    "workspace_context",
    "register_step",
]


def test_every_public_name_imports_as_the_framework_spells_it() -> None:
    from catalog_core.step_names import (  # noqa: F401  (the import itself is the check)
        BUILDER_STEP_NAMES,
        CONFIG_STEP_REGISTRY,
        SPEC_STEP_TYPES,
        STEP_NAMES,
        clear_workspace_context,
        get_all_sagemaker_step_types,
        get_all_step_names,
        get_builder_step_name,
        get_builder_step_names,
        get_canonical_name_from_file_name,
        get_config_class_name,
        get_config_step_registry,
        get_sagemaker_step_type,
        get_sagemaker_step_type_mapping,
        get_spec_step_type,
        get_spec_step_type_with_job_type,
        get_spec_step_types,
        get_step_description,
        get_step_name_from_spec_type,
        get_step_names,
        get_steps_by_sagemaker_type,
        get_workspace_context,
        get_workspace_step_count,
        has_workspace_conflicts,
        list_all_step_info,
        list_available_workspaces,
        register_step,
        set_workspace_context,
        validate_file_name,
        validate_sagemaker_step_type,
        validate_spec_type,
        validate_step_name,
        workspace_context,
    )

    assert set(PUBLIC_NAMES) <= set(sn.__all__)
    for name in PUBLIC_NAMES:
        value = getattr(sn, name)
        assert isinstance(value, Mapping) if name.isupper() else callable(value), name
        assert name.isupper() or value.__doc__, f"{name} has no docstring"
    for name in ("configure", "refresh", "set_workspace_context", "get_workspace_context"):
        assert callable(getattr(catalog_core, name)), name
    assert catalog_core.workspace_context is sn.workspace_context
    for helper in (
        "get_config_class_name",
        "get_step_name_from_spec_type",
        "get_canonical_name_from_file_name",
        "get_all_step_names",
    ):
        assert inspect.signature(getattr(sn, helper)).parameters["workspace_id"].default is None


# (the call, the unknown name, a close match the message suggests)
UNKNOWN_CASES: list[tuple[str, Callable[[], object], str, str | None]] = [
    (
        "get_config_class_name('xgboost_training')",
        lambda: sn.get_config_class_name("xgboost_training"),
        "xgboost_training",
        "XGBoostTraining",
    ),
    (
        "get_builder_step_name('XGBoostTrainin')",
        lambda: sn.get_builder_step_name("XGBoostTrainin"),
        "XGBoostTrainin",
        "XGBoostTraining",
    ),
    (
        "get_spec_step_type('FeatureSelection')",
        lambda: sn.get_spec_step_type("FeatureSelection"),
        "FeatureSelection",
        None,
    ),
    (
        "get_spec_step_type_with_job_type('Nope', 'training')",
        lambda: sn.get_spec_step_type_with_job_type("Nope", "training"),
        "Nope",
        None,
    ),
    (
        "get_sagemaker_step_type('TabularPreprocesing')",
        lambda: sn.get_sagemaker_step_type("TabularPreprocesing"),
        "TabularPreprocesing",
        "TabularPreprocessing",
    ),
    (
        "get_step_description('tabular')",
        lambda: sn.get_step_description("tabular"),
        "tabular",
        None,
    ),
    (
        "get_step_name_from_spec_type('XGBoostTrain_Training')",
        lambda: sn.get_step_name_from_spec_type("XGBoostTrain_Training"),
        "XGBoostTrain_Training",
        "XGBoostTraining",
    ),
    (
        "get_canonical_name_from_file_name('xgboost_trainin_spec.py')",
        lambda: sn.get_canonical_name_from_file_name("xgboost_trainin_spec.py"),
        "xgboost_trainin_spec.py",
        "XGBoostTraining",
    ),
    (
        "get_canonical_name_from_file_name('xgboost_training_extra.py')",
        lambda: sn.get_canonical_name_from_file_name("xgboost_training_extra.py"),
        "xgboost_training_extra.py",
        None,
    ),
    (
        "STEP_NAMES['xgboost_training']",
        lambda: sn.STEP_NAMES["xgboost_training"],
        "xgboost_training",
        "XGBoostTraining",
    ),
    (
        "CONFIG_STEP_REGISTRY['XGBoostTrainingConf']",
        lambda: sn.CONFIG_STEP_REGISTRY["XGBoostTrainingConf"],
        "XGBoostTrainingConf",
        "XGBoostTrainingConfig",
    ),
    (
        "BUILDER_STEP_NAMES['FeatureSelection']",
        lambda: sn.BUILDER_STEP_NAMES["FeatureSelection"],
        "FeatureSelection",
        None,
    ),
    ("SPEC_STEP_TYPES['Tabular']", lambda: sn.SPEC_STEP_TYPES["Tabular"], "Tabular", None),
]


@pytest.mark.parametrize(
    "call,lookup,name,suggestion", UNKNOWN_CASES, ids=[c[0] for c in UNKNOWN_CASES]
)
def test_unknown_names_raise_the_documented_error(
    isolated_library, call, lookup, name, suggestion
) -> None:
    isolated_library(*MULTI)
    with pytest.raises(UnknownStepError) as raised:
        lookup()
    error = raised.value
    assert isinstance(error, ValueError) and isinstance(error, KeyError), call
    assert error.name == name and repr(name) in str(error)
    assert "core registry" in str(error)
    if suggestion:
        assert error.close_matches[0] == suggestion and repr(suggestion) in str(error)


def test_bad_arguments_are_clear_errors(isolated_library) -> None:
    isolated_library(*MULTI)
    with pytest.raises(ValueError, match="cannot be empty"):
        sn.get_canonical_name_from_file_name("")
    with pytest.raises(TypeError, match="must be a str"):
        sn.get_all_step_names(workspace_id=7)  # type: ignore[arg-type]
    assert not sn.validate_file_name("")
    assert sn.STEP_NAMES.get("nope", "default") == "default"
    assert "nope" not in sn.STEP_NAMES


def test_the_live_mappings_are_read_only_and_copies_are_not(isolated_library) -> None:
    isolated_library(*MULTI)
    with pytest.raises(TypeError):
        sn.STEP_NAMES["New"] = {}  # type: ignore[index]
    with pytest.raises(TypeError):
        sn.STEP_NAMES["XGBoostTraining"]["description"] = "changed"  # type: ignore[index]
    mutable = sn.get_step_names()
    mutable["XGBoostTraining"]["description"] = "changed"
    copied = sn.STEP_NAMES.copy()
    copied["XGBoostTraining"]["description"] = "changed too"
    assert sn.STEP_NAMES["XGBoostTraining"]["description"] == "XGBoost model training step"
    assert dict(sn.SPEC_STEP_TYPES) == sn.get_spec_step_types()
    assert sn.get_config_step_registry() == sn.CONFIG_STEP_REGISTRY
    assert len(sn.STEP_NAMES) == 2 and list(sn.STEP_NAMES) == list(CORE_INFO)
    assert {k: dict(v) for k, v in sn.STEP_NAMES.items()} == CORE_INFO
    assert "core" in repr(sn.STEP_NAMES)
    snapshot = sn.BUILDER_STEP_NAMES.snapshot()
    with workspace_context("alice"):
        assert "FeatureSelection" not in snapshot  # a snapshot does not follow the context
        assert "FeatureSelection" in sn.BUILDER_STEP_NAMES
        assert "workspace 'alice'" in repr(sn.BUILDER_STEP_NAMES)
