"""Where step names are used in Python code: string arguments of ``add_node``/``add_edge`` calls
(pipeline DAG definitions). Extracted with a regex, so half-typed modules still yield every
complete call."""

from __future__ import annotations

import re
from dataclasses import dataclass

from catalog_core.base.text import LineIndex, RawSpan
from catalog_core.facts.pylex import QuotedRegions

_DAG_CALL = re.compile(
    rb"""\b(add_node|add_edge)[ \t]*\(\s*((?:[rRuU]?(["'])[^"'\\\n]*\3\s*,?\s*)+)"""
)
_DAG_MODULE = re.compile(rb"\bPipelineDAG\b")
_STRING = re.compile(rb"""[rRuU]?(["'])([^"'\\\n]*)\1""")


@dataclass(slots=True, unsafe_hash=True)
class Usage:
    """A step or node name written in a file, with the span of the text between the quotes.
    Treated as immutable (hashable by value) but not frozen: a frozen dataclass's ``__init__``
    costs a call per field, and a one-line DAG module holds 70,000 usages."""

    name: str
    span: RawSpan
    call: str  # "add_node" | "add_edge" | "config_types" | "specific" | ...
    # Whether the name is checked (an unknown one is a problem): the call is made on a DAG
    # (``dag.add_node``) or in a module that builds a ``PipelineDAG``. Other graphs' nodes
    # (networkx's ``G.add_node("a")``) are names of their own, not steps.
    checked: bool = True
    at: int = -1  # where its call starts (the strings of one ``add_edge`` share it)


def scan_python_usages(data: bytes) -> list[Usage]:
    """Node names in DAG calls of a Python module: real calls only, not those quoted in a
    docstring, a string or a comment (``>>> dag.add_node("x")``). Linear; never raises."""
    if b"add_node" not in data and b"add_edge" not in data:
        return []
    lines = LineIndex(data)
    quoted = QuotedRegions(data)
    dag_module = _DAG_MODULE.search(data) is not None
    found: list[Usage] = []
    contains, span, append = quoted.contains, lines.span, found.append
    for call in _DAG_CALL.finditer(data):
        at = call.start()
        if contains(at):
            continue
        checked = dag_module or _on_a_dag(data, at)
        kind = _CALLS[call.group(1)]
        args_start, args_end = call.span(2)
        # The names are matched in place (no copy of the arguments; positions are absolute).
        for s in _STRING.finditer(data, args_start, args_end):
            start, end = s.span(2)
            name = s.group(2).decode("utf-8", "replace")
            append(Usage(name, span(start, end), kind, checked, at))
    return found


_CALLS = {b"add_node": "add_node", b"add_edge": "add_edge"}


def _on_a_dag(data: bytes, call_start: int) -> bool:
    """Whether the call's receiver (``dag`` in ``dag.add_node``) names a DAG: read backwards
    over at most a few dozen bytes."""
    window = max(call_start - 128, 0)
    head = data[window:call_start].rstrip(b" \t")  # in C: the usual receiver is a few bytes back
    if len(head) < 66:
        return _on_a_dag_walk(data, call_start)  # near the start, or long runs of blanks
    if not head.endswith(b"."):
        return False
    head = head[:-1].rstrip(b" \t")
    if len(head) < 65:
        return _on_a_dag_walk(data, call_start)
    end = len(head)
    start = end
    while end - start < 64 and head[start - 1] in _NAME_BYTES:
        start -= 1
    return b"dag" in head[start:end].lower()


def _on_a_dag_walk(data: bytes, call_start: int) -> bool:
    pos = call_start
    while pos > 0 and data[pos - 1] in b" \t":
        pos -= 1
    if pos == 0 or data[pos - 1] != 0x2E:  # "."
        return False
    end = pos - 1
    while end > 0 and data[end - 1] in b" \t":
        end -= 1
    start = end
    while start > 0 and end - start < 64 and data[start - 1] in _NAME_BYTES:
        start -= 1
    return b"dag" in data[start:end].lower()


_NAME_BYTES = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
