"""Open documents override the disk: their text (unsaved edits included) feeds the catalog;
closing a document returns it to its disk state."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from catalog_core.api import StepCatalog

from .diagnostics import publish_changes

if TYPE_CHECKING:
    from ..server import StepcatServer


def apply_document(catalog: StepCatalog, path: str, text: str | None) -> set[str] | None:
    """Bring the catalog up to date with one document's text (None: closed, back to disk).
    Returns the paths whose problems changed (None: any may have)."""
    changed = catalog.set_document(path, text) if text is not None else catalog.close_document(path)
    return None if changed is None else {str(p) for p in changed} | {path}


def register(server: StepcatServer) -> None:
    session = server.session

    async def sync(uri: str) -> None:
        if not session.mark_pending(uri):
            return  # a sync of this document is already queued; it will read the latest text
        await session.ready.wait()
        pending = session.take_pending(uri)  # the latest text, read on the loop
        if pending is None:
            return
        path, text = pending
        changed = await session.change(apply_document, path, text)
        await publish_changes(server, changed, also=[uri])

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    async def did_open(params: types.DidOpenTextDocumentParams) -> None:
        await sync(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    async def did_change(params: types.DidChangeTextDocumentParams) -> None:
        await sync(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    async def did_save(params: types.DidSaveTextDocumentParams) -> None:
        await sync(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    async def did_close(params: types.DidCloseTextDocumentParams) -> None:
        session.forget(params.text_document.uri)
        await sync(params.text_document.uri)
