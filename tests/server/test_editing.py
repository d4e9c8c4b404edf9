"""Completion, code actions, code lens, workspace symbols and commands through the real server.
Tests that only read (or edit an open document and close it) share one server per client
profile; what completion answers at other cursors is in tests/fixtures/cursors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import SHARED, shared_editor
from editor import doc, find, pos, uri, where
from lsprotocol import types

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
IRR = FIXTURES / "irregular"
CONFIGS = FIXTURES / "configs"
DAG = IRR / "pipelines/training_dag.py"
REGISTRY = IRR / "src/pipelines/registry/step_names.py"

shared = shared_editor(IRR, opened=((REGISTRY, "python"),), name="shared")


async def complete(
    editor, path: Path, text: str, line: int, character: int
) -> types.CompletionList:
    result = await editor.client.text_document_completion_async(
        types.CompletionParams(text_document=doc(path), position=pos(line, character))
    )
    assert isinstance(result, types.CompletionList)
    return result


@SHARED
async def test_node_names_complete_with_variants_first(shared) -> None:
    editor = shared
    text = DAG.read_text() + 'dag.add_node("Dummy_")\n'
    await editor.open(DAG, text)
    line = text.split("\n").index('dag.add_node("Dummy_")')
    result = await complete(editor, DAG, text, line, len('dag.add_node("Dummy_'))
    labels = [item.label for item in result.items]
    assert labels[:2] == ["Dummy", "Dummy_calibration"]  # the step, then its existing variant
    assert labels[2:6] == [
        "Dummy_evaluation",
        "Dummy_testing",
        "Dummy_training",
        "Dummy_validation",
    ]
    edit = result.items[1].text_edit
    assert isinstance(edit, types.TextEdit)
    assert (edit.range.start.line, edit.range.start.character, edit.range.end.character) == (
        line,
        len('dag.add_node("'),
        len('dag.add_node("Dummy_'),
    )
    assert result.items[1].detail == "variant spec · Processing · shared"
    resolved = await editor.client.completion_item_resolve_async(result.items[1])
    assert resolved.documentation.value.startswith("**Dummy_calibration** · Processing")
    outside = await editor.client.text_document_completion_async(  # not a name slot: null
        types.CompletionParams(text_document=doc(DAG), position=pos(2, 5))
    )
    assert outside is None
    await editor.close(DAG)


async def test_config_problems_and_quick_fixes(editor) -> None:
    await editor.start(CONFIGS)
    path = CONFIGS / "pipeline_configs/class_name_keys.json"
    await editor.open(path, language="json")
    found = await editor.diagnostics(path, expect=lambda d: len(d) == 4)
    keys = [
        "BasePipelineConfig",
        "CradleDataLoadConfig",
        "XGBoostTrainingConfig",
        "XGBoostModelEvalConfig",
    ]
    assert sorted(
        (str(d.code), d.range.start.line, d.range.start.character, int(d.severity or 0))
        for d in found
    ) == sorted(("config-key-is-class-name", *find(path, f'"{k}": "{k}"'), 1) for k in keys)
    assert all(d.source == "stepcat" for d in found)
    line, col = find(path, '"XGBoostTrainingConfig": "XGBoostTrainingConfig"')
    diagnostic = next(d for d in found if d.range.start.line == line)
    actions = await editor.client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=doc(path),
            range=diagnostic.range,
            context=types.CodeActionContext(diagnostics=[diagnostic]),
        )
    )
    titles = [a.title for a in actions]
    assert titles == [
        "Rename key 'XGBoostTrainingConfig' to 'XGBoostTraining'",
        "Fix all class-name keys in config_types (4)",
    ]
    edit = actions[0].edit.changes[uri(path)][0]
    assert (
        edit.range.start.line,
        edit.range.start.character,
        edit.range.end.character,
        edit.new_text,
    ) == (line, col, col + len('"XGBoostTrainingConfig"'), '"XGBoostTraining"')
    whole = actions[1].edit.changes[uri(path)][0].new_text
    assert whole == (FIXTURES / "expected/config_rules/class_name_keys.fixed.json").read_text()


@SHARED
async def test_create_the_missing_spec(shared) -> None:
    editor = shared
    diagnostics = await editor.diagnostics(REGISTRY, expect=lambda d: len(d) == 3)
    missing = next(d for d in diagnostics if d.code == "missing-spec")
    actions = await editor.client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=doc(REGISTRY),
            range=missing.range,
            context=types.CodeActionContext(diagnostics=[missing]),
        )
    )
    fixes = [a for a in actions if a.kind == types.CodeActionKind.QuickFix]  # not refactors
    assert [a.title for a in fixes] == ["Create registration_spec.py (spec of Registration)"]
    create, insert = fixes[0].edit.document_changes
    target = IRR / "src/pipelines/steps/specs/registration_spec.py"
    assert create.uri == uri(target) and insert.text_document.uri == uri(target)
    assert 'step_type=get_spec_step_type("Registration")' in insert.edits[0].new_text
    assert not target.exists()  # an edit for the client to apply, nothing written by the server


async def test_code_lens_over_registry_entries_and_switching_it_off(editor) -> None:
    await editor.start(IRR)
    await editor.open(REGISTRY)
    lenses = await editor.client.text_document_code_lens_async(
        types.CodeLensParams(text_document=doc(REGISTRY))
    )
    line, _ = find(REGISTRY, '"ModelCalibration": {')
    on_line = [lens.command.title for lens in lenses if lens.range.start.line == line]
    assert on_line == ["script ✗", "contract", "spec", "builder", "config"]
    spec_lens = next(
        lens for lens in lenses if lens.range.start.line == line and lens.command.title == "spec"
    )
    assert spec_lens.command.command == "stepcat.openComponent"
    assert Path(spec_lens.command.arguments[0]).name == "model_calib_spec.py"
    editor.client.set_configuration({"codeLens": False}, section="stepcat")  # what the user edits
    editor.client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(settings={"stepcat": {"codeLens": False}})
    )
    await editor.indexed()
    assert (
        await editor.client.text_document_code_lens_async(
            types.CodeLensParams(text_document=doc(REGISTRY))
        )
        is None
    )


async def test_code_lenses_follow_changes_in_other_files(editor, tmp_path: Path) -> None:
    root = tmp_path / "irregular"
    shutil.copytree(IRR, root)
    registry = root / REGISTRY.relative_to(IRR)
    await editor.start(root)
    await editor.open(registry)
    line, _ = find(registry, '"ModelCalibration": {')

    async def titles() -> list[str]:
        lenses = await editor.client.text_document_code_lens_async(
            types.CodeLensParams(text_document=doc(registry))
        )
        return [lens.command.title for lens in lenses if lens.range.start.line == line]

    assert (await titles())[0] == "script ✗"
    script = root / "src/pipelines/steps/scripts/calibrate_model.py"  # the contract's entry_point
    script.write_text("def main():\n    return 0\n")
    editor.client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=uri(script), type=types.FileChangeType.Created)]
        )
    )
    await editor.indexed()
    assert (await titles())[0] == "script"
    # a client that can be asked to refresh its lenses is asked: the registry was not edited
    supported = editor.capabilities.workspace.code_lens  # type: ignore[union-attr]
    assert (editor.client.code_lens_refreshes > 0) == bool(supported and supported.refresh_support)


@SHARED
async def test_workspace_symbols(shared) -> None:
    editor = shared
    symbols = await editor.client.workspace_symbol_async(
        types.WorkspaceSymbolParams(query="LightGBMMT")
    )
    found = [(s.name, s.kind, where(s.location)[0]) for s in symbols]
    assert ("LightGBMMTTraining", types.SymbolKind.Module, "step_names.py") in found
    assert (
        "LightGBMMTTrainingStepBuilder",
        types.SymbolKind.Class,
        "training_builders.py",
    ) in found
    assert (
        "LIGHTGBMMT_TRAINING_CONTRACT",
        types.SymbolKind.Constant,
        "lightgbmmt_training_contract.py",
    ) in found


@SHARED
async def test_commands_for_editor_ui(shared) -> None:
    editor = shared
    execute = editor.client.workspace_execute_command_async
    steps = await execute(types.ExecuteCommandParams(command="stepcat.listSteps"))
    by_name = {s["name"]: s for s in steps}
    assert len(steps) == 14
    assert (by_name["Package"]["workspace"], by_name["Package"]["sagemakerStepType"]) == (
        "shared",
        "Processing",
    )
    assert by_name["ModelCalibration"]["complete"] is False
    assert (
        by_name["Package"]["location"]["range"]["start"]["line"]
        == find(REGISTRY, '"Package": {')[0]
    )
    status = await execute(types.ExecuteCommandParams(command="stepcat.status"))
    expected = json.loads((FIXTURES / "expected/irregular.json").read_text())["problems"]
    errors = sum(1 for p in expected if p[1] == "error")
    assert (status["state"], status["steps"], status["problems"]["error"]) == ("ready", 14, errors)
    await editor.open(DAG)
    line, col = find(DAG, '"XGBoostTraining"')
    components = await execute(
        types.ExecuteCommandParams(
            command="stepcat.componentsAt", arguments=[uri(DAG), line, col + 3]
        )
    )
    assert [c["label"] for c in components] == [
        "spec",
        "script",
        "contract",
        "builder",
        "config",
        "registry",
    ]
    await editor.close(DAG)
    assert await execute(types.ExecuteCommandParams(command="stepcat.reindex")) == 14
