"""Editing a registry dict literal in place: take one entry's source text, add or replace one
``STEP_NAMES`` entry, and leave every other byte of the module as it was.

Entries are located by the key positions ``registry_reader`` reports; the end of an entry's value
is found with ``tokenize`` (strings, comments and nested brackets are handled by Python's own
tokenizer). Nothing is imported or executed; every edit is re-read and verified before it is used.
"""

from __future__ import annotations

import ast
import io
import tokenize
import warnings
from dataclasses import dataclass
from typing import Any

from catalog_core.facts.registry_reader import read_registry
from catalog_core.integration.models import IntegrationError

_SKIP = {
    tokenize.NL,
    tokenize.NEWLINE,
    tokenize.COMMENT,
    tokenize.INDENT,
    tokenize.DEDENT,
    tokenize.ENCODING,
}
_OPEN = {"{": "}", "[": "]", "(": ")"}
_DEFAULT_INDENT = "    "


@dataclass(frozen=True, slots=True)
class EntrySource:
    """An entry's text with its continuation lines relative to the key's line (``relative``) or,
    when it holds a multi-line string, exactly as written."""

    text: str
    relative: bool


class _Module:
    """A registry module's bytes, tokens and line offsets."""

    def __init__(self, data: bytes, what: str) -> None:
        self.data = data
        self.what = what
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                ast.parse(data)
            self.tokens = list(tokenize.tokenize(io.BytesIO(data).readline))
        except (SyntaxError, ValueError, tokenize.TokenError) as exc:
            raise IntegrationError(f"{what} does not parse ({exc}); fix it first") from exc
        self.starts = [0]
        for i, byte in enumerate(data):
            if byte == 0x0A:
                self.starts.append(i + 1)
        self.newline = "\r\n" if b"\r\n" in data else "\n"

    def offset(self, row: int, col: int) -> int:
        """Byte offset of a tokenize position (1-based row, column in code points)."""
        start = self.starts[row - 1]
        end = self.starts[row] if row < len(self.starts) else len(self.data)
        line = self.data[start:end].decode("utf-8")
        return start + len(line[:col].encode("utf-8"))

    def indent_of(self, row: int) -> str:
        start = self.starts[row - 1]
        end = self.data.find(b"\n", start)
        line = self.data[start : len(self.data) if end < 0 else end].decode("utf-8")
        return line[: len(line) - len(line.lstrip(" \t"))]

    def next_significant(self, i: int) -> int:
        i += 1
        while i < len(self.tokens) and self.tokens[i].type in _SKIP:
            i += 1
        return i

    def previous_significant(self, i: int) -> int:
        i -= 1
        while i >= 0 and self.tokens[i].type in _SKIP:
            i -= 1
        return i

    def closing(self, i: int) -> int:
        """Index of the bracket closing the one opened at token ``i``."""
        depth = 0
        for j in range(i, len(self.tokens)):
            tok = self.tokens[j]
            if tok.type == tokenize.OP and tok.string in _OPEN:
                depth += 1
            elif tok.type == tokenize.OP and tok.string in _OPEN.values():
                depth -= 1
                if depth == 0:
                    return j
        raise IntegrationError(f"{self.what}: unbalanced brackets")

    def section(self, name: str) -> tuple[int, int]:
        """Token indexes of the braces of the last module-level ``name = {...}``."""
        found: tuple[int, int] | None = None
        for i, tok in enumerate(self.tokens):
            if tok.type != tokenize.NAME or tok.string != name or tok.start[1] != 0:
                continue
            j = i
            while j < len(self.tokens) and not (
                self.tokens[j].type == tokenize.OP and self.tokens[j].string == "="
            ):
                if self.tokens[j].type == tokenize.NEWLINE:
                    break
                j += 1
            if j >= len(self.tokens) or self.tokens[j].string != "=":
                continue
            k = self.next_significant(j)
            if self.tokens[k].type == tokenize.OP and self.tokens[k].string == "{":
                found = (k, self.closing(k))
        if found is None:
            raise IntegrationError(f"{self.what} has no '{name} = {{...}}' dict literal")
        return found

    def entry(self, section: str, name: str) -> tuple[int, int] | None:
        """Token indexes of an entry's key and of its value's closing brace, found from the key
        position registry_reader reports (the last definition wins, as in Python)."""
        facts = read_registry(self.what, self.data)
        spans = [e.key_span for e in facts.sections.get(section, []) if e.name == name]
        if not spans:
            return None
        line, col = spans[-1][0], spans[-1][1]
        for i, tok in enumerate(self.tokens):
            if tok.type != tokenize.STRING or tok.start[0] != line + 1:
                continue
            if tok.start[1] < col <= tok.end[1]:
                colon = self.next_significant(i)
                value = self.next_significant(colon)
                if self.tokens[colon].string != ":" or self.tokens[value].string != "{":
                    raise IntegrationError(
                        f"{self.what}: the value of '{name}' is not a dict literal; edit it by hand"
                    )
                return i, self.closing(value)
        raise IntegrationError(f"{self.what}: could not locate the entry '{name}'")

    def span_bytes(self, first: int, last: int) -> tuple[int, int]:
        return (
            self.offset(*self.tokens[first].start),
            self.offset(*self.tokens[last].end),
        )


