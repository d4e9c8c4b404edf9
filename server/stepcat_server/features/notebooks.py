"""Jupyter notebooks through LSP notebook document sync: each Python code cell is a document
of its own (its own URI, not a file), analysed as DAG code written in the notebook's folder.
Definition, hover and completion work in cells as in a Python module (``Session.snapshot``
gives a cell the path ``<notebook>.ipynb.cell.py``); the cells' DAG names are checked and the
problems published on each cell. The ``.ipynb`` file on disk is indexed like any DAG file
(``stepcat check`` reads its code cells); the open cells, not yet saved, answer for themselves.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from catalog_core.api import StepCatalog

from .. import convert

if TYPE_CHECKING:
    from ..server import StepcatServer

#: What the server asks to be synchronised: Python code cells of Jupyter notebooks.
SYNC = types.NotebookDocumentSyncOptions(
    notebook_selector=[
        types.NotebookDocumentFilterWithCells(
            notebook="jupyter-notebook", cells=[types.NotebookCellLanguage(language="python")]
        )
    ]
)


def cell_diagnostics(
    catalog: StepCatalog, cells: list[tuple[str, str, str]], encoding: str
) -> list[tuple[str, list[types.Diagnostic]]]:
    """(cell uri, diagnostics) for each (cell uri, analysis path, text) (analysis thread)."""
    found = []
    for uri, path, text in cells:
        lines = text.split("\n")

        def line_of(_: str, line: int, lines: list[str] = lines) -> str:
            return lines[line] if 0 <= line < len(lines) else ""

        diagnostics = [
            convert.lsp_diagnostic(p, p.severity.value, line_of, encoding)
            for p in catalog.text_problems(path, text)
        ]
        found.append((uri, diagnostics))
    return found


def register(server: StepcatServer) -> None:
    session = server.session

    async def publish(notebook_uri: str) -> None:
        await session.ready.wait()
        cells = session.notebook_cells(notebook_uri)
        if not cells:
            return
        batch = await session.query(cell_diagnostics, cells, session.encoding) or []
        for uri, diagnostics in batch:
            server.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics)
            )

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_OPEN)
    async def did_open(params: types.DidOpenNotebookDocumentParams) -> None:
        await publish(params.notebook_document.uri)

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_CHANGE)
    async def did_change(params: types.DidChangeNotebookDocumentParams) -> None:
        await publish(params.notebook_document.uri)

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_CLOSE)
    async def did_close(params: types.DidCloseNotebookDocumentParams) -> None:
        for cell in params.cell_text_documents:
            server.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(uri=cell.uri, diagnostics=[])
            )
