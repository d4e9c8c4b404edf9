"""A thin driver over pytest-lsp's client that speaks in files and (line, column) positions, so
the server tests read like what an editor user does."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from lsprotocol import types
from pytest_lsp import LanguageClient, client_capabilities

CLIENTS = ["visual-studio-code", "neovim", "neovim@v0.7.0"]


def uri(path: Path | str) -> str:
    return Path(path).resolve().as_uri()


def pos(line: int, character: int) -> types.Position:
    return types.Position(line=line, character=character)


class Editor:
    def __init__(self, client: LanguageClient, spec: str) -> None:
        self.client = client
        self.spec = spec
        self.capabilities = client_capabilities(spec)
        self.versions: dict[str, int] = {}

    @property
    def pulls_diagnostics(self) -> bool:
        """The server has clients pull only when it can also tell them to pull again."""
        workspace = self.capabilities.workspace
        refresh = workspace is not None and workspace.diagnostics is not None
        return (
            self.capabilities.text_document is not None
            and self.capabilities.text_document.diagnostic is not None
            and refresh
            and bool(workspace.diagnostics.refresh_support)  # type: ignore[union-attr]
        )

    async def start(
        self, *folders: Path, options: dict[str, Any] | None = None
    ) -> types.InitializeResult:
        result = await self.client.initialize_session(
            types.InitializeParams(
                capabilities=self.capabilities,
                workspace_folders=[types.WorkspaceFolder(uri=uri(f), name=f.name) for f in folders],
                root_uri=uri(folders[0]) if folders else None,
                initialization_options=options,
            )
        )
        await self.indexed()
        return result

    async def indexed(self) -> None:
        """Requests wait for the index: one cheap request is a barrier."""
        await self.client.workspace_symbol_async(types.WorkspaceSymbolParams(query="zzz-barrier"))

    async def open(self, path: Path, text: str | None = None, language: str = "python") -> None:
        key = uri(path)
        self.versions[key] = 1
        self.client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                text_document=types.TextDocumentItem(
                    uri=key,
                    language_id=language,
                    version=1,
                    text=path.read_text() if text is None else text,
                )
            )
        )

    async def change(self, path: Path, text: str) -> None:
        key = uri(path)
        self.versions[key] = self.versions.get(key, 1) + 1
        self.client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(
                    uri=key, version=self.versions[key]
                ),
                content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
            )
        )

    async def close(self, path: Path) -> None:
        self.client.text_document_did_close(
            types.DidCloseTextDocumentParams(
                text_document=types.TextDocumentIdentifier(uri=uri(path))
            )
        )

    async def definition(self, path: Path, line: int, character: int) -> Any:
        return await self.client.text_document_definition_async(
            types.DefinitionParams(
                text_document=types.TextDocumentIdentifier(uri=uri(path)),
                position=pos(line, character),
            )
        )

    async def diagnostics(
        self, path: Path, expect: Any = None, timeout: float = 15
    ) -> list[types.Diagnostic]:
        """The file's diagnostics: pulled, or the pushed ones once ``expect(diagnostics)`` holds."""
        key = uri(path)
        if self.pulls_diagnostics:
            loop = asyncio.get_running_loop()
            deadline = loop.time() + timeout
            while True:
                report = await self.client.text_document_diagnostic_async(
                    types.DocumentDiagnosticParams(
                        text_document=types.TextDocumentIdentifier(uri=key)
                    )
                )
                items = list(report.items)  # type: ignore[union-attr]
                if expect is None or expect(items) or loop.time() > deadline:
                    return items
                await asyncio.sleep(0.05)

        async def pushed() -> list[types.Diagnostic]:
            while True:
                items = list(self.client.diagnostics.get(key, []))
                if key in self.client.diagnostics and (expect is None or expect(items)):
                    return items
                await self.client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)

        return await asyncio.wait_for(pushed(), timeout)  # asyncio.timeout is 3.11+


def doc(path: Path) -> types.TextDocumentIdentifier:
    return types.TextDocumentIdentifier(uri=uri(path))


def where(target: Any) -> tuple[str, int, int]:
    """(file name, line, character) of a Location or LocationLink's target selection."""
    if isinstance(target, types.LocationLink):
        return (
            Path(target.target_uri).name,
            target.target_selection_range.start.line,
            target.target_selection_range.start.character,
        )
    return Path(target.uri).name, target.range.start.line, target.range.start.character


def find(path: Path, needle: str, occurrence: int = 0) -> tuple[int, int]:
    """(line, character) of the n-th occurrence of ``needle`` in a file, to place cursors."""
    seen = 0
    for number, text in enumerate(path.read_text().split("\n")):
        start = text.find(needle)
        while start != -1:
            if seen == occurrence:
                return number, start
            seen += 1
            start = text.find(needle, start + 1)
    raise AssertionError(f"{needle!r} not in {path}")
