"""The "Migrate <Step> to an interface" code action: the same plan as ``stepcat migrate --step``,
as a workspace edit (create the interface with its content, rewrite the registry, delete the
contract and spec), on a 1.x registry entry or a contract/spec file; nothing on a step an
interface already defines."""

from __future__ import annotations

import shutil
from pathlib import Path

from editor import doc, find, uri
from lsprotocol import types

from catalog_core.api import StepCatalog

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


async def actions_at(editor, path: Path, line: int) -> list[types.CodeAction]:
    await editor.open(path)
    found = await editor.client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=doc(path),
            range=types.Range(start=types.Position(line, 4), end=types.Position(line, 4)),
            context=types.CodeActionContext(diagnostics=[]),
        )
    )
    return [a for a in found or [] if a.title.startswith("Migrate ")]


async def test_migrate_action_is_the_cli_plan_as_a_workspace_edit(editor, tmp_path) -> None:
    root = tmp_path / "mixed"
    shutil.copytree(FIXTURES / "mixed", root)
    registry = root / "src/mig/registry/step_names.py"
    await editor.start(root)
    line, _ = find(registry, '"Package"')
    actions = await actions_at(editor, registry, line + 2)
    assert [(a.title, a.kind) for a in actions] == [
        ("Migrate Package to an interface", types.CodeActionKind.RefactorRewrite)
    ]
    edit = actions[0].edit
    assert edit is not None and edit.document_changes is not None
    plan = StepCatalog([root]).migrate(["Package"])
    interface = next(c for c in plan.changes if c.kind == "interface")
    ops = edit.document_changes
    created = [op.uri for op in ops if isinstance(op, types.CreateFile)]
    deleted = sorted(op.uri for op in ops if isinstance(op, types.DeleteFile))
    texts = {
        op.text_document.uri: op.edits[0].new_text
        for op in ops
        if isinstance(op, types.TextDocumentEdit)
    }
    assert created == [uri(interface.path)]
    assert texts[uri(interface.path)] == interface.new
    assert texts[uri(registry)] == next(c.new for c in plan.changes if c.kind == "registry")
    assert deleted == sorted(
        uri(root / f"src/mig/steps/{p}")
        for p in ("contracts/package_contract.py", "specs/package_spec.py")
    )


async def test_offered_on_a_spec_file_but_not_for_an_interface_step(editor, tmp_path) -> None:
    root = tmp_path / "mixed"
    shutil.copytree(FIXTURES / "mixed", root)
    await editor.start(root)
    spec = root / "src/mig/steps/specs/cradle_data_loading_training_spec.py"
    titles = [a.title for a in await actions_at(editor, spec, 0)]
    assert titles == ["Migrate CradleDataLoading to an interface"]
    registry = root / "src/mig/registry/step_names.py"
    line, _ = find(registry, '"TabularPreprocessing"')
    assert await actions_at(editor, registry, line) == []
