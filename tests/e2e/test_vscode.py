"""VS Code (code-server) in headless Chromium with the packaged extension, on the fixture
workspace, in an environment with no stepcat anywhere: the interpreter is a fresh virtual
environment without stepcat (set as ``stepcat.interpreter`` in the Machine settings, as a user of a
remote window sets it), PATH has no ``stepcat`` and PYTHONPATH is unset. The extension runs the
server it carries. F12 on a DAG node name opens the spec on its line, the Problems panel shows the
class-name config_types keys, the completion widget lists the job-type variants, the language
status item shows the step count, the Show Step... and Go to Component... commands open what they
list, a developer workspace's step is staged, validated, promoted and rolled back from the
palette, the DAG view draws the DAG module (a click on a node opens its definition), the Steps view
lists workspaces, steps and a step's components, and F2 renames a step everywhere (the files on
disk are those ``stepcat rename --write`` makes). A second run opens a project that only has the
framework installed in its interpreter's environment: the language status names that framework
and F12 on a node name of its DAG opens the spec inside site-packages.
``vscode-extension/e2e/run.mjs`` drives the UI; this file checks."""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

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
# stepcat: Show DAG on the DAG module: its nodes in the order written, and its edges
DAG_NODES = [
    "CradleDataLoading_training",
    "TabularPreprocessing_training",
    "XGBoostTraining",
    "PyTorchModelEval_evaluation",
]
DAG_EDGES = 2
# the installed-framework project: its DAG as DAG JSON (what makes VS Code activate stepcat
# there), the spec F12 on "TabularPreprocessing_training" opens, and the steps it sees
FRAMEWORK_DAG = {
    "dag": {
        "nodes": ["TabularPreprocessing_training", "XGBoostTraining"],
        "edges": [["TabularPreprocessing_training", "XGBoostTraining"]],
    },
    "metadata": {"name": "training"},
}
# the Steps view: each workspace's steps, and the components of the step expanded
STEPS_VIEW = {
    "shared": [
        "Base",
        "CradleDataLoading",
        "CurrencyConversion",
        "Dummy",
        "DummyTraining",
        "LightGBMMTTraining",
        "ModelCalibration",
        "Package",
        "PyTorchModelEval",
        "Registration",
        "RiskTableMapping",
        "TabularPreprocessing",
        "XGBoostModel",
        "XGBoostTraining",
    ],
    "alice": ["FeatureSelection", "XGBoostTraining"],
}
CRADLE_COMPONENTS = [
    ("spec", "cradle_data_loading_spec.py"),
    ("spec (training)", "cradle_data_loading_training_spec.py"),
    ("spec (validation)", "cradle_data_loading_validation_spec.py"),
    ("script", "cradle_data_loading.py"),
    ("contract", "not present"),
    ("builder", "builder_cradle_data_loading_step.py"),
    ("config", "config_cradle_data_loading_step.py"),
]
FRAMEWORK_SPEC = "cursus/steps/specs/tabular_preprocessing_training_spec.py"
FRAMEWORK_STEPS = 2


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


@functools.cache
def build_vsix() -> Path:
    """The extension packaged as CI packages it (npm run package), once per session."""
    npm = shutil.which("npm")
    assert npm is not None
    if not (EXTENSION / "node_modules").exists():
        subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=EXTENSION, check=True)
    # bundles the server and its libraries (pip downloads them), then vsce package
    built = subprocess.run([npm, "run", "package"], cwd=EXTENSION, capture_output=True, text=True)
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    vsix = EXTENSION / "stepcat.vsix"
    assert vsix.exists()
    return vsix


