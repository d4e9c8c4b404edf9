"""Definition (and declaration, implementation, type definition), references and hover for
step and node names in DAG code, config files and registries."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from catalog_core import Span
from catalog_core.api import FieldCard, FieldKeyAt, NameAt, StepCatalog, Target
from catalog_core.base.text import RawSpan

from .. import convert
from ..capabilities import ClientCaps
from ..render import class_markdown, field_markdown, step_markdown
from ..snapshot import Snapshot, workspace_context

if TYPE_CHECKING:
    from ..server import StepcatServer

Answer = list[types.LocationLink] | list[types.Location] | None
CLASS_KINDS = ("config_class", "builder_class")
FIELD_FILES = (".json", ".step.yaml")
# Which targets each request answers with (catalog_core Target labels); None: all of them.
FILTERS: dict[str, tuple[str, ...] | None] = {
    types.TEXT_DOCUMENT_DEFINITION: None,  # spec first, then script, contract, builder, config
    types.TEXT_DOCUMENT_IMPLEMENTATION: ("script", "builder"),  # the code that runs the step
    types.TEXT_DOCUMENT_TYPE_DEFINITION: ("config", "class"),  # its configuration class
}


def name_at_cursor(catalog: StepCatalog, snap: Snapshot | None) -> NameAt | None:
    """The name under the snapshot's cursor."""
    if snap is None:
        return None
    return catalog.name_at(snap.path, snap.source, snap.line, snap.column, snap.lines)


def _targets(catalog: StepCatalog, path: str, ref: NameAt, method: str) -> list[Target]:
    context = workspace_context(catalog, path)
    if method == types.TEXT_DOCUMENT_DECLARATION:
        info = catalog.resolve_name(ref.name, context) if ref.kind not in CLASS_KINDS else None
        loc = info.registry_location if info else None
        return [Target("registry", loc.path, loc.span, info.workspace_id)] if loc and info else []
    targets = catalog.definition_targets(ref, context)
    labels = FILTERS[method]
    return targets if labels is None else [t for t in targets if t.label.split(" ")[0] in labels]


def field_at_cursor(catalog: StepCatalog, snap: Snapshot | None) -> FieldKeyAt | None:
    """The config field under the cursor (config JSON keys, interface attribute values)."""
    if snap is None or not snap.path.endswith(FIELD_FILES):
        return None
    return catalog.field_key_at(snap.path, snap.source, snap.line, snap.column)


def _field_card(catalog: StepCatalog, snap: Snapshot, at: FieldKeyAt) -> FieldCard | None:
    context = workspace_context(catalog, snap.path)
    return catalog.field_card(snap.path, snap.source, at, context)


def answer_field_navigation(
    catalog: StepCatalog, snap: Snapshot, at: FieldKeyAt, method: str, links: bool
) -> Answer:
    card = _field_card(catalog, snap, at)
    target = card.location if card is not None else None
    if target is None or method in (types.TEXT_DOCUMENT_IMPLEMENTATION,):
        return None
    path, span = target
    enc, line_of = snap.encoding, snap.line_of(catalog.line_text)
    if links:
        whole = Span.of((span.start_line, 0, span.end_line, span.end_character))
        return [
            types.LocationLink(
                target_uri=convert.to_uri(path),
                target_range=convert.lsp_range(str(path), whole, line_of, enc),
                target_selection_range=convert.lsp_range(str(path), span, line_of, enc),
                origin_selection_range=convert.lsp_range(snap.path, Span.of(at.span), line_of, enc),
            )
        ]
    return [convert.lsp_location(path, span, line_of, enc)]


