"""Code actions (config_types quick fixes, create a missing contract or spec), code lens over
registry entries and component classes, and workspace symbols."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from lsprotocol import types

from catalog_core import ComponentType, Span
from catalog_core.api import StepCatalog

from .. import convert
from ..snapshot import Snapshot, workspace_context
from . import commands, integration
from .migrate_action import migrate_actions

if TYPE_CHECKING:
    from ..server import StepcatServer

FIX_FILE = "stepcat.fixConfigTypes"
SYMBOL_KIND = {
    "step": types.SymbolKind.Module,
    "class": types.SymbolKind.Class,
    "constant": types.SymbolKind.Constant,
}


def _fix_actions(
    catalog: StepCatalog, snap: Snapshot, diagnostics: Sequence[types.Diagnostic]
) -> list[types.CodeAction]:
    fixed, plan = catalog.fix_config_types(snap.source, snap.path)
    line_of = snap.line_of(catalog.line_text)
    ranges = [
        (convert.lsp_range(snap.path, Span.of(e.span), line_of, snap.encoding), e)
        for e in plan.edits
    ]
    actions = []
    for diag in diagnostics:
        data = diag.data if isinstance(diag.data, dict) else {}
        if data.get("rule") != "config-key-is-class-name":
            continue
        for rng, edit in ranges:
            if rng.start != diag.range.start:
                continue
            actions.append(
                types.CodeAction(
                    title=f"Rename key '{edit.old_key}' to '{edit.new_key}'",
                    kind=types.CodeActionKind.QuickFix,
                    diagnostics=[diag],
                    is_preferred=True,
                    edit=types.WorkspaceEdit(
                        changes={snap.uri: [types.TextEdit(range=rng, new_text=edit.new_text)]}
                    ),
                )
            )
    if plan.edits:
        end = types.Position(line=len(snap.lines), character=0)
        actions.append(
            types.CodeAction(
                title=f"Fix all class-name keys in config_types ({len(plan.edits)})",
                kind=types.CodeActionKind.QuickFix,
                edit=types.WorkspaceEdit(
                    changes={
                        snap.uri: [
                            types.TextEdit(
                                range=types.Range(
                                    start=types.Position(line=0, character=0), end=end
                                ),
                                new_text=fixed,
                            )
                        ]
                    }
                ),
            )
        )
    return actions


def _create_actions(
    catalog: StepCatalog, diagnostics: Sequence[types.Diagnostic]
) -> list[types.CodeAction]:
    actions = []
    for diag in diagnostics:
        data = diag.data if isinstance(diag.data, dict) else {}
        rule, step = data.get("rule"), data.get("step")
        kind = {"missing-contract": ComponentType.CONTRACT, "missing-spec": ComponentType.SPEC}.get(
            str(rule)
        )
        if kind is None or not step:
            continue
        new = catalog.new_component(str(step), kind)
        if new is None or new.path.exists():
            continue
        uri = convert.to_uri(new.path)
        actions.append(
            types.CodeAction(
                title=f"Create {new.path.name} ({kind.value} of {step})",
                kind=types.CodeActionKind.QuickFix,
                diagnostics=[diag],
                edit=types.WorkspaceEdit(
                    document_changes=[
                        types.CreateFile(
                            uri=uri, options=types.CreateFileOptions(ignore_if_exists=True)
                        ),
                        types.TextDocumentEdit(
                            text_document=types.OptionalVersionedTextDocumentIdentifier(
                                uri=uri, version=None
                            ),
                            edits=[
                                types.TextEdit(
                                    range=types.Range(
                                        start=types.Position(line=0, character=0),
                                        end=types.Position(line=0, character=0),
                                    ),
                                    new_text=new.text,
                                )
                            ],
                        ),
                    ]
                ),
            )
        )
    return actions


def _lenses(catalog: StepCatalog, path: str) -> list[types.CodeLens]:
    anchors: list[tuple[int, str]] = []  # (line, step)
    anchors += [(row.span.start_line, row.name) for row in catalog.registry_rows_in(path)]
    ref = catalog.component_at(path)
    if ref is not None and ref.step_names:
        anchors.append((ref.span.start_line, ref.step_names[0]))
    lenses = []
    for line, step in anchors:
        info = catalog.get_step_info(step, workspace_id=workspace_context(catalog, path))
        if info is None:
            continue
        present = {t.label.split(" ")[0]: t for t in catalog.step_targets(info)}
        at = types.Range(
            start=types.Position(line=line, character=0), end=types.Position(line=line, character=0)
        )
        for kind in ("script", "contract", "spec", "builder", "config"):
            target = present.get(kind)
            if target is None:
                missing = ComponentType(kind) in info.missing_components
                lenses.append(
                    types.CodeLens(
                        range=at,
                        command=types.Command(
                            title=f"{kind} ✗" if missing else f"no {kind}", command=""
                        ),
                    )
                )
                continue
            lenses.append(
                types.CodeLens(
                    range=at,
                    command=types.Command(
                        title=kind,
                        command=commands.OPEN_COMPONENT,
                        arguments=[
                            convert.to_uri(target.path),
                            target.span.start_line,
                            target.span.start_character,
                        ],
                    ),
                )
            )
    return lenses


def register(server: StepcatServer) -> None:
    session = server.session

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(
            code_action_kinds=[types.CodeActionKind.QuickFix, types.CodeActionKind.Refactor]
        ),
    )
    async def code_action(params: types.CodeActionParams) -> list[types.CodeAction] | None:
        uri = params.text_document.uri
        snap = session.snapshot(uri)
        path = convert.to_path(uri)
        if path is None:
            return None

        def answer(catalog: StepCatalog) -> list[types.CodeAction] | None:
            actions = _create_actions(catalog, params.context.diagnostics)
            if snap is not None and snap.path.endswith(".json"):
                actions += _fix_actions(catalog, snap, params.context.diagnostics)
            if integration.wants_refactors(params.context.only):
                actions += integration.stage_actions(catalog, path, params.range)
                actions += migrate_actions(catalog, path, params.range)
            return actions or None

        return await session.query(answer)

    @server.feature(types.TEXT_DOCUMENT_CODE_LENS)
    async def code_lens(params: types.CodeLensParams) -> list[types.CodeLens] | None:
        path = convert.to_path(params.text_document.uri)
        if path is None or not session.settings_for(path).code_lens:
            return None
        return await session.query(_lenses, path)

    @server.feature(types.WORKSPACE_SYMBOL)
    async def symbols(params: types.WorkspaceSymbolParams) -> list[types.WorkspaceSymbol] | None:
        encoding = session.encoding

        def answer(catalog: StepCatalog) -> list[types.WorkspaceSymbol] | None:
            return [
                types.WorkspaceSymbol(
                    name=s.name,
                    kind=SYMBOL_KIND[s.kind],
                    container_name=s.container,
                    location=convert.lsp_location(s.path, s.span, catalog.line_text, encoding),
                )
                for s in catalog.workspace_symbols(params.query)
            ]

        return await session.query(answer)
