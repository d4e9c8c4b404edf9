"""Nothing a client sends can take the server down: a failing request gets an error response
and the next one works; huge or garbage documents do not stall other requests; cancelled
requests waiting behind long work are dropped."""

from __future__ import annotations

import asyncio
import random
import time
from pathlib import Path

import pytest
from editor import doc, find, pos, where
from lsprotocol import types
from pygls.exceptions import JsonRpcInternalError, JsonRpcRequestCancelled
from synth import generate

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
IRR = FIXTURES / "irregular"
DAG = IRR / "pipelines/training_dag.py"


async def definition_of_cradle(editor) -> str:
    line, col = find(DAG, '"CradleDataLoading_training"')
    result = await editor.definition(DAG, line, col + 3)
    return where(result[0])[0]


async def test_a_failing_request_gets_an_error_and_the_next_one_works(editor, capfd) -> None:
    await editor.start(IRR)
    await editor.open(DAG)
    bad = types.DefinitionParams(
        text_document=types.TextDocumentIdentifier(uri="file:///tmp/%00bad.py"), position=pos(0, 0)
    )
    with pytest.raises(JsonRpcInternalError):
        await editor.client.text_document_definition_async(bad)
    assert await definition_of_cradle(editor) == "cradle_data_loading_training_spec.py"
    await asyncio.sleep(0.2)  # let the server's stderr reach the test process
    assert "Traceback" in capfd.readouterr().err


async def test_huge_and_garbage_documents_do_not_stall_other_requests(editor) -> None:
    await editor.start(IRR)
    await editor.open(DAG)
    rng = random.Random(5)
    line = 'dag.add_node("CradleDataLoading_training")  # ' + "x" * 40 + "\n"
    huge = line * (5 * 1024 * 1024 // len(line))  # 5 MB of DAG code
    garbage = "".join(chr(rng.randrange(1, 0x2FFF)) for _ in range(200_000))
    await editor.open(IRR / "pipelines/huge_dag.py", huge)
    await editor.open(IRR / "pipelines/garbage.py", garbage)
    await editor.open(IRR / "pipelines/garbage.json", garbage, language="json")
    start = time.perf_counter()
    assert await definition_of_cradle(editor) == "cradle_data_loading_training_spec.py"
    assert time.perf_counter() - start < 10
    huge_path = IRR / "pipelines/huge_dag.py"
    result = await editor.definition(huge_path, 50_000, 20)  # far down the huge document
    assert where(result[0])[0] == "cradle_data_loading_training_spec.py"


async def test_cancelled_requests_behind_long_work_are_dropped(editor, tmp_path: Path) -> None:
    root = tmp_path / "big"
    manifest = generate(
        root,
        1000,
        dev_workspaces=0,
        sizes={"contract": 600, "spec": 400, "config": 800, "builder": 800, "script": 100},
    )
    step = sorted(manifest["steps"])[0]
    dag = root / "dag.py"
    dag.write_text(f'dag.add_node("{step}")\n')
    await editor.start(root)
    await editor.open(dag)
    protocol = editor.client.protocol
    # Tasks, so both requests are on the wire (in this order) before the cancellation.
    reindex = asyncio.create_task(
        protocol.send_request_async(
            types.WORKSPACE_EXECUTE_COMMAND, types.ExecuteCommandParams(command="stepcat.reindex")
        )
    )
    queued = asyncio.create_task(
        protocol.send_request_async(
            types.TEXT_DOCUMENT_HOVER,
            types.HoverParams(text_document=doc(dag), position=pos(0, 16)),
            msg_id="cancel-me",
        )
    )
    await asyncio.sleep(0)
    protocol.notify(types.CANCEL_REQUEST, types.CancelParams(id="cancel-me"))
    with pytest.raises(JsonRpcRequestCancelled):
        await queued
    assert await reindex == 1000
    hover = await editor.client.text_document_hover_async(
        types.HoverParams(text_document=doc(dag), position=pos(0, 16))
    )
    assert hover is not None and hover.contents.value.startswith(f"**{step}**")
