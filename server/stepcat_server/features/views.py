"""The server commands the editor's views are drawn from: ``stepcat.dagGraph [uri, line]`` (the
DAG a document writes, as nodes with status and edges: the DAG view) and ``stepcat.stepTree``
(workspaces, steps, components: the Steps view, one level per request, as the view expands;
``stepcat.stepTreeOwners`` for reveal-on-open). Both are refreshed by the client on
``stepcat/catalogChanged``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

from catalog_core.api import (
    DagGraph,
    StepCatalog,
    TreeComponent,
    TreeStep,
    TreeWorkspace,
    dag_json_data,
)
from catalog_core.models import Location

from .. import convert

if TYPE_CHECKING:
    from ..server import StepcatServer

DAG_GRAPH = "stepcat.dagGraph"
STEP_TREE = "stepcat.stepTree"
STEP_TREE_OWNERS = "stepcat.stepTreeOwners"
WHOLE_TREE = "*"  # stepcat.stepTree's argument for every level at once
NOTEBOOK_CELL_SCHEME = "vscode-notebook-cell"


def document_path(uri: str) -> str | None:
    """A file URI's path; a notebook cell's URI gives its notebook's path."""
    if isinstance(uri, str) and uri.startswith(NOTEBOOK_CELL_SCHEME + ":"):
        return convert.to_path("file://" + urlparse(uri).path) if urlparse(uri).path else None
    return convert.to_path(uri)


def _location(catalog: StepCatalog, encoding: str, loc: Location | None) -> dict[str, Any] | None:
    if loc is None:
        return None
    lsp = convert.lsp_location(loc.path, loc.span, catalog.line_text, encoding)
    return {
        "uri": lsp.uri,
        "range": {
            "start": {"line": lsp.range.start.line, "character": lsp.range.start.character},
            "end": {"line": lsp.range.end.line, "character": lsp.range.end.character},
        },
    }


def graph_answer(catalog: StepCatalog, graph: DagGraph, encoding: str) -> dict[str, Any]:
    return dag_json_data(
        graph,
        lambda loc: _location(catalog, encoding, loc),
        ("uri", convert.to_uri(graph.path)),
        edge_locations=True,
    )


def dag_graph(
    catalog: StepCatalog, path: str, encoding: str, line: int | None = None
) -> dict[str, Any] | None:
    graph = catalog.dag_graph(path, line)
    return None if graph is None else graph_answer(catalog, graph, encoding)


def _component(catalog: StepCatalog, encoding: str, c: TreeComponent) -> dict[str, Any]:
    return {
        "label": c.label,
        "present": c.present,
        "required": c.required,
        "location": _location(catalog, encoding, c.location),
        **({"note": c.note} if c.note else {}),
    }


def _step(catalog: StepCatalog, encoding: str, s: TreeStep) -> dict[str, Any]:
    return {
        "name": s.name,
        "sagemakerStepType": s.sagemaker_step_type,
        "layout": s.layout,
        "complete": s.complete,
        "problems": s.problems,
        "location": _location(catalog, encoding, s.location),
        "components": [_component(catalog, encoding, c) for c in s.components],
        "variants": s.variants,
        "missing": s.missing,
    }


def _workspace(ws: TreeWorkspace) -> dict[str, Any]:
    return {
        "id": ws.id,
        "kind": ws.kind,
        "root": str(ws.root) if ws.root else None,
        "readOnly": ws.read_only,
        "stepCount": ws.step_count,
    }


def step_tree(catalog: StepCatalog, encoding: str) -> list[dict[str, Any]]:
    """The whole tree at once (workspaces with their steps and components)."""
    return [
        {**_workspace(ws), "steps": [_step(catalog, encoding, s) for s in ws.steps]}
        for ws in catalog.step_tree()
    ]


def tree_level(
    catalog: StepCatalog, encoding: str, workspace: str | None, step: str | None
) -> list[dict[str, Any]] | None:
    """One level of the tree: the workspaces; a workspace's steps (``components`` empty); a
    step's components. None for a workspace or step the tree does not have."""
    if workspace is None:
        return [_workspace(ws) for ws in catalog.tree_workspaces()]
    if step is None:
        steps = catalog.tree_steps(workspace)
        return None if steps is None else [_step(catalog, encoding, s) for s in steps]
    components = catalog.tree_components(workspace, step)
    return None if components is None else [_component(catalog, encoding, c) for c in components]


def tree_owners(catalog: StepCatalog, path: str) -> list[dict[str, str]]:
    return [{"workspace": ws, "step": step} for ws, step in catalog.tree_owners(path)]


def register(server: StepcatServer) -> None:
    session = server.session

    @server.command(DAG_GRAPH)
    async def dag_graph_command(*args) -> dict[str, Any] | None:  # type: ignore[no-untyped-def]  # PYGLS_ARGS (commands.py)
        """(uri, line) -> the DAG the document writes (in a module building one DAG per
        function, the one of the function holding ``line``), or None. A notebook cell's URI
        means its notebook."""
        uri = args[0] if args else None
        line = args[1] if len(args) > 1 and isinstance(args[1], int) and args[1] >= 0 else None
        path = document_path(uri) if isinstance(uri, str) else None
        if path is None:
            return None
        if isinstance(uri, str) and uri.startswith(NOTEBOOK_CELL_SCHEME + ":"):
            line = None  # a cell's line is not the notebook file's
        return await session.query(dag_graph, path, session.encoding, line)

    @server.command(STEP_TREE)
    async def step_tree_command(*args) -> list[dict[str, Any]] | None:  # type: ignore[no-untyped-def]  # PYGLS_ARGS (commands.py)
        """() -> the workspaces (with ``stepCount``); (workspace) -> its steps (``components``
        empty); (workspace, step) -> the step's components; None for an unknown workspace or
        step. ``("*")`` -> the whole tree at once."""
        workspace = args[0] if args and isinstance(args[0], str) else None
        step = args[1] if len(args) > 1 and isinstance(args[1], str) else None
        if workspace == WHOLE_TREE:
            return await session.query(step_tree, session.encoding) or []
        return await session.query(tree_level, session.encoding, workspace, step)

    @server.command(STEP_TREE_OWNERS)
    async def step_tree_owners_command(*args) -> list[dict[str, str]]:  # type: ignore[no-untyped-def]  # PYGLS_ARGS (commands.py)
        """(uri) -> [{workspace, step}]: the step nodes a component file belongs to."""
        path = document_path(args[0]) if args and isinstance(args[0], str) else None
        if path is None:
            return []
        return await session.query(tree_owners, path) or []
