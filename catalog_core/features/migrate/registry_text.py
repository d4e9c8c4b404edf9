"""Cutting registry entries out of a registry module's text (a dict literal), leaving every
other byte as it was: from the entry's key through its value's closing bracket and comma."""

from __future__ import annotations

import re

from catalog_core.index.registry_view import Registered


def cut_rows(text: str, regs: list[Registered]) -> str:
    """``text`` without the registry entries of ``regs``: from the key's line through the
    value's closing bracket and its comma (whole lines when the entry has them to itself)."""
    starts = [0]
    for one in text.split("\n"):
        starts.append(starts[-1] + len(one) + 1)
    cuts = []
    for reg in regs:
        line, col = reg.entry.key_span[0], reg.entry.key_span[1]
        key = starts[line] + col
        begin = max(text.rfind('"', starts[line], key), text.rfind("'", starts[line], key))
        end = _value_end(text, text.find(":", key))
        if begin < 0 or end < 0:
            continue
        m = re.compile(r"[ \t]*,?[ \t]*(#[^\n]*)?\n?").match(text, end)
        end = m.end() if m else end
        if not text[starts[line] : begin].strip():
            begin = starts[line]
        cuts.append((begin, end))
    for begin, end in sorted(cuts, reverse=True):
        text = text[:begin] + text[end:]
    return text


def _value_end(text: str, colon: int) -> int:
    """The offset just past the value that follows ``colon`` (brackets matched, strings
    skipped), or -1."""
    if colon < 0:
        return -1
    pos, depth, n = colon + 1, 0, len(text)
    while pos < n:
        ch = text[pos]
        if ch in "\"'":
            close = text.find(ch, pos + 1)
            while close > 0 and text[close - 1] == "\\":
                close = text.find(ch, close + 1)
            if close < 0:
                return -1
            pos = close
        elif ch == "#":
            pos = text.find("\n", pos)
            if pos < 0:
                return -1
            continue
        elif ch in "{[(":
            depth += 1
        elif ch in "}])":
            depth -= 1
            if depth == 0:
                return pos + 1
            if depth < 0:
                return pos
        elif ch in ",\n" and depth == 0 and text[colon + 1 : pos].strip():
            return pos
        pos += 1
    return -1
