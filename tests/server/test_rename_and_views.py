"""Rename (prepareRename, rename), call hierarchy over DAG edges, the ``stepcat.dagGraph`` and
``stepcat.stepTree`` commands and the ``stepcat/catalogChanged`` notification, through the real
server with VS Code and Neovim capabilities. A rename's WorkspaceEdit, applied as an editor
applies it, must give the very files ``stepcat rename --write`` writes."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import SHARED, shared_editor
from editor import doc, find, pos, uri
from lsprotocol import types

from catalog_core.cli import main

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "examples" / "demo"
PIPELINE = DEMO / "pipelines" / "xgboost_pipeline.py"
REGISTRY = DEMO / "src/cursus/registry/step_names.py"
FRAUD_DAG = DEMO / "projects/fraud_detection/pipelines/fraud_scoring.dag.json"

demo = shared_editor(DEMO, opened=((PIPELINE, "python"),), name="demo")


def inside(path: Path, needle: str, offset: int = 2) -> types.Position:
    line, col = find(path, needle)
    return pos(line, col + offset)


# -- read-only answers (one shared server) -----------------------------------------------------


@SHARED
async def test_prepare_rename_selects_the_step_part_of_a_node_name(demo) -> None:
    at = inside(PIPELINE, '"TabularPreprocessing_training"')
    answer = await demo.client.text_document_prepare_rename_async(
        types.PrepareRenameParams(text_document=doc(PIPELINE), position=at)
    )
    assert isinstance(answer, types.PrepareRenamePlaceholder)
    assert answer.placeholder == "TabularPreprocessing"
    line, col = find(PIPELINE, '"TabularPreprocessing_training"')
    assert answer.range == types.Range(
        start=pos(line, col + 1), end=pos(line, col + 1 + len("TabularPreprocessing"))
    )


@SHARED
@pytest.mark.parametrize(
    ("relative", "needle", "step"),
    [
        ("src/cursus/registry/step_names.py", '"Package"', "Package"),  # registry key
        ("src/cursus/steps/specs/package_spec.py", '"Package"', "Package"),  # spec step_type
        ("pipeline_configs/config_xgboost_pipeline.json", '"Package"', "Package"),  # config key
        (
            "projects/fraud_detection/step_pack/interfaces/fraud_scoring.step.yaml",
            "FraudScoring",
            "FraudScoring",
        ),  # interface step_type
        (
            "projects/fraud_detection/pipelines/fraud_scoring.dag.json",
            '"FraudScoring_calibration"',
            "FraudScoring",
        ),  # DAG JSON node, suffix kept out
    ],
)
async def test_prepare_rename_wherever_a_step_is_written(
    demo, relative: str, needle: str, step: str
) -> None:
    path = DEMO / relative
    language = {".json": "json", ".yaml": "yaml"}.get(path.suffix, "python")
    await demo.open(path, language=language)
    try:
        answer = await demo.client.text_document_prepare_rename_async(
            types.PrepareRenameParams(text_document=doc(path), position=inside(path, needle))
        )
    finally:
        await demo.close(path)
    assert isinstance(answer, types.PrepareRenamePlaceholder)
    assert answer.placeholder == step
    line = path.read_text().split("\n")[answer.range.start.line]
    assert line[answer.range.start.character : answer.range.end.character] == step


@SHARED
async def test_prepare_rename_off_a_step_name_is_refused(demo) -> None:
    answer = await demo.client.text_document_prepare_rename_async(
        types.PrepareRenameParams(text_document=doc(PIPELINE), position=pos(0, 0))
    )
    assert answer is None


@SHARED
async def test_rename_to_a_taken_name_is_refused_with_the_reason(demo) -> None:
    with pytest.raises(Exception, match="is taken: step 'XGBoostTraining' exists"):
        await demo.client.text_document_rename_async(
            types.RenameParams(
                text_document=doc(PIPELINE),
                position=inside(PIPELINE, '"Package"'),
                new_name="XGBoostTraining",
            )
        )
    with pytest.raises(Exception, match="not a valid step name"):
        await demo.client.text_document_rename_async(
            types.RenameParams(
                text_document=doc(PIPELINE),
                position=inside(PIPELINE, '"Package"'),
                new_name="bundle step",
            )
        )


@SHARED
async def test_call_hierarchy_walks_upstream_and_downstream(demo) -> None:
    items = await demo.client.text_document_prepare_call_hierarchy_async(
        types.CallHierarchyPrepareParams(
            text_document=doc(PIPELINE), position=inside(PIPELINE, '"XGBoostTraining"')
        )
    )
    assert items is not None and [i.name for i in items] == ["XGBoostTraining"]
    assert items[0].detail == "step XGBoostTraining · complete"
    incoming = await demo.client.call_hierarchy_incoming_calls_async(
        types.CallHierarchyIncomingCallsParams(item=items[0])
    )
    outgoing = await demo.client.call_hierarchy_outgoing_calls_async(
        types.CallHierarchyOutgoingCallsParams(item=items[0])
    )
    assert [c.from_.name for c in incoming or []] == ["TabularPreprocessing_training"]
    assert [c.to.name for c in outgoing or []] == ["XGBoostModel"]
    edge_line = find(PIPELINE, 'dag.add_edge("XGBoostTraining"')[0]
    assert [r.start.line for r in (outgoing or [])[0].from_ranges] == [edge_line]


@SHARED
async def test_dag_graph_command(demo) -> None:
    graph = await demo.client.workspace_execute_command_async(
        types.ExecuteCommandParams(command="stepcat.dagGraph", arguments=[uri(PIPELINE), 10])
    )
    assert graph["uri"] == uri(PIPELINE) and graph["name"] == "xgboost_pipeline"
    nodes = {n["id"]: n for n in graph["nodes"]}
    assert nodes["XGBoostModel"]["status"] == "incomplete"
    cradle = nodes["CradleDataLoading_training"]
    assert (cradle["step"], cradle["jobType"], cradle["workspace"], cradle["variant"]) == (
        "CradleDataLoading",
        "training",
        "shared",
        "spec (training)",
    )
    assert cradle["definition"]["uri"].endswith("cradle_data_loading_training_spec.py")
    assert set(cradle["problems"]) == {"error", "warning", "information", "hint"}
    assert {"source": "XGBoostModel", "target": "Package"} in [
        {"source": e["source"], "target": e["target"]} for e in graph["edges"]
    ]
    json_dag = await demo.client.workspace_execute_command_async(
        types.ExecuteCommandParams(command="stepcat.dagGraph", arguments=[uri(FRAUD_DAG), 0])
    )
    assert json_dag["name"] == "fraud_scoring_calibration"
    none = await demo.client.workspace_execute_command_async(
        types.ExecuteCommandParams(command="stepcat.dagGraph", arguments=[uri(REGISTRY), 0])
    )
    assert none is None


async def tree(demo, *arguments: str) -> Any:
    return await demo.client.workspace_execute_command_async(
        types.ExecuteCommandParams(command="stepcat.stepTree", arguments=list(arguments))
    )


@SHARED
async def test_step_tree_command_level_by_level(demo) -> None:
    """The view asks one level at a time: workspaces, a workspace's steps, a step's components."""
    roots = await tree(demo)
    assert [(w["id"], w["kind"], w["stepCount"]) for w in roots] == [
        ("shared", "shared", 6),
        ("alice", "developer", 2),
        ("bob", "developer", 1),
        ("fraud_detection", "pack", 1),
    ]
    assert all("steps" not in w for w in roots)
    steps = await tree(demo, "bob")
    assert [(s["name"], s["complete"], s["components"]) for s in steps] == [
        ("LightGBMMTTraining", False, [])
    ]
    assert steps[0]["problems"]["warning"] == 1
    assert steps[0]["location"]["uri"].endswith("workspace_registry.py")
    components = await tree(demo, "bob", "LightGBMMTTraining")
    contract = next(c for c in components if c["label"] == "contract")
    assert contract == {"label": "contract", "present": False, "required": True, "location": None}
    assert await tree(demo, "nobody") is None
    assert await tree(demo, "bob", "CradleDataLoading") is None  # shared's, not bob's node
    whole = await tree(demo, "*")
    assert [len(w["steps"]) for w in whole] == [w["stepCount"] for w in roots]
    assert whole[2]["steps"][0]["components"] == components
    owners = await demo.client.workspace_execute_command_async(
        types.ExecuteCommandParams(
            command="stepcat.stepTreeOwners",
            arguments=[uri(DEMO / "src/cursus/steps/specs/cradle_data_loading_training_spec.py")],
        )
    )
    assert owners == [{"workspace": "shared", "step": "CradleDataLoading"}]


# -- a rename applied (a server of its own on a copy) ------------------------------------------


def apply_edit(edit: types.WorkspaceEdit) -> None:
    """Apply a WorkspaceEdit to the disk as an editor does (ASCII files: UTF-16 = code points)."""

    def apply_text(path: Path, edits: list[Any]) -> None:
        lines = path.read_text().split("\n")
        ordered = sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character))
        for e in reversed(ordered):
            s, t = e.range.start, e.range.end
            assert s.line == t.line
            text = lines[s.line]
            lines[s.line] = text[: s.character] + e.new_text + text[t.character :]
        path.write_text("\n".join(lines))

    def path_of(u: str) -> Path:
        return Path(u.removeprefix("file://"))

    for u, edits in (edit.changes or {}).items():
        apply_text(path_of(u), edits)
    for change in edit.document_changes or []:
        if isinstance(change, types.TextDocumentEdit):
            apply_text(path_of(change.text_document.uri), change.edits)
        elif isinstance(change, types.RenameFile):
            path_of(change.old_uri).rename(path_of(change.new_uri))


def tree_bytes(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".bak" not in p.name
    }


async def test_rename_edit_equals_the_cli_rename(editor, tmp_path: Path) -> None:
    root = tmp_path / "lsp" / "demo"
    cli_root = tmp_path / "cli" / "demo"
    shutil.copytree(DEMO, root)
    shutil.copytree(DEMO, cli_root)
    changed: list[Any] = []
    editor.client.feature("stepcat/catalogChanged")(lambda params: changed.append(params))
    await editor.start(root)
    dag = root / "pipelines/xgboost_pipeline.py"
    await editor.open(dag)
    edit = await editor.client.text_document_rename_async(
        types.RenameParams(
            text_document=doc(dag),
            position=inside(dag, '"CradleDataLoading_calibration"', 4),
            new_name="CradleLoad",
        )
    )
    assert edit is not None
    renames = [c for c in edit.document_changes or [] if isinstance(c, types.RenameFile)]
    assert len(renames) == 9  # spec, 4 variant specs, script, contract, builder, config
    opened = next(
        c
        for c in edit.document_changes or []
        if isinstance(c, types.TextDocumentEdit) and c.text_document.uri == uri(dag)
    )
    assert opened.text_document.version == 1  # the open document's version
    apply_edit(edit)
    assert main(["rename", "CradleDataLoading", "CradleLoad", str(cli_root), "--write"]) == 0
    assert tree_bytes(root) == tree_bytes(cli_root)
    if not changed:  # sent after the first index's diagnostics at least
        await asyncio.wait_for(editor.client.wait_for_notification("stepcat/catalogChanged"), 30)
    assert changed


# -- stepcat/catalogChanged only when the views' shape changed ---------------------------------

CALIBRATION = (
    '    "Calibration": {\n'
    '        "config_class": "CalibrationConfig",\n'
    '        "builder_step_name": "CalibrationStepBuilder",\n'
    '        "sagemaker_step_type": "Processing",\n'
    "    },\n"
)


async def test_catalog_changed_only_when_the_views_change(editor, tmp_path: Path) -> None:
    root = tmp_path / "demo"
    shutil.copytree(DEMO, root)
    changed: list[Any] = []
    editor.client.feature("stepcat/catalogChanged")(lambda params: changed.append(params))

    async def settled() -> None:
        """A change is applied, its diagnostics computed, then its views' check runs, each on
        the analysis thread in order: requests behind them are answered after the notification
        (if any) was sent."""
        for _ in range(4):
            await editor.indexed()
        await asyncio.sleep(0.3)

    await editor.start(root)
    await settled()
    assert len(changed) == 1  # the first index
    script = root / "src/cursus/steps/scripts/package.py"
    registry = root / "src/cursus/registry/step_names.py"
    await editor.open(script)
    await editor.open(registry)
    await settled()
    changed.clear()
    # typing inside a function body: nothing the views show changes
    body = script.read_text()
    for typed in ('"zip"', '"tar"', '"gztar"  # archive format'):
        await editor.change(script, body.replace('"gztar"', typed))
        await settled()
    assert changed == []
    # a new step in the registry: one notification
    await editor.change(
        registry, registry.read_text().replace("STEP_NAMES = {\n", "STEP_NAMES = {\n" + CALIBRATION)
    )
    await settled()
    assert len(changed) == 1
    roots = await tree(editor)
    assert roots[0]["stepCount"] == 7  # the view asking again sees it
