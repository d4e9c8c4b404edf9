"""Which step, node or class name sits at a position of a document (Python, registry or config
JSON), with the span of the whole string it is written in. Editor-neutral: positions are
0-based lines and code-point columns; the text is the editor's (unsaved) content."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from catalog_core.base.text import RawSpan, to_bytes
from catalog_core.facts.usages import Usage, scan_python_usages
from catalog_core.features.configs import config_document
from catalog_core.features.file_names_at import dag_json_name_at, interface_name_at
from catalog_core.features.steps import known_job_types, split_node_name
from catalog_core.sources.discovery import DAG_SUFFIX, INTERFACE_SUFFIX

if TYPE_CHECKING:
    from catalog_core.index.catalog_index import CatalogIndex

NameKind = Literal[
    "node",
    "config_class",
    "builder_class",
    "registry_key",
    "config_key",
    "entry_point",
    "interface_key",  # a key of a *.step.yaml: ``name`` is its dotted schema path
]

# A string literal on one line (prefixes allowed), or a comment that ends the line's code.
_TOKENS = re.compile(
    r"""(?P<s>(?:[rRuUbBfF]{1,2})?(?P<q>"(?:[^"\\]|\\.)*"?|'(?:[^'\\]|\\.)*'?))|(?P<c>\#.*)"""
)


@dataclass(frozen=True, slots=True)
class NameAt:
    name: str
    kind: NameKind
    span: RawSpan  # the whole string, quotes included
    in_dag_call: bool = False


@dataclass(frozen=True, slots=True)
class StringToken:
    text: str  # the content between the quotes (escapes not decoded)
    span: RawSpan  # quotes included
    closed: bool


def line_of(text: str, line: int) -> str:
    start = 0
    for _ in range(line):
        nxt = text.find("\n", start)
        if nxt == -1:
            return ""
        start = nxt + 1
    end = text.find("\n", start)
    return text[start : end if end != -1 else len(text)].rstrip("\r")


def string_at(line_text: str, line: int, character: int) -> StringToken | None:
    """The one-line string literal under the cursor (the cursor may sit on a quote)."""
    for m in _TOKENS.finditer(line_text):
        if m.group("c") is not None:
            return None  # the rest of the line is a comment
        start, end = m.start("q"), m.end("q")
        if start <= character <= end:
            raw = m.group("q")
            quote = raw[0]
            closed = len(raw) >= 2 and raw.endswith(quote) and not raw.endswith("\\" + quote)
            inner = raw[1:-1] if closed else raw[1:]
            return StringToken(inner, (line, start, line, end), closed)
        if start > character:
            return None
    return None


def _registry_name_at(db: CatalogIndex, path: str, line: int, character: int) -> NameAt | None:
    facts = db.registry_facts.get(path)
    if facts is None:
        return None
    for entries in facts.sections.values():
        for entry in entries:
            key = entry.key_span
            if key[0] == line and key[1] - 1 <= character <= key[3] + 1:
                return NameAt(entry.name, "registry_key", (line, key[1] - 1, line, key[3] + 1))
            for field, kind in (
                ("config_class", "config_class"),
                ("builder_step_name", "builder_class"),
            ):
                value = entry.value_span(field)
                if (
                    value is not None
                    and value[0] == line
                    and value[1] - 1 <= character <= value[3] + 1
                ):
                    name = str(entry.fields.get(field, ""))
                    return NameAt(name, kind, (line, value[1] - 1, line, value[3] + 1))  # type: ignore[arg-type]
    return None


def python_name_at(
    db: CatalogIndex, path: str, lines: Sequence[str], line: int, character: int
) -> NameAt | None:
    """A step, node or class name written as a string in Python code, or a registry entry."""
    found = _registry_name_at(db, path, line, character)
    if found is not None:
        return found
    if line >= len(lines):
        return None
    token = string_at(lines[line].rstrip("\r\n"), line, character)
    if token is None or not token.text or not token.text.replace("_", "").isalnum():
        return None
    name = token.text
    in_dag = any(
        u.span[0] == line and u.span[1] == token.span[1] + 1
        for u in dag_usages(lines, near_line=line)
    )
    if in_dag or is_known_node(db, name, strict=True):
        return NameAt(name, "node", token.span, in_dag)
    for kind, registry in (
        ("config_class", db.view.steps_by_config_class),
        ("builder_class", db.view.steps_by_builder),
    ):
        if registry(None, name):
            return NameAt(name, kind, token.span)  # type: ignore[arg-type]
    return None


def dag_usages(lines: Sequence[str], near_line: int) -> list[Usage]:
    """``add_node``/``add_edge`` string arguments in a window of lines around one line (DAG
    calls span a few lines at most, which keeps a 5 MB document cheap)."""
    first = max(near_line - 12, 0)
    window = "\n".join(x.rstrip("\r\n") for x in lines[first : near_line + 12])
    found = scan_python_usages(to_bytes(window))
    return [
        Usage(
            u.name, (u.span[0] + first, u.span[1], u.span[2] + first, u.span[3]), u.call, u.checked
        )
        for u in found
    ]


def is_known_node(
    db: CatalogIndex, name: str, *, strict: bool, workspace_id: str | None = None
) -> bool:
    """A registered step name, or ``<step>_<job type>``. ``strict``: the job type must be known
    (for strings outside DAG calls, which must not be mistaken for step names lightly)."""
    view = db.view
    if view.is_registered(name, workspace_id):
        return True
    split = split_node_name(db, name, workspace_id)
    if split is None or split[1] is None or not view.is_registered(split[0], workspace_id):
        return False
    return not strict or (split[1].split("_")[0]).lower() in known_job_types(db)


def json_name_at(
    db: CatalogIndex, path: str, text: str, line: int, character: int
) -> NameAt | None:
    """A config_types key or value, or a configuration.specific key, under the cursor."""
    doc = config_document(db, path)
    if doc is None or doc.text != text:
        from catalog_core.facts.config_document import read_config

        doc = read_config(text)
    if doc.config_types_member is None:
        return None
    offset = doc.lines.offset(line, character)
    for node, keys_only in ((doc.config_types, False), (doc.specific, True)):
        for member in node.members if node else ():
            if member.key_start <= offset <= member.key_end:
                return NameAt(member.key, "config_key", doc.key_span(member))
            if (
                not keys_only
                and isinstance(member.value, str)
                and member.value_start <= offset <= member.value_end
            ):
                return NameAt(member.value, "config_class", doc.value_span(member))
    return None


def name_at(
    db: CatalogIndex,
    path: str,
    text: str,
    line: int,
    character: int,
    lines: Sequence[str] | None = None,
) -> NameAt | None:
    """The name under the cursor in any document the catalog understands, else None. ``lines``
    (the editor's split of ``text``) saves splitting a big document again."""
    if path.endswith(DAG_SUFFIX):
        found = dag_json_name_at(db, path, line, character)
        return NameAt(found[0], "node", found[1], in_dag_call=True) if found else None
    if path.endswith(INTERFACE_SUFFIX):
        split = lines if lines is not None else text.split("\n")
        word = interface_name_at(split, line, character)
        if word is not None:
            return NameAt(word[0], word[1], word[2])  # type: ignore[arg-type]
        from catalog_core.features.interface_help import key_help

        key = key_help(text, line, character)
        return NameAt(key[0], "interface_key", key[2]) if key else None
    if path.endswith(".json"):
        return json_name_at(db, path, text, line, character)
    if path.endswith((".py", ".pyi")):
        split = lines if lines is not None else text.split("\n")
        return python_name_at(db, path, split, line, character)
    return None
