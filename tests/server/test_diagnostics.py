"""Diagnostics through the real server: pushed to VS Code 1.65 and Neovim 0.7 capabilities,
pulled by Neovim 0.11's; cleared when fixed or deleted; severities configurable. Tests that
only read (or edit an open document and close it) share one server per client profile."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import SHARED, shared_editor
from editor import find, uri
from lsprotocol import types

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
IRR = FIXTURES / "irregular"
REGISTRY = IRR / "src/pipelines/registry/step_names.py"

shared = shared_editor(IRR, name="shared")


def summary(diagnostics: list[types.Diagnostic]) -> list[tuple[str, int, int, int]]:
    return sorted(
        (str(d.code), d.range.start.line, d.range.start.character, int(d.severity or 0))
        for d in diagnostics
    )


@SHARED
async def test_catalog_problems_on_registry_and_component_files(shared) -> None:
    editor = shared
    registry = await editor.diagnostics(REGISTRY, expect=lambda d: len(d) == 3)
    line_calib, _ = find(REGISTRY, '"ModelCalibration": {')
    line_reg, col_reg = find(REGISTRY, '"Registration": {')
    line_cls, col_cls = find(REGISTRY, '"RegistrationConfig"')
    assert summary(registry) == sorted(
        [
            ("missing-script", line_calib, 5, 2),
            ("missing-spec", line_reg, col_reg + 1, 2),
            ("missing-class", line_cls, col_cls + 1, 1),
        ]
    )
    contract = IRR / "src/pipelines/steps/contracts/model_calibration_contract.py"
    line, col = find(contract, "calibrate_model.py")
    assert summary(await editor.diagnostics(contract, expect=bool)) == [
        ("entry-point-not-found", line, col, 1)
    ]


@SHARED
async def test_dag_names_checked_and_cleared_when_fixed(shared) -> None:
    editor = shared
    dag = IRR / "pipelines/training_dag.py"
    text = dag.read_text() + 'dag.add_node("NoSuchStep_training")\ndag.add_node("Dummy_trainnig")\n'
    await editor.open(dag, text)
    lines = text.split("\n")
    unknown = lines.index('dag.add_node("NoSuchStep_training")')
    typo = lines.index('dag.add_node("Dummy_trainnig")')
    evaluation = find(dag, '"PyTorchModelEval_evaluation"')
    found = await editor.diagnostics(dag, expect=lambda d: len(d) == 3)
    assert summary(found) == sorted(
        [
            ("dag-unknown-step", unknown, 13, 1),
            ("dag-unknown-job-type", typo, 13, 2),
            ("dag-unknown-job-type", evaluation[0], evaluation[1], 2),
        ]
    )
    await editor.change(dag, dag.read_text())
    assert summary(await editor.diagnostics(dag, expect=lambda d: len(d) == 1)) == [
        ("dag-unknown-job-type", evaluation[0], evaluation[1], 2)
    ]
    await editor.close(dag)


async def test_a_change_in_another_file_updates_an_open_dag(editor, tmp_path: Path) -> None:
    """Adding the step to the registry clears the DAG's error without touching the DAG: pushed
    again, or (for a client that can be told) pulled again after a refresh request."""
    root = tmp_path / "irregular"
    shutil.copytree(IRR, root)
    dag, registry = root / "pipelines/training_dag.py", root / REGISTRY.relative_to(IRR)
    dag.write_text(dag.read_text() + 'dag.add_node("Foo")\n')
    result = await editor.start(root)
    assert (result.capabilities.diagnostic_provider is not None) == editor.pulls_diagnostics
    unknown = [("dag-unknown-step", len(dag.read_text().split("\n")) - 2, 13, 1)]

    def foo_errors(found: list[types.Diagnostic]) -> list[tuple[str, int, int, int]]:
        return [s for s in summary(found) if s[0] == "dag-unknown-step"]

    await editor.open(dag)
    assert foo_errors(await editor.diagnostics(dag, expect=foo_errors)) == unknown
    await editor.open(registry)
    text = registry.read_text().replace(
        "STEP_NAMES = {",
        'STEP_NAMES = {\n    "Foo": {"config_class": "FooConfig", '
        '"builder_step_name": "FooStepBuilder", "sagemaker_step_type": "Processing"},',
    )
    assert text != registry.read_text()
    await editor.change(registry, text)
    found = await editor.diagnostics(dag, expect=lambda d: not foo_errors(d))
    assert foo_errors(found) == []
    if editor.pulls_diagnostics:
        assert editor.client.diagnostic_refresh_count > 0


async def test_clients_that_pull_and_can_be_refreshed_pull(editor) -> None:
    caps = editor.capabilities
    caps.text_document.diagnostic = types.DiagnosticClientCapabilities()  # type: ignore[union-attr]
    caps.workspace.diagnostics = types.DiagnosticWorkspaceClientCapabilities(  # type: ignore[union-attr]
        refresh_support=True
    )
    assert editor.pulls_diagnostics
    result = await editor.start(IRR)
    assert result.capabilities.diagnostic_provider is not None
    found = await editor.diagnostics(REGISTRY, expect=lambda d: len(d) == 3)
    assert {d.code for d in found} == {"missing-script", "missing-spec", "missing-class"}
    assert REGISTRY.as_uri() not in editor.client.diagnostics  # nothing pushed besides


async def test_cleared_when_the_file_is_deleted(editor, tmp_path: Path) -> None:
    root = tmp_path / "irregular"
    shutil.copytree(IRR, root)
    orphan = root / "src/pipelines/steps/builders/builder_orphan_step.py"
    await editor.start(root)
    assert [d.code for d in await editor.diagnostics(orphan, expect=bool)] == ["unlinked-component"]
    orphan.unlink()
    editor.client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=uri(orphan), type=types.FileChangeType.Deleted)]
        )
    )
    await editor.indexed()
    assert await editor.diagnostics(orphan, expect=lambda d: d == []) == []


async def test_severities_and_disabled_rules_are_configurable(editor) -> None:
    options = {
        "severity": {"missing-script": "hint", "missing-spec": "off"},
        "disabledRules": ["missing-class"],
    }
    await editor.start(IRR, options=options)
    registry = await editor.diagnostics(REGISTRY, expect=lambda d: len(d) == 1)
    assert [(d.code, d.severity) for d in registry] == [
        ("missing-script", types.DiagnosticSeverity.Hint)
    ]
    # the status (the VS Code status bar's counts) uses the same levels
    levels = {"missing-script": "hint", "missing-spec": None, "missing-class": None}
    expected = dict.fromkeys(("error", "warning", "information", "hint"), 0)
    for rule, severity, *_ in json.loads((FIXTURES / "expected/irregular.json").read_text())[
        "problems"
    ]:
        level = levels.get(rule, severity)
        if level is not None:
            expected[level] += 1
    status = await editor.client.workspace_execute_command_async(
        types.ExecuteCommandParams(command="stepcat.status")
    )
    assert status["problems"] == expected


async def test_invalid_settings_give_a_message_and_the_defaults(editor) -> None:
    await editor.start(
        IRR, options={"codeLens": "sometimes", "severity": {"missing-script": "loud"}}
    )
    messages = [m.message for m in editor.client.messages]
    assert any("codeLens" in m and "defaults used" in m for m in messages), messages
    registry = await editor.diagnostics(REGISTRY, expect=lambda d: len(d) == 3)
    assert {str(d.code) for d in registry} == {"missing-script", "missing-spec", "missing-class"}


@SHARED
async def test_progress_reports_counts(shared) -> None:
    """What the shared server reported while it indexed at the start (nothing here reindexes)."""
    editor = shared
    reports = [p for values in editor.client.progress_reports.values() for p in values]
    begins = [r for r in reports if isinstance(r, types.WorkDoneProgressBegin)]
    ends = [r for r in reports if isinstance(r, types.WorkDoneProgressEnd)]
    assert [b.title for b in begins] == ["stepcat"]
    files = len(list((IRR / "src/pipelines/steps").rglob("*.py")))
    assert ends and ends[-1].message == f"14 steps, {files} component files, 1 workspace"
    assert any(
        isinstance(r, types.WorkDoneProgressReport)
        and r.message == f"found {files} component files"
        for r in reports
    )
