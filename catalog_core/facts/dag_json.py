"""Facts and single-file problems of a shared DAG file (``*.dag.json``), and the DAG catalog
(``catalog_index.json``).

Both flavours are read: plain ``{"dag": {nodes, edges}, "metadata": {...}}`` and the
exporter's, which adds top-level ``version``, ``created_at`` and ``statistics``. Objects are
read by ``jsonpos`` (member offsets, C scanner for values); the node names inside the arrays are
then found by one pass of the string scanner over each array's text, so every name has its
span. Truncated or invalid JSON keeps what was read before the error, including the names of
an array cut in the middle. Linear; never raises.

Single-file rules: ``json-syntax-error``, ``dag-undeclared-node`` (an edge end not in
``dag.nodes``) and ``dag-metadata-drift`` (``metadata`` counts and node lists that disagree
with ``dag``). Whether the names are steps (``dag-unknown-step``) is a cross-file question.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from json.decoder import JSONDecodeError
from typing import Any, Literal

from catalog_core.base.text import LineIndex, RawSpan
from catalog_core.facts.jsonpos import Member, ObjectNode, read_json, scanstring
from catalog_core.models import Problem, Severity, Span

_DESCEND: set[tuple[str, ...]] = {("dag",), ("metadata",), ("statistics",)}
_TOKEN = re.compile(r'["\[\]]')
_REF_FIELDS = ("entry_points", "exit_points", "sink_nodes")
_EXPORTER_KEYS = ("version", "created_at", "statistics")

Named = tuple[str, RawSpan]


@dataclass(slots=True)
class DagJsonFacts:
    """What one DAG file declares, each name with the span of its text between the quotes."""

    name: str | None = None
    flavour: Literal["plain", "exporter"] = "plain"
    nodes: list[Named] = field(default_factory=list)
    edges: list[tuple[Named, Named]] = field(default_factory=list)
    metadata_refs: list[tuple[str, str, RawSpan]] = field(default_factory=list)
    node_count: tuple[int, RawSpan] | None = None
    problems: list[Problem] = field(default_factory=list)


def _strings(text: str, start: int, end: int) -> list[tuple[str, int, int, int]]:
    """The strings of an array's text: (value, start, end, depth), depth 1 for the array's own
    items. Stops at the first string that does not scan (a truncated file)."""
    found: list[tuple[str, int, int, int]] = []
    depth = 0
    pos = start
    while True:
        m = _TOKEN.search(text, pos, end)
        if m is None:
            return found
        ch = m.group(0)
        if ch == "[":
            depth += 1
            pos = m.end()
        elif ch == "]":
            depth -= 1
            pos = m.end()
            if depth <= 0:
                return found
        else:
            try:
                value, after = scanstring(text, m.end())
            except (JSONDecodeError, ValueError):
                return found
            found.append((value, m.end(), after - 1, depth))
            pos = after


def _region(member: Member, text: str, stop: int) -> tuple[int, int]:
    end = member.value_end if member.value_end >= 0 else stop
    return member.value_start, max(end, member.value_start)


class _Reader:
    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.text = text
        self.lines = LineIndex(text)
        self.facts = DagJsonFacts()
        self.stop = len(text)

    def span(self, start: int, end: int) -> RawSpan:
        return self.lines.span(start, end)

    def problem(self, rule: str, severity: Severity, message: str, span: RawSpan) -> None:
        self.facts.problems.append(Problem.at(self.path, rule, severity, message, Span.of(span)))

    def read(self) -> DagJsonFacts:
        result = read_json(self.text, _DESCEND)
        if result.error is not None:
            offset, message = result.error
            self.stop = min(offset, len(self.text))
            line, col = self.lines.position(self.stop)
            self.problem(
                "json-syntax-error",
                Severity.ERROR,
                f"invalid JSON: {message}; what was read before this point is still used",
                (line, col, line, col + 1),
            )
        root = result.root
        if root is None:
            return self.facts
        if any(root.get(k) is not None for k in _EXPORTER_KEYS):
            self.facts.flavour = "exporter"
        dag = _object(root.get("dag"))
        metadata = _object(root.get("metadata"))
        complete = self._dag(dag)
        self._metadata(metadata, complete)
        return self.facts

    def _dag(self, dag: ObjectNode | None) -> bool:
        """Nodes and edges; whether ``dag.nodes`` was read whole (the checks need it)."""
        nodes = dag.get("nodes") if dag is not None else None
        edges = dag.get("edges") if dag is not None else None
        if nodes is not None and self.text.startswith("[", nodes.value_start):
            start, end = _region(nodes, self.text, self.stop)
            self.facts.nodes = [
                (v, self.span(s, e)) for v, s, e, d in _strings(self.text, start, end) if d == 1
            ]
        if edges is not None and self.text.startswith("[", edges.value_start):
            self._edges(edges)
        complete = nodes is not None and nodes.value_end >= 0 and isinstance(nodes.value, list)
        if complete:
            declared = {name for name, _ in self.facts.nodes}
            for pair in self.facts.edges:
                for name, span in pair:
                    if name not in declared:
                        self.problem(
                            "dag-undeclared-node",
                            Severity.ERROR,
                            f"edge names '{name}', which is not in dag.nodes",
                            span,
                        )
        return complete

    def _edges(self, edges: Member) -> None:
        start, end = _region(edges, self.text, self.stop)
        group: list[Named] = []
        depth = 0
        pos = start
        while True:
            m = _TOKEN.search(self.text, pos, end)
            if m is None:
                break
            ch, pos = m.group(0), m.end()
            if ch == "[":
                depth += 1
                group = [] if depth == 2 else group
            elif ch == "]":
                if depth == 2 and len(group) >= 2:
                    self.facts.edges.append((group[0], group[1]))
                depth -= 1
                if depth <= 0:
                    break
            else:
                try:
                    value, after = scanstring(self.text, m.end())
                except (JSONDecodeError, ValueError):
                    break
                if depth == 2:
                    group.append((value, self.span(m.end(), after - 1)))
                pos = after

    def _metadata(self, metadata: ObjectNode | None, complete: bool) -> None:
        if metadata is None:
            return
        f = self.facts
        name = metadata.get("name")
        if name is not None and isinstance(name.value, str):
            f.name = name.value
        count = metadata.get("node_count")
        if count is not None and type(count.value) is int and count.value_end >= 0:
            f.node_count = (count.value, self.span(count.value_start, count.value_end))
        for ref in _REF_FIELDS:
            member = metadata.get(ref)
            if member is None or not self.text.startswith("[", member.value_start):
                continue
            start, end = _region(member, self.text, self.stop)
            for v, s, e, d in _strings(self.text, start, end):
                if d == 1:
                    f.metadata_refs.append((ref, v, self.span(s, e)))
        if not complete:
            return
        if f.node_count is not None and f.node_count[0] != len(f.nodes):
            self._drift(
                f"metadata.node_count is {f.node_count[0]} but dag.nodes has {len(f.nodes)} nodes",
                f.node_count[1],
            )
        edge_count = metadata.get("edge_count")
        edges_read = self.stop == len(self.text)
        counted = edge_count is not None and type(edge_count.value) is int and edges_read
        if edge_count is not None and counted and edge_count.value != len(f.edges):
            self._drift(
                f"metadata.edge_count is {edge_count.value} but dag.edges has {len(f.edges)} edges",
                self.span(edge_count.value_start, edge_count.value_end),
            )
        declared = {n for n, _ in f.nodes}
        for ref, v, span in f.metadata_refs:
            if v not in declared:
                self._drift(f"metadata.{ref} names '{v}', which is not in dag.nodes", span)

    def _drift(self, message: str, span: RawSpan) -> None:
        self.problem("dag-metadata-drift", Severity.HINT, message, span)


def _object(member: Member | None) -> ObjectNode | None:
    return member.children if member is not None else None


def read_dag_json(path: str, data: bytes) -> DagJsonFacts:
    """Read one ``*.dag.json``: names with spans plus single-file problems. Never raises."""
    text = data.decode("utf-8", "replace")
    if text.startswith("\ufeff"):
        text = " " + text[1:]
    try:
        return _Reader(path, text).read()
    except RecursionError:  # absurd nesting in a descended object
        facts = DagJsonFacts()
        facts.problems.append(
            Problem.at(path, "json-syntax-error", Severity.ERROR, "invalid JSON: nesting too deep")
        )
        return facts


def read_catalog_index(data: bytes) -> dict[str, str]:
    """``catalog_index.json``: DAG name (``metadata.name``, listed as ``id``) -> its file as
    listed (relative to the index's folder). Entries without both are left out; never raises."""
    try:
        doc: Any = json.loads(data.decode("utf-8", "replace"))
    except (ValueError, RecursionError):
        return {}
    dags = doc.get("dags") if isinstance(doc, dict) else None
    items: list[tuple[Any, Any]] = []
    if isinstance(dags, list):
        items = [
            (d.get("id", d.get("name")), d.get("path", d.get("file")))
            for d in dags
            if isinstance(d, dict)
        ]
    elif isinstance(dags, dict):
        items = [
            (k, v.get("path", v.get("file")) if isinstance(v, dict) else v) for k, v in dags.items()
        ]
    return {k: v for k, v in items if isinstance(k, str) and isinstance(v, str)}
