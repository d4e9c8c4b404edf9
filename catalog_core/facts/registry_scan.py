"""Byte-level scanning of registry modules for ``registry_reader``: where the section
assignments are (not inside a string), and an entry body's ``key: value`` pairs, each with a
fast path checked against the long way (``tests/catalog_core/test_index_speed.py``)."""

from __future__ import annotations

import re
from itertools import repeat

from catalog_core.facts.pylex import QuotedRegions

EXTRAS_SECTION = "_EXTRAS"  # interface-first registries: the rows no interface declares
STEP_SECTIONS = ("STEP_NAMES", "LOCAL_STEPS", "STEP_OVERRIDES", EXTRAS_SECTION)
METADATA_SECTION = "WORKSPACE_METADATA"
SECTIONS = (*STEP_SECTIONS, METADATA_SECTION)

ASSIGN = re.compile(
    rb"^(STEP_NAMES|LOCAL_STEPS|STEP_OVERRIDES|WORKSPACE_METADATA|_EXTRAS)"
    rb"[ \t]*(?::[^=\n]*)?=[ \t]*\{",
    re.M,
)

# Unrolled loops ("normal* (special normal*)*"): one character class per run, not an
# alternation per character.
GAP = rb"\s*(?:\#[^\n]*\s*)*"
STR = rb"""(?:"([^"\\\n]*(?:\\.[^"\\\n]*)*)"|'([^'\\\n]*(?:\\.[^'\\\n]*)*)')"""
PAIR = re.compile(GAP + STR + rb"\s*:\s*" + STR + rb"\s*,?")
_BODY = re.compile(rb"(?:" + GAP + STR + rb"\s*:\s*" + STR + rb"\s*,?)*" + GAP)
_TRAILING = re.compile(GAP)


def body_pairs(data: bytes, start: int, end: int) -> list[tuple[bytes, ...]] | None:
    """An entry body's ``key: value`` pairs (``PAIR.findall``), or None when the body is not
    only such pairs (``_BODY.fullmatch`` fails). Without a comment the pairs are matched one
    after the other, a single pass: a gap is then blanks alone, so the body splits one way
    only and the pairs found are those ``findall`` finds. A comment can hide or hold pairs
    (the engine may end it early): the two full regexes decide."""
    if data.find(b"#", start, end) != -1:
        if _BODY.fullmatch(data, start, end) is None:
            return None
        return PAIR.findall(data, start, end)
    plain = plain_strings(data, start, end)
    if plain is not None:
        keys, values = plain
        return list(zip(keys, repeat(b""), values, repeat(b""), strict=False))
    pairs = []
    match = PAIR.match
    pos = start
    while (m := match(data, pos, end)) is not None:
        pairs.append(m.groups(b""))  # as findall gives them
        pos = m.end()
    return pairs if _TRAILING.fullmatch(data, pos, end) is not None else None


def plain_strings(data: bytes, start: int, end: int) -> tuple[list[bytes], list[bytes]] | None:
    """The keys and values of a body of double-quoted strings alone (no comment, single quote or
    backslash), split at its quotes in C, when it is only pairs: between the strings nothing
    but the blanks, ``:`` and ``,`` a pair allows, and no line break inside a string. Then
    they are the pairs ``body_pairs`` finds; None: another shape (the regexes decide)."""
    find = data.find
    if find(b"#", start, end) != -1 or find(b"'", start, end) != -1:
        return None
    body = data[start:end]
    if b"\\" in body:
        return None
    parts = body.split(b'"')
    if len(parts) % 4 != 1 or parts[0].strip():
        return None
    if not _COLON.issuperset(map(bytes.strip, parts[2::4])):
        return None
    if not _COMMA.issuperset(map(bytes.strip, parts[4::4])):
        return None
    keys, values = parts[1::4], parts[3::4]
    if b"\n" in b"".join(keys) or b"\n" in b"".join(values):
        return None
    return keys, values


_COLON = frozenset((b":",))  # between a key and its value, once stripped
_COMMA = frozenset((b"", b","))  # after a value


def assign_matches(data: bytes) -> list[re.Match[bytes]]:
    """``list(ASSIGN.finditer(data))``, tried only where a section name opens a line (found
    by fast substring search): the pattern starts with ``^``, so the engine would try it at
    every byte of a 2 MB registry. Its matches never span a line, so they cannot overlap."""
    starts = set()
    for name in _SECTION_NAMES:
        pos = data.find(name)
        while pos != -1:
            if pos == 0 or data[pos - 1] == _NEWLINE:
                starts.add(pos)
            pos = data.find(name, pos + 1)
    match = ASSIGN.match
    return [m for pos in sorted(starts) if (m := match(data, pos)) is not None]


_SECTION_NAMES = tuple(name.encode() for name in SECTIONS)
_NEWLINE = ord("\n")


def assignments(data: bytes) -> list[re.Match[bytes]]:
    """The registry sections' assignments, not those inside a string (a code template)."""
    assigns = assign_matches(data)
    if not assigns:
        return assigns
    # The text up to the last assignment is lexed (not the rest of a 2 MB registry): when no
    # string or comment reaches that cut, every region before it is the region the whole
    # file has there. One that reaches it may end otherwise in the whole file (a
    # triple-quoted string is undone by a backslash at the very end): lex it all.
    cut = assigns[-1].start() + 1
    quoted = QuotedRegions(data[:cut])
    if cut < len(data) and quoted.last_end() >= cut:
        quoted = QuotedRegions(data)
    return [m for m in assigns if not quoted.contains(m.start())]