def entry_source(data: bytes, section: str, name: str, what: str) -> EntrySource | None:
    """The text of ``"name": {...}`` in ``section`` with '\\n' newlines, or None if absent."""
    module = _Module(data, what)
    found = module.entry(section, name)
    if found is None:
        return None
    start, end = module.span_bytes(*found)
    text = data[start:end].decode("utf-8").replace("\r\n", "\n")
    multiline_string = any(
        t.type == tokenize.STRING and t.start[0] != t.end[0]
        for t in module.tokens[found[0] : found[1] + 1]
    )
    if multiline_string:
        return EntrySource(text, relative=False)
    indent = module.indent_of(module.tokens[found[0]].start[0])
    lines = text.split("\n")
    if not all(line.startswith(indent) or not line.strip() for line in lines[1:]):
        return EntrySource(text, relative=False)
    return EntrySource(
        "\n".join([lines[0], *(line[len(indent) :] for line in lines[1:])]), relative=True
    )


def _render(source: EntrySource, indent: str, newline: str) -> str:
    lines = source.text.split("\n")
    if source.relative:
        lines = [lines[0], *((indent + line) if line.strip() else line for line in lines[1:])]
    return newline.join(lines)


def upsert_step_names_entry(
    data: bytes, name: str, source: EntrySource, fields: dict[str, Any], what: str
) -> bytes:
    """``data`` with ``STEP_NAMES[name]`` replaced by (or extended with) ``source``; only that
    entry's text changes. Verified by re-reading: the entry has ``fields`` and every other entry
    is unchanged."""
    module = _Module(data, what)
    open_i, close_i = module.section("STEP_NAMES")
    existing = module.entry("STEP_NAMES", name)
    if existing is not None:
        start, end = module.span_bytes(*existing)
        indent = module.indent_of(module.tokens[existing[0]].start[0])
        new = data[:start] + _render(source, indent, module.newline).encode() + data[end:]
    else:
        new = _insert(module, open_i, close_i, source)
    _verify(data, new, name, fields, what)
    return new


def _insert(module: _Module, open_i: int, close_i: int, source: EntrySource) -> bytes:
    data, nl = module.data, module.newline
    last = module.previous_significant(close_i)
    close_start = module.offset(*module.tokens[close_i].start)
    if last == open_i:  # an empty dict
        at = module.offset(*module.tokens[open_i].end)
        text = nl + _DEFAULT_INDENT + _render(source, _DEFAULT_INDENT, nl) + ","
        if module.tokens[close_i].start[0] == module.tokens[open_i].start[0]:
            text += nl
        return data[:at] + text.encode() + data[at:]
    first_key_row = module.tokens[module.next_significant(open_i)].start[0]
    same_row = first_key_row == module.tokens[open_i].start[0]
    indent = _DEFAULT_INDENT if same_row else module.indent_of(first_key_row)
    last_end = module.offset(*module.tokens[last].end)
    comma = "" if module.tokens[last].string == "," else ","
    line_end = data.find(b"\n", last_end)
    line_end = len(data) if line_end < 0 else line_end
    if data[line_end - 1 : line_end] == b"\r":
        line_end -= 1
    entry = nl + indent + _render(source, indent, nl) + ","
    if close_start < line_end:  # the closing brace shares the last entry's line
        return data[:last_end] + (comma + entry + nl).encode() + data[last_end:]
    return (
        data[:last_end]
        + comma.encode()
        + data[last_end:line_end]
        + entry.encode()
        + data[line_end:]
    )


def _verify(old: bytes, new: bytes, name: str, fields: dict[str, Any], what: str) -> None:
    before = {e.name: e.fields for e in read_registry(what, old).sections.get("STEP_NAMES", [])}
    after_facts = read_registry(what, new)
    after = {e.name: e.fields for e in after_facts.sections.get("STEP_NAMES", [])}
    expected = {**before, name: fields}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ast.parse(new)
    except (SyntaxError, ValueError) as exc:
        raise IntegrationError(f"editing {what} would break it ({exc}); nothing changed") from exc
    if after != expected or after_facts.problems:
        raise IntegrationError(
            f"the edited {what} did not read back as expected; nothing changed (edit it by hand)"
        )
