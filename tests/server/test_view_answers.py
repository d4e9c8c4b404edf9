"""The answers of ``stepcat.dagGraph`` and ``stepcat.stepTree`` on the demo, kept as a file the
extension's unit tests read (``vscode-extension/test/fixtures/server-answers.json``): the
extension's readers are tested on what this server really answers. ``STEPCAT_REGEN=1``
rewrites the file after a reviewed change."""

from __future__ import annotations

import json
import os
from pathlib import Path

from stepcat_server.features.views import dag_graph, document_path, step_tree

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
