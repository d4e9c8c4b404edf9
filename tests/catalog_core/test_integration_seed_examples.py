"""The workflow examples of seeds/003 (Workspace Integration Manager), run as written against
fixture workspaces. The three functions below are the seed's, as ruff formats them."""

from __future__ import annotations

from pathlib import Path

import pytest
from integration_support import DEMO_NEW, NEW_STEP, tree

from catalog_core.integration import ComponentStatus


# --- seeds/003 "Component Staging Process" ------------------------------------------------------
def stage_component_workflow(integration_manager, component_id, source_workspace):
    # 1. Stage component
    staging_result = integration_manager.stage_for_integration(component_id, source_workspace)

    if not staging_result["success"]:
        print("Staging failed:", staging_result["issues"])
        return False

    # 2. Validate readiness
    validation = integration_manager.validate_integration_readiness(
        [f"{source_workspace}:{component_id}"]
    )

    if not validation["overall_ready"]:
        print("Component not ready:", validation["integration_issues"])
        return False

    # 3. Promote to production
    promotion = integration_manager.promote_to_production(component_id)

    if promotion["success"]:
        print("Component successfully promoted to production")
        return True
    else:
        print("Promotion failed:", promotion["issues"])
        return False


# --- seeds/003 "Integration Pipeline Management" ------------------------------------------------
def manage_integration_pipeline(integration_manager, components):
    # Stage all components
    staged_components = []
    for comp_id, workspace in components:
        result = integration_manager.stage_for_integration(comp_id, workspace)
        if result["success"]:
            staged_components.append(f"{workspace}:{comp_id}")

    # Validate pipeline readiness
    validation = integration_manager.validate_integration_readiness(staged_components)

    if validation["overall_ready"]:
        # Promote all components
        for comp_id, workspace in components:  # noqa: B007
            integration_manager.promote_to_production(comp_id)
        print("Pipeline successfully integrated")
    else:
        print("Pipeline validation failed:", validation["integration_issues"])

        # Rollback if needed
        for comp_id, workspace in components:  # noqa: B007
            integration_manager.rollback_integration(comp_id)


# --- seeds/003 "Error Handling and Recovery" ----------------------------------------------------
def safe_integration_workflow(integration_manager, component_id, source_workspace):
    try:
        # Stage component
        staging_result = integration_manager.stage_for_integration(component_id, source_workspace)

        if not staging_result["success"]:
            raise ValueError(f"Staging failed: {staging_result['issues']}")

        # Validate and promote
        validation = integration_manager.validate_integration_readiness(
            [f"{source_workspace}:{component_id}"]
        )

        if validation["overall_ready"]:
            promotion = integration_manager.promote_to_production(component_id)
            if not promotion["success"]:
                raise ValueError(f"Promotion failed: {promotion['issues']}")
        else:
            raise ValueError(f"Validation failed: {validation['integration_issues']}")

    except Exception as e:
        print(f"Integration failed: {e}")

        # Attempt rollback
        try:
            rollback_result = integration_manager.rollback_integration(component_id)
            if rollback_result["success"]:
                print("Successfully rolled back component")
            else:
                print("Rollback also failed:", rollback_result["issues"])
        except Exception as rollback_error:
            print(f"Rollback error: {rollback_error}")


# --- the examples as tests ------------------------------------------------------------------------