def bare_python(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A virtual environment without stepcat (nor pip), and an environment whose PATH holds no
    ``stepcat`` and that has no PYTHONPATH: nothing but the .vsix can provide the server."""
    venv = tmp_path / "bare-venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    dirs = env.get("PATH", "").split(os.pathsep)
    env["PATH"] = os.pathsep.join(d for d in dirs if d and shutil.which("stepcat", path=d) is None)
    assert shutil.which("stepcat", path=env["PATH"]) is None
    probe = subprocess.run(
        [str(python), "-c", "import stepcat_server"], env=env, capture_output=True, text=True
    )
    assert probe.returncode != 0 and "No module named 'stepcat_server'" in probe.stderr
    return python, env


def run_code_server(
    vsix: Path, workspace: Path, python: Path, env: dict[str, str], out: Path, *extra: str
) -> dict[str, Any]:
    tools_dir = tools()
    proc = subprocess.run(
        [
            str(tools_dir / "node" / "bin" / "node"),
            str(EXTENSION / "e2e" / "run.mjs"),
            *("--tools", str(tools_dir), "--vsix", str(vsix)),
            *("--workspace", str(workspace), "--out", str(out)),
            *("--python", str(python)),
            *extra,
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    print(proc.stdout, proc.stderr)
    results: dict[str, Any] = json.loads((out / "results.json").read_text())
    return results


def test_vscode_is_silent_without_a_catalog(tmp_path: Path) -> None:
    """A repository with the files the old activation globs matched (registry/*.py,
    config_*.json) but no step catalog, and an unrelated `stepcat` program on PATH: the extension
    neither starts a server nor runs that program nor shows a notification."""
    tools()
    vsix = build_vsix()
    python, env = bare_python(tmp_path)
    workspace = tmp_path / "unrelated"
    (workspace / "registry").mkdir(parents=True)
    (workspace / "registry" / "plugins.py").write_text("PLUGINS = {}\n")
    (workspace / "config_prod.json").write_text('{"debug": false}\n')
    decoy_bin = tmp_path / "decoy-bin"
    decoy_bin.mkdir()
    marker = tmp_path / "decoy-ran"
    decoy = decoy_bin / "stepcat"
    decoy.write_text(f'#!/bin/sh\ntouch "{marker}"\nexit 1\n')
    decoy.chmod(0o755)
    env["PATH"] = os.pathsep.join([str(decoy_bin), env["PATH"]])
    out = tmp_path / "vscode-idle"
    results = run_code_server(vsix, workspace, python, env, out, "--idle")
    where = f"screenshots: {', '.join(results.get('screenshots', {}).values())}"
    assert results["ok"], f"{results.get('error')}\n{where}"
    assert results["serverProcess"] is None, (results["serverProcess"], where)
    assert not [n for n in results["notifications"] if "stepcat" in n.lower()], where
    assert not marker.exists(), "the extension ran the `stepcat` found on PATH"


def test_vscode_definition_problems_completion_status(e2e_workspace: Path, tmp_path: Path) -> None:
    tools()
    vsix = build_vsix()
    python, env = bare_python(tmp_path)
    # a developer workspace with one new step (FeatureSelection), to promote from the palette
    shutil.copytree(FIXTURES / "multi/alice", e2e_workspace / "development/projects/alice")
    steps = STEP_COUNT + 1
    # the rename the UI makes at the end, made by the CLI on a copy, to compare
    cli_copy = tmp_path / "cli" / "workspace"
    shutil.copytree(e2e_workspace, cli_copy)
    cli_env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(REPO), str(REPO / "server")]))
    subprocess.run(
        [sys.executable, "-m", "catalog_core", "rename", *RENAME, str(cli_copy), "--write"],
        env=cli_env,
        check=True,
        capture_output=True,
    )
    out = tmp_path / "vscode"
    results = run_code_server(vsix, e2e_workspace, python, env, out)
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

    # the server the extension carries, run by the bare interpreter from the Machine settings
    server = results["serverProcess"]
    assert server is not None, where
    assert server["argv"][0] == str(python) and server["argv"][1:3] == ["-m", "stepcat_server"]
    libs = (server["pythonPath"] or "").split(os.pathsep)[0]
    assert libs.startswith(str(out / "extensions")) and libs.endswith("bundled/libs"), server

    # language status: the step count and the workspaces (problem counts stay in Problems)
    status = results["languageStatus"]
    assert re.match(rf"{steps} steps\b", status), (status, where)
    assert "stepcat: in 2 workspaces (shared, alice)" in status, (status, where)

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

    # stepcat: Show DAG on the DAG module: every node drawn with its status, a click on one
    # opens its definition
    dag = results["dag"]
    assert [n["id"] for n in dag["nodes"]] == DAG_NODES, (dag, where)
    assert all("status-" in n["className"] for n in dag["nodes"]), (dag, where)
    assert dag["edges"] == DAG_EDGES, (dag, where)
    assert results["dagClickOpened"].startswith("xgboost_training_spec.py"), where

    # the Steps view in the Explorer: workspaces, steps, a step's components (fetched level by
    # level as the view expands)
    # rows' accessible labels: "<kind> workspace <id>\n<root>", "<step> · <type> · workspace
    # <id>\n...", "<component> of <step>: <file URI or state>"
    shown: dict[str, list[str]] = {}
    components = []
    for row in results["stepsView"]:
        if found := re.match(r"\w+ workspace (\S+)\n", row):
            shown[found.group(1)] = []
        elif found := re.match(r"(\w+) · .* · workspace (\S+)\n", row):
            shown[found.group(2)].append(found.group(1))
        elif found := re.match(r"(.+) of CradleDataLoading: (.+)", row):
            components.append((found.group(1), found.group(2).rsplit("/", 1)[-1]))
    assert shown == STEPS_VIEW, (results["stepsView"], where)
    assert components == CRADLE_COMPONENTS, (results["stepsView"], where)
    assert "unsavedAtClose" not in results, (results["unsavedAtClose"], where)

    # F2 on "XGBoostTraining" in the DAG, "XgbTrain", Enter: the files on disk are those
    # `stepcat rename --write` makes (renamed files included)
    assert results["renamePlaceholder"] == RENAME[0], where
    assert results["renamed"] is True, where
    for path in sorted(cli_copy.rglob("*")):
        if path.is_file() and ".bak" not in path.name and "__pycache__" not in path.parts:
            relative = path.relative_to(cli_copy)
            assert (e2e_workspace / relative).read_bytes() == path.read_bytes(), (relative, where)
    assert not (
        e2e_workspace / "src/pipelines/steps/builders/builder_xgboost_training_step.py"
    ).exists()


def test_vscode_project_with_only_the_installed_framework(tmp_path: Path) -> None:
    """A project with a DAG and a pipeline config only; its framework is installed in a
    virtual environment's site-packages (tests/envbuild.py), and that environment's Python is
    ``stepcat.python`` (the project's interpreter; a bare one is ``stepcat.interpreter``, running
    the bundled server): the server finds the framework there, the language status names it, and
    F12 on a DAG node name opens the spec inside site-packages."""
    tools()
    vsix = build_vsix()
    sys.path.insert(0, str(REPO / "tests"))
    import envbuild

    built = envbuild.build(tmp_path / "installed")
    (built.project / "pipelines" / "training.dag.json").write_text(
        json.dumps(FRAMEWORK_DAG, indent=2) + "\n"
    )
    project_python = built.venv / "bin" / "python"
    python, env = bare_python(tmp_path)  # runs the server; PATH without stepcat, no PYTHONPATH
    probe = subprocess.run(
        [str(project_python), "-c", "import stepcat_server"], env=env, capture_output=True
    )
    assert probe.returncode != 0  # only the framework is installed there
    out = tmp_path / "vscode-framework"
    extra = ("--framework", "--project-python", str(project_python))
    results = run_code_server(vsix, built.project, python, env, out, *extra)
    shots = results.get("screenshots", {})
    where = f"screenshots: {', '.join(shots.values()) or 'none'} (results: {out / 'results.json'})"
    assert results["ok"], f"{results.get('error')}\n{where}\n{results.get('codeServerOutput', '')}"
    print(where, results.get("languageStatus"))

    server = results["serverProcess"]
    assert server is not None and server["argv"][0] == str(python), (server, where)
    # the project has no step of its own: the steps are the installed framework's
    status = results["languageStatus"]
    assert re.match(rf"{FRAMEWORK_STEPS} steps\b", status), (status, where)
    # the status item names the framework in use: the installed package, its version, its path
    package = f"{envbuild.DIST} 2.4.0"
    assert status.startswith(f"{FRAMEWORK_STEPS} steps · {package} "), (status, where)
    assert f"framework: {package} ({built.site}{os.sep}" in status, (status, where)
    definition = results["frameworkDefinition"]
    assert definition["tab"].startswith(Path(FRAMEWORK_SPEC).name), (definition, where)
    spec = built.site / FRAMEWORK_SPEC
    assert spec.exists()
    # the breadcrumbs of a file outside the folder are its path: the one in site-packages, on
    # the line of the spec's constant
    assert definition["breadcrumbs"] == str(spec.relative_to(spec.anchor)), (definition, where)
    lines = spec.read_text().splitlines()
    line = next(i for i, t in enumerate(lines, 1) if "= StepSpecification(" in t)
    assert definition["cursor"] == {"line": line, "column": 1}, (definition, where)
    assert envbuild.imported_markers(built.venv) == []  # read, never imported
