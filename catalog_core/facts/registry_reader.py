"""Reading registry modules: the ``STEP_NAMES`` dict literal and workspace registries
(``LOCAL_STEPS``, ``STEP_OVERRIDES``, ``WORKSPACE_METADATA``), every entry with its key's span.
In the interface-first layout ``STEP_NAMES`` is computed from the interfaces, and the rows no
interface declares sit in an ``_EXTRAS`` dict literal, read as a section of its own.

Three readers, from fast to tolerant, all static (the module is never imported):

1. a regex reader for the usual shape (string keys, flat dicts of string values, comments);
2. ``ast`` when the literal has any other shape (nested values, braces inside strings...);
3. when the module does not parse (the user is typing), the regex reader again in skipping mode,
   which keeps every well-formed entry, plus a positioned ``syntax-error`` problem.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from catalog_core.base.files import file_problem
from catalog_core.base.text import LineIndex, RawSpan
from catalog_core.facts.registry_scan import (
    ASSIGN,
    GAP,
    METADATA_SECTION,
    PAIR,
    SECTIONS,
    STEP_SECTIONS,
    STR,
    assignments,
    body_pairs,
    plain_strings,
)
from catalog_core.models import Problem, Severity, Span

_ENTRY = re.compile(GAP + STR + rb"\s*:\s*\{([^{}]*)\}\s*,?")
# Its head (up to the body's brace): the body is then found by byte search (``_match_entry``).
_ENTRY_HEAD = re.compile(GAP + STR + rb"\s*:\s*\{")
_ENTRY_TAIL = re.compile(rb"\s*,?")
# The same entry without the leading gap: searched from its quote (the engine's fast scan for
# a quote), not tried at every byte as ``_ENTRY.search`` must (see ``_RegexReader._next``).
# Its body is matched atomically (a lookahead captures the run, the reference takes it): giving
# back bytes of ``[^{}]*`` can never reach a ``}``, so an unclosed body is scanned once.
_ENTRY_AT_QUOTE = re.compile(STR + rb"\s*:\s*\{(?=([^{}]*))\3\}\s*,?")
_SPACE = frozenset(b" \t\n\r\x0b\x0c")
_CLOSE = re.compile(GAP + rb"\}")
_BRACES = re.compile(rb"""\"(?:[^"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*'|\#[^\n]*|[{}]""")


class RegistryEntry:
    """One registry entry. Spans are computed on first use from the file's line index (a
    5,000-entry registry needs none of them to answer most questions)."""

    __slots__ = ("_body", "_key", "_lines", "_values", "fields", "name", "section")

    def __init__(
        self,
        name: str,
        fields: dict[str, Any],
        key: tuple[int, int] | RawSpan,
        values: dict[str, RawSpan] | None,
        section: str,
        lines: LineIndex | None = None,
        body: tuple[int, int] = (0, 0),
    ) -> None:
        self.name = name
        self.fields = fields
        self.section = section
        self._key = key  # (start, end) offsets with ``lines``, else a ready span
        self._values = values  # ready spans, or None: found in ``body`` of ``lines`` on demand
        self._lines = lines
        self._body = body

    @property
    def key_span(self) -> RawSpan:
        if self._lines is None:
            return self._key  # type: ignore[return-value]
        return self._lines.span(self._key[0], self._key[1])

    @property
    def value_spans(self) -> dict[str, RawSpan]:
        if self._values is None:
            self._values = self._locate_values()
        return self._values

    def value_span(self, field_name: str) -> RawSpan | None:
        return self.value_spans.get(field_name)

    def _locate_values(self) -> dict[str, RawSpan]:
        lines = self._lines
        if lines is None:
            return {}
        data: bytes = lines.data  # type: ignore[assignment]
        start, end = self._body
        spans: dict[str, RawSpan] = {}
        for p in PAIR.finditer(data, start, end):
            k, _, _ = _group(p, 1)
            _, vs, ve = _group(p, 3)
            spans[_unquote(k)] = lines.span(vs, ve)
        return spans

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RegistryEntry) and (
            self.name,
            self.fields,
            self.section,
            self.key_span,
            self.value_spans,
        ) == (other.name, other.fields, other.section, other.key_span, other.value_spans)

    def __repr__(self) -> str:
        return f"RegistryEntry({self.section}[{self.name!r}])"


