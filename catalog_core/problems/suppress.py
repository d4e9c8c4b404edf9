"""Where problems are silenced on purpose: ``# stepcat: ignore`` or
``# stepcat: ignore[rule-id, other-rule]`` at the end of the line a problem is on (Python and
YAML files), and ``per_file_ignores`` in a root's settings."""

from __future__ import annotations

import re

from catalog_core.base.text import LineIndex

_MARK = b"stepcat: ignore"
_COMMENT = re.compile(rb"#[ \t]*stepcat:[ \t]*ignore(?:\[([^\]\n]*)\])?")
ALL_RULES = "*"

Suppressions = dict[int, frozenset[str]]  # line -> rule ids silenced there ('*': all)


def inline_suppressions(data: bytes) -> Suppressions:
    """Lines carrying a ``# stepcat: ignore[...]`` comment, and the rules each silences."""
    if _MARK not in data:
        return {}
    found: Suppressions = {}
    lines = LineIndex(data)
    for m in _COMMENT.finditer(data):
        line = lines.position(m.start())[0]
        listed = m.group(1)
        rules = (
            frozenset(r.strip().decode("utf-8", "replace") for r in listed.split(b",") if r.strip())
            if listed is not None
            else frozenset([ALL_RULES])
        )
        found[line] = found.get(line, frozenset()) | rules
    return found


def silenced(suppressions: Suppressions, line: int, rule: str) -> bool:
    rules = suppressions.get(line)
    return rules is not None and (rule in rules or ALL_RULES in rules)
