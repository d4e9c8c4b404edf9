"""The answers of ``stepcat.dagGraph`` and ``stepcat.stepTree`` on the demo, kept as a file the
extension's unit tests read (``vscode-extension/test/fixtures/server-answers.json``): the
extension's readers are tested on what this server really answers. ``STEPCAT_REGEN=1``
rewrites the file after a reviewed change."""

from __future__ import annotations

import json
import os
from pathlib import Path

from stepcat_server.features.views import (
    dag_graph,
    document_path,
    step_tree,
    tree_level,
    tree_owners,
)

from catalog_core.api import StepCatalog

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "examples" / "demo"
ANSWERS = REPO / "vscode-extension" / "test" / "fixtures" / "server-answers.json"


def answers() -> str:
    catalog = StepCatalog(DEMO)
    found = {
        "dagGraph": dag_graph(catalog, str(DEMO / "pipelines/xgboost_pipeline.py"), "utf-16"),
        "dagGraphJson": dag_graph(
            catalog,
            str(DEMO / "projects/fraud_detection/pipelines/fraud_scoring.dag.json"),
            "utf-16",
        ),
        "stepTree": step_tree(catalog, "utf-16"),
        # the Steps view's requests, level by level (stepcat.stepTree [workspace [step]])
        "stepTreeLevels": {
            "roots": tree_level(catalog, "utf-16", None, None),
            "steps": {
                ws.id: tree_level(catalog, "utf-16", ws.id, None)
                for ws in catalog.tree_workspaces()
            },
            "components": {
                f"{ws.id}/{s.name}": tree_level(catalog, "utf-16", ws.id, s.name)
                for ws in catalog.tree_workspaces()
                for s in catalog.tree_steps(ws.id) or []
            },
            "owners": {
                "src/cursus/steps/specs/cradle_data_loading_training_spec.py": tree_owners(
                    catalog,
                    str(DEMO / "src/cursus/steps/specs/cradle_data_loading_training_spec.py"),
                ),
            },
        },
    }
    text = json.dumps(found, indent=1)
    return text.replace(DEMO.resolve().as_uri(), "file:///demo").replace(
        str(DEMO.resolve()), "/demo"
    )


def test_view_answers_file_is_current() -> None:
    current = answers() + "\n"
    if os.environ.get("STEPCAT_REGEN"):
        ANSWERS.write_text(current)
    assert ANSWERS.read_text() == current


def test_notebook_cell_uris_mean_their_notebook() -> None:
    cell = "vscode-notebook-cell:/work/p/notebooks/explore.ipynb#W2sZmlsZQ%3D%3D"
    assert document_path(cell) == "/work/p/notebooks/explore.ipynb"
    assert document_path("untitled:Untitled-1") is None


def _snapshot(path: Path, needle: str):
    from stepcat_server.snapshot import Snapshot

    text = path.read_text()
    lines = tuple(text.split("\n"))
    line = next(i for i, t in enumerate(lines) if needle in t)
    return Snapshot(
        path.as_uri(), str(path.resolve()), text, lines, line, lines[line].index(needle) + 2
    )


def test_rename_without_resource_operations_renames_no_file() -> None:
    """A client that cannot rename files gets text edits only (``changes`` when it does not
    take ``documentChanges`` either), and the module imports keep their names."""
    from lsprotocol import types
    from stepcat_server.capabilities import ClientCaps
    from stepcat_server.features.rename import rename_edit

    catalog = StepCatalog(DEMO)
    snap = _snapshot(DEMO / "pipelines/xgboost_pipeline.py", '"Package"')
    plain = ClientCaps(types.ClientCapabilities())
    edit = rename_edit(catalog, snap, "Bundle", plain, {})
    assert isinstance(edit, types.WorkspaceEdit)
    assert edit.document_changes is None and edit.changes
    texts = [e.new_text for edits in edit.changes.values() for e in edits]
    assert "Bundle" in texts and "config_bundle_step" not in texts
    versioned = ClientCaps(
        types.ClientCapabilities(
            workspace=types.WorkspaceClientCapabilities(
                workspace_edit=types.WorkspaceEditClientCapabilities(document_changes=True)
            )
        )
    )
    edit = rename_edit(catalog, snap, "Bundle", versioned, {})
    assert isinstance(edit, types.WorkspaceEdit) and edit.document_changes
    assert not [c for c in edit.document_changes if isinstance(c, types.RenameFile)]
    refused = rename_edit(catalog, snap, "XGBoostTraining", versioned, {})
    assert refused == (
        "stepcat: cannot rename Package to XGBoostTraining: "
        "'XGBoostTraining' is taken: step 'XGBoostTraining' exists"
    )