@dataclass(slots=True, eq=False)
class RegistryFacts:
    data: bytes = b""
    sections: dict[str, list[RegistryEntry]] = field(default_factory=dict)
    section_spans: dict[str, RawSpan] = field(default_factory=dict)
    metadata: dict[str, Any] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @property
    def is_registry(self) -> bool:
        return bool(self.section_spans)


def looks_like_registry(data: bytes) -> bool:
    return (
        b"STEP_NAMES" in data
        or b"LOCAL_STEPS" in data
        or b"STEP_OVERRIDES" in data
        or b"_EXTRAS" in data
    ) and (ASSIGN.search(data) is not None)


def _unquote(raw: bytes) -> str:
    text = raw.decode("utf-8", "replace")
    if "\\" not in text:
        return text
    try:
        value = ast.literal_eval('"' + text.replace('"', '\\"') + '"')
        return value if isinstance(value, str) else text
    except (ValueError, SyntaxError):
        return text


EntryParts = tuple[re.Match[bytes], int, int, int]
"""An ``_ENTRY`` match as (a match holding its key in group 1 or 2, body start, body end, end)."""


def _parts(m: re.Match[bytes]) -> EntryParts:
    return m, m.start(3), m.end(3), m.end()


def _match_entry(data: bytes, pos: int) -> EntryParts | None:
    """``_ENTRY.match(data, pos)`` with the body found by byte search (memchr), not by the
    engine's character-class loop. The engine's first way through the head is the head's
    match; when the first brace after it closes the body, that way succeeds and is the answer.
    Otherwise the full pattern decides (it may backtrack into the head)."""
    head = _ENTRY_HEAD.match(data, pos)
    if head is None:
        return None  # every match of _ENTRY starts with a match of its head
    body = head.end()
    close = data.find(b"}", body)
    if close != -1 and data.find(b"{", body, close) == -1:
        tail = _ENTRY_TAIL.match(data, close + 1)
        return head, body, close, tail.end() if tail is not None else close + 1
    m = _ENTRY.match(data, pos)
    return None if m is None else _parts(m)


def _group(m: re.Match[bytes], first: int) -> tuple[bytes, int, int]:
    """The string content captured by a STR at group ``first`` (double or single quoted)."""
    idx = first if m.group(first) is not None else first + 1
    return m.group(idx), m.start(idx), m.end(idx)


class _Strings(dict[bytes, str]):
    """Decoded strings by their bytes: one str per distinct field name and value."""

    def __missing__(self, raw: bytes) -> str:
        text = self[raw] = raw.decode("utf-8", "replace")
        return text


