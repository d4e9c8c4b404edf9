"""Diagnostics link their code to the rule's section of the rules page (``codeDescription``)."""

from __future__ import annotations

from pathlib import Path

from stepcat_server import convert

from catalog_core.api import rules
from catalog_core.models import Problem, Severity, Span


def _diagnostic(rule: str):  # type: ignore[no-untyped-def]
    problem = Problem.at(Path("/x/a.py"), rule, Severity.ERROR, "m", Span.of((0, 0, 0, 1)))
    return convert.lsp_diagnostic(problem, "error", lambda path, line: "abc", "utf-16")


def test_every_documented_rule_links_to_its_section() -> None:
    for r in rules.RULES:
        diagnostic = _diagnostic(r.id)
        assert diagnostic.code == r.id
        assert diagnostic.code_description is not None
        assert diagnostic.code_description.href == f"{rules.RULES_PAGE_URL}#{r.id}"


def test_an_undocumented_code_has_no_link() -> None:
    assert _diagnostic("not-a-rule").code_description is None
