"""Answers match the text a request was sent for, caches follow documents closed and reopened,
and every answer takes the developer workspace's view of a step in that workspace's files."""

from __future__ import annotations

import asyncio
from pathlib import Path

from editor import find, uri, where
from lsprotocol import types

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
IRR = FIXTURES / "irregular"
DAG = IRR / "pipelines/training_dag.py"
MULTI = FIXTURES / "multi"
ALICE = MULTI / "alice"
ALICE_DAG = ALICE / "pipelines/alice_dag.py"
ALICE_SCRIPT = ALICE / "src/cursus_dev/steps/scripts/xgboost_training.py"


async def test_a_request_is_answered_for_the_text_it_was_sent_with(editor) -> None:
    await editor.start(IRR)
    text = DAG.read_text()
    await editor.open(DAG, text)
    await editor.indexed()
    # keep the analysis thread busy, so the edit below is applied before the request runs
    busy = IRR / "pipelines/not_on_disk.py"
    await editor.open(busy, "".join(f'dag.add_node("Step{i}_training")\n' for i in range(100_000)))
    line, col = find(DAG, '"XGBoostTraining"')
    request = asyncio.ensure_future(editor.definition(DAG, line, col + 3))
    await asyncio.sleep(0)
    await editor.change(DAG, "\n\n\n" + text)  # sent after the request: it must not move it
    links = await request
    assert links, "the name under the cursor when the request was sent"
    assert where(links[0])[0] == "xgboost_training_spec.py"
    origin = links[0].origin_selection_range
    assert (origin.start.line, origin.start.character) == (line, col)


async def test_a_document_closed_and_reopened_is_read_afresh(editor) -> None:
    await editor.start(IRR)
    scratch = IRR / "pipelines/scratch_not_on_disk.py"
    await editor.open(scratch, 'dag.add_node("XGBoostTraining")\n')
    assert where((await editor.definition(scratch, 0, 16))[0])[0] == "xgboost_training_spec.py"
    await editor.close(scratch)
    await editor.open(scratch, '\n\ndag.add_node("Package")\n')  # version 1 again
    assert where((await editor.definition(scratch, 2, 16))[0])[0] == "package_spec.py"
    assert await editor.definition(scratch, 0, 16) is None


async def test_go_to_component_takes_the_developer_workspace_view(editor) -> None:
    await editor.start(MULTI / "shared", ALICE)
    execute = editor.client.workspace_execute_command_async
    for path, (line, character) in (
        (ALICE_DAG, find(ALICE_DAG, '"XGBoostTraining"')),
        (ALICE_SCRIPT, (0, 0)),  # off a name, in a component file: its own step
    ):
        await editor.open(path)
        rows = await execute(
            types.ExecuteCommandParams(
                command="stepcat.componentsAt", arguments=[uri(path), line, character + 3]
            )
        )
        found = {row["label"]: (row["workspace"], Path(row["uri"]).name) for row in rows}
        assert found["script"] == ("alice", "xgboost_training.py"), path.name
        assert found["registry"] == ("alice", "workspace_registry.py"), path.name
        assert found["spec"] == ("shared", "xgboost_training_spec.py"), path.name
