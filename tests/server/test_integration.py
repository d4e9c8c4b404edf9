"""Promotion from the editor: the "Stage for integration" code action on a developer step, and
the ``stepcat.integrate.*`` commands it leads to, on a copy of a two-workspace fixture. The
tests that stage nothing share one server (and one copy) per client profile."""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
import pytest_asyncio
from conftest import SHARED
from editor import Editor, doc, find
from lsprotocol import types
from pytest_lsp import LanguageClient

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def copy_multi(tmp_path: Path) -> tuple[Path, Path]:
    base = tmp_path / "multi"
    shutil.copytree(FIXTURES / "multi", base)
    return base / "shared", base / "alice"


NEW_NODE = 'dag.add_node("FeatureSelection")\n'


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def copied(
    shared_client: LanguageClient, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Editor, Path, Path]:
    shared, alice = copy_multi(tmp_path_factory.mktemp("integration"))
    editor = Editor(shared_client, shared_client.client_spec)  # type: ignore[attr-defined]
    await editor.start(alice, shared)
    return editor, shared, alice


async def definition_folders(editor, path: Path) -> set[str]:
    """Workspace folders ("shared", "alice") holding the definitions of the DAG's new node."""
    line, col = find(path, '"FeatureSelection"')
    targets = await editor.definition(path, line, col + 2) or []
    base = path.parents[2]
    return {Path(unquote(urlparse(t.target_uri).path)).relative_to(base).parts[0] for t in targets}


async def run(editor, name: str, *arguments: object) -> dict:
    return await editor.client.workspace_execute_command_async(
        types.ExecuteCommandParams(command=f"stepcat.integrate.{name}", arguments=list(arguments))
    )


async def test_stage_validate_promote_and_roll_back_from_the_editor(editor, tmp_path) -> None:
    shared, alice = copy_multi(tmp_path)
    registry = alice / "src/cursus_dev/registry/workspace_registry.py"
    shared_dag = shared / "pipelines/shared_dag.py"
    shared_dag.write_text(shared_dag.read_text() + NEW_NODE)
    await editor.start(alice, shared)
    await editor.open(registry)
    line, _ = find(registry, '"description": "Selects features"')
    actions = await editor.client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=doc(registry),
            range=types.Range(start=types.Position(line, 4), end=types.Position(line, 4)),
            context=types.CodeActionContext(diagnostics=[]),
        )
    )
    stage = [a for a in actions or [] if a.kind == types.CodeActionKind.Refactor]
    assert [(a.title, a.command.command, list(a.command.arguments)) for a in stage] == [
        (
            "Stage FeatureSelection for integration into the shared workspace…",
            "stepcat.integrate.stage",
            ["FeatureSelection", "alice"],
        )
    ]
    staged = await run(editor, "stage", *stage[0].command.arguments)
    assert staged["success"] and staged["component_id"] == "FeatureSelection"
    assert editor.client.messages[-1].message == "staged FeatureSelection from alice"

    validated = await run(editor, "validate", "FeatureSelection")
    assert validated["overall_ready"], validated
    assert (await run(editor, "approve", "FeatureSelection", "looks good"))["success"]

    # A shared DAG naming the step finds it in Alice's workspace until the promotion lands.
    await editor.open(shared_dag)
    assert await definition_folders(editor, shared_dag) == {"alice"}

    promoted = await run(editor, "promote", "FeatureSelection")
    script = shared / "src/cursus/steps/scripts/feature_selection.py"
    assert (
        promoted["success"]
        and script.read_bytes()
        == (alice / "src/cursus_dev/steps/scripts/feature_selection.py").read_bytes()
    )
    assert editor.client.messages[-1].message.startswith("promoted FeatureSelection: ")
    assert await definition_folders(editor, shared_dag) == {"shared"}

    rolled = await run(editor, "rollback", "FeatureSelection")
    assert rolled["success"] and not script.exists()
    assert editor.client.messages[-1].message.startswith("rolled back FeatureSelection")
    assert await definition_folders(editor, shared_dag) == {"alice"}


@SHARED
async def test_failures_are_shown_as_errors(copied) -> None:
    editor, _, _ = copied
    result = await run(editor, "promote", "FeatureSelection")  # never staged
    assert result["success"] is False
    message = editor.client.messages[-1]
    assert message.type == types.MessageType.Error
    assert message.message.startswith("promote failed: ")
    assert (await run(editor, "stage", "FeatureSelection"))["issues"] == [
        "stepcat.integrate.stage needs arguments: step, workspace"
    ]
    assert editor.client.messages[-1].message == (
        "stage failed: stepcat.integrate.stage needs arguments: step, workspace"
    )


@SHARED
async def test_no_stage_action_in_the_shared_workspace_or_for_quick_fix_only_requests(
    copied,
) -> None:
    editor, shared, alice = copied
    script = alice / "src/cursus_dev/steps/scripts/feature_selection.py"
    shared_script = shared / "src/cursus/steps/scripts/xgboost_training.py"
    for path, only, expected in [
        (script, None, ["Stage FeatureSelection for integration into the shared workspace…"]),
        (script, [types.CodeActionKind.QuickFix], []),
        (shared_script, None, []),
    ]:
        await editor.open(path)
        actions = await editor.client.text_document_code_action_async(
            types.CodeActionParams(
                text_document=doc(path),
                range=types.Range(start=types.Position(0, 0), end=types.Position(0, 0)),
                context=types.CodeActionContext(diagnostics=[], only=only),
            )
        )
        assert [a.title for a in actions or []] == expected, (path.name, only)
        await editor.close(path)
