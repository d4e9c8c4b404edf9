"""Where the importable registry's data comes from (configure, STEPCAT_ROOTS, the project around
the current directory), that it is built once and lazily, and that ``refresh()`` makes names
imported earlier see edited registry files."""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest

import catalog_core
from catalog_core.api import StepCatalog
from catalog_core.registry import library
from catalog_core.step_names import (
    CONFIG_STEP_REGISTRY,
    STEP_NAMES,
    get_all_step_names,
    validate_sagemaker_step_type,
    workspace_context,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo"
DEMO_STEPS = [
    "CradleDataLoading",
    "TabularPreprocessing",
    "Package",
    "PyTorchModelEval",
    "XGBoostTraining",
    "XGBoostModel",
]

pytestmark = pytest.mark.usefixtures("isolated_library")


def check_roots(expected: list[Path], steps: list[str]) -> None:
    assert library.resolved_roots() == [p.resolve() for p in expected]
    assert get_all_step_names() == steps
    assert library.get_catalog().roots == [p.resolve() for p in expected]


def test_configured_roots_win(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STEPCAT_ROOTS", str(FIXTURES / "irregular"))
    catalog_core.configure(roots=[DEMO])
    check_roots([DEMO], DEMO_STEPS)


def test_stepcat_roots_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    shared, alice = FIXTURES / "multi" / "shared", FIXTURES / "multi" / "alice"
    monkeypatch.setenv("STEPCAT_ROOTS", f"{shared}{os.pathsep}{alice}")
    check_roots([shared, alice], ["TabularPreprocessing", "XGBoostTraining"])
    with workspace_context("alice"):
        assert "FeatureSelection" in STEP_NAMES


def test_the_project_around_the_current_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = tmp_path / "demo"
    shutil.copytree(DEMO, project)
    monkeypatch.chdir(project / "src" / "cursus" / "steps")
    check_roots([project], DEMO_STEPS)  # pyproject.toml marks the project


def test_without_any_project_marker_the_current_directory_is_the_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert library.project_root(tmp_path) in {tmp_path.resolve(), *tmp_path.resolve().parents}
    bare = tmp_path / "bare"
    shutil.copytree(FIXTURES / "multi" / "shared", bare)
    monkeypatch.setattr(library, "PROJECT_MARKERS", ("no-such-marker",))
    monkeypatch.chdir(bare)
    check_roots([bare], ["TabularPreprocessing", "XGBoostTraining"])


def test_missing_folders_are_clear_errors(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"configure.*no such folder.*nope"):
        catalog_core.configure(roots=[tmp_path / "nope"])
    monkeypatch.setenv("STEPCAT_ROOTS", str(tmp_path / "gone"))
    with pytest.raises(ValueError, match=r"STEPCAT_ROOTS names no such folder.*gone"):
        STEP_NAMES["XGBoostTraining"]


def test_built_once_lazily_even_when_threads_race(monkeypatch: pytest.MonkeyPatch) -> None:
    builds: list[object] = []
    real_init = StepCatalog.__init__

    def counting_init(self: StepCatalog, *args: object, **kwargs: object) -> None:
        builds.append(self)
        real_init(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(StepCatalog, "__init__", counting_init)
    catalog_core.configure(roots=[DEMO])
    assert not library.is_built() and builds == []
    barrier = threading.Barrier(8)
    seen: list[str] = []

    def first_use() -> None:
        barrier.wait()
        seen.append(STEP_NAMES["Package"]["config_class"])

    threads = [threading.Thread(target=first_use) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert seen == ["PackageConfig"] * 8 and len(builds) == 1


def test_refresh_makes_imported_names_see_edited_registry_files(workspace_copy) -> None:
    root = workspace_copy("multi")
    catalog_core.configure(roots=[root / "shared", root / "alice"])
    core_file = root / "shared/src/cursus/registry/step_names.py"
    alice_file = root / "alice/src/cursus_dev/registry/workspace_registry.py"
    assert STEP_NAMES["XGBoostTraining"]["description"] == "XGBoost model training step"
    assert "XGBoostTrainingConfig" in CONFIG_STEP_REGISTRY

    core_file.write_text(
        core_file.read_text()
        .replace("XGBoost model training step", "Gradient boosting")
        .replace('"XGBoostTrainingConfig"', '"XGBoostTrainConfig"')
        .replace('"Training"', '"MyCustomTraining"')
    )
    alice_file.write_text(
        alice_file.read_text().replace('"FeatureSelection": {', '"FeatureSelector": {')
    )
    assert STEP_NAMES["XGBoostTraining"]["description"] == "XGBoost model training step"  # cached
    catalog_core.refresh()
    assert STEP_NAMES["XGBoostTraining"]["description"] == "Gradient boosting"
    assert "XGBoostTrainConfig" in CONFIG_STEP_REGISTRY
    assert "XGBoostTrainingConfig" not in CONFIG_STEP_REGISTRY
    assert validate_sagemaker_step_type("MyCustomTraining")  # a type the registry now uses
    with workspace_context("alice"):
        assert "FeatureSelector" in STEP_NAMES and "FeatureSelection" not in STEP_NAMES
        assert STEP_NAMES["XGBoostTraining"]["description"].startswith("XGBoost training with")
    assert "FeatureSelector" not in STEP_NAMES


def test_registry_rows_per_layer() -> None:
    catalog = StepCatalog([FIXTURES / "multi" / "shared", FIXTURES / "multi" / "alice"])
    core = ["TabularPreprocessing", "XGBoostTraining"]
    assert [r.name for r in catalog.registry_rows(None)] == core
    assert [r.name for r in catalog.registry_rows("shared")] == core
    alice = {r.name: r.source for r in catalog.registry_rows("alice")}
    assert alice == {"FeatureSelection": "local", "XGBoostTraining": "override"}
    assert catalog.registry_rows("nobody") == []
    assert set(catalog.registry_fields("alice")) == {"FeatureSelection", "XGBoostTraining"}


def test_an_entry_without_a_field_is_a_clear_error_not_a_guess(workspace_copy) -> None:
    from catalog_core.step_names import get_sagemaker_step_type, get_step_description

    root = workspace_copy("multi")
    core_file = root / "shared/src/cursus/registry/step_names.py"
    core_file.write_text(
        core_file.read_text()
        .replace('        "sagemaker_step_type": "Training",\n', "")
        .replace('        "description": "XGBoost model training step",\n', "")
    )
    catalog_core.configure(roots=[root / "shared"])
    with pytest.raises(ValueError, match="'XGBoostTraining' has no 'sagemaker_step_type'"):
        get_sagemaker_step_type("XGBoostTraining")
    assert get_step_description("XGBoostTraining") == ""  # documented: '' without one
