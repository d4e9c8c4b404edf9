"""Promotion and rollback are all or nothing: a failure raised, or a kill -9, at every step leaves
the old or the new tree byte for byte, and the next run recovers; nothing is lost."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from integration_support import (
    NEW_FOLDER,
    NEW_STEP,
    OVERRIDE,
    REPO,
    SCENARIOS,
    Scenario,
    diff,
    expected_after,
    tree,
)

from catalog_core.integration import ComponentStatus, WorkspaceIntegrationManager

FS = "src/cursus/steps"
REGISTRY = "src/cursus/registry/step_names.py"

#: The journaled steps of promoting FeatureSelection into a new scripts/ subfolder: the whole
#: protocol (plan, backups, prepared, mkdir, temp + rename per file, commit) in order.
PROMOTION_POINTS = [
    "journal:planned",
    f"backup:{REGISTRY}",
    "journal:applying",
    f"mkdir:{FS}/scripts/feature_selection",
    *[
        f"{step}:{FS}/{path}"
        for path in (
            "specs/feature_selection_spec.py",
            "scripts/feature_selection/run.py",
            "contracts/feature_selection_contract.py",
            "builders/builder_feature_selection_step.py",
            "configs/config_feature_selection_step.py",
            "specs/feature_selection_training_spec.py",
        )
        for step in ("temp", "write")
    ],
    f"temp:{REGISTRY}",
    f"write:{REGISTRY}",
    "journal:committed",
]


def _points(scenario: Scenario, tmp_path: Path, kind: str = "promote") -> list[str]:
    """Run the operation once, cleanly, and list the checkpoints it passed."""
    base = scenario.copy(tmp_path / "probe")
    seen: list[str] = []
    manager = scenario.staged(base, checkpoint=seen.append)
    if kind == "rollback":
        assert manager.promote_to_production(scenario.step)["success"]
        seen.clear()
        assert manager.rollback_integration(scenario.step)["success"]
    else:
        assert manager.promote_to_production(scenario.step)["success"]
    return seen


def _reference_trees(scenario: Scenario, tmp_path: Path) -> tuple[dict, dict]:
    base = scenario.copy(tmp_path / "reference")
    manager = scenario.staged(base)
    before = tree(base)
    assert manager.promote_to_production(scenario.step)["success"]
    return before, tree(base)


def test_promotion_passes_every_journal_step_in_order(tmp_path: Path) -> None:
    assert _points(NEW_FOLDER, tmp_path) == PROMOTION_POINTS


class Injected(RuntimeError):
    pass


@pytest.mark.parametrize("scenario", [NEW_FOLDER, OVERRIDE], ids=lambda s: s.name)
def test_a_failure_at_any_step_leaves_the_old_tree_or_the_new_one(
    scenario: Scenario, tmp_path: Path
) -> None:
    points = _points(scenario, tmp_path)
    before, after = _reference_trees(scenario, tmp_path)
    wrong = {}
    for index, point in enumerate(points):
        base = scenario.copy(tmp_path / f"raise{index}")

        def fail(name: str, point: str = point) -> None:
            if name == point:
                raise Injected(f"injected at {name}")

        result = scenario.staged(base, checkpoint=fail).promote_to_production(scenario.step)
        want_after = expected_after(points, index, completes_on_recovery=False)
        now = tree(base)
        if result["success"] != want_after or now != (after if want_after else before):
            wrong[point] = (result, diff(after if want_after else before, now))
            continue
        if not want_after:
            assert "injected at" in result["issues"][0]
        fresh = scenario.manager(base)  # a restart finds nothing to recover
        assert fresh.last_recovery == [] and fresh.store.journal() == []
        status = fresh.get_component(scenario.step).status
        assert status is (ComponentStatus.PROMOTED if want_after else ComponentStatus.STAGED)
    assert wrong == {}


def _promote_killing_at(roots: list[Path], step: str, kind: str, point: str) -> None:
    def die(name: str) -> None:
        if name == point:
            os.kill(os.getpid(), signal.SIGKILL)

    manager = WorkspaceIntegrationManager(roots, checkpoint=die)
    if kind == "promote":
        manager.promote_to_production(step)
    else:
        manager.rollback_integration(step)
    os._exit(0)


def _kill_at(scenario: Scenario, base: Path, kind: str, point: str) -> int | None:
    process = multiprocessing.get_context("fork").Process(
        target=_promote_killing_at, args=(scenario.root_paths(base), scenario.step, kind, point)
    )
    process.start()
    process.join(60)
    return process.exitcode


@pytest.mark.parametrize("scenario", [NEW_FOLDER, OVERRIDE], ids=lambda s: s.name)
def test_a_kill_at_any_promotion_step_is_recovered_to_the_old_or_new_tree(
    scenario: Scenario, tmp_path: Path
) -> None:
    points = _points(scenario, tmp_path)
    before, after = _reference_trees(scenario, tmp_path)
    wrong = {}
    for index, point in enumerate(points):
        base = scenario.copy(tmp_path / f"kill{index}")
        scenario.staged(base)
        assert _kill_at(scenario, base, "promote", point) == -signal.SIGKILL
        recovered = scenario.manager(base)  # the next start finishes or undoes the operation
        want_after = expected_after(points, index, completes_on_recovery=True)
        now = tree(base)
        if now != (after if want_after else before):
            wrong[point] = diff(after if want_after else before, now)
            continue
        assert recovered.store.journal() == []
        assert recovered.get_component(scenario.step).status is (
            ComponentStatus.PROMOTED if want_after else ComponentStatus.STAGED
        )
        if not want_after:  # and the promotion then succeeds
            assert recovered.promote_to_production(scenario.step)["success"]
            assert tree(base) == after
    assert wrong == {}


def test_a_kill_at_any_rollback_step_is_recovered_to_the_promoted_or_old_tree(
    tmp_path: Path,
) -> None:
    scenario = NEW_FOLDER
    points = _points(scenario, tmp_path, "rollback")
    before, promoted = _reference_trees(scenario, tmp_path)
    assert any(p.startswith("rmdir:") for p in points) and any(
        p.startswith("delete:") for p in points
    )
    wrong = {}
    for index, point in enumerate(points):
        base = scenario.copy(tmp_path / f"kill{index}")
        assert scenario.staged(base).promote_to_production(scenario.step)["success"]
        assert _kill_at(scenario, base, "rollback", point) == -signal.SIGKILL
        recovered = scenario.manager(base)
        want_old = expected_after(points, index, completes_on_recovery=True)
        now = tree(base)
        if now != (before if want_old else promoted):
            wrong[point] = diff(before if want_old else promoted, now)
            continue
        if not want_old:
            assert recovered.rollback_integration(scenario.step)["success"]
            assert tree(base) == before
    assert wrong == {}


def test_a_killed_cli_process_is_recovered_by_the_next_command(tmp_path: Path) -> None:
    """A real interpreter killed midway through writing the registry; the next CLI run undoes."""
    base = NEW_STEP.copy(tmp_path)
    NEW_STEP.staged(base)
    before = tree(base)
    code = textwrap.dedent(
        f"""
        import os, signal
        from catalog_core.integration import WorkspaceIntegrationManager
        def die(name):
            if name == "temp:{REGISTRY}":
                os.kill(os.getpid(), signal.SIGKILL)
        roots = [{str(base / "shared")!r}, {str(base / "alice")!r}]
        WorkspaceIntegrationManager(roots, checkpoint=die).promote_to_production("FeatureSelection")
        """
    )
    env = {**os.environ, "PYTHONPATH": f"{REPO}{os.pathsep}{REPO / 'server'}"}
    killed = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True)
    assert killed.returncode == -signal.SIGKILL
    registry_folder = (base / "shared" / REGISTRY).parent
    assert list(registry_folder.glob(".step_names.py.stepcat-*.tmp"))  # a half-done rename
    assert len(diff(before, tree(base))) == 7  # six new files and the temporary sibling
    status = subprocess.run(
        [
            sys.executable,
            "-m",
            "catalog_core",
            "integrate",
            "status",
            "--root",
            "shared",
            "--root",
            "alice",
        ],
        cwd=base,
        env=env,
        capture_output=True,
        text=True,
    )
    assert status.returncode == 0, status.stderr
    assert "recovered an interrupted promote of FeatureSelection: undone" in status.stderr
    assert tree(base) == before


def test_an_interrupt_undoes_and_propagates(tmp_path: Path) -> None:
    base = NEW_STEP.copy(tmp_path)

    def interrupt(name: str) -> None:
        if name == f"write:{FS}/scripts/feature_selection.py":
            raise KeyboardInterrupt

    manager = NEW_STEP.staged(base, checkpoint=interrupt)
    before = tree(base)
    with pytest.raises(KeyboardInterrupt):
        manager.promote_to_production(NEW_STEP.step)
    assert tree(base) == before


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
def test_rollback_restores_the_exact_bytes(scenario: Scenario, tmp_path: Path) -> None:
    base = scenario.copy(tmp_path)
    manager = scenario.staged(base)
    before = tree(base)
    promoted = manager.promote_to_production(scenario.step)
    assert promoted["success"], promoted["issues"]
    assert tree(base) != before
    rolled_back = manager.rollback_integration(scenario.step)
    assert rolled_back["success"], rolled_back["issues"]
    assert tree(base) == before
    assert manager.get_component(scenario.step).status is ComponentStatus.ROLLED_BACK
    assert not manager.rollback_integration(scenario.step)["success"]  # nothing left to undo


def test_rollback_refuses_to_discard_a_change_made_after_the_promotion(tmp_path: Path) -> None:
    base = OVERRIDE.copy(tmp_path)
    manager = OVERRIDE.staged(base)
    assert manager.promote_to_production(OVERRIDE.step)["success"]
    script = base / "shared" / FS / "scripts" / "xgboost_training.py"
    script.write_bytes(script.read_bytes() + b"# hot fix\n")
    edited = tree(base)
    result = manager.rollback_integration(OVERRIDE.step)
    assert not result["success"]
    assert f"{FS}/scripts/xgboost_training.py changed since the promotion" in result["issues"][0]
    assert tree(base) == edited


def test_a_shared_file_changed_after_staging_blocks_promotion(tmp_path: Path) -> None:
    base = NEW_STEP.copy(tmp_path)
    manager = NEW_STEP.staged(base)
    registry = base / "shared" / REGISTRY
    registry.write_bytes(registry.read_bytes() + b"# edited by a colleague\n")
    edited = tree(base)
    result = manager.promote_to_production(NEW_STEP.step)
    assert not result["success"]
    assert f"shared file(s) changed after staging: {REGISTRY}" in result["issues"][0]
    assert tree(base) == edited
    # Validating again reviews the new contents; then the promotion keeps the colleague's edit.
    validation = manager.validate_integration_readiness([NEW_STEP.step])
    assert validation["overall_ready"]
    assert any(
        REGISTRY in w for w in validation["component_results"]["FeatureSelection"]["warnings"]
    )
    assert manager.promote_to_production(NEW_STEP.step)["success"]
    assert registry.read_bytes().endswith(b"# edited by a colleague\n")
    assert manager.get_statistics()["integration_operations"]["promotion_success_rate"] == 0.5


def test_a_shared_file_created_after_staging_blocks_promotion(tmp_path: Path) -> None:
    base = NEW_STEP.copy(tmp_path)
    manager = NEW_STEP.staged(base)
    script = base / "shared" / FS / "scripts" / "feature_selection.py"
    script.write_text("print('someone else')\n")
    result = manager.promote_to_production(NEW_STEP.step)
    assert not result["success"]
    assert f"{FS}/scripts/feature_selection.py" in result["issues"][0]
    assert script.read_text() == "print('someone else')\n"


def test_concurrent_promotions_of_one_step_in_threads_are_serialised(tmp_path: Path) -> None:
    base = NEW_STEP.copy(tmp_path)
    NEW_STEP.staged(base)
    before = tree(base)
    events: list[str] = []
    planned = threading.Event()

    def slow(name: str) -> None:
        events.append(f"A {name}")
        if name == "journal:planned":
            planned.set()
        time.sleep(0.02)

    first = NEW_STEP.manager(base, checkpoint=slow)
    second = NEW_STEP.manager(base, checkpoint=lambda name: events.append(f"B {name}"))
    results: dict[str, dict] = {}
    thread = threading.Thread(
        target=lambda: results.update(a=first.promote_to_production("FeatureSelection"))
    )
    thread.start()
    assert planned.wait(10)
    results["b"] = second.promote_to_production("FeatureSelection")  # waits for the lock
    thread.join()
    assert results["a"]["success"]
    assert not results["b"]["success"] and "already promoted" in results["b"]["issues"][0]
    assert events[-1] == "A journal:committed" and not any(e.startswith("B") for e in events)
    assert len(diff(before, tree(base))) == 7


def _promote_in_process(roots: list[Path], marker: str, slow: bool) -> None:
    def hook(name: str) -> None:
        if slow and name == "journal:planned":
            Path(marker).touch()
            time.sleep(0.5)

    result = WorkspaceIntegrationManager(roots, checkpoint=hook).promote_to_production(
        "FeatureSelection"
    )
    os._exit(0 if result["success"] else 3)


def test_concurrent_promotions_in_two_processes_are_serialised(tmp_path: Path) -> None:
    base = NEW_STEP.copy(tmp_path)
    NEW_STEP.staged(base)
    _, after = _reference_trees(NEW_STEP, tmp_path)
    marker = str(tmp_path / "first-is-planning")
    context = multiprocessing.get_context("fork")
    roots = NEW_STEP.root_paths(base)
    first = context.Process(target=_promote_in_process, args=(roots, marker, True))
    first.start()
    deadline = time.monotonic() + 30
    while not os.path.exists(marker) and time.monotonic() < deadline:
        time.sleep(0.01)
    second = context.Process(target=_promote_in_process, args=(roots, marker, False))
    second.start()
    first.join(60)
    second.join(60)
    assert (first.exitcode, second.exitcode) == (0, 3)
    assert tree(base) == after


def test_a_lock_held_too_long_is_reported_not_waited_for_forever(tmp_path: Path) -> None:
    base = NEW_STEP.copy(tmp_path)
    NEW_STEP.staged(base)
    entered, release = threading.Event(), threading.Event()

    def hold(name: str) -> None:
        if name == "journal:applying":
            entered.set()
            release.wait(10)

    holder = NEW_STEP.manager(base, checkpoint=hold)
    thread = threading.Thread(target=holder.promote_to_production, args=("FeatureSelection",))
    thread.start()
    assert entered.wait(10)
    impatient = NEW_STEP.manager(base, lock_timeout=0.2)
    result = impatient.rollback_integration("FeatureSelection")
    release.set()
    thread.join()
    assert not result["success"] and "another integration operation holds" in result["issues"][0]


def test_steps_validated_together_promote_one_after_another_but_not_past_a_colleague(
    tmp_path: Path,
) -> None:
    """A promotion moves the other staged steps' baselines (it is a known change), so a
    pipeline validated once promotes step by step; an outside edit in between still blocks."""
    base = NEW_STEP.copy(tmp_path)
    manager = NEW_STEP.manager(base)
    for step in ("FeatureSelection", "XGBoostTraining"):
        assert manager.stage_for_integration(step, "alice")["success"]
    assert manager.validate_integration_readiness(["FeatureSelection", "XGBoostTraining"])[
        "overall_ready"
    ]
    assert manager.promote_to_production("FeatureSelection")["success"]
    registry = base / "shared" / REGISTRY
    registry.write_bytes(registry.read_bytes() + b"# colleague\n")
    refused = manager.promote_to_production("XGBoostTraining")
    assert not refused["success"] and "changed after staging" in refused["issues"][0]
    registry.write_bytes(registry.read_bytes().removesuffix(b"# colleague\n"))
    assert manager.promote_to_production("XGBoostTraining")["success"]


def test_a_file_someone_writes_during_a_promotion_is_never_overwritten(tmp_path: Path) -> None:
    base = NEW_STEP.copy(tmp_path)
    theirs = base / "shared" / FS / "scripts" / "feature_selection.py"

    def colleague(name: str) -> None:
        if name == f"write:{FS}/specs/feature_selection_spec.py":
            theirs.write_text("print('theirs')\n")

    manager = NEW_STEP.staged(base, checkpoint=colleague)
    before = tree(base)
    result = manager.promote_to_production(NEW_STEP.step)
    assert not result["success"]
    assert "feature_selection.py was changed by someone else" in result["issues"][0]
    assert diff(before, tree(base)) == [f"shared/{FS}/scripts/feature_selection.py"]
    assert theirs.read_text() == "print('theirs')\n"


def test_recovery_leaves_a_file_edited_after_the_crash_and_says_so(tmp_path: Path) -> None:
    base = NEW_STEP.copy(tmp_path)
    NEW_STEP.staged(base)
    before = tree(base)
    spec = f"{FS}/specs/feature_selection_spec.py"
    assert _kill_at(NEW_STEP, base, "promote", f"write:{spec}") == -signal.SIGKILL
    (base / "shared" / spec).write_text("# edited after the crash\n")
    recovered = NEW_STEP.manager(base)
    [report] = recovered.last_recovery
    assert (report["action"], report["left_as_changed_by_others"]) == ("undone", [spec])
    assert diff(before, tree(base)) == [f"shared/{spec}"]
    assert (base / "shared" / spec).read_text() == "# edited after the crash\n"
