"""Where step names are used in Python code: string arguments of ``add_node``/``add_edge`` calls
(pipeline DAG definitions). Extracted with a regex, so half-typed modules still yield every
complete call."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .pylex import QuotedRegions
from .text import LineIndex, RawSpan

_DAG_CALL = re.compile(
    rb"""\b(add_node|add_edge)[ \t]*\(\s*((?:[rRuU]?(["'])[^"'\\\n]*\3\s*,?\s*)+)"""
)
_STRING = re.compile(rb"""[rRuU]?(["'])([^"'\\\n]*)\1""")


@dataclass(slots=True, frozen=True)
class Usage:
    """A step or node name written in a file, with the span of the text between the quotes."""

    name: str
    span: RawSpan
    call: str  # "add_node" | "add_edge" | "config_types" | "specific" | ...


def scan_python_usages(data: bytes) -> list[Usage]:
    """Node names in DAG calls of a Python module: real calls only, not those quoted in a
    docstring, a string or a comment (``>>> dag.add_node("x")``). Linear; never raises."""
    if b"add_node" not in data and b"add_edge" not in data:
        return []
    lines = LineIndex(data)
    quoted = QuotedRegions(data)
    found: list[Usage] = []
    for call in _DAG_CALL.finditer(data):
        if quoted.contains(call.start()):
            continue
        kind = call.group(1).decode("ascii")
        args_start = call.start(2)
        for s in _STRING.finditer(call.group(2)):
            start, end = args_start + s.start(2), args_start + s.end(2)
            name = s.group(2).decode("utf-8", "replace")
            found.append(Usage(name, lines.span(start, end), kind))
    return found
