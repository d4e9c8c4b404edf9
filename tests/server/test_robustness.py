"""Nothing a client sends can take the server down: a failing request gets an error response
and the next one works; huge or garbage documents do not stall other requests; cancelled
requests waiting behind long work are dropped. Tests whose documents the server survives
share one server per client profile (they close what they open); the planted failure and the
cancellation behind a reindex of a big workspace get servers of their own."""

from __future__ import annotations

import asyncio
import random
import sys
import time
from pathlib import Path

import pytest
import pytest_lsp
from conftest import SHARED, set_up, shared_editor

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fuzz"))
from editor import CLIENTS, Editor, doc, find, pos, where
from lsp_wire import LspProcess
from lsprotocol import types
from pygls.exceptions import JsonRpcInternalError, JsonRpcRequestCancelled
from pytest_lsp import ClientServerConfig, LanguageClient
from synth import generate

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
IRR = FIXTURES / "irregular"
DAG = IRR / "pipelines/training_dag.py"

shared = shared_editor(IRR, opened=((DAG, "python"),), name="shared")


async def definition_of_cradle(editor) -> str:
    line, col = find(DAG, '"CradleDataLoading_training"')
    result = await editor.definition(DAG, line, col + 3)
    return where(result[0])[0]


FAULTY = [sys.executable, str(Path(__file__).with_name("faulty_server.py"))]


@pytest_lsp.fixture(config=ClientServerConfig(server_command=FAULTY), params=CLIENTS[:1])
async def faulty_client(lsp_client: LanguageClient, request: pytest.FixtureRequest):
    set_up(lsp_client, request.param)
    yield
    if lsp_client.capabilities is not None:
        await lsp_client.shutdown_session()
    else:
        lsp_client.exit(None)


@pytest.fixture
def faulty(faulty_client: LanguageClient) -> Editor:
    return Editor(faulty_client, faulty_client.client_spec)  # type: ignore[attr-defined]


async def test_a_failing_request_gets_an_error_and_the_next_one_works(faulty, capfd) -> None:
    await faulty.start(IRR)
    await faulty.open(DAG)
    explode = IRR / "pipelines/explode.py"
    await faulty.open(explode, 'dag.add_node("CradleDataLoading_training")\n')
    with pytest.raises(JsonRpcInternalError):
        await faulty.definition(explode, 0, 16)
    assert await definition_of_cradle(faulty) == "cradle_data_loading_training_spec.py"
    await asyncio.sleep(0.2)  # let the server's stderr reach the test process
    assert "Traceback" in capfd.readouterr().err


@SHARED
async def test_odd_uris_get_an_answer(shared) -> None:
    """Not files of ours (NUL in the path, relative, another scheme): answered with nothing."""
    editor = shared
    for odd in ("file:///tmp/%00bad.py", "file:relative.py", "untitled:Untitled-1"):
        params = types.DefinitionParams(
            text_document=types.TextDocumentIdentifier(uri=odd), position=pos(0, 0)
        )
        assert await editor.client.text_document_definition_async(params) is None
    assert await definition_of_cradle(editor) == "cradle_data_loading_training_spec.py"


@SHARED
async def test_lone_surrogates_and_byte_order_marks_in_documents(shared) -> None:
    """Text no UTF-8 file can hold, sent by a client: every request is still answered."""
    editor = shared
    odd = IRR / "pipelines/odd_dag.py"
    text = '\ufeffdag.add_node("CradleDataLoading_training")\n# \ud800 lone\ndag.add_node("Cradle\ud800'
    await editor.open(odd, text)
    answer = await editor.definition(odd, 0, 20)
    assert where(answer[0])[0] == "cradle_data_loading_training_spec.py"
    hover = await editor.client.text_document_hover_async(
        types.HoverParams(text_document=doc(odd), position=pos(2, 16))
    )
    assert hover is None
    completion = await editor.client.text_document_completion_async(
        types.CompletionParams(text_document=doc(odd), position=pos(2, 20))
    )
    assert completion is None or all(i.text_edit for i in completion.items)
    past_the_end = await editor.definition(odd, 40, 3)
    assert past_the_end is None
    await editor.close(odd)
    assert await definition_of_cradle(editor) == "cradle_data_loading_training_spec.py"


async def test_invalid_params_get_an_invalid_params_error(tmp_path: Path) -> None:
    """pygls drops requests whose params do not fit their types; the client must still get an
    answer: -32602. (A raw JSON-RPC client: pytest-lsp's refuses to send such requests.)"""
    server = await LspProcess.start(tmp_path)
    try:
        outcome, _, _ = await server.initialize(IRR)
        assert outcome == "result"
        uri = doc(DAG).uri
        bad = [
            ("textDocument/definition", {"textDocument": {"uri": uri}, "position": None}),
            (
                "textDocument/definition",
                {"textDocument": {"uri": uri}, "position": {"line": -1, "character": 0}},
            ),
            (
                "textDocument/hover",
                {"textDocument": {"uri": uri}, "position": {"line": 10**12, "character": 0}},
            ),
            (
                "textDocument/references",
                {"textDocument": {"uri": uri}, "position": {"line": 0, "character": 0}},
            ),
            ("textDocument/codeLens", {}),
        ]
        for method, params in bad:
            outcome, value, _ = await server.request(method, params, 10.0)
            assert (outcome, value.get("code")) == ("error", -32602), (method, params, value)
        good = {"textDocument": {"uri": uri}, "position": {"line": 0, "character": 0}}
        outcome, _, _ = await server.request("textDocument/hover", good, 10.0)
        assert outcome == "result"  # and the server goes on answering
    finally:
        await server.close()


@SHARED
async def test_huge_and_garbage_documents_do_not_stall_other_requests(shared) -> None:
    editor = shared
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
    for name in ("huge_dag.py", "garbage.py", "garbage.json"):
        await editor.close(IRR / "pipelines" / name)


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
