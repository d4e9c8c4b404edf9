"""The integration workflow on fixture workspaces: staging snapshots, readiness findings, review
history, state that survives restarts, statistics, and the catalog kept current."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from integration_support import BOB, NEW_STEP, Scenario, tree

from catalog_core.integration import (
    ComponentStatus,
    IntegrationPipeline,
    IntegrationStage,
    StagedComponent,
)

ALICE_STEPS = Path("alice/src/cursus_dev/steps")
ALICE_REGISTRY = Path("alice/src/cursus_dev/registry/workspace_registry.py")


def _edit(rel: Path | str, old: str, new: str) -> Callable[[Path], None]:
    def apply(base: Path) -> None:
        path = base / rel
        text = path.read_text()
        assert old in text
        path.write_text(text.replace(old, new))

    return apply


def _write(rel: str, text: str) -> Callable[[Path], None]:
    return lambda base: (base / rel).write_text(text)


# (case, scenario, change to the copy, failing check or None, fragment of the message)
READINESS = [
    ("incomplete", BOB, lambda base: None, "completeness", "would have no contract"),
    (
        "syntax error",
        NEW_STEP,
        _edit(ALICE_STEPS / "builders/builder_feature_selection_step.py", "pass", "pass("),
        "syntax",
        "builder_feature_selection_step.py:5: does not parse",
    ),
    (
        "class owned by a shared step",
        NEW_STEP,
        _edit(ALICE_REGISTRY, '"FeatureSelectionConfig"', '"XGBoostTrainingConfig"'),
        "conflicts",
        "class XGBoostTrainingConfig is already the config_class of shared step(s) XGBoostTraining",
    ),
    (
        "file collision",
        NEW_STEP,
        _write("shared/src/cursus/steps/scripts/feature_selection.py", "print('mine')\n"),
        "conflicts",
        "scripts/feature_selection.py exists and belongs to no step",
    ),
    (
        "no SageMaker type",
        NEW_STEP,
        _edit(ALICE_REGISTRY, '"sagemaker_step_type": "Processing",', ""),
        "registry",
        "has no sagemaker_step_type",
    ),
    (
        "naming is advice, not a blocker",
        NEW_STEP,
        _edit(ALICE_REGISTRY, '"spec_type": "FeatureSelection"', '"spec_type": "FeatSel"'),
        None,
        "spec_type 'FeatSel' differs from 'FeatureSelection'",
    ),
]


@pytest.mark.parametrize(
    ("case", "scenario", "change", "check", "fragment"), READINESS, ids=[r[0] for r in READINESS]
)
def test_readiness_findings(
    case: str,
    scenario: Scenario,
    change: Callable[[Path], None],
    check: str | None,
    fragment: str,
    tmp_path: Path,
) -> None:
    base = scenario.copy(tmp_path)
    change(base)
    manager = scenario.manager(base)
    assert manager.stage_for_integration(scenario.step, scenario.workspace)["success"]
    validation = manager.validate_integration_readiness([scenario.step])
    result = validation["component_results"][scenario.step]
    if check is None:
        assert validation["overall_ready"]
        assert any(fragment in w for w in result["warnings"])
        return
    assert not validation["overall_ready"] and not result["ready"]
    assert not result["checks"][check]["passed"]
    assert any(fragment in m for m in result["checks"][check]["issues"]), result["issues"]
    assert validation["recommendations"]
    before = tree(base)
    refused = manager.promote_to_production(scenario.step)
    assert not refused["success"] and fragment in refused["issues"][0]
    assert tree(base) == before


def test_the_snapshot_is_what_gets_promoted(tmp_path: Path) -> None:
    base = NEW_STEP.copy(tmp_path)
    manager = NEW_STEP.staged(base)
    builder = base / ALICE_STEPS / "builders/builder_feature_selection_step.py"
    staged_bytes = builder.read_bytes()
    builder.write_text("class FeatureSelectionStepBuilder:\n    changed = True\n")
    validation = manager.validate_integration_readiness([NEW_STEP.step])
    assert any(
        "changed since staging" in w
        for w in validation["component_results"]["FeatureSelection"]["warnings"]
    )
    assert manager.promote_to_production(NEW_STEP.step)["success"]
    promoted = base / "shared/src/cursus/steps/builders/builder_feature_selection_step.py"
    assert promoted.read_bytes() == staged_bytes


def test_an_altered_staging_area_blocks_promotion(tmp_path: Path) -> None:
    base = NEW_STEP.copy(tmp_path)
    manager = NEW_STEP.staged(base)
    staged = Path(manager.state_dir) / "staging/FeatureSelection/files/src/cursus/steps/scripts"
    (staged / "feature_selection.py").write_text("import os; os.system('boom')\n")
    before = tree(base)
    result = manager.promote_to_production(NEW_STEP.step)
    assert not result["success"]
    assert "staged copy of src/cursus/steps/scripts/feature_selection.py" in result["issues"][0]
    assert tree(base) == before


def test_review_history_and_state_survive_a_restart(tmp_path: Path) -> None:
    base = NEW_STEP.copy(tmp_path)
    first = NEW_STEP.manager(base)
    staged = first.stage_for_integration("FeatureSelection", "alice", "staging")
    assert staged["success"] and staged["component_types"][-1] == "registry"
    assert first.reject_component("FeatureSelection", "bob", "needs tests")["success"]
    restarted = NEW_STEP.manager(base)
    refused = restarted.promote_to_production("FeatureSelection")
    assert refused["issues"] == ["'FeatureSelection' is rejected by bob: needs tests"]
    approved = restarted.approve_component("alice:FeatureSelection", "bob", "tests added")
    assert [h["action"] for h in approved["approval_history"]] == ["staged", "rejected", "approved"]
    assert restarted.promote_to_production("FeatureSelection")["success"]
    again = NEW_STEP.manager(base).get_component("FeatureSelection")
    assert again is not None
    assert (again.status, again.stage) == (ComponentStatus.PROMOTED, IntegrationStage.PRODUCTION)
    assert [h.action for h in again.approval_history][-1] == "promoted"
    assert not restarted.reject_component("FeatureSelection")["success"]  # promoted: too late


def test_approval_can_be_required(tmp_path: Path) -> None:
    base = NEW_STEP.copy(tmp_path)
    manager = NEW_STEP.staged(base, require_approval=True)
    assert "needs approval" in manager.promote_to_production("FeatureSelection")["issues"][0]
    assert manager.approve_component("FeatureSelection")["success"]
    assert manager.promote_to_production("FeatureSelection")["success"]


def test_the_catalog_sees_the_promoted_step_in_the_shared_tree(tmp_path: Path) -> None:
    base = NEW_STEP.copy(tmp_path)
    manager = NEW_STEP.staged(base)
    assert manager.catalog.get_step_info("FeatureSelection", workspace_id="shared") is None
    assert manager.promote_to_production("FeatureSelection")["success"]
    info = manager.catalog.get_step_info("FeatureSelection", workspace_id="shared")
    assert info is not None and info.workspace_id == "shared" and info.is_complete
    assert all("/shared/" in str(path) for path in info.all_files)
    assert manager.rollback_integration("FeatureSelection")["success"]
    assert manager.catalog.get_step_info("FeatureSelection", workspace_id="shared") is None


def test_summary_and_statistics(tmp_path: Path) -> None:
    base = BOB.copy(tmp_path)
    manager = BOB.manager(base)
    for step in ("FeatureSelection", "TabularPreprocessing"):
        assert manager.stage_for_integration(step, "alice")["success"]
    assert manager.stage_for_integration("LightGBMMTTraining", "bob")["success"]
    assert manager.promote_to_production("FeatureSelection")["success"]
    assert not manager.promote_to_production("LightGBMMTTraining")["success"]  # incomplete
    pipeline = manager.create_integration_pipeline(
        "release_1", ["alice:FeatureSelection", "bob:LightGBMMTTraining"]
    )
    assert pipeline["status"] == "staged" and len(pipeline["components"]) == 2

    stats = manager.get_statistics()
    operations = stats["integration_operations"]
    assert {k: operations[k] for k in ("total_staged_components", "promotions_attempted")} == {
        "total_staged_components": 3,
        "promotions_attempted": 2,
    }
    assert (operations["successful_promotions"], operations["promotion_success_rate"]) == (1, 0.5)
    assert stats["component_statistics"]["by_workspace"] == {"alice": 2, "bob": 1}
    assert stats["component_statistics"]["by_status"] == {"staged": 2, "promoted": 1}
    assert stats["component_statistics"]["by_type"] == {
        "builder": 2,
        "config": 2,
        "contract": 1,
        "registry": 3,
        "script": 3,
        "spec": 2,
    }
    summary = manager.get_integration_summary()
    assert summary["staged_components"] == 3 and summary["integration_pipelines"] == 1
    assert summary["component_status_distribution"] == {"promoted": 1, "staged": 2}
    latest = summary["recent_activities"][0]
    assert latest["component_id"] == "LightGBMMTTraining"
    assert latest["activity"]["action"] == "promotion_refused"


def test_models_follow_the_seed_constructors() -> None:
    component = StagedComponent("data_prep", "alice", "builders", stage="integration")
    assert (component.component_types, component.stage) == (
        ["builders"],
        IntegrationStage.INTEGRATION,
    )
    data = component.to_dict()
    assert data["component_id"] == "data_prep" and data["status"] == "pending"
    assert data["approval_history"] == [] and data["component_type"] == "builders"
    pipeline = IntegrationPipeline("ml_pipeline_v1", [component])
    assert pipeline.to_dict()["status"] == "pending" and pipeline.to_dict()["components"] == [data]
