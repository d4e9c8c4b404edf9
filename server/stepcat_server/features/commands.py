"""Commands (``workspace/executeCommand``): open a component, reindex, and the queries the
editor extension builds its UI on (step list, components at a position, status)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lsprotocol import types

from catalog_core import Span
from catalog_core.api import StepCatalog

from .. import convert
from ..capabilities import ClientCaps
from ..snapshot import Snapshot, workspace_context
from .navigation import CLASS_KINDS, name_at_cursor

if TYPE_CHECKING:
    from ..server import StepcatServer
    from ..session import DiagnosticsView

# PYGLS_ARGS: commands that take any arguments declare an *unannotated* ``*args``. pygls reads
# handler annotations: ``*args: Any`` fails on Python 3.10 (``issubclass(Any, ...)`` raises), and
# ``*args: object`` makes pygls pass the server itself as the first argument.
OPEN_COMPONENT = "stepcat.openComponent"
REINDEX = "stepcat.reindex"
LIST_STEPS = "stepcat.listSteps"
COMPONENTS_AT = "stepcat.componentsAt"
STATUS = "stepcat.status"


def _location(catalog: StepCatalog, encoding: str, path: Any, span: Span) -> dict[str, Any]:
    loc = convert.lsp_location(path, span, catalog.line_text, encoding)
    return {
        "uri": loc.uri,
        "range": {
            "start": {"line": loc.range.start.line, "character": loc.range.start.character},
            "end": {"line": loc.range.end.line, "character": loc.range.end.character},
        },
    }


def _list_steps(catalog: StepCatalog, encoding: str) -> list[dict[str, Any]]:
    rows = []
    for name in catalog.list_available_steps():
        info = catalog.get_step_info(name)
        if info is None:
            continue
        loc = info.registry_location
        rows.append(
            {
                "name": name,
                "workspace": info.workspace_id,
                "sagemakerStepType": info.sagemaker_step_type,
                "description": info.description,
                "variants": sorted(info.variants),
                "complete": info.is_complete,
                "location": _location(catalog, encoding, loc.path, loc.span) if loc else None,
            }
        )
    return rows


def _components_at(
    catalog: StepCatalog, path: str, snap: Snapshot | None, encoding: str
) -> list[dict[str, Any]]:
    """The components of the step named under the cursor (or, off a name, of the component
    file's own step), as the file's workspace sees them."""
    context = workspace_context(catalog, path)
    ref = name_at_cursor(catalog, snap)
    info = None
    if ref is not None and ref.kind not in CLASS_KINDS:
        info = catalog.resolve_name(ref.name, context)
    elif ref is None:  # in a component file: its own step
        component = catalog.component_at(path)
        if component is not None and component.step_names:
            info = catalog.get_step_info(component.step_names[0], workspace_id=context)
    if info is None:
        return []
    found = [
        {
            "label": t.label,
            "workspace": t.workspace_id,
            **_location(catalog, encoding, t.path, t.span),
        }
        for t in catalog.step_targets(info)
    ]
    if info.registry_location is not None:
        loc = info.registry_location
        found.append(
            {
                "label": "registry",
                "workspace": info.workspace_id,
                **_location(catalog, encoding, loc.path, loc.span),
            }
        )
    return [{"step": info.pipeline_node_name, **item} for item in found]


def _status(catalog: StepCatalog, view: DiagnosticsView, folders: list[str]) -> dict[str, Any]:
    counts = dict.fromkeys(("error", "warning", "information", "hint"), 0)
    for problem in catalog.problems():  # at the levels the editor shows (severity, disabledRules)
        settings = view.settings_for(str(problem.path) if problem.path else None)
        level = settings.level(problem.rule, problem.severity.value)
        if level is not None:
            counts[level] += 1
    return {
        "state": "ready",
        "steps": len(catalog.list_available_steps()),
        "workspaces": [w.workspace_id for w in catalog.list_workspaces()],
        "folders": folders,
        "problems": counts,
        "framework": catalog.framework_report().as_json(),
    }


def register(server: StepcatServer) -> None:
    session = server.session

    @server.command(OPEN_COMPONENT)
    async def open_component(uri: str, line: int, character: int) -> bool:
        if not ClientCaps(server.client_capabilities).show_document:
            return False
        pos = types.Position(line=int(line), character=int(character))
        result = await server.window_show_document_async(
            types.ShowDocumentParams(
                uri=uri, take_focus=True, selection=types.Range(start=pos, end=pos)
            )
        )
        return bool(result and result.success)

    @server.command(LIST_STEPS)
    async def list_steps(*args) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]  # PYGLS_ARGS
        """Every step with its workspace, type, description and registry location (Show Step...)."""
        return await session.query(_list_steps, session.encoding) or []

    @server.command(COMPONENTS_AT)
    async def components_at(uri: str, line: int, character: int) -> list[dict[str, Any]]:
        """The components of the step or node under a position (Go to Component...)."""
        position = types.Position(line=int(line), character=int(character))
        snap = session.snapshot(uri, position)
        path = convert.to_path(uri)
        if path is None:
            return []
        return await session.query(_components_at, path, snap, session.encoding) or []

    @server.command(STATUS)
    async def status(*args) -> dict[str, Any]:  # type: ignore[no-untyped-def]  # PYGLS_ARGS
        if not session.ready.is_set():
            return {"state": "indexing"}
        if not session.has_catalog:
            return {"state": "error", "error": session.build_error or "no catalog"}
        view = session.diagnostics_view()
        answer = await session.query(_status, view, list(session.folders))
        if answer is None:
            return {"state": "error", "error": session.build_error or "no catalog"}
        if session.build_error:
            answer["error"] = session.build_error  # serving an older index
        return answer

    @server.command(REINDEX)
    async def reindex(*args) -> int:  # type: ignore[no-untyped-def]  # PYGLS_ARGS
        from .lifecycle import index

        await index(server)
        return await session.query(_step_count) or 0


def _step_count(catalog: StepCatalog) -> int:
    return len(catalog.list_available_steps())