def test_component_staging_process(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    base = NEW_STEP.copy(tmp_path)
    manager = NEW_STEP.manager(base)
    assert stage_component_workflow(manager, "FeatureSelection", "alice") is True
    assert capsys.readouterr().out == "Component successfully promoted to production\n"
    assert (base / "shared/src/cursus/steps/scripts/feature_selection.py").is_file()


def test_component_staging_process_stops_at_an_incomplete_step(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = DEMO_NEW.copy(tmp_path)
    manager = DEMO_NEW.manager(base)
    before = tree(base)
    assert stage_component_workflow(manager, "LightGBMMTTraining", "bob") is False
    out = capsys.readouterr().out
    assert out == (
        "Component not ready: [\"bob:LightGBMMTTraining: Training step 'LightGBMMTTraining' "
        'would have no contract in the shared tree"]\n'
    )
    assert tree(base) == before


def test_pipeline_management_promotes_a_ready_pipeline(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = DEMO_NEW.copy(tmp_path)
    manager = DEMO_NEW.manager(base)
    manage_integration_pipeline(
        manager, [("FeatureSelection", "alice"), ("TabularPreprocessing", "alice")]
    )
    assert capsys.readouterr().out == "Pipeline successfully integrated\n"
    statuses = {c.component_id: c.status for c in manager.list_components()}
    assert statuses == {
        "FeatureSelection": ComponentStatus.PROMOTED,
        "TabularPreprocessing": ComponentStatus.PROMOTED,
    }


def test_pipeline_management_rolls_back_a_pipeline_that_is_not_ready(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = DEMO_NEW.copy(tmp_path)
    manager = DEMO_NEW.manager(base)
    before = tree(base)
    manage_integration_pipeline(
        manager, [("FeatureSelection", "alice"), ("LightGBMMTTraining", "bob")]
    )
    out = capsys.readouterr().out
    assert out.startswith('Pipeline validation failed: ["bob:LightGBMMTTraining: Training step')
    assert tree(base) == before  # nothing was promoted, so nothing needed undoing


def test_error_handling_and_recovery(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    base = DEMO_NEW.copy(tmp_path)
    manager = DEMO_NEW.manager(base)
    before = tree(base)
    safe_integration_workflow(manager, "LightGBMMTTraining", "bob")
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith('Integration failed: Validation failed: ["bob:LightGBMMTTraining:')
    assert (
        lines[1] == "Rollback also failed: [\"'LightGBMMTTraining' has no promotion to roll back\"]"
    )
    assert tree(base) == before
    safe_integration_workflow(manager, "FeatureSelection", "alice")
    assert capsys.readouterr().out == ""
    assert manager.get_component("FeatureSelection").status is ComponentStatus.PROMOTED


def test_api_reference_examples(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The seed's per-method snippets: the keys they read exist and mean what they say."""
    base = NEW_STEP.copy(tmp_path)
    integration_manager = NEW_STEP.manager(base)

    staging_result = integration_manager.stage_for_integration(
        component_id="FeatureSelection", source_workspace="alice", target_stage="integration"
    )
    if staging_result["success"]:
        print("Component staged at:", staging_result["staging_path"])
        print("Staged at:", staging_result["staged_at"])
    validation = integration_manager.validate_integration_readiness(["alice:FeatureSelection"])
    for comp_id, result in validation["component_results"].items():
        print(f"{comp_id}: {'READY' if result['ready'] else 'NOT READY'}")
    promotion_result = integration_manager.promote_to_production("FeatureSelection")
    if promotion_result["success"]:
        print("Production path:", promotion_result["production_path"])
    summary = integration_manager.get_integration_summary()
    print("Staged components:", summary["staged_components"])
    print("Integration pipelines:", summary["integration_pipelines"])
    print("Status distribution:", summary["component_status_distribution"])
    for activity in summary["recent_activities"]:
        print(f"{activity['component_id']}: {activity['activity']['action']}")
    stats = integration_manager.get_statistics()
    print("Promotion success rate:", stats["integration_operations"]["promotion_success_rate"])
    print("By type:", stats["component_statistics"]["by_type"])
    rollback_result = integration_manager.rollback_integration("FeatureSelection")
    if rollback_result["success"]:
        print("Component rolled back at:", rollback_result["rolled_back_at"] is not None)

    staging = str(base / "shared" / ".stepcat" / "staging" / "FeatureSelection")
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"Component staged at: {staging}"
    assert out[2:4] == ["alice:FeatureSelection: READY", f"Production path: {base / 'shared'}"]
    assert out[4:7] == [
        "Staged components: 1",
        "Integration pipelines: 0",
        "Status distribution: {'promoted': 1}",
    ]
    assert out[7:10] == [
        "FeatureSelection: promoted",
        "FeatureSelection: validated",
        "FeatureSelection: staged",
    ]
    assert out[10] == "Promotion success rate: 1.0"
    assert out[-1] == "Component rolled back at: True"
