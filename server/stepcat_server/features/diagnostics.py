"""Diagnostics: pulled (``textDocument/diagnostic``, ``workspace/diagnostic``) by clients that
can, pushed (``publishDiagnostics``) to the others; cleared when fixed or deleted."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from lsprotocol import types

from catalog_core.api import StepCatalog

from .. import convert
from ..capabilities import ClientCaps
from ..session import diagnostics_batch, diagnostics_for, paths_with_problems
from . import notebooks

if TYPE_CHECKING:
    from ..server import StepcatServer

#: Sent (no params) after a change altered what editor views built on ``stepcat.stepTree`` and
#: ``stepcat.dagGraph`` show (steps, components, variants, problem counts per step): they refresh.
#: An edit inside a function body sends none.
CATALOG_CHANGED = "stepcat/catalogChanged"


def shape_changed(catalog: StepCatalog, changed: set[str] | None) -> bool:
    return catalog.shape_changed(changed)


async def publish_changes(
    server: StepcatServer, changed: set[str] | None, also: Iterable[str] = ()
) -> None:
    """After the catalog changed (``also``: the documents whose edit changed it): push the new
    diagnostics of the files concerned, or ask a pull client to pull again; ask for code lenses
    again when files other than the edited ones changed (the lenses show their links)."""
    session = server.session
    caps = ClientCaps(server.client_capabilities)
    edited = {p for uri in also if (p := convert.to_path(uri))}
    if caps.code_lens_refresh and (changed is None or set(changed) - edited):
        server.workspace_code_lens_refresh(None)
    if caps.pull_diagnostics:
        if changed is None or changed:
            server.workspace_diagnostic_refresh(None)
    else:
        await push_diagnostics(server, None if changed is None else set(changed) | edited)
    # after the diagnostics (they are what an edit waits for): the views, if their shape changed
    if changed is None or changed:
        views_changed: bool | None = await session.change(shape_changed, changed)
        if views_changed:
            server.protocol.notify(CATALOG_CHANGED, None)  # the step tree and DAG views ask again


async def push_diagnostics(server: StepcatServer, wanted: set[str] | None) -> None:
    """Publish the diagnostics of ``wanted`` (None: every file's) to a push client."""
    session = server.session
    batch = await session.change(diagnostics_batch, session.diagnostics_view(), wanted) or []
    for path, diagnostics in batch:
        uri = convert.to_uri(path)
        doc = session.document(uri)
        server.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(
                uri=uri, diagnostics=diagnostics, version=doc.version if doc is not None else None
            )
        )
        if diagnostics:
            session.published.add(path)
        else:
            session.published.discard(path)


def register(server: StepcatServer) -> None:
    session = server.session
    reported: set[str] = set()  # paths a workspace report has mentioned with problems

    @server.feature(
        types.TEXT_DOCUMENT_DIAGNOSTIC,
        types.DiagnosticOptions(
            identifier="stepcat", inter_file_dependencies=True, workspace_diagnostics=True
        ),
    )
    async def document_diagnostic(
        params: types.DocumentDiagnosticParams,
    ) -> types.DocumentDiagnosticReport | None:
        uri = params.text_document.uri
        path = convert.to_path(uri)
        if path is None:  # a notebook's code cell, or no file of ours
            cell, doc = session.cell_path(uri), session.document(uri)
            if cell is None or doc is None:
                return types.RelatedFullDocumentDiagnosticReport(items=[])
            batch = await session.query(
                notebooks.cell_diagnostics, [(uri, cell, doc.source)], session.encoding
            )
            return types.RelatedFullDocumentDiagnosticReport(items=batch[0][1] if batch else [])
        items = await session.query(diagnostics_for, session.diagnostics_view(), path)
        return types.RelatedFullDocumentDiagnosticReport(items=items or [])

    @server.feature(types.WORKSPACE_DIAGNOSTIC)
    async def workspace_diagnostic(
        params: types.WorkspaceDiagnosticParams,
    ) -> types.WorkspaceDiagnosticReport:
        view = session.diagnostics_view()

        def collect(catalog: StepCatalog) -> list[types.WorkspaceDocumentDiagnosticReport]:
            paths = paths_with_problems(catalog) | reported
            reports: list[types.WorkspaceDocumentDiagnosticReport] = []
            for path in sorted(paths):
                items = diagnostics_for(catalog, view, path)
                reports.append(
                    types.WorkspaceFullDocumentDiagnosticReport(
                        uri=convert.to_uri(path), items=items, version=None
                    )
                )
                (reported.add if items else reported.discard)(path)
            return reports

        return types.WorkspaceDiagnosticReport(items=await session.query(collect) or [])
