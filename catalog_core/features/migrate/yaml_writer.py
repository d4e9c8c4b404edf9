"""A small YAML writer for interface files: block style, keys in the order given, comments.

PyYAML's dumper cannot write comments, and the output is for people: block mappings, lists
indented the way the framework's own interfaces are (``- item`` under the key), literal blocks
for multi-line text, plain scalars where they read back as the same string, quotes elsewhere.
A ``Todo`` in place of a value becomes a ``# TODO`` comment line instead of the key. The
result is checked by loading it back (``check``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

import yaml

_PLAIN = re.compile(r"[A-Za-z0-9_./(][^\x00-\x1f\x7f\"#]*")
_INDICATORS = set("-?:,[]{}#&*!|>'\"%@`")


@dataclass(frozen=True, slots=True)
class Todo:
    """A value left for a person: the comment written in its place."""

    message: str


@dataclass(frozen=True, slots=True)
class Comment:
    """A value with a comment at the end of its line (or above a mapping)."""

    value: Any
    comment: str


def scalar(value: Any) -> str:
    """One scalar as YAML text that loads back as the same value."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return json.dumps(value)
    text = str(value)
    if _plain_ok(text):
        return text
    if all(c >= " " or c == "\t" for c in text) and "\t" not in text:
        return "'" + text.replace("'", "''") + "'"
    return json.dumps(text, ensure_ascii=False)


def _plain_ok(text: str) -> bool:
    if not text or text != text.strip() or text[0] in _INDICATORS:
        return False
    if not _PLAIN.fullmatch(text) or ": " in text or text.endswith(":"):
        return False
    try:
        return bool(yaml.safe_load(text) == text)
    except yaml.YAMLError:
        return False


def dump(doc: dict[str, Any], header: list[str] | None = None) -> str:
    out = [f"# {line}" if line else "#" for line in header or []]
    _mapping(doc, 0, out)
    return "\n".join(out) + "\n"


def _mapping(d: dict[str, Any], indent: int, out: list[str]) -> None:
    pad = " " * indent
    for key, value in d.items():
        if isinstance(value, Todo):
            label = "" if key.startswith("\0") else f"{key}: "  # an entry with no name
            out.append(f"{pad}# TODO: {label}{value.message}")
            continue
        comment = ""
        if isinstance(value, Comment):
            comment, value = f"  # {value.comment}", value.value
        k = scalar(key)
        if isinstance(value, dict):
            if not value or all(isinstance(v, Todo) for v in value.values()):
                out.append(f"{pad}{k}: {{}}{comment}")
                _mapping(value, indent + 2, out)
            else:
                out.append(f"{pad}{k}:{comment}")
                _mapping(value, indent + 2, out)
        elif isinstance(value, list):
            if not value or all(isinstance(v, Todo) for v in value):
                out.append(f"{pad}{k}: []{comment}")
            else:
                out.append(f"{pad}{k}:{comment}")
            _sequence(value, indent, out)
        elif isinstance(value, str) and "\n" in value.rstrip("\n"):
            out.append(f"{pad}{k}: {_block_header(value)}{comment}")
            body = value[:-1] if value.endswith("\n") else value
            for line in body.split("\n"):
                out.append(f"{pad}  {line}" if line else "")
        else:
            out.append(f"{pad}{k}: {scalar(value)}{comment}")


def _block_header(text: str) -> str:
    stripped = text.rstrip("\n")
    chomp = "-" if not text.endswith("\n") else "" if text == stripped + "\n" else "+"
    indicator = "2" if text[:1] in (" ", "\n") else ""
    return f"|{indicator}{chomp}"


def _sequence(items: list[Any], indent: int, out: list[str]) -> None:
    pad = " " * indent
    for item in items:
        if isinstance(item, Todo):
            out.append(f"{pad}# TODO: {item.message}")
        elif isinstance(item, dict) and item:
            inner: list[str] = []
            _mapping(item, indent + 2, inner)
            out.append(f"{pad}- {inner[0][indent + 2 :]}")
            out.extend(inner[1:])
        elif isinstance(item, dict | list):
            out.append(f"{pad}- {json.dumps(item)}")
        else:
            out.append(f"{pad}- {scalar(item)}")


def plain(doc: Any) -> Any:
    """The data a YAML loader gives for ``doc`` (``Todo`` entries dropped, comments unwrapped)."""
    if isinstance(doc, Comment):
        return plain(doc.value)
    if isinstance(doc, dict):
        return {k: plain(v) for k, v in doc.items() if not isinstance(v, Todo)}
    if isinstance(doc, list):
        return [plain(v) for v in doc if not isinstance(v, Todo)]
    return doc


def check(text: str, doc: dict[str, Any]) -> bool:
    """Whether ``text`` loads back as ``doc``'s data."""
    try:
        return bool(yaml.safe_load(text) == plain(doc))
    except yaml.YAMLError:
        return False
