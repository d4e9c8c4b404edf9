"""Where step names are used in Python code: string arguments of ``add_node``/``add_edge`` calls
(pipeline DAG definitions). Extracted with a regex, so half-typed modules still yield every
complete call."""

from __future__ import annotations

import re
from dataclasses import dataclass

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


_STRING_OR_HASH = re.compile(rb"""\"(?:[^"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*'|#""")


def _commented(data: bytes, start: int) -> bool:
    """Whether a ``#`` outside string literals comes before ``start`` on its line."""
    line_start = data.rfind(b"\n", 0, start) + 1
    prefix = data[line_start:start]
    if b"#" not in prefix:
        return False
    return any(m.group() == b"#" for m in _STRING_OR_HASH.finditer(prefix))


def scan_python_usages(data: bytes) -> list[Usage]:
    """Node names in DAG calls of a Python module. Never raises."""
    if b"add_node" not in data and b"add_edge" not in data:
        return []
    lines = LineIndex(data)
    found: list[Usage] = []
    for call in _DAG_CALL.finditer(data):
        if _commented(data, call.start()):
            continue
        kind = call.group(1).decode("ascii")
        args_start = call.start(2)
        for s in _STRING.finditer(call.group(2)):
            start, end = args_start + s.start(2), args_start + s.end(2)
            name = s.group(2).decode("utf-8", "replace")
            found.append(Usage(name, lines.span(start, end), kind))
    return found
