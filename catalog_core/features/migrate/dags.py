"""A Python DAG module -> ``.dag.json`` (read with ``ast``, never run).

The nodes and edges are the module's ``add_node`` / ``add_edge`` calls whose arguments read
statically (``evaluate.Module``), in the order written; ``PipelineDAG(nodes=..., edges=...)``
too. A ``DAGMetadata(...)`` call gives the metadata it can (name, description, framework,
task type...); counts, entry and exit points are computed from the graph. What JSON cannot
say is noted with its line: calls inside a loop or a conditional, arguments that are not
read statically, several DAGs in one module.
"""

from __future__ import annotations

import ast
import json
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from catalog_core.features.migrate.evaluate import Call, Module

MARK = "migrated_from"


@dataclass(slots=True)
class DagResult:
    name: str
    nodes: list[str] = field(default_factory=list)
    edges: list[list[str]] = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)
    notes: list[tuple[int, str]] = field(default_factory=list)  # (line, message)
    found: bool = False  # the module builds a DAG at all
    description: str = ""  # the module docstring's first paragraph


class _Walker(ast.NodeVisitor):
    def __init__(self, module: Module, result: DagResult) -> None:
        self.module = module
        self.result = result
        self.controls: list[ast.AST] = []
        self.dag_vars: set[str] = set()
        self.nodes: set[str] = set()  # what result.nodes / result.edges hold, to look up
        self.edges: set[tuple[str, str]] = set()

    def _control(self, node: ast.AST) -> None:
        self.controls.append(node)
        self.generic_visit(node)
        self.controls.pop()

    visit_For = visit_While = visit_If = visit_Try = _control
    visit_AsyncFor = visit_ListComp = visit_comprehension = _control

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else ""
        callee = func.id if isinstance(func, ast.Name) else name
        if name in ("add_node", "add_edge"):
            self._add(node, name)
        elif callee == "PipelineDAG" and node.keywords:
            self._constructor(node)
        elif callee == "DAGMetadata":
            value = self.module.value(node)
            if isinstance(value, Call):
                for key, v in value.kwargs.items():
                    if key in ("node_count", "edge_count", "entry_points", "exit_points"):
                        continue  # computed from the graph below
                    if _plain(v):
                        self.result.metadata[key] = v
                    else:
                        self.result.notes.append(
                            (node.lineno, f"metadata '{key}' not read statically: left out")
                        )
        self.generic_visit(node)

    def _where(self) -> str | None:
        if not self.controls:
            return None
        ctl = self.controls[-1]
        kind = {
            ast.For: "a for loop",
            ast.AsyncFor: "a for loop",
            ast.While: "a while loop",
            ast.If: "a conditional",
            ast.Try: "a try block",
        }.get(type(ctl), "a block")
        return f"{kind} (line {getattr(ctl, 'lineno', '?')})"

    def _add(self, node: ast.Call, name: str) -> None:
        self.result.found = True
        args = [self.module.value(a) for a in node.args]
        where = self._where()
        text = self.module.segment(node)
        if where is not None:
            self.result.notes.append(
                (node.lineno, f"`{text}` is inside {where}: JSON cannot say it; left out")
            )
            return
        want = 1 if name == "add_node" else 2
        if len(args) != want or not all(isinstance(a, str) for a in args):
            self.result.notes.append(
                (node.lineno, f"`{text}`: arguments not read statically; left out")
            )
            return
        if name == "add_node":
            self._node(str(args[0]))
        else:
            self._edge(str(args[0]), str(args[1]))

    def _node(self, name: str) -> bool:
        """Add a node once (in the order first written); whether it was new."""
        if name in self.nodes:
            return False
        self.nodes.add(name)
        self.result.nodes.append(name)
        return True

    def _edge(self, a: str, b: str) -> None:
        if (a, b) not in self.edges:
            self.edges.add((a, b))
            self.result.edges.append([a, b])

    def _constructor(self, node: ast.Call) -> None:
        self.result.found = True
        for kw in node.keywords:
            value = self.module.value(kw.value)
            if (
                kw.arg == "nodes"
                and isinstance(value, list)
                and all(isinstance(v, str) for v in value)
            ):
                for v in value:
                    self._node(v)
            elif (
                kw.arg == "edges"
                and isinstance(value, list)
                and all(
                    isinstance(e, list) and len(e) == 2 and all(isinstance(x, str) for x in e)
                    for e in value
                )
            ):
                for a, b in value:
                    self._edge(a, b)
            elif kw.arg in ("nodes", "edges"):
                self.result.notes.append(
                    (node.lineno, f"PipelineDAG({kw.arg}=...) not read statically; left out")
                )


def _plain(value: Any) -> bool:
    if isinstance(value, str | int | float | bool) or value is None:
        return True
    if isinstance(value, list):
        return all(_plain(v) for v in value)
    if isinstance(value, dict):
        return all(_plain(v) for v in value.values())
    return False


