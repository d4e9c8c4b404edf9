"""The index's facts of a ``*.step.yaml``, read from its lines: the fast path of indexing.

Building the catalog needs only a handful of an interface's facts: ``step_type``,
``node_type``, the ``registry:`` block, ``contract.entry_point`` and the ``variants:`` keys,
with their positions. Composing a 3 KB interface with libyaml costs about 0.8 ms; this reader
looks only at the lines at column 0 and at the first level of the sections it needs, and takes
a small fraction of that. It reads the plain shapes people write (block mappings, plain and
simply quoted scalars, folded or literal descriptions) and gives up — returns None — on
anything else where a needed fact is (anchors, aliases, tags, escapes, flow mappings,
multi-line scalars, document markers, tabs in indentation, CR line ends), so the caller reads
the file with ``interface_reader.read_interface``. Where it answers, its answer equals the full
reader's for these facts on every file that parses (a test compares them on the fixtures, the
real tree, the benchmark's catalog and random mutations). Problems and every other fact come
from the full reader, on demand. ``step_type_and_config_class`` reads those two values line by
line, with the same keys and scalars, from a half-typed file (the config class its attribute
completion needs).
"""

from __future__ import annotations

import re

from catalog_core.base.text import RawSpan
from catalog_core.facts.interface_reader import InterfaceFacts
from catalog_core.facts.yaml_nodes import decode

_KEY = re.compile(r"([A-Za-z_][\w.-]*)[ \t]*:(?:[ \t]+|$)")
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_BAD_START = frozenset("&*!%@`|>[{?:,#")
_BLOCK = re.compile(r"([|>])(-?)[ \t]*(?:#.*)?$")
_NEEDED = frozenset({"step_type", "node_type", "registry", "contract", "variants"})
_REGISTRY_FIELDS = ("sagemaker_step_type", "description", "config_class", "builder_step_name")

Child = tuple[str, RawSpan, str, int]  # key, key span, value text, value column


class _GiveUp(Exception):
    """A shape this reader does not read: the caller uses the full reader."""


def quick_interface(data: bytes) -> InterfaceFacts | None:
    """The index's facts of an interface, or None when the file needs the full reader."""
    text = decode(data)
    if "\r" in text or "\t" in text:
        return None  # (a tab anywhere: rare, and in indentation an error only YAML can tell)
    try:
        return _read(text.split("\n"))
    except _GiveUp:
        return None


def step_type_and_config_class(text: str) -> tuple[str | None, str | None]:
    """``step_type`` and the registry block's ``config_class``, each read from its own line
    (with the keys and scalars of ``quick_interface``) whatever the other lines hold: what a
    half-typed file still says, where the full reader stops at an error and ``quick_interface``
    gives up. A column-0 line that is no key (being typed) does not end the registry block.
    None for a value that is missing or no plain one-line scalar."""
    step_type: str | None = None
    config_class: str | None = None
    section: str | None = None
    for line in text.split("\n"):
        line = line.removesuffix("\r")
        if line and line[0] not in " \t#":
            key = _KEY.match(line)
            if key is None:
                continue
            section = key.group(1)
            if section == "step_type" and step_type is None:
                step_type = _plain_scalar(line[key.end() :])
        elif section == "registry" and config_class is None:
            key = _KEY.match(line, len(line) - len(line.lstrip(" \t")))
            if key is not None and key.group(1) == "config_class":
                config_class = _plain_scalar(line[key.end() :])
    return step_type, config_class


def _plain_scalar(value: str) -> str | None:
    try:
        return _scalar(value, 0, 0)[0]
    except _GiveUp:
        return None


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _is_content(line: str) -> bool:
    stripped = line.lstrip(" ")
    return bool(stripped) and stripped[0] != "#"


def _read(lines: list[str]) -> InterfaceFacts:
    facts = InterfaceFacts()
    tops = [i for i, line in enumerate(lines) if line and line[0] not in " #"]
    tops.append(len(lines))
    for n in range(len(tops) - 1):
        i, end = tops[n], tops[n + 1]
        head = lines[i]
        if head.startswith(("---", "...")):
            raise _GiveUp
        key = _KEY.match(head)
        if key is None:
            raise _GiveUp  # a column-0 line that is no key (a flow continuation, a quoted key)
        name = key.group(1)
        if name not in _NEEDED:
            continue
        value = head[key.end() :]
        body = lines[i + 1 : end]
        if name in ("step_type", "node_type"):
            scalar, span = _scalar(value, i, key.end())
            if any(_is_content(line) for line in body) or (name == "step_type" and scalar is None):
                raise _GiveUp
            if name == "step_type":
                facts.step_type, facts.step_type_span = scalar, span
            else:
                facts.node_type = scalar
            continue
        if not value.startswith("#") and value.split(" #", 1)[0].strip() not in ("", "{}"):
            raise _GiveUp  # a flow mapping or a scalar where a mapping is read
        children = _children(body, i + 1)
        if name == "registry":
            _registry(facts, children, body, i + 1, (i, 0, i, len(name)))
        elif name == "contract":
            _contract(facts, children, body, i + 1)
        else:
            facts.variants = {child[0]: child[1] for child in children}
    return facts


