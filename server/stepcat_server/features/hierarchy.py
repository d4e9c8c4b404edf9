"""Upstream and downstream steps of a DAG node as LSP call hierarchy: ``prepareCallHierarchy``
on a node name in a DAG file (Python module, notebook, ``*.dag.json``), incoming calls = the
nodes with an edge into it (upstream), outgoing calls = the nodes it feeds (downstream); each
with the range where the edge is written."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from catalog_core.api import DagGraph, DagNode, StepCatalog
from catalog_core.models import Span

from .. import convert
from ..snapshot import Snapshot

if TYPE_CHECKING:
    from ..server import StepcatServer


def _item(
    catalog: StepCatalog, graph: DagGraph, node: DagNode, enc: str
) -> types.CallHierarchyItem:
    path = str(graph.path)
    span = node.location.span if node.location else Span.of((0, 0, 0, 0))
    rng = convert.lsp_range(path, span, catalog.line_text, enc)
    detail = f"step {node.step}" if node.step else "unknown step"
    if node.job_type:
        detail += f" · {node.job_type}"
    return types.CallHierarchyItem(
        name=node.id,
        kind=types.SymbolKind.Event,
        uri=convert.to_uri(path),
        range=rng,
        selection_range=rng,
        detail=f"{detail} · {node.status}",
        data={"path": path, "node": node.id},
    )


def prepare(catalog: StepCatalog, snap: Snapshot | None) -> list[types.CallHierarchyItem] | None:
    if snap is None:
        return None
    name = catalog.dag_node_at(snap.path, snap.line, snap.column)
    graph = catalog.dag_graph(snap.path, snap.line) if name else None
    node = graph.node(name) if graph and name else None
    if graph is None or node is None:
        return None
    return [_item(catalog, graph, node, snap.encoding)]


Neighbours = list[tuple[types.CallHierarchyItem, list[types.Range]]]


def _neighbours(
    catalog: StepCatalog, item: types.CallHierarchyItem, enc: str, up: bool
) -> Neighbours:
    """The nodes with an edge into the item's node (``up``) or out of it, each with where the
    edges are written (in the DAG the item's line belongs to)."""
    path = convert.to_path(item.uri)
    name = item.name
    graph = catalog.dag_graph(path, item.range.start.line) if path else None
    if graph is None:
        return []
    grouped: dict[str, list[types.Range]] = {}
    for e in graph.upstream(name) if up else graph.downstream(name):
        ranges = grouped.setdefault(e.source if up else e.target, [])
        if e.location is not None:
            ranges.append(
                convert.lsp_range(str(e.location.path), e.location.span, catalog.line_text, enc)
            )
    return [
        (_item(catalog, graph, node, enc), ranges)
        for other, ranges in grouped.items()
        if (node := graph.node(other)) is not None
    ]


def incoming(
    catalog: StepCatalog, item: types.CallHierarchyItem, enc: str
) -> list[types.CallHierarchyIncomingCall]:
    return [
        types.CallHierarchyIncomingCall(from_=other, from_ranges=ranges)
        for other, ranges in _neighbours(catalog, item, enc, True)
    ]


def outgoing(
    catalog: StepCatalog, item: types.CallHierarchyItem, enc: str
) -> list[types.CallHierarchyOutgoingCall]:
    return [
        types.CallHierarchyOutgoingCall(to=other, from_ranges=ranges)
        for other, ranges in _neighbours(catalog, item, enc, False)
    ]


def register(server: StepcatServer) -> None:
    session = server.session

    @server.feature(types.TEXT_DOCUMENT_PREPARE_CALL_HIERARCHY)
    async def prepare_call_hierarchy(
        params: types.CallHierarchyPrepareParams,
    ) -> list[types.CallHierarchyItem] | None:
        snap = session.snapshot(params.text_document.uri, params.position)
        return await session.query(prepare, snap)

    @server.feature(types.CALL_HIERARCHY_INCOMING_CALLS)
    async def incoming_calls(
        params: types.CallHierarchyIncomingCallsParams,
    ) -> list[types.CallHierarchyIncomingCall] | None:
        return await session.query(incoming, params.item, session.encoding)

    @server.feature(types.CALL_HIERARCHY_OUTGOING_CALLS)
    async def outgoing_calls(
        params: types.CallHierarchyOutgoingCallsParams,
    ) -> list[types.CallHierarchyOutgoingCall] | None:
        return await session.query(outgoing, params.item, session.encoding)
