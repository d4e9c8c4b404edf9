"""The language server object and its features, registered explicitly, one module each."""

from __future__ import annotations

from pygls.lsp.server import LanguageServer

from . import __version__
from .features import (
    actions,
    commands,
    completion,
    diagnostics,
    hierarchy,
    integration,
    lifecycle,
    navigation,
    notebooks,
    rename,
    sync,
    views,
)
from .protocol import StepcatProtocol
from .session import Session

FEATURES = (
    lifecycle,
    sync,
    notebooks,
    navigation,
    completion,
    diagnostics,
    actions,
    commands,
    integration,
    rename,
    hierarchy,
    views,
)


class StepcatServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__(
            name="stepcat",
            version=__version__,
            protocol_cls=StepcatProtocol,
            notebook_document_sync=notebooks.SYNC,
        )
        self.session = Session(self)


def create_server() -> StepcatServer:
    server = StepcatServer()
    for feature in FEATURES:
        feature.register(server)
    return server
