"""The rule table rendered (``stepcat rule``, ``docs/rules.md``) and queried (``--select``)."""

from __future__ import annotations

import re
import textwrap

from catalog_core.problems.rules import BY_ID, RULES, Rule


def rule(rule_id: str) -> Rule | None:
    return BY_ID.get(rule_id)


def selected(rule_id: str, patterns: list[str]) -> bool:
    """Whether ``rule_id`` is one of ``patterns``: an exact id or an id prefix (``dag-``,
    ``missing``), like ruff's ``--select``; ``ALL`` matches every rule."""
    return any(p == "ALL" or rule_id.startswith(p) for p in patterns)


def unknown_patterns(patterns: list[str]) -> list[str]:
    """Patterns that match no rule of the table (a typo in ``--select`` / ``--ignore``)."""
    return [p for p in patterns if p != "ALL" and not any(r.startswith(p) for r in BY_ID)]


def text(r: Rule) -> str:
    """One rule's documentation as plain text (``stepcat rule ID``)."""
    parts = [f"{r.id} ({r.severity.value} by default): {r.summary}", r.explanation]
    if r.fix:
        parts.append(f"Fix: {r.fix}")
    wrapped = [textwrap.fill(p, 88, break_on_hyphens=False) for p in parts]
    return "\n\n".join([*wrapped, r.url])


def _slug(heading: str) -> str:
    """GitHub's heading anchor: lowercase, punctuation other than '-' and '_' dropped, spaces
    to '-'."""
    return re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")


def markdown() -> str:
    """``docs/rules.md``: an index table, then a section per rule whose anchor is the rule id."""
    groups: dict[str, list[Rule]] = {}
    for r in RULES:
        groups.setdefault(r.group, []).append(r)
    lines = [
        "# stepcat rules",
        "",
        "<!-- Generated from catalog_core/problems/rules.py by `stepcat rule --markdown`"
        " (python tasks.py docs); do not edit. -->",
        "",
        "Every problem stepcat reports carries one of these rule ids. Change a rule's severity, or "
        "turn it off, with `severity` in `stepcat.toml` / `[tool.stepcat]` (or the editor's "
        "`stepcat.severity` setting); silence it for some paths with `per_file_ignores`, or on one "
        "line with `# stepcat: ignore[rule-id]`. `stepcat check --select` / `--ignore` take ids "
        "or id prefixes (`dag-`).",
        "",
    ]
    lines += [f"- [{group}](#{_slug(group)})" for group in groups]
    lines.append("")
    for group, rules in groups.items():
        lines += [f"## {group}", "", "| rule | default | summary |", "|---|---|---|"]
        lines += [f"| [`{r.id}`](#{r.id}) | {r.severity.value} | {r.summary} |" for r in rules]
        lines.append("")
        for r in rules:
            lines += [f"### {r.id}", "", f"**{r.summary}** (default: {r.severity.value})", ""]
            lines += [r.explanation, ""]
            if r.fix:
                lines += [f"Fix: {r.fix}", ""]
    return "\n".join(lines).rstrip("\n") + "\n"
