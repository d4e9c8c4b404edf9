"""Hostile step and workspace ids, and symlinks leading out of a root, are refused before any
file is read or written."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from integration_support import NEW_STEP, tree

from catalog_core.integration import IntegrationError

# (step name, what the refusal says)
HOSTILE_STEPS = [
    ("../evil", "contains '..'"),
    ("..", "contains '..'"),
    ("FeatureSelection/../../x", "contains '..'"),
    ("a/b", "path separator"),
    ("a\\b", "path separator"),
    ("/etc/passwd", "absolute path"),
    ("C:\\Windows", "absolute path"),
    ("", "empty"),
    ("x\0y", "NUL"),
    ("1Step", "not an identifier"),
    ("Step Name", "not an identifier"),
    ("x" * 201, "longer than"),
]

# (workspace id, what the refusal says)
HOSTILE_WORKSPACES = [
    ("../alice", "contains '..'"),
    ("alice/..", "contains '..'"),
    ("..", "contains '..'"),
    (".", "may only contain"),
    ("alice/src", "path separator"),
    ("/tmp", "absolute path"),
    ("shared", "integration target"),
    ("nobody", "unknown developer workspace 'nobody' (known: alice)"),
]


@pytest.mark.parametrize(("step", "reason"), HOSTILE_STEPS)
def test_hostile_step_names_are_refused_everywhere(step: str, reason: str, tmp_path: Path) -> None:
    base = NEW_STEP.copy(tmp_path)
    manager = NEW_STEP.manager(base)
    before = tree(base)
    results = {
        "stage": manager.stage_for_integration(step, "alice"),
        "approve": manager.approve_component(step),
        "reject": manager.reject_component(step),
        "promote": manager.promote_to_production(step),
        "rollback": manager.rollback_integration(step),
        "validate": manager.validate_integration_readiness([step])["component_results"][step],
    }
    for action, result in results.items():
        assert not result.get("success", result.get("ready")), action
        assert reason in result["issues"][0], (action, result["issues"])
    assert tree(base) == before
    assert not (base / "shared" / ".stepcat" / "staging").exists()
    with pytest.raises(IntegrationError, match="step name"):
        manager.get_component(step)


@pytest.mark.parametrize(("workspace", "reason"), HOSTILE_WORKSPACES)
def test_hostile_workspace_ids_are_refused(workspace: str, reason: str, tmp_path: Path) -> None:
    base = NEW_STEP.copy(tmp_path)
    manager = NEW_STEP.manager(base)
    result = manager.stage_for_integration("FeatureSelection", workspace)
    assert not result["success"]
    assert reason in result["issues"][0]
    assert manager.list_components() == []


def test_a_component_id_naming_another_workspace_is_refused(tmp_path: Path) -> None:
    base = NEW_STEP.copy(tmp_path)
    manager = NEW_STEP.staged(base)
    validation = manager.validate_integration_readiness(["bob:FeatureSelection"])
    assert not validation["overall_ready"]
    assert "staged from workspace 'alice', not 'bob'" in validation["integration_issues"][0]
    assert "not 'bob'" in manager.promote_to_production("bob:FeatureSelection")["issues"][0]


def test_a_developer_file_linked_to_outside_the_workspace_is_not_staged(tmp_path: Path) -> None:
    base = NEW_STEP.copy(tmp_path)
    secret = tmp_path / "outside" / "secret.py"
    secret.parent.mkdir()
    secret.write_text("TOKEN = 'do not copy me'\n")
    script = base / "alice" / "src" / "cursus_dev" / "steps" / "scripts" / "feature_selection.py"
    script.unlink()
    script.symlink_to(secret)
    manager = NEW_STEP.manager(base)
    result = manager.stage_for_integration("FeatureSelection", "alice")
    assert not result["success"]
    assert "resolves outside workspace 'alice'" in result["issues"][0]
    assert not any(
        b"do not copy me" in p.read_bytes() for p in (base / "shared").rglob("*") if p.is_file()
    )


def test_a_shared_folder_linked_to_outside_the_root_is_not_written_to(tmp_path: Path) -> None:
    base = NEW_STEP.copy(tmp_path)
    specs = base / "shared" / "src" / "cursus" / "steps" / "specs"
    elsewhere = tmp_path / "elsewhere" / "specs"
    os.renames(specs, elsewhere)
    specs.symlink_to(elsewhere, target_is_directory=True)
    before = sorted(p.name for p in elsewhere.iterdir())
    manager = NEW_STEP.manager(base)
    result = manager.stage_for_integration("FeatureSelection", "alice")
    assert not result["success"]
    assert "outside" in result["issues"][0] and "refusing to follow it" in result["issues"][0]
    assert sorted(p.name for p in elsewhere.iterdir()) == before


def test_a_state_folder_that_is_a_symlink_is_refused(tmp_path: Path) -> None:
    base = NEW_STEP.copy(tmp_path)
    (tmp_path / "elsewhere").mkdir()
    (base / "shared" / ".stepcat").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(IntegrationError, match="is a symlink"):
        NEW_STEP.manager(base)
    assert list((tmp_path / "elsewhere").iterdir()) == []
