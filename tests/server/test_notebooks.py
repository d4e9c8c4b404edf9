"""Notebook cells through LSP notebook document sync (VS Code and Neovim capabilities): the
cells of ``v2_project/notebooks/explore.ipynb`` opened as a notebook; definition from a node
name in a code cell (the cursor cases of ``expected_v2/cursors.json`` marked with a cell),
nothing in a markdown cell, and a misspelt node name in an edited cell reported on that cell."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from editor import uri, where
from lsprotocol import types

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
NOTEBOOK = FIXTURES / "v2_project/notebooks/explore.ipynb"
CASES = [c for c in json.loads((FIXTURES / "expected_v2/cursors.json").read_text()) if "cell" in c]


def _cells() -> list[tuple[str, str, str]]:
    """(kind, uri, text) of every cell, as VS Code names them."""
    doc = json.loads(NOTEBOOK.read_text())
    found = []
    for i, cell in enumerate(doc["cells"]):
        source = cell["source"]
        text = "".join(source) if isinstance(source, list) else source
        cell_uri = f"vscode-notebook-cell:{NOTEBOOK}#W{i}sZmlsZQ%3D%3D"
        found.append((cell["cell_type"], cell_uri, text))
    return found


def _open(client, cells: list[tuple[str, str, str]]) -> None:
    client.notebook_document_did_open(
        types.DidOpenNotebookDocumentParams(
            notebook_document=types.NotebookDocument(
                uri=uri(NOTEBOOK),
                notebook_type="jupyter-notebook",
                version=1,
                cells=[
                    types.NotebookCell(
                        kind=types.NotebookCellKind.Code
                        if kind == "code"
                        else types.NotebookCellKind.Markup,
                        document=cell_uri,
                    )
                    for kind, cell_uri, _ in cells
                ],
            ),
            cell_text_documents=[
                types.TextDocumentItem(
                    uri=cell_uri,
                    language_id="python" if kind == "code" else "markdown",
                    version=1,
                    text=text,
                )
                for kind, cell_uri, text in cells
            ],
        )
    )


async def test_definition_in_cells_and_problems_on_an_edited_cell(editor) -> None:
    await editor.start(FIXTURES / "v2_project", FIXTURES / "v2")
    cells = _cells()
    _open(editor.client, cells)
    for case in CASES:
        _, cell_uri, _ = cells[case["cell"]]
        result = await editor.client.text_document_definition_async(
            types.DefinitionParams(
                text_document=types.TextDocumentIdentifier(uri=cell_uri),
                position=types.Position(line=case["line"] - 1, character=case["character"]),
            )
        )
        expected = [(Path(p).name, line - 1) for p, line in case["expect"]]
        assert [where(t)[:2] for t in result or []] == expected, case["note"]

    kind, cell_uri, text = cells[2]
    assert kind == "code"
    broken = text.replace("XGBoostTraining", "XGBoostTrainnig")
    editor.client.notebook_document_did_change(
        types.DidChangeNotebookDocumentParams(
            notebook_document=types.VersionedNotebookDocumentIdentifier(
                uri=uri(NOTEBOOK), version=2
            ),
            change=types.NotebookDocumentChangeEvent(
                cells=types.NotebookDocumentCellChanges(
                    text_content=[
                        types.NotebookDocumentCellContentChanges(
                            document=types.VersionedTextDocumentIdentifier(uri=cell_uri, version=2),
                            changes=[types.TextDocumentContentChangeWholeDocument(text=broken)],
                        )
                    ]
                )
            ),
        )
    )
    if editor.pulls_diagnostics:
        report = await editor.client.text_document_diagnostic_async(
            types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri=cell_uri))
        )
        found = list(report.items)
    else:
        published = editor.client.diagnostics

        async def reported() -> None:
            while not any(d.code == "dag-unknown-step" for d in published.get(cell_uri, [])):
                await editor.client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)

        await asyncio.wait_for(reported(), 15)
        found = published[cell_uri]
    codes = [(d.code, d.range.start.line) for d in found]
    line = broken.split("\n").index('dag.add_node("XGBoostTrainnig")')
    assert codes == [("dag-unknown-step", line)]
