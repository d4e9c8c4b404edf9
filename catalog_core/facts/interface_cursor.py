"""What is under an editor's cursor in an interface file.

``key_at`` reads lines and indentation only, so it answers on half-typed YAML that does not
parse (completion happens exactly there). ``node_at`` looks the cursor up in the facts the
reader found (step name, ports, entry point ...), for hover, definition and references.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from catalog_core.base.text import RawSpan

if TYPE_CHECKING:
    from catalog_core.facts.interface_reader import InterfaceFacts

_LEAD = re.compile(r"[ \t]*((?:-[ \t]+)*)")
_KEY = re.compile(r"""(?:"([^"]*)"|'([^']*)'|([^\s#'"{}\[\],:][^#:{}\[\],]*?))[ \t]*:(?:[ \t]|$)""")
_MAX_UP = 20_000  # lines read upwards for the enclosing keys


def _lead(line: str) -> int:
    m = _LEAD.match(line)
    return m.end() if m else 0


def _line_key(line: str) -> str | None:
    """The block key a line starts with (after indentation and ``- `` markers), if any."""
    m = _KEY.match(line, _lead(line))
    if m is None:
        return None
    return next(g for g in m.groups() if g is not None).strip()


def _flow(rest: str) -> tuple[list[str], str, str, str | None]:
    """Scan the cursor's line after its lead: (flow keys opened, kind, typed, own key)."""
    stack: list[str | None] = []
    kinds: list[str] = []  # "{" or "[" per open bracket
    key: str | None = None
    in_value = False
    start = 0
    quote = ""
    for i, ch in enumerate(rest):
        if quote:
            if ch == quote:
                quote = ""
            continue
        if ch in "\"'" and not rest[start:i].strip():
            quote = ch
        elif ch == "#" and (i == 0 or rest[i - 1] in " \t"):
            return [k for k in stack if k], "comment", "", None
        elif ch == ":" and (i + 1 == len(rest) or rest[i + 1] in " \t{["):
            key = rest[start:i].strip().strip("\"'")
            in_value, start = True, i + 1
        elif ch == "{":
            stack.append(key if in_value and (not kinds or kinds[-1] == "{") else None)
            kinds.append("{")
            key, in_value, start = None, False, i + 1
        elif ch == "[":
            stack.append(key if in_value and (not kinds or kinds[-1] == "{") else None)
            kinds.append("[")
            key, in_value, start = None, True, i + 1
        elif ch == "," and kinds:
            in_value, start = kinds[-1] == "[", i + 1
            if kinds[-1] == "{":
                key = None
        elif ch in "}]" and kinds:
            kinds.pop()
            stack.pop()
            key, in_value, start = None, True, i + 1
    typed = rest[start:].lstrip().lstrip("\"'")
    inside_list = bool(kinds) and kinds[-1] == "["
    keys = [k for k in stack if k]
    if in_value and not inside_list:
        return keys, "value", typed, key
    return keys, ("value" if inside_list else "key"), typed, None


def key_at(data: bytes | str, line: int, character: int) -> tuple[tuple[str, ...], str, str]:
    """For a cursor (0-based line, code-point column): the schema path, the kind and the typed
    prefix. On a key the path is the enclosing mapping's (``keys_at(path)`` completes it); on a
    value it ends with the value's key (``values_at(path)`` completes it). Kind is ``"key"``,
    ``"value"`` or ``"comment"``. Real names stand at wildcard levels (``DATA``, ``training``);
    items of sequences are transparent. Never raises."""
    text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
    lines = text.split("\n")
    if not 0 <= line < len(lines):
        return (), "key", ""
    current = lines[line].rstrip("\r")
    prefix = current[: max(character, 0)]
    indent = _lead(prefix)
    keys, kind, typed, own = _flow(prefix[indent:])
    dashed = "-" in prefix[:indent]
    if kind == "key" and dashed and not keys and _line_key(current) is None and ":" not in typed:
        kind = "value"  # ``- item`` of a block sequence: a value of the enclosing key
    path: list[str] = []
    target = indent
    for j in range(line - 1, max(line - _MAX_UP, -1), -1):
        if target == 0:
            break
        above = lines[j].rstrip("\r")
        if not above.strip() or above.lstrip().startswith("#"):
            continue
        col = _lead(above)
        if col >= target:
            continue
        name = _line_key(above)
        if name is None:
            continue
        path.insert(0, name)
        target = col
    path.extend(keys)
    if own is not None:
        path.append(own)
    return tuple(path), kind, typed


@dataclass(slots=True, frozen=True)
class InterfaceNode:
    """A name the reader found at the cursor: ``kind`` is one of ``step_type``,
    ``config_class``, ``entry_point``, ``compatible_source``, ``contract_input``, ``contract_output``, ``dependency``,
    ``spec_output``, ``variant`` or ``config_attribute``."""

    kind: str
    name: str
    span: RawSpan


def _inside(span: RawSpan, line: int, character: int) -> bool:
    return (span[0], span[1]) <= (line, character) <= (span[2], span[3])


def node_at(facts: InterfaceFacts, line: int, character: int) -> InterfaceNode | None:
    """The step name, port, variant, entry point or config attribute whose span holds the
    cursor (end inclusive, so a cursor just after a name still finds it), from the facts of
    ``read_interface``. Linear in the facts."""
    singles: list[tuple[str, str | None, RawSpan | None]] = [
        ("step_type", facts.step_type, facts.step_type_span),
        ("config_class", facts.config_class, facts.config_class_span),
        ("entry_point", facts.entry_point, facts.entry_point_span),
    ]
    for kind, name, span in singles:
        if name is not None and span is not None and _inside(span, line, character):
            return InterfaceNode(kind, name, span)
    tables: list[tuple[str, dict[str, RawSpan]]] = [
        ("contract_input", facts.contract_inputs),
        ("contract_output", facts.contract_outputs),
        ("dependency", facts.dependencies),
        ("spec_output", facts.spec_outputs),
        ("variant", facts.variants),
    ]
    for kind, table in tables:
        for name, span in table.items():
            if _inside(span, line, character):
                return InterfaceNode(kind, name, span)
    lists = [("compatible_source", facts.compatible_sources)]
    lists.append(("config_attribute", facts.config_attributes))
    for kind, pairs in lists:
        for name, span in pairs:
            if _inside(span, line, character):
                return InterfaceNode(kind, name, span)
    return None