class _RegexReader:
    def __init__(self, data: bytes, lines: LineIndex, *, skipping: bool) -> None:
        self.data = data
        self.lines = lines
        self.skipping = skipping  # tolerant mode: skip what does not match
        # One str per distinct field name and value: thousands of rows repeat the same few
        # names ("config_class") and step types ("Processing").
        self.strings = _Strings()

    def section(self, name: str, start: int) -> list[RegistryEntry] | None:
        """Entries of the dict literal opened at ``start`` (just after '{'); None if the shape is
        not the usual one (only in strict mode)."""
        entries: list[RegistryEntry] = []
        pos = start
        while True:
            parts = _match_entry(self.data, pos)
            if parts is None:
                if _CLOSE.match(self.data, pos) or not self.skipping:
                    break
                m = self._next(pos)
                if m is None or self._next_assign_before(pos, m.start()):
                    break
                parts = _parts(m)
            entry = self._entry(name, parts)
            if entry is not None:
                entries.append(entry)
            elif not self.skipping:
                return None
            pos = parts[3]
        if not self.skipping and _CLOSE.match(self.data, pos) is None:
            return None
        return entries

    def _next(self, pos: int) -> re.Match[bytes] | None:
        """``_ENTRY.search(data, pos)``, linear: a search of ``_ENTRY`` tries its gap at every
        byte and rescans each unclosed entry's body from every blank before it (1 s for a 2 MB
        registry being typed). The first entry opening at a quote (``q``) bounds the answer:
        without a comment between ``pos`` and ``q`` the gap can only be the blanks before
        ``q``; with one, the gap may cross it, and the plain search decides."""
        data = self.data
        at = _ENTRY_AT_QUOTE.search(data, pos)
        if at is None:
            return None  # every match of _ENTRY holds one of _ENTRY_AT_QUOTE
        quote = at.start()
        if data.find(b"#", pos, quote) != -1:
            return _ENTRY.search(data, pos)
        start = quote
        while start > pos and data[start - 1] in _SPACE:
            start -= 1
        return _ENTRY.match(data, start)

    def _next_assign_before(self, pos: int, limit: int) -> bool:
        return ASSIGN.search(self.data, pos, limit) is not None  # bounded: linear overall

    def _entry(self, section: str, parts: EntryParts) -> RegistryEntry | None:
        m, body_start, body_end, _ = parts
        key, ks, ke = _group(m, 1)
        plain = plain_strings(self.data, body_start, body_end)
        if plain is not None:  # the usual body: its strings decoded through the cache, in C
            decoded = self.strings.__getitem__
            keys, values = map(decoded, plain[0]), map(decoded, plain[1])
            return RegistryEntry(
                _unquote(key),
                dict(zip(keys, values, strict=True)),
                (ks, ke),
                None,
                section,
                self.lines,
                (body_start, body_end),
            )
        pairs = body_pairs(self.data, body_start, body_end)
        if pairs is None:
            # Strict: a value that is not a plain string (let ast read it). Skipping: an entry
            # still being typed (the syntax-error problem covers it).
            return None
        fields: dict[str, Any] = {}
        raw_text = b"\\" in self.data[body_start:body_end]
        strings = self.strings
        for kd, ks_, vd, vs_ in pairs:
            k = kd or ks_
            v = vd or vs_
            if raw_text:
                fields[_unquote(k)] = _unquote(v)
            else:
                field, value = strings.get(k), strings.get(v)
                if field is None:
                    field = strings[k] = k.decode("utf-8", "replace")
                if value is None:
                    value = strings[v] = v.decode("utf-8", "replace")
                fields[field] = value
        return RegistryEntry(
            _unquote(key), fields, (ks, ke), None, section, self.lines, (body_start, body_end)
        )


def read_registry(path: str | Path, data: bytes) -> RegistryFacts:
    """Read the registry sections of a module. Never raises."""
    facts = RegistryFacts(data)
    lines = LineIndex(data)
    assigns = assignments(data)
    if not assigns:
        return facts
    strict = _RegexReader(data, lines, skipping=False)
    fast_ok = True
    for m in assigns:
        name = m.group(1).decode("ascii")
        facts.section_spans.setdefault(name, lines.span(m.start(1), m.end(1)))
        if name == METADATA_SECTION:
            facts.metadata = read_metadata(data, m.end() - 1)
            continue
        entries = strict.section(name, m.end())
        if entries is None:
            fast_ok = False
            break
        facts.sections.setdefault(name, []).extend(entries)
    if fast_ok:
        _check_duplicates(path, facts)
        return facts
    try:
        tree = ast.parse(data)
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        _read_tolerantly(path, data, lines, assigns, facts, exc)
    else:
        _read_with_ast(tree, data, lines, facts)
    _check_duplicates(path, facts)
    return facts


def _read_tolerantly(
    path: str | Path,
    data: bytes,
    lines: LineIndex,
    assigns: list[re.Match[bytes]],
    facts: RegistryFacts,
    exc: Exception,
) -> None:
    reader = _RegexReader(data, lines, skipping=True)
    facts.sections.clear()
    for m in assigns:
        name = m.group(1).decode("ascii")
        facts.section_spans.setdefault(name, lines.span(m.start(1), m.end(1)))
        if name in STEP_SECTIONS:
            facts.sections.setdefault(name, []).extend(reader.section(name, m.end()) or [])
        else:
            facts.metadata = read_metadata(data, m.end() - 1)
    line = max(getattr(exc, "lineno", 1) or 1, 1) - 1
    col = max(getattr(exc, "offset", 1) or 1, 1) - 1
    msg = getattr(exc, "msg", None) or str(exc) or type(exc).__name__
    facts.problems.append(
        file_problem(
            path,
            "syntax-error",
            f"registry does not parse: {msg}; well-formed entries are still read",
            Severity.ERROR,
            Span.of((line, col, line, col + 1)),
        )
    )


