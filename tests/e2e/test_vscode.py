"""VS Code (code-server) in headless Chromium with the packaged extension, on the fixture
workspace: F12 on a DAG node name opens the spec on its line, the Problems panel shows the
class-name config_types keys, the completion widget lists the job-type variants, the status bar
shows the step count, the Show Step... and Go to Component... commands open what they list, and
a developer workspace's step is staged, validated, promoted and rolled back from the palette.
``vscode-extension/e2e/run.mjs`` drives the UI; this file checks."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from e2e_support import (
    CLASS_NAME_KEY,
    FIXTURES,
    REPO,
    SPEC,
    SPEC_LINE,
    STEP_COUNT,
    VSCODE_TOOLS,
    missing,
)

pytestmark = pytest.mark.editor

EXTENSION = REPO / "vscode-extension"
CHROMIUM = Path("/usr/bin/chromium")
INSTALL = ".ci/install-vscode-e2e.sh"
RENAME = ("XGBoostTraining", "XgbTrain")  # what the UI renames at the end (F2)


def tools() -> Path:
    """code-server, Node 24 and playwright-core as install-vscode-e2e.sh leaves them."""
    if not (VSCODE_TOOLS / ".ready").exists():
        missing(f"code-server is not installed in {VSCODE_TOOLS} (bash {INSTALL} {VSCODE_TOOLS})")
    for needed in (
        "node_modules/.bin/code-server",
        "node/bin/node",
        "node_modules/playwright-core",
    ):
        if not (VSCODE_TOOLS / needed).exists():
            missing(f"{VSCODE_TOOLS / needed} is missing (bash {INSTALL} {VSCODE_TOOLS})")
    if not CHROMIUM.exists():
        missing(f"{CHROMIUM} is missing (bash {INSTALL} {VSCODE_TOOLS} installs Debian's chromium)")
    if shutil.which("npm") is None:
        missing("npm is not installed (needed to build the extension)")
    return VSCODE_TOOLS


def build_vsix() -> Path:
    """The extension packaged as CI packages it (npm run package)."""
    npm = shutil.which("npm")
    assert npm is not None
    if not (EXTENSION / "node_modules").exists():
        subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=EXTENSION, check=True)
    subprocess.run([npm, "run", "package"], cwd=EXTENSION, check=True, capture_output=True)
    vsix = EXTENSION / "stepcat.vsix"
    assert vsix.exists()
    return vsix


def test_vscode_definition_problems_completion_status(
    e2e_workspace: Path, server_env: dict[str, str], tmp_path: Path
) -> None:
    tools_dir = tools()
    vsix = build_vsix()
    # a developer workspace with one new step (FeatureSelection), to promote from the palette
    shutil.copytree(FIXTURES / "multi/alice", e2e_workspace / "development/projects/alice")
    steps = STEP_COUNT + 1
    # the rename the UI makes at the end, by the CLI on a copy, to compare
    cli_copy = tmp_path / "cli" / "workspace"
    shutil.copytree(e2e_workspace, cli_copy)
    subprocess.run(
        [sys.executable, "-m", "catalog_core", "rename", *RENAME, str(cli_copy), "--write"],
        env=server_env,
        check=True,
        capture_output=True,
    )
    out = tmp_path / "vscode"
    proc = subprocess.run(
        [
            str(tools_dir / "node" / "bin" / "node"),
            str(EXTENSION / "e2e" / "run.mjs"),
            *("--tools", str(tools_dir), "--vsix", str(vsix)),
            *("--workspace", str(e2e_workspace), "--out", str(out)),
            *("--python", sys.executable),
        ],
        env=server_env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    print(proc.stdout, proc.stderr)
    results = json.loads((out / "results.json").read_text())
    shots = results.get("screenshots", {})
    where = f"screenshots: {', '.join(shots.values()) or 'none'} (results: {out / 'results.json'})"
    assert results["ok"], f"{results.get('error')}\n{where}\n{results.get('codeServerOutput', '')}"
    print(where)
    if os.environ.get("STEPCAT_E2E_SCREENSHOTS"):  # refresh the README's pictures
        pictures = {
            "definition": "definition",
            "completion": "completion",
            "dagView": "dag-view",
            "stepsView": "steps-view",
        }
        for name, file in pictures.items():
            shutil.copy(
                shots[name], Path(os.environ["STEPCAT_E2E_SCREENSHOTS"]) / f"vscode-{file}.png"
            )

    # status bar: the step count (and the catalog's problem counts, in the tooltip)
    assert re.match(rf"{steps} steps\b", results["statusBar"]), where
    tooltip = re.search(
        rf"stepcat: {steps} steps in 2 workspaces \(shared, alice\); (\d+) errors",
        results["statusBarTooltip"],
    )
    assert tooltip and int(tooltip.group(1)) >= 4, (results["statusBarTooltip"], where)

    # F12 on "CradleDataLoading_training" opened the variant spec, cursor on its constant's line
    definition = results["definition"]
    assert definition["tab"].startswith(Path(SPEC).name), (definition, where)
    assert definition["cursor"] == {"line": SPEC_LINE, "column": 1}, (definition, where)
    assert definition["line"].startswith("DATA_LOADING_TRAINING_SPEC = StepSpecification("), where

    # Problems panel, filtered by the rule id: the four class-name keys, as errors, from stepcat
    line, message = CLASS_NAME_KEY
    problems = results["problems"]
    assert problems[0] == "4 problems in file class_name_keys.json of folder pipeline_configs", (
        where
    )
    assert f"Error: {message} at line {line} and character 7. generated by stepcat" in problems, (
        problems,
        where,
    )

    # completion widget after typing dag.add_node("CradleDataLoading_ : variants, then job types
    assert results["completionLine"] == 'dag.add_node("CradleDataLoading_")', where
    assert results["completion"] == [
        "CradleDataLoading_training",
        "CradleDataLoading_validation",
        "CradleDataLoading_calibration",
        "CradleDataLoading_evaluation",
        "CradleDataLoading_testing",
    ], where

    # stepcat: Show Step... ranks the abbreviation "xgbtrain" and opens the registry entry
    assert results["showStep"][0] == "XGBoostTraining", where
    opened = results["showStepOpened"]
    assert opened["tab"].startswith("step_names.py"), (opened, where)
    assert opened["cursor"]["line"] == 25, (opened, where)  # "XGBoostTraining": {

    # stepcat: Go to Component... on the node lists its components; choosing one opens it
    assert results["components"] == ["spec (training)", "script", "builder", "config", "registry"]
    opened = results["componentOpened"]
    assert opened["tab"].startswith("builder_cradle_data_loading_step.py"), (opened, where)
    assert opened["cursor"]["line"] == 6, (opened, where)  # class CradleDataLoadingStepBuilder

    # the promotion commands: stage alice's step, validate, promote (confirmed), roll back
    integration = results["integration"]
    assert integration["staged"] == "staged FeatureSelection from alice", (integration, where)
    assert integration["validated"] == "FeatureSelection: ready", (integration, where)
    assert integration["promoted"].startswith("promoted FeatureSelection: 7 file(s) changed")
    assert integration["scriptAfterPromotion"] is True, (integration, where)
    assert integration["rolledBack"].startswith("rolled back FeatureSelection: "), integration
    assert integration["scriptAfterRollback"] is False, (integration, where)
    assert not (e2e_workspace / "src/pipelines/steps/scripts/feature_selection.py").exists()

    # stepcat: Show DAG on the DAG module: every node drawn with its status, a click opens the
    # node's definition
    dag = results["dag"]
    assert [n["id"] for n in dag["nodes"]] == [
        "CradleDataLoading_training",
        "TabularPreprocessing_training",
        "XGBoostTraining",
        "PyTorchModelEval_evaluation",
    ], (dag, where)
    assert all("status-" in n["className"] for n in dag["nodes"]), (dag, where)
    assert dag["edges"] == 2, (dag, where)
    assert results["dagClickOpened"].startswith("xgboost_training_spec.py"), where

    # the Steps view in the Explorer: workspaces, steps, a step's components
    rows = results["stepsView"]
    assert any(r.startswith("shared") for r in rows), (rows, where)
    assert any(r.startswith("CradleDataLoading") for r in rows), (rows, where)
    assert any(r.startswith("spec (training)") for r in rows), (rows, where)

    # F2 on "XGBoostTraining" in the DAG, "XgbTrain", Enter: the files on disk are those
    # `stepcat rename --write` makes (renamed files included)
    assert results["renamePlaceholder"] == "XGBoostTraining", where
    assert results["renamed"] is True, where
    for path in sorted(cli_copy.rglob("*")):
        if path.is_file() and ".bak" not in path.name and "__pycache__" not in path.parts:
            relative = path.relative_to(cli_copy)
            assert (e2e_workspace / relative).read_text() == path.read_text(), (relative, where)
    assert not (
        e2e_workspace / "src/pipelines/steps/builders/builder_xgboost_training_step.py"
    ).exists()
