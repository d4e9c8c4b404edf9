"""Registering steps at run time: invalid definitions are refused with the field and the fix,
auto-correction applies those fixes, and registrations layer over the files in this process
only (per workspace, surviving ``refresh()``, never written to disk)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import catalog_core
from catalog_core.step_names import (
    BUILDER_STEP_NAMES,
    CONFIG_STEP_REGISTRY,
    STEP_NAMES,
    InvalidStepDefinition,
    auto_correct_step_definition,
    get_all_step_names,
    get_canonical_name_from_file_name,
    get_workspace_conflicts,
    list_available_workspaces,
    register_step,
    unregister_step,
    validate_step_definition,
    workspace_context,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
MULTI = (FIXTURES / "multi" / "shared", FIXTURES / "multi" / "alice")
GOOD = {
    "config_class": "MyStepConfig",
    "builder_step_name": "MyStepStepBuilder",
    "sagemaker_step_type": "Processing",
}

pytestmark = pytest.mark.usefixtures("isolated_library")


@pytest.fixture(autouse=True)
def multi(isolated_library) -> None:
    isolated_library(*MULTI)


# (name, changes to GOOD, the field named, a piece of the fix)
INVALID: list[tuple[str, dict[str, Any], str, str]] = [
    ("my_step", {}, "name", "use 'MyStep'"),
    ("myStep", {}, "name", "use 'MyStep'"),
    ("", {}, "name", "give a name such as"),
    ("MyStep", {"config_class": "MyStepConfiguration"}, "config_class", "use 'MyStepConfig'"),
    ("MyStep", {"config_class": "MyStepSettings"}, "config_class", "use 'MyStepConfig'"),
    ("MyStep", {"config_class": "my_stepConfig"}, "config_class", "use 'MyStepConfig'"),
    ("MyStep", {"config_class": None}, "config_class", "add 'config_class': 'MyStepConfig'"),
    (
        "MyStep",
        {"builder_step_name": "MyCustomBuilder"},
        "builder_step_name",
        "'MyCustomStepBuilder'",
    ),
    ("MyStep", {"builder_step_name": "Builder"}, "builder_step_name", "use 'MyStepStepBuilder'"),
    ("MyStep", {"sagemaker_step_type": "processing"}, "sagemaker_step_type", "use 'Processing'"),
    ("MyStep", {"sagemaker_step_type": "Trainning"}, "sagemaker_step_type", "use 'Training'"),
    ("MyStep", {"sagemaker_step_type": "Banana"}, "sagemaker_step_type", "use one of Base, "),
    ("MyStep", {"sagemaker_step_type": None}, "sagemaker_step_type", "with one of Base, "),
    ("MyStep", {"spec_type": "My_Step"}, "spec_type", "use 'MyStep'"),
    ("MyStep", {"description": 3}, "description", "use a short sentence"),
    ("XGBoostTraining", {}, "name", "pass replace=True"),  # already in the core's files
]


def check_refused(name: str, changes: dict[str, Any], field: str, fix: str) -> None:
    definition = {k: v for k, v in {**GOOD, **changes}.items() if v is not None}
    before = STEP_NAMES.copy()
    with pytest.raises(InvalidStepDefinition) as raised:
        register_step(name, definition)
    error = raised.value
    assert isinstance(error, ValueError)
    assert [e.field for e in error.errors] == [field], error.errors
    assert fix in error.errors[0].fix and fix in str(error) and field in str(error)
    assert STEP_NAMES.copy() == before  # nothing was registered


@pytest.mark.parametrize("case", INVALID, ids=lambda c: f"{c[0]}-{c[2]}-{c[3]}")
def test_invalid_definitions_are_refused_with_the_field_and_the_fix(case) -> None:
    check_refused(*case)


def test_several_errors_at_once_and_auto_correction() -> None:
    broken = {"config_class": "MyStepCfg", "builder_step_name": "MyBuilder"}
    errors = validate_step_definition("my_step", {**broken, "sagemaker_step_type": "processing"})
    assert [e.field for e in errors] == [
        "name",
        "config_class",
        "builder_step_name",
        "sagemaker_step_type",
    ]
    name, fixed = auto_correct_step_definition(
        "my_step", {**broken, "sagemaker_step_type": "processing"}
    )
    assert (name, fixed) == (
        "MyStep",
        {
            "config_class": "MyStepConfig",
            "builder_step_name": "MyStepBuilder",  # the user's class name, with 'Step' added
            "sagemaker_step_type": "Processing",
            "spec_type": "MyStep",
            "description": "",
        },
    )
    assert validate_step_definition(name, fixed) == []
    stored = register_step(
        "my_step", {**broken, "sagemaker_step_type": "processing"}, auto_correct=True
    )
    assert stored == fixed and STEP_NAMES["MyStep"] == fixed


def test_a_missing_sagemaker_type_is_not_guessed() -> None:
    _, fixed = auto_correct_step_definition("MyStep", {"config_class": "MyStepConfig"})
    assert "sagemaker_step_type" not in fixed
    with pytest.raises(InvalidStepDefinition, match="sagemaker_step_type: is missing"):
        register_step("MyStep", {"config_class": "MyStepConfig"}, auto_correct=True)


def test_misuse_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="mapping"):
        register_step("MyStep", ["config_class"])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="must be a str"):
        register_step("MyStep", GOOD, workspace_id=3)  # type: ignore[arg-type]


def test_core_registrations_reach_every_context_and_workspace_ones_only_theirs() -> None:
    files = {p: p.read_bytes() for root in MULTI for p in root.rglob("*.py")}
    register_step("MyStep", GOOD)
    register_step("AliceStep", {**GOOD, "config_class": "AliceStepConfig"}, workspace_id="alice")
    with workspace_context("bob"):  # no workspace_id: the current context
        register_step("BobStep", {**GOOD, "config_class": "BobStepConfig"})
    assert get_all_step_names() == ["TabularPreprocessing", "XGBoostTraining", "MyStep"]
    assert get_all_step_names("alice")[-2:] == ["FeatureSelection", "AliceStep"]
    assert "MyStep" in get_all_step_names("alice") and "BobStep" not in get_all_step_names("alice")
    assert CONFIG_STEP_REGISTRY["MyStepConfig"] == "MyStep"
    assert STEP_NAMES["MyStep"]["spec_type"] == "MyStep"  # filled in
    with workspace_context("alice"):
        assert BUILDER_STEP_NAMES["AliceStep"] == "MyStepStepBuilder"
        assert get_canonical_name_from_file_name("config_alice_step_step.py") == "AliceStep"
    assert list_available_workspaces() == ["alice", "bob"]
    catalog_core.refresh()
    assert "MyStep" in STEP_NAMES  # registrations survive a refresh
    assert {p: p.read_bytes() for p in files} == files  # and are never written
    assert unregister_step("MyStep") and not unregister_step("MyStep")
    assert "MyStep" not in STEP_NAMES


def test_replace_overrides_a_file_step_in_this_process() -> None:
    register_step(
        "XGBoostTraining",
        {**GOOD, "config_class": "XGBoostTrainingConfig", "description": "replaced"},
        workspace_id="alice",
        replace=True,
    )
    assert STEP_NAMES["XGBoostTraining"]["description"] == "XGBoost model training step"
    with workspace_context("alice"):
        assert STEP_NAMES["XGBoostTraining"]["description"] == "replaced"
    unregister_step("XGBoostTraining", workspace_id="alice")
    with workspace_context("alice"):
        assert STEP_NAMES["XGBoostTraining"]["description"].startswith("XGBoost training with")


def test_the_same_new_step_in_two_workspaces_is_a_conflict() -> None:
    register_step("Shared", {**GOOD, "config_class": "SharedConfig"}, workspace_id="bob")
    assert get_workspace_conflicts() == {}
    register_step("Shared", {**GOOD, "config_class": "SharedConfig"}, workspace_id="alice")
    assert get_workspace_conflicts() == {"Shared": ["alice", "bob"]}


def test_the_errors_survive_pickling() -> None:
    import pickle

    from catalog_core.step_names import UnknownStepError, get_config_class_name

    with pytest.raises(InvalidStepDefinition) as refused:
        register_step("bad name", GOOD)
    with pytest.raises(UnknownStepError) as unknown:
        get_config_class_name("xgboost_training")
    for error in (refused.value, unknown.value):
        copy = pickle.loads(pickle.dumps(error))
        assert type(copy) is type(error) and str(copy) == str(error)
