"""Definition (and declaration, implementation, type definition), references and hover for
step and node names in DAG code, config files and registries."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from catalog_core import ComponentType, Span
from catalog_core.editor.names import NameAt, name_at
from catalog_core.editor.navigation import (
    Target,
    definition_targets,
    references,
    resolve,
    step_card,
)
from catalog_core.registry_view import SHARED

from .. import convert
from ..capabilities import ClientCaps
from ..render import step_markdown

if TYPE_CHECKING:
    from ..server import StepcatServer
    from ..session import Session

Answer = list[types.LocationLink] | list[types.Location] | None
CLASS_KINDS = ("config_class", "builder_class")
# Which targets each request answers with (catalog_core Target labels); None: all of them.
FILTERS: dict[str, tuple[str, ...] | None] = {
    types.TEXT_DOCUMENT_DEFINITION: None,  # spec first, then script, contract, builder, config
    types.TEXT_DOCUMENT_IMPLEMENTATION: ("script", "builder"),  # the code that runs the step
    types.TEXT_DOCUMENT_TYPE_DEFINITION: ("config", "class"),  # its configuration class
}


def _context(session: Session, path: str) -> str | None:
    assert session.catalog is not None
    ws = session.catalog.workspace_of(path)
    return None if ws == SHARED else ws


def _name(session: Session, uri: str, position: types.Position) -> tuple[str, NameAt] | None:
    """The document's path and the name under the cursor."""
    path = convert.to_path(uri)
    doc = session.document(uri)
    if session.catalog is None or path is None or doc is None:
        return None
    line, column = session.position(uri, position)
    ref = name_at(session.catalog, path, doc.source, line, column, session.lines(uri))
    return (path, ref) if ref is not None else None


def _targets(session: Session, path: str, ref: NameAt, method: str) -> list[Target]:
    catalog = session.catalog
    assert catalog is not None
    context = _context(session, path)
    if method == types.TEXT_DOCUMENT_DECLARATION:
        info = resolve(catalog, ref.name, context) if ref.kind not in CLASS_KINDS else None
        loc = info.registry_location if info else None
        return [Target("registry", loc.path, loc.span, info.workspace_id)] if loc and info else []
    targets = definition_targets(catalog, ref, context)
    labels = FILTERS[method]
    return targets if labels is None else [t for t in targets if t.label.split(" ")[0] in labels]


def answer_navigation(
    session: Session, uri: str, position: types.Position, method: str, links: bool
) -> Answer:
    found = _name(session, uri, position)
    if found is None:
        return None
    path, ref = found
    targets = _targets(session, path, ref, method)
    if not targets:
        return None  # not a name we know: leave the request to the user's Python server
    enc, line_of = session.encoding, session.line_of
    if links:
        origin = convert.lsp_range(path, Span.of(ref.span), line_of, enc)
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
    session: Session, params: types.ReferenceParams
) -> list[types.Location] | None:
    found = _name(session, params.text_document.uri, params.position)
    if found is None or session.catalog is None:
        return None
    path, ref = found
    if ref.kind in CLASS_KINDS:
        return None
    info = resolve(session.catalog, ref.name, _context(session, path))
    if info is None:
        return None
    refs = references(session.catalog, info.step_name)
    if not params.context.include_declaration:
        refs = [r for r in refs if r.kind != "registry"]
    return [
        convert.lsp_location(r.location.path, r.location.span, session.line_of, session.encoding)
        for r in refs
    ] or None


def answer_hover(session: Session, params: types.HoverParams, markdown: bool) -> types.Hover | None:
    found = _name(session, params.text_document.uri, params.position)
    if found is None or session.catalog is None:
        return None
    path, ref = found
    if ref.kind in CLASS_KINDS:
        text = _class_text(session, ref)
    else:
        card = step_card(session.catalog, ref.name, _context(session, path))
        text = step_markdown(card) if card is not None else None
    if text is None:
        return None
    kind = types.MarkupKind.Markdown if markdown else types.MarkupKind.PlainText
    return types.Hover(
        contents=types.MarkupContent(kind=kind, value=text),
        range=convert.lsp_range(path, Span.of(ref.span), session.line_of, session.encoding),
    )


def _class_text(session: Session, ref: NameAt) -> str | None:
    catalog = session.catalog
    assert catalog is not None
    view = catalog.index.view
    steps = view.steps_by_config_class(None, ref.name) or view.steps_by_builder(None, ref.name)
    if not steps:
        return None
    info = catalog.get_step_info(steps[0])
    kind = ComponentType.CONFIG if ref.kind == "config_class" else ComponentType.BUILDER
    meta = info.file_components.get(kind.value) if info else None
    where = f" in `{meta.path.name}`" if meta else " (defined nowhere)"
    return f"**{ref.name}** · {kind.value} class of **{steps[0]}**{where}"


def register(server: StepcatServer) -> None:
    session = server.session

    def navigation(method: str) -> None:
        @server.feature(method)
        async def handler(params: types.TextDocumentPositionParams) -> Answer:
            links = ClientCaps(server.client_capabilities).links_for(method)
            return await session.query(
                answer_navigation, session, params.text_document.uri, params.position, method, links
            )

    for method in (
        types.TEXT_DOCUMENT_DEFINITION,
        types.TEXT_DOCUMENT_DECLARATION,
        types.TEXT_DOCUMENT_IMPLEMENTATION,
        types.TEXT_DOCUMENT_TYPE_DEFINITION,
    ):
        navigation(method)

    @server.feature(types.TEXT_DOCUMENT_REFERENCES)
    async def find_references(params: types.ReferenceParams) -> list[types.Location] | None:
        return await session.query(answer_references, session, params)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    async def hover(params: types.HoverParams) -> types.Hover | None:
        markdown = ClientCaps(server.client_capabilities).hover_markdown
        return await session.query(answer_hover, session, params, markdown)
