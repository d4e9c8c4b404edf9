"""A DAG as a graph: the nodes and edges one file writes (a Python DAG module, a notebook's code
cells, a ``*.dag.json``), each node with its step, job type, completeness, problems and where
it leads; what the editor's DAG view draws, ``stepcat dag`` prints and call hierarchy walks.

A Python module or notebook gives its ``add_node`` / ``add_edge`` calls (an edge's end that no
``add_node`` declares is still a node); a DAG JSON its ``dag.nodes`` and ``dag.edges``. Nodes
keep the order in which they are first written.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from catalog_core.features.checking import problems as all_problems
from catalog_core.features.navigation import step_targets
from catalog_core.features.steps import resolve_pipeline_node, split_node_name
from catalog_core.models import Location, Problem, Span, StepInfo

if TYPE_CHECKING:
    from catalog_core.index.catalog_index import CatalogIndex

Status = Literal["complete", "incomplete", "unknown", "error"]
SEVERITIES = ("error", "warning", "information", "hint")


@dataclass(frozen=True, slots=True)
class DagNode:
    id: str  # the node name as written
    step: str | None
    job_type: str | None
    status: Status
    problems: dict[str, int]  # severity -> count
    workspace: str | None
    location: Location | None  # where the name is first written in the DAG's file
    definition: Location | None  # the first place F12 on the name leads
    variant: str | None  # which spec the node uses: "spec (training)", "spec", ...


@dataclass(frozen=True, slots=True)
class DagEdge:
    source: str
    target: str
    location: Location | None


@dataclass(slots=True)
class DagGraph:
    path: Path
    name: str
    nodes: list[DagNode] = field(default_factory=list)
    edges: list[DagEdge] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def upstream(self, node: str) -> list[DagEdge]:
        return [e for e in self.edges if e.target == node]

    def downstream(self, node: str) -> list[DagEdge]:
        return [e for e in self.edges if e.source == node]

    def node(self, node_id: str) -> DagNode | None:
        return next((n for n in self.nodes if n.id == node_id), None)


Written = tuple[str, Span]


def _written(
    db: CatalogIndex, path: str, region: str | None = None
) -> tuple[list[Written], list[tuple[Written, Written]]]:
    """(node names as written, edges) of one file, or of one of its functions (``region``);
    ([], []) when it writes no DAG."""
    facts = db.dags.get(path)
    if facts is not None:
        nodes = [(n, Span.of(s)) for n, s in facts.nodes]
        edges = [((a, Span.of(sa)), (b, Span.of(sb))) for (a, sa), (b, sb) in facts.edges]
        return nodes, edges
    nodes, edges = [], []
    usages = db.python_usages.get(path, [])
    if region is not None:
        regions = _regions(db, path)
        usages = [u for u in usages if _region_of(regions, u.span[0]) == region]
    i = 0
    while i < len(usages):
        u = usages[i]
        if u.call == "add_edge":
            v = usages[i + 1] if i + 1 < len(usages) else None
            if v is not None and v.call == "add_edge" and v.at == u.at:
                edges.append(((u.name, Span.of(u.span)), (v.name, Span.of(v.span))))
                i += 2
                continue
        elif u.call == "add_node":
            nodes.append((u.name, Span.of(u.span)))
        i += 1
    return nodes, edges


_TOP_LEVEL = re.compile(rb"^(?:async[ \t]+)?def[ \t]+(\w+)|^class[ \t]+(\w+)", re.M)


def _regions(db: CatalogIndex, path: str) -> list[tuple[int, str]]:
    """(first line, name) of a Python module's top-level functions and classes."""

    def find() -> list[tuple[int, str]]:
        if not path.endswith(".py"):
            return []
        data, _ = db.read(path)
        if data is None:
            return []
        return [
            (data.count(b"\n", 0, m.start()), (m.group(1) or m.group(2)).decode("utf-8", "replace"))
            for m in _TOP_LEVEL.finditer(data)
        ]

    return db.memo.get(("dag_regions", path), find)


def _region_of(regions: list[tuple[int, str]], line: int) -> str:
    name = ""  # module level
    for start, region in regions:
        if start > line:
            break
        name = region
    return name


def dag_region(db: CatalogIndex, path: str, line: int | None) -> str | None:
    """Which DAG of a Python module a line is in, when the module builds several (one per
    top-level function): the function's name ("" for module level); None when the module
    builds at most one DAG, or when no line is given (the whole module)."""
    if line is None or path not in db.python_usages or path in db.dags:
        return None
    regions = _regions(db, path)
    used = {_region_of(regions, u.span[0]) for u in db.python_usages[path]}
    if len(used) < 2:
        return None
    here = _region_of(regions, line)
    if here in used:
        return here
    return next(name for _, name in [(0, ""), *regions] if name in used)


def _counts(found: list[Problem]) -> dict[str, int]:
    counts = dict.fromkeys(SEVERITIES, 0)
    for p in found:
        counts[p.severity.value] = counts.get(p.severity.value, 0) + 1
    return counts


def _status(info: StepInfo | None, counts: dict[str, int]) -> Status:
    if info is None:
        return "unknown"
    if counts.get("error"):
        return "error"
    return "complete" if info.is_complete else "incomplete"


def dag_graph(db: CatalogIndex, path: str, line: int | None = None) -> DagGraph | None:
    """The DAG one file writes (with ``line``, in a module that builds one DAG per function:
    the one of the function holding that line); None when it writes none."""
    region = dag_region(db, path, line)
    return db.memo.get(("dag_graph", path, region), lambda: _dag_graph(db, path, region))


