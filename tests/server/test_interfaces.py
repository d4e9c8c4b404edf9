"""The interface-first layout through the real server (VS Code and Neovim capabilities): go to
definition from a DAG JSON node and from an interface's entry_point, diagnostics of a
``.step.yaml`` and of a ``.dag.json``, and an edit of an interface seen at once."""

from __future__ import annotations

from pathlib import Path

from editor import doc, find, pos, where
from lsprotocol import types

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
V2 = FIXTURES / "v2/src/cursus"
INTERFACES = V2 / "steps/interfaces"
MTL_DAG = V2 / "pipeline_catalog/shared_dags/mtl/multitask_training.dag.json"


async def test_navigation_and_diagnostics_in_interfaces_and_dag_json(editor) -> None:
    await editor.start(FIXTURES / "v2")
    await editor.open(MTL_DAG, language="json")
    line, col = find(MTL_DAG, '"CradleDataLoading_training"')
    result = await editor.definition(MTL_DAG, line, col + 3)
    cradle = INTERFACES / "cradle_data_loading.step.yaml"
    assert [where(t) for t in result] == [(cradle.name, *find(cradle, "training:"))]
    dag_rules = {d.code for d in await editor.diagnostics(MTL_DAG, lambda ds: bool(ds))}
    assert "dag-unknown-step" in dag_rules

    graph = INTERFACES / "graph_construction.step.yaml"
    await editor.open(graph, language="yaml")
    line, col = find(graph, "run_gconstruct.py")
    result = await editor.definition(graph, line, col + 2)
    assert [where(t)[0] for t in result] == ["run_gconstruct.py"]
    rules = {d.code for d in await editor.diagnostics(graph, lambda ds: bool(ds))}
    assert rules == {"source-with-dependencies"}


async def test_an_interface_edit_is_seen_at_once(editor) -> None:
    await editor.start(FIXTURES / "v2")
    payload = INTERFACES / "payload.step.yaml"
    await editor.open(payload, language="yaml")
    before = await editor.diagnostics(payload, lambda ds: bool(ds))
    assert {d.code for d in before} == {"interface-invalid-value"}  # no .py: rejected
    text = payload.read_text()
    await editor.change(payload, text.replace("entry_point: payload ", "entry_point: payload.py "))
    after = await editor.diagnostics(
        payload, lambda ds: {d.code for d in ds} == {"entry-point-not-found"}
    )
    assert {d.code for d in after} == {"entry-point-not-found"}  # now a script name, not there


async def test_config_attributes_complete_and_warn_in_an_interface(editor) -> None:
    """``job_arguments[].source`` completes the config class's attributes (the analysis's
    cases are in ``cursors/interfaces.cursors``) and a misspelt one warns, with its fix."""
    root = FIXTURES / "v2_attributes"
    model = root / "src/acme/steps/interfaces/model_training.step.yaml"
    await editor.start(root)
    await editor.open(model, language="yaml")
    diagnostics = await editor.diagnostics(
        model, lambda ds: any(d.code == "interface-unknown-config-attribute" for d in ds)
    )
    unknown = sorted(
        (d.range.start.line, d.message.split("'")[1])
        for d in diagnostics
        if d.code == "interface-unknown-config-attribute"
    )
    assert unknown == [
        (7, "framework_verison"),
        (32, "Py_Version"),
        (33, "no_such_attribute"),
        (35, "num_rounds"),
    ]
    line, col = find(model, "source: job_type")
    completion = await editor.client.text_document_completion_async(
        types.CompletionParams(text_document=doc(model), position=pos(line, col + 11))
    )
    assert completion is not None
    items = completion.items if isinstance(completion, types.CompletionList) else completion
    assert [i.label for i in items][:2] == ["job_type", "author"]
    first = items[0].text_edit
    assert isinstance(first, types.TextEdit)
    assert (first.range.start.character, first.range.end.character) == (col + 8, col + 16)
