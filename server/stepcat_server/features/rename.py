"""Rename a step (``textDocument/prepareRename``, ``textDocument/rename``) from wherever its name
is written: a DAG node (with or without a job-type suffix), a registry key or an interface's
``step_type``, a ``config_types`` / ``specific`` key, a spec's ``step_type`` string. One
``WorkspaceEdit`` renames the step everywhere (``catalog_core.features.rename``); files are
renamed (``RenameFile``) only when the client supports it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lsprotocol import types
from pygls.exceptions import JsonRpcException

from catalog_core import Span
from catalog_core.api import StepCatalog

from .. import convert
from ..capabilities import ClientCaps
from ..snapshot import Snapshot, workspace_context
from .navigation import CLASS_KINDS, name_at_cursor

if TYPE_CHECKING:
    from ..server import StepcatServer

RENAMED_KINDS = ("node", "registry_key", "config_key")


class RenameRefused(JsonRpcException):
    """A rename the server will not make (LSP ``RequestFailed``): the message says why."""

    CODE = -32803


def step_at(catalog: StepCatalog, snap: Snapshot | None) -> tuple[str, Span] | None:
    """The step named under the cursor, and the span of its name (job-type suffix excluded)."""
    ref = name_at_cursor(catalog, snap)
    if ref is None or snap is None or ref.kind in CLASS_KINDS or ref.kind not in RENAMED_KINDS:
        return None
    context = workspace_context(catalog, snap.path)
    split = catalog.split_node_name(ref.name, context) or catalog.split_node_name(ref.name)
    if split is None:
        return None
    step = split[0]
    line, start, _, end = ref.span
    text = snap.lines[line][start:end] if line < len(snap.lines) else ""
    at = text.find(step)
    if at < 0:
        return None  # written in another form (normalised): nothing to select
    return step, Span.of((line, start + at, line, start + at + len(step)))


def prepare(catalog: StepCatalog, snap: Snapshot | None) -> types.PrepareRenamePlaceholder | None:
    found = step_at(catalog, snap)
    if found is None or snap is None:
        return None
    step, span = found
    rng = convert.lsp_range(snap.path, span, snap.line_of(catalog.line_text), snap.encoding)
    return types.PrepareRenamePlaceholder(range=rng, placeholder=step)


def rename_edit(
    catalog: StepCatalog,
    snap: Snapshot | None,
    new_name: str,
    caps: ClientCaps,
    versions: dict[str, int | None],
) -> types.WorkspaceEdit | str | None:
    """The edit, or why there is none (a message), or None when no step is under the cursor."""
    found = step_at(catalog, snap)
    if found is None or snap is None:
        return None
    step = found[0]
    plan = catalog.plan_rename(step, new_name, rename_files=caps.rename_files)
    if plan.error:
        return f"stepcat: cannot rename {step} to {new_name}: {plan.error}"
    line_of = snap.line_of(catalog.line_text)
    by_path: dict[str, list[types.TextEdit]] = {}
    for change in plan.changes:
        path = str(change.path)
        rng = convert.lsp_range(path, change.span, line_of, snap.encoding)
        by_path.setdefault(path, []).append(types.TextEdit(range=rng, new_text=change.new_text))
    if not caps.document_changes:
        return types.WorkspaceEdit(
            changes={convert.to_uri(p): edits for p, edits in sorted(by_path.items())}
        )
    ops: list[Any] = []
    for path, edits in sorted(by_path.items()):
        uri = convert.to_uri(path)
        ops.append(
            types.TextDocumentEdit(
                text_document=types.OptionalVersionedTextDocumentIdentifier(
                    uri=uri, version=versions.get(uri)
                ),
                edits=edits,
            )
        )
    for r in plan.renames:
        ops.append(types.RenameFile(old_uri=convert.to_uri(r.old), new_uri=convert.to_uri(r.new)))
    return types.WorkspaceEdit(document_changes=ops)


def register(server: StepcatServer) -> None:
    session = server.session

    @server.feature(types.TEXT_DOCUMENT_RENAME, types.RenameOptions(prepare_provider=True))
    async def rename(params: types.RenameParams) -> types.WorkspaceEdit | None:
        snap = session.snapshot(params.text_document.uri, params.position)
        caps = ClientCaps(server.client_capabilities)
        versions = session.open_versions()
        answer = await session.query(rename_edit, snap, params.new_name, caps, versions)
        if isinstance(answer, str):
            raise RenameRefused(answer)
        return answer

    @server.feature(types.TEXT_DOCUMENT_PREPARE_RENAME)
    async def prepare_rename(
        params: types.PrepareRenameParams,
    ) -> types.PrepareRenamePlaceholder | None:
        snap = session.snapshot(params.text_document.uri, params.position)
        return await session.query(prepare, snap)