def answer_navigation(
    catalog: StepCatalog, snap: Snapshot | None, method: str, links: bool
) -> Answer:
    at = field_at_cursor(catalog, snap)
    if at is not None and snap is not None:
        return answer_field_navigation(catalog, snap, at, method, links)
    ref = name_at_cursor(catalog, snap)
    if ref is None or snap is None:
        return None
    targets = _targets(catalog, snap.path, ref, method)
    if not targets:
        return None  # not a name we know: leave the request to the user's Python server
    enc, line_of = snap.encoding, snap.line_of(catalog.line_text)
    if links:
        origin = convert.lsp_range(snap.path, Span.of(ref.span), line_of, enc)
        return [
            types.LocationLink(
                target_uri=convert.to_uri(t.path),
                target_range=convert.lsp_range(str(t.path), t.line_span, line_of, enc),
                target_selection_range=convert.lsp_range(str(t.path), t.span, line_of, enc),
                origin_selection_range=origin,
            )
            for t in targets
        ]
    return [convert.lsp_location(t.path, t.span, line_of, enc) for t in targets]


def answer_references(
    catalog: StepCatalog, snap: Snapshot | None, include_declaration: bool
) -> list[types.Location] | None:
    ref = name_at_cursor(catalog, snap)
    if ref is None or snap is None or ref.kind in CLASS_KINDS:
        return None
    info = catalog.resolve_name(ref.name, workspace_context(catalog, snap.path))
    if info is None:
        return None
    refs = catalog.references(info.step_name)
    if not include_declaration:
        refs = [r for r in refs if r.kind != "registry"]
    line_of = snap.line_of(catalog.line_text)
    return [
        convert.lsp_location(r.location.path, r.location.span, line_of, snap.encoding) for r in refs
    ] or None


def answer_hover(catalog: StepCatalog, snap: Snapshot | None, markdown: bool) -> types.Hover | None:
    at = field_at_cursor(catalog, snap)
    if at is not None and snap is not None:
        field = _field_card(catalog, snap, at)
        return _hover(catalog, snap, field_markdown(field), at.span, markdown) if field else None
    ref = name_at_cursor(catalog, snap)
    if ref is None or snap is None:
        return None
    if ref.kind in CLASS_KINDS:
        class_card = catalog.class_card(ref)
        text = class_markdown(class_card) if class_card is not None else None
    elif ref.kind == "interface_key":
        doc = catalog.interface_key_help(ref.name)
        text = (
            f"**{ref.name}**\n\n{doc}"
            if doc and markdown
            else (f"{ref.name}: {doc}" if doc else None)
        )
    else:
        card = catalog.step_card(ref.name, workspace_context(catalog, snap.path))
        text = step_markdown(card) if card is not None else None
    return _hover(catalog, snap, text, ref.span, markdown) if text is not None else None


def _hover(
    catalog: StepCatalog, snap: Snapshot, text: str, span: RawSpan, markdown: bool
) -> types.Hover:
    kind = types.MarkupKind.Markdown if markdown else types.MarkupKind.PlainText
    line_of = snap.line_of(catalog.line_text)
    return types.Hover(
        contents=types.MarkupContent(kind=kind, value=text),
        range=convert.lsp_range(snap.path, Span.of(span), line_of, snap.encoding),
    )


def register(server: StepcatServer) -> None:
    session = server.session

    def navigation(method: str) -> None:
        @server.feature(method)
        async def handler(params: types.TextDocumentPositionParams) -> Answer:
            links = ClientCaps(server.client_capabilities).links_for(method)
            snap = session.snapshot(params.text_document.uri, params.position)
            return await session.query(answer_navigation, snap, method, links)

    for method in (
        types.TEXT_DOCUMENT_DEFINITION,
        types.TEXT_DOCUMENT_DECLARATION,
        types.TEXT_DOCUMENT_IMPLEMENTATION,
        types.TEXT_DOCUMENT_TYPE_DEFINITION,
    ):
        navigation(method)

    @server.feature(types.TEXT_DOCUMENT_REFERENCES)
    async def find_references(params: types.ReferenceParams) -> list[types.Location] | None:
        snap = session.snapshot(params.text_document.uri, params.position)
        include = params.context.include_declaration
        return await session.query(answer_references, snap, include)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    async def hover(params: types.HoverParams) -> types.Hover | None:
        markdown = ClientCaps(server.client_capabilities).hover_markdown
        snap = session.snapshot(params.text_document.uri, params.position)
        return await session.query(answer_hover, snap, markdown)