def _children(body: list[str], first_line: int) -> list[Child]:
    """The first-level keys of a section (the indentation of its first content line)."""
    indent = -1
    found: list[Child] = []
    for offset, line in enumerate(body):
        if not _is_content(line):
            continue
        own = _indent(line)
        if indent < 0:
            indent = own
        if own != indent or line[own] == "-":
            if own < indent:
                raise _GiveUp  # less indented than its first key: not a plain block mapping
            continue
        m = _KEY.match(line, own)
        if m is None:
            raise _GiveUp  # a quoted or complex key, or a scalar where keys are
        name = m.group(1)
        row = first_line + offset
        found.append((name, (row, own, row, own + len(name)), line[m.end() :], m.end()))
    return found


def _deeper_after(body: list[str], offset: int, indent: int) -> bool:
    """Whether the next content line after ``body[offset]`` is indented more than ``indent``
    (a value given, or continued, on the next lines)."""
    for line in body[offset + 1 :]:
        if _is_content(line):
            return _indent(line) > indent
    return False


def _scalar(value: str, line: int, col: int) -> tuple[str | None, RawSpan | None]:
    """A one-line scalar: its value (None for null) and span (inside quotes)."""
    if not value or value.startswith("#"):
        return None, None
    first = value[0]
    if first in "\"'":
        end = value.find(first, 1)
        while first == "'" and end != -1 and value[end + 1 : end + 2] == "'":
            end = value.find("'", end + 2)
        if end == -1 or (first == '"' and "\\" in value[:end]):
            raise _GiveUp
        after = value[end + 1 :].strip()
        if after and not after.startswith("#"):
            raise _GiveUp
        text = value[1:end].replace("''", "'") if first == "'" else value[1:end]
        return text, (line, col + 1, line, col + end)
    if first in _BAD_START or (first == "-" and value[1:2] in ("", " ")):
        raise _GiveUp
    cut = value.find(" #")
    plain = (value if cut == -1 else value[:cut]).rstrip()
    if ": " in plain or plain.endswith(":"):
        raise _GiveUp
    span = (line, col, line, col + len(plain))
    return (None if plain in _NULLS else plain), span


def _block(body: list[str], offset: int, indent: int, style: str, chomp: str) -> str:
    """A folded (``>``) or literal (``|``) scalar of equally indented, non-blank lines."""
    lines: list[str] = []
    for line in body[offset + 1 :]:
        if not line.strip():
            break
        if _indent(line) <= indent:
            break
        lines.append(line)
    rest = body[offset + 1 + len(lines) :]
    following = next((line for line in rest if line.strip()), None)
    if not lines or (following is not None and _indent(following) > indent):
        raise _GiveUp  # empty, or a blank line inside: folding this reader does not do
    content = _indent(lines[0])
    if any(_indent(line) != content for line in lines):
        raise _GiveUp
    joined = (" " if style == ">" else "\n").join(line[content:] for line in lines)
    return joined if chomp == "-" else joined + "\n"


def _registry(
    facts: InterfaceFacts, children: list[Child], body: list[str], first: int, key_span: RawSpan
) -> None:
    facts.registry_span = key_span
    facts.description, facts.config_class, facts.config_class_span = "", None, None
    facts.builder_step_name, facts.sagemaker_step_type = None, None
    for name, span, value, col in children:
        if name not in _REGISTRY_FIELDS:
            continue
        line, indent = span[0], span[1]
        block = _BLOCK.match(value)
        if block is not None:
            if name != "description":
                raise _GiveUp
            facts.description = _block(body, line - first, indent, block.group(1), block.group(2))
            continue
        if _deeper_after(body, line - first, indent):
            raise _GiveUp  # the value is on, or continues to, the next lines
        scalar, vspan = _scalar(value, line, col)
        if name == "description":
            facts.description = scalar or ""
        elif name == "config_class":
            facts.config_class = scalar
            facts.config_class_span = vspan if scalar is not None else None
        elif name == "builder_step_name":
            facts.builder_step_name = scalar
        else:
            facts.sagemaker_step_type = scalar


def _contract(facts: InterfaceFacts, children: list[Child], body: list[str], first: int) -> None:
    facts.entry_point, facts.entry_point_span, facts.entry_point_declared = None, None, False
    for name, span, value, col in children:
        if name != "entry_point":
            continue
        if _deeper_after(body, span[0] - first, span[1]):
            raise _GiveUp
        facts.entry_point_declared = True
        facts.entry_point, facts.entry_point_span = _scalar(value, span[0], col)
        if facts.entry_point_span is None:
            facts.entry_point_span = (span[0], col, span[0], col)
