"""Completion of step and node names (DAG strings, config_types keys) and config class names
(config_types values). Items replace the whole string content; documentation is resolved on
demand."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from catalog_core import Span
from catalog_core.api import FieldCompletion, StepCatalog

from .. import convert
from ..capabilities import ClientCaps
from ..render import step_markdown
from ..snapshot import Snapshot, workspace_context

if TYPE_CHECKING:
    from ..server import StepcatServer

KIND = {
    "node": types.CompletionItemKind.Module,
    "config_class": types.CompletionItemKind.Class,
    "interface_key": types.CompletionItemKind.Property,
    "interface_value": types.CompletionItemKind.EnumMember,
}


def answer_completion(catalog: StepCatalog, snap: Snapshot | None) -> types.CompletionList | None:
    if snap is None:
        return None
    context = workspace_context(catalog, snap.path)
    if snap.path.endswith((".json", ".step.yaml")):  # config keys, or a config attribute's name
        fields = catalog.complete_fields(snap.path, snap.source, snap.line, snap.column, context)
        if fields is not None:
            return field_completion(catalog, snap, fields)
    result = catalog.complete(snap.path, snap.source, snap.line, snap.column, context)
    if result is None:
        return None
    line_of = snap.line_of(catalog.line_text)
    replace = convert.lsp_range(snap.path, Span.of(result.replace), line_of, snap.encoding)
    items = [
        types.CompletionItem(
            label=c.label,
            kind=KIND[c.kind],
            detail=c.detail,
            sort_text=f"{i:04d}",
            preselect=c.preselect or None,
            text_edit=types.TextEdit(range=replace, new_text=c.label),
            data={"name": c.label, "kind": c.kind, "ws": context},
        )
        for i, c in enumerate(result.items)
    ]
    return types.CompletionList(is_incomplete=result.incomplete, items=items)


def field_completion(
    catalog: StepCatalog, snap: Snapshot, result: FieldCompletion
) -> types.CompletionList:
    """Field names; those already present sort last and say so; documentation inline."""
    line_of = snap.line_of(catalog.line_text)
    replace = convert.lsp_range(snap.path, Span.of(result.replace), line_of, snap.encoding)
    items = []
    for i, c in enumerate(result.items):
        src = c.source
        doc = src.description or ""
        if src.default is not None:
            doc = f"default: {src.default.text}" + (f"\n\n{doc}" if doc else "")
        items.append(
            types.CompletionItem(
                label=c.label,
                kind=types.CompletionItemKind.Field
                if src.kind == "field"
                else types.CompletionItemKind.Property,
                detail=f"{c.detail} · already set" if c.present else c.detail,
                documentation=doc or None,
                sort_text=f"{i:04d}",
                text_edit=types.TextEdit(range=replace, new_text=c.label),
                tags=None,
            )
        )
    return types.CompletionList(is_incomplete=False, items=items)


def answer_resolve(
    catalog: StepCatalog, item: types.CompletionItem, markdown: bool
) -> types.CompletionItem:
    data = item.data if isinstance(item.data, dict) else {}
    if data.get("kind") != "node":
        return item
    context = data.get("ws") if isinstance(data.get("ws"), str) else None
    card = catalog.step_card(str(data.get("name")), context)
    if card is not None:
        kind = types.MarkupKind.Markdown if markdown else types.MarkupKind.PlainText
        item.documentation = types.MarkupContent(kind=kind, value=step_markdown(card))
    return item


def register(server: StepcatServer) -> None:
    session = server.session

    @server.feature(
        types.TEXT_DOCUMENT_COMPLETION,
        types.CompletionOptions(trigger_characters=['"', "'", "_"], resolve_provider=True),
    )
    async def completion(params: types.CompletionParams) -> types.CompletionList | None:
        snap = session.snapshot(params.text_document.uri, params.position)
        return await session.query(answer_completion, snap)

    @server.feature(types.COMPLETION_ITEM_RESOLVE)
    async def resolve(item: types.CompletionItem) -> types.CompletionItem:
        markdown = ClientCaps(server.client_capabilities).completion_markdown
        return await session.query(answer_resolve, item, markdown) or item