def _dag_graph(db: CatalogIndex, path: str, region: str | None) -> DagGraph | None:
    written, edges = _written(db, path, region)
    if not written and not edges:
        return None
    facts = db.dags.get(path)
    name = (facts.name if facts is not None else None) or _stem(Path(path))
    if region:
        name = f"{name}.{region}"
    graph = DagGraph(Path(path), name)
    first: dict[str, Span] = {}
    for n, span in [*written, *(end for edge in edges for end in edge)]:
        first.setdefault(n, span)
    context = db.wmap.of(path)
    by_step = _problems_by_step(db)
    for node_id, span in first.items():
        info = resolve_pipeline_node(db, node_id, context) or resolve_pipeline_node(
            db, node_id, None
        )
        split = split_node_name(db, node_id, context) or split_node_name(db, node_id, None)
        found = by_step.get(info.base_step_name or info.step_name, []) if info else []
        counts = _counts(found)
        targets = step_targets(db, info) if info is not None else []
        graph.nodes.append(
            DagNode(
                id=node_id,
                step=split[0] if split else None,
                job_type=split[1] if split else None,
                status=_status(info, counts),
                problems=counts,
                workspace=info.workspace_id if info else None,
                location=Location(path=Path(path), span=span),
                definition=Location(path=targets[0].path, span=targets[0].span)
                if targets
                else None,
                variant=targets[0].label
                if targets and targets[0].label.startswith("spec")
                else None,
            )
        )
    for (a, span_a), (b, _) in edges:
        graph.edges.append(DagEdge(a, b, Location(path=Path(path), span=span_a)))
    graph.problems = [
        f"{p.span.start_line + 1}: {p.message}"
        for p in all_problems(db, path)
        if p.rule.startswith("dag-")
    ]
    return graph


def _problems_by_step(db: CatalogIndex) -> dict[str, list[Problem]]:
    def build() -> dict[str, list[Problem]]:
        out: dict[str, list[Problem]] = {}
        for p in all_problems(db):
            if p.step_name:
                out.setdefault(p.step_name, []).append(p)
        return out

    return db.memo.get(("problems_by_step",), build)


def _stem(path: Path) -> str:
    name = path.name
    for suffix in (".dag.json", ".ipynb", ".py", ".json"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def node_at(db: CatalogIndex, path: str, line: int, character: int) -> str | None:
    """The DAG node whose name is written at a position of a DAG file."""
    written, edges = _written(db, path, dag_region(db, path, line))
    for name, span in [*written, *(end for edge in edges for end in edge)]:
        if span.start_line == line and span.start_character <= character <= span.end_character:
            return name
    return None


def _quote(name: str) -> str:
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def to_mermaid(graph: DagGraph) -> str:
    """``flowchart TD`` with one line per node (its job type and status) and per edge."""
    ids = {n.id: f"n{i}" for i, n in enumerate(graph.nodes)}
    lines = ["flowchart TD"]
    for n in graph.nodes:
        label = n.id.replace('"', "#quot;")
        extra = n.status if n.status != "complete" else ""
        lines.append(f'    {ids[n.id]}["{label}{"<br/>" + extra if extra else ""}"]:::{n.status}')
    for e in graph.edges:
        lines.append(f"    {ids[e.source]} --> {ids[e.target]}")
    lines += [
        "    classDef complete fill:#e6f4ea,stroke:#1e8e3e",
        "    classDef incomplete fill:#fef7e0,stroke:#f9ab00",
        "    classDef error fill:#fce8e6,stroke:#d93025",
        "    classDef unknown fill:#f1f3f4,stroke:#5f6368,stroke-dasharray:4",
    ]
    return "\n".join(lines) + "\n"


_DOT_COLOURS = {
    "complete": "#e6f4ea",
    "incomplete": "#fef7e0",
    "error": "#fce8e6",
    "unknown": "#f1f3f4",
}


def to_dot(graph: DagGraph) -> str:
    lines = [f"digraph {_quote(graph.name)} {{", "    rankdir=TB;", "    node [shape=box];"]
    for n in graph.nodes:
        lines.append(
            f"    {_quote(n.id)} [style=filled, fillcolor={_quote(_DOT_COLOURS[n.status])}, "
            f"tooltip={_quote(n.status)}];"
        )
    for e in graph.edges:
        lines.append(f"    {_quote(e.source)} -> {_quote(e.target)};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def to_json_data(
    graph: DagGraph,
    place: Callable[[Location], Any],
    file_entry: tuple[str, str],
    *,
    edge_locations: bool = False,
) -> dict[str, Any]:
    """The graph as JSON-ready data: what ``stepcat dag --format json`` prints and the editor's
    DAG view draws. ``place`` writes a location (None stays None), ``file_entry`` is the
    (key, value) naming the graph's file, and edges carry their location when
    ``edge_locations``."""

    def where(location: Location | None) -> Any:
        return None if location is None else place(location)

    key, value = file_entry
    return {
        key: value,
        "name": graph.name,
        "nodes": [
            {
                "id": n.id,
                "step": n.step,
                "jobType": n.job_type,
                "status": n.status,
                "problems": n.problems,
                "workspace": n.workspace,
                "location": where(n.location),
                "definition": where(n.definition),
                "variant": n.variant,
            }
            for n in graph.nodes
        ],
        "edges": [
            {
                "source": e.source,
                "target": e.target,
                **({"location": where(e.location)} if edge_locations else {}),
            }
            for e in graph.edges
        ],
        "problems": graph.problems,
    }
