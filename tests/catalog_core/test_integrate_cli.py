"""``stepcat integrate ...`` in a real process: the workflow, messages and exit codes
(0 done, 1 refused or failed, 2 usage error)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from integration_support import BOB, NEW_STEP, REPO, tree

ROOTS = ["--root", "shared", "--root", "alice"]

# (arguments, exit status, text expected on stdout or stderr), run in order on one copy
SESSION = [
    (["status"], 0, "nothing staged"),
    (["stage", "FeatureSelection", "--from", "alice"], 0, "staged FeatureSelection from alice"),
    (["stage", "FeatureSelection", "--from", "../alice"], 1, "refused: workspace id '../alice'"),
    (["stage", "../../etc", "--from", "alice"], 1, "refused: step name '../../etc' contains '..'"),
    (["validate", "alice:FeatureSelection"], 0, "alice:FeatureSelection: READY"),
    (["reject", "FeatureSelection", "--by", "bob", "--comment", "no tests"], 0, "rejected"),
    (["promote", "FeatureSelection"], 1, "refused: 'FeatureSelection' is rejected by bob"),
    (["approve", "FeatureSelection", "--by", "bob"], 0, "approved FeatureSelection (by bob)"),
    (["promote", "FeatureSelection"], 0, "src/cursus/registry/step_names.py"),
    (["promote", "FeatureSelection"], 1, "is already promoted"),
    (["status"], 0, "1 of 3 promotion(s) succeeded"),
    (["status", "FeatureSelection"], 0, "approved by bob"),
    (["rollback", "FeatureSelection"], 0, "rolled back FeatureSelection"),
    (["rollback", "FeatureSelection"], 1, "has no promotion to roll back"),
    (["promote"], 2, "the following arguments are required: step"),
]


def _run(base: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": f"{REPO}{os.pathsep}{REPO / 'server'}"}
    env.pop("STEPCAT_ROOTS", None)
    return subprocess.run(
        [sys.executable, "-m", "catalog_core", "integrate", *args],
        cwd=base,
        env=env,
        capture_output=True,
        text=True,
    )


def test_a_cli_session(tmp_path: Path) -> None:
    base = NEW_STEP.copy(tmp_path)
    before = tree(base)
    wrong = []
    for args, status, text in SESSION:
        done = _run(base, *args, *(ROOTS if args != ["promote"] else []))
        if done.returncode != status or text not in done.stdout + done.stderr:
            wrong.append((args, done.returncode, done.stdout, done.stderr))
    assert wrong == []
    assert tree(base) == before  # promoted, then rolled back exactly


def test_json_output_is_the_managers_result(tmp_path: Path) -> None:
    base = NEW_STEP.copy(tmp_path)
    assert _run(base, "stage", "FeatureSelection", "--from", "alice", *ROOTS).returncode == 0
    done = _run(base, "promote", "FeatureSelection", "--format", "json", *ROOTS)
    result = json.loads(done.stdout)
    assert done.returncode == 0 and result["success"] is True
    assert len(result["changed_files"]) == 7 and len(result["backups"]) == 1


def test_a_step_that_is_not_ready_fails_validation(tmp_path: Path) -> None:
    base = BOB.copy(tmp_path)
    assert _run(base, "stage", "LightGBMMTTraining", "--from", "bob").returncode == 0
    done = _run(base, "validate", "bob:LightGBMMTTraining")
    assert done.returncode == 1
    assert "bob:LightGBMMTTraining: NOT READY" in done.stdout
    assert "error: Training step 'LightGBMMTTraining' would have no contract" in done.stdout
    assert "hint: add the contract to workspace 'bob' and stage again" in done.stdout


def test_a_missing_root_is_a_usage_error(tmp_path: Path) -> None:
    done = _run(tmp_path, "status", "--root", "nowhere")
    assert done.returncode == 2 and "no such folder: nowhere" in done.stderr


def test_roots_without_a_shared_tree_are_refused(tmp_path: Path) -> None:
    base = NEW_STEP.copy(tmp_path)
    done = _run(base, "status", "--root", "alice")
    assert done.returncode == 1
    assert "no shared workspace among the roots" in done.stderr
