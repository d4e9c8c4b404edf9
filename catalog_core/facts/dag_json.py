"""TEMPORARY shim of the helper's reader (replaced at merge)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from catalog_core.base.text import LineIndex, RawSpan
from catalog_core.models import Problem


@dataclass(slots=True)
class DagJsonFacts:
    name: str | None = None
    flavour: str = "plain"
    nodes: list[tuple[str, RawSpan]] = field(default_factory=list)
    edges: list[tuple[tuple[str, RawSpan], tuple[str, RawSpan]]] = field(default_factory=list)
    metadata_refs: list[tuple[str, str, RawSpan]] = field(default_factory=list)
    node_count: tuple[int, RawSpan] | None = None
    problems: list[Problem] = field(default_factory=list)


def read_dag_json(path: str, data: bytes) -> DagJsonFacts:
    facts = DagJsonFacts()
    try:
        doc = json.loads(data)
    except Exception:
        return facts
    lines = LineIndex(data)
    pos = 0

    def find(name: str) -> RawSpan:
        nonlocal pos
        needle = json.dumps(name).encode()
        at = data.find(needle, pos)
        if at < 0:
            at = data.find(needle)
        pos = at + len(needle)
        return lines.span(at + 1, at + len(needle) - 1)

    dag = doc.get("dag", {}) if isinstance(doc, dict) else {}
    for n in dag.get("nodes", []):
        facts.nodes.append((n, find(n)))
    for a, b in dag.get("edges", []):
        facts.edges.append(((a, find(a)), (b, find(b))))
    meta = doc.get("metadata", {})
    facts.name = meta.get("name")
    return facts