class _AstSpans:
    """ast columns are UTF-8 byte offsets; convert to code points on non-ASCII lines."""

    def __init__(self, data: bytes) -> None:
        self.lines = data.split(b"\n")

    def col(self, line: int, byte_col: int) -> int:
        text = self.lines[line] if line < len(self.lines) else b""
        prefix = text[:byte_col]
        return byte_col if prefix.isascii() else len(prefix.decode("utf-8", "replace"))

    def of_name(self, stmt: ast.stmt) -> RawSpan:
        """The assigned name of a top-level assignment."""
        line = stmt.lineno - 1
        start = self.col(line, stmt.col_offset)
        target = stmt.targets[0] if isinstance(stmt, ast.Assign) else stmt.target  # type: ignore[attr-defined]
        name = target.id if isinstance(target, ast.Name) else ""
        return line, start, line, start + len(name)

    def of(self, node: ast.expr) -> RawSpan:
        line = node.lineno - 1
        end_line = (node.end_lineno or node.lineno) - 1
        start = self.col(line, node.col_offset)
        end = self.col(end_line, node.end_col_offset or node.col_offset)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and line == end_line:
            return line, start + 1, end_line, max(end - 1, start + 1)  # inside the quotes
        return line, start, end_line, end


def _read_with_ast(tree: ast.Module, data: bytes, lines: LineIndex, facts: RegistryFacts) -> None:
    """The module's top-level sections as Python sees them (the tree is the truth: what the
    patterns found elsewhere, in a function or a template, is dropped)."""
    spans = _AstSpans(data)
    facts.sections.clear()
    facts.section_spans.clear()
    facts.metadata = {}
    for stmt in tree.body:
        target, value = _assignment(stmt)
        if target not in SECTIONS or not isinstance(value, ast.Dict):
            continue
        facts.section_spans.setdefault(target, spans.of_name(stmt))
        if target == METADATA_SECTION:
            facts.metadata = _metadata(_literal(value))
            continue
        entries = facts.sections.setdefault(target, [])
        for key, val in zip(value.keys, value.values, strict=False):
            if not (isinstance(key, ast.Constant) and isinstance(key.value, str)):
                continue
            fields: dict[str, Any] = {}
            value_spans: dict[str, RawSpan] = {}
            if isinstance(val, ast.Dict):
                for fkey, fval in zip(val.keys, val.values, strict=False):
                    if isinstance(fkey, ast.Constant) and isinstance(fkey.value, str):
                        fields[fkey.value] = _literal(fval)
                        value_spans[fkey.value] = spans.of(fval)
            entries.append(RegistryEntry(key.value, fields, spans.of(key), value_spans, target))


def _assignment(stmt: ast.stmt) -> tuple[str | None, ast.expr | None]:
    if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
        target = stmt.targets[0]
        return (target.id if isinstance(target, ast.Name) else None), stmt.value
    if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
        return stmt.target.id, stmt.value
    return None, None


def _literal(node: ast.expr) -> Any:
    try:
        return ast.literal_eval(node)
    except Exception:  # any shape literal_eval refuses ({{...}}, calls, huge numbers...)
        try:
            return ast.unparse(node)
        except Exception:
            return ""


def _metadata(value: Any) -> dict[str, Any]:
    """WORKSPACE_METADATA as a dict with string keys (other keys mean nothing to anyone)."""
    if not isinstance(value, dict):
        return {}
    return {k: v for k, v in value.items() if isinstance(k, str)}


def _check_duplicates(path: str | Path, facts: RegistryFacts) -> None:
    for section, entries in facts.sections.items():
        seen: set[str] = set()
        for entry in entries:
            if entry.name in seen:
                facts.problems.append(
                    file_problem(
                        path,
                        "duplicate-step",
                        f"'{entry.name}' is defined twice in {section}; Python keeps only the "
                        "last one: remove or rename one of them",
                        Severity.ERROR,
                        Span.of(entry.key_span),
                    )
                )
            seen.add(entry.name)


def read_metadata(data: bytes, brace: int) -> dict[str, Any]:
    """WORKSPACE_METADATA from the dict literal opened at offset ``brace`` alone (cheap,
    tolerant: anything that is not a plain literal gives no metadata)."""
    depth = 0
    for tok in _BRACES.finditer(data, brace):
        if tok.group() == b"{":
            depth += 1
        elif tok.group() == b"}":
            depth -= 1
            if depth == 0:
                try:
                    value = ast.literal_eval(data[brace : tok.end()].decode())
                except Exception:  # not a plain literal ({{...}}, names, huge numbers...)
                    return {}
                return _metadata(value)
    return {}