def convert_dag(text: str, stem: str, source_name: str) -> DagResult:
    module = Module(text)
    result = DagResult(stem)
    if not module.ok:
        result.notes.append((1, "the module does not parse: not converted"))
        return result
    assert module.tree is not None
    doc = ast.get_docstring(module.tree)
    if doc and doc.strip():
        result.description = doc.strip().split("\n\n")[0].replace("\n", " ")
    walker = _Walker(module, result)
    try:
        walker.visit(module.tree)
    except RecursionError:  # parsed, yet nested deeper than a visitor can follow
        result.notes.append((1, "the module nests too deeply to read: not converted"))
        result.nodes.clear()
        result.edges.clear()
        return result
    builders = [f for f in module.functions.values() if any(_is_add(n) for n in ast.walk(f))]
    if len(builders) > 1:
        result.notes.append(
            (
                builders[1].lineno,
                f"{len(builders)} functions build DAGs; their nodes and edges are merged",
            )
        )
    for a, b in list(result.edges):
        for end in (a, b):
            if walker._node(end):
                result.notes.append((1, f"edge end '{end}' was never added as a node: added"))
    return result


def _is_add(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in ("add_node", "add_edge")
    )


def _statistics(nodes: list[str], edges: list[list[str]]) -> dict[str, Any]:
    """The exporter's ``statistics``: counts, entry/exit and isolated nodes, cycles, depth."""
    succ: dict[str, list[str]] = {n: [] for n in nodes}
    for a, b in edges:
        succ.setdefault(a, []).append(b)
    targets = {b for _, b in edges}
    touched = targets | {a for a, _ in edges}
    depth: dict[str, int] = {}
    state: dict[str, int] = {}  # 1 visiting, 2 done
    cycles = False

    def longest(start: str) -> int:
        """The longest path's edge count from ``start``: a depth-first walk with its own
        stack (a chain of thousands of nodes is no recursion); a back edge is a cycle."""
        nonlocal cycles
        if state.get(start) != 2:
            state[start] = 1
            stack = [(start, iter(succ.get(start, [])))]
            while stack:
                node, children = stack[-1]
                child = next(children, None)
                if child is None:
                    stack.pop()
                    below = [depth.get(m, 0) for m in succ.get(node, [])]
                    depth[node] = 1 + max(below, default=-1)
                    state[node] = 2
                elif state.get(child) == 1:
                    cycles = True
                elif state.get(child) != 2:
                    state[child] = 1
                    stack.append((child, iter(succ.get(child, []))))
        return depth[start]

    deepest = max((longest(n) for n in nodes), default=0)
    return {
        "node_count": len(nodes),
        "edge_count": len(edges),
        "has_cycles": cycles,
        "entry_nodes": [n for n in nodes if n not in targets],
        "exit_nodes": [n for n in nodes if not succ.get(n)],
        "max_depth": None if cycles else deepest,
        "isolated_nodes": [n for n in nodes if n not in touched],
    }


def dag_document(
    result: DagResult, source_name: str, flavour: str = "plain", created_at: str | None = None
) -> str:
    """``{"dag": {...}, "metadata": {...}}``, stable and indented; the exporter's flavour adds
    ``version``, ``created_at`` (kept from the file being replaced) and ``statistics``."""
    targets = {b for _, b in result.edges}
    sources = {a for a, _ in result.edges}
    meta = dict(result.metadata)
    name = meta.pop("name", result.name)
    description = meta.get("description") or result.description or f"From {source_name}"
    metadata: dict[str, Any] = {"name": name, **meta}
    metadata.update(
        {
            "node_count": len(result.nodes),
            "edge_count": len(result.edges),
            "entry_points": [n for n in result.nodes if n not in targets],
            "exit_points": [n for n in result.nodes if n not in sources],
            MARK: source_name,
        }
    )
    # Edges one pair a line, as people write them: the list is put in after the dump, in
    # place of a placeholder no value can hold (one pass, whatever the number of edges).
    placeholder = f"<edges {uuid.uuid4().hex}>"
    doc: dict[str, Any] = {
        "dag": {"description": description, "nodes": result.nodes, "edges": placeholder},
        "metadata": metadata,
    }
    if flavour == "exporter":
        stamp = created_at or datetime.now(timezone.utc).isoformat()
        doc = {"version": "1.0", "created_at": stamp, **doc}
        doc["statistics"] = _statistics(result.nodes, result.edges)
    text = json.dumps(doc, indent=2, ensure_ascii=False)
    pairs = ",\n".join(f"      {json.dumps(edge, ensure_ascii=False)}" for edge in result.edges)
    edges = f"[\n{pairs}\n    ]" if pairs else "[]"
    return text.replace(json.dumps(placeholder), edges, 1) + "\n"
