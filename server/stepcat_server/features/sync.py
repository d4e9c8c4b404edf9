"""Open documents override the disk: their text (unsaved edits included) feeds the catalog;
closing a document returns it to its disk state."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from .diagnostics import publish_changes

if TYPE_CHECKING:
    from ..server import StepcatServer


def register(server: StepcatServer) -> None:
    session = server.session

    async def sync(uri: str) -> None:
        if not session.mark_pending(uri):
            return  # a sync of this document is already queued; it will read the latest text
        await session.ready.wait()
        changed = await session.run(session.sync, uri)
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
