"""The rule table: every rule id the code emits is documented, the rules page is generated from
the table, ``stepcat rule`` prints it, and the documentation links agree with the project URLs."""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import pytest

from catalog_core.api import rules
from catalog_core.cli import main
from catalog_core.models import ComponentType

REPO = Path(__file__).resolve().parents[2]
CORE = REPO / "catalog_core"
KEBAB = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)+$")
# kebab-case strings in catalog_core that are not rule ids: encodings, folder names, cache keys,
# command names. A new one that is not a rule goes here; a new rule goes in the table.
NOT_RULES = {
    "utf-8",
    "utf-8-sig",
    "site-packages",
    "dist-packages",
    "lib-dynload",
    "conda-meta",
    "include-system-site-packages",
    "search-index",
    "completion-steps",
    "field-resolver",
    "field-sections",
    "import-roots",
    "stepcat-interpreter",
}
NOT_RULES |= {"no-equivalent", "stray-file"}  # stepcat migrate's note kinds (not problems)
CLI_NAMES = {"fix-config-types", "no-syntax", "fail-on", "no-backup", "log-file", "job-type"}
CLI_NAMES |= {"keep-legacy", "dag-flavour"}
# ids announced for the interface-first (2.x) layout, documented before the code emits them
UPCOMING = {
    "yaml-syntax-error",
    "interface-missing-key",
    "interface-invalid-value",
    "interface-unknown-key",
    "interface-port-mismatch",
    "source-with-dependencies",
    "compatible-source-case",
    "step-in-both-layouts",
    "dag-undeclared-node",
    "dag-metadata-drift",
    "dag-variant-fallback",
    "pack-shadows-package",
    "dag-node-without-config",
    "config-entry-without-node",
}


def emitted_rule_ids() -> set[str]:
    """Every kebab-case string literal in catalog_core (outside the CLI and the table itself),
    and the rule ids built by f-strings (``f"missing-{kind.value}"``)."""
    found: set[str] = set()
    for path in CORE.rglob("*.py"):
        rel = path.relative_to(CORE).as_posix()
        if rel.startswith("cli/") or rel in (
            "problems/rules.py",
            "problems/rules_interfaces.py",
            "problems/rule_docs.py",
        ):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if KEBAB.match(node.value):
                    found.add(node.value)
            elif isinstance(node, ast.JoinedStr) and node.values:
                head = node.values[0]
                if (
                    isinstance(head, ast.Constant)
                    and isinstance(head.value, str)
                    and re.fullmatch(r"[a-z]+(-[a-z0-9]+)*-", head.value)
                ):
                    assert head.value == "missing-", f"{rel}: a rule id built as f'{head.value}...'"
                    found.update(f"missing-{kind.value}" for kind in ComponentType)
    return found - NOT_RULES - CLI_NAMES


def test_every_rule_the_code_emits_is_documented() -> None:
    emitted = emitted_rule_ids()
    assert "missing-spec" in emitted and "dag-unknown-step" in emitted  # the scan works
    undocumented = sorted(emitted - set(rules.BY_ID))
    assert undocumented == [], (
        f"add these to catalog_core/problems/rules.py (or, if not rule ids, to NOT_RULES here): "
        f"{undocumented}"
    )


def test_the_table_documents_nothing_the_code_cannot_emit() -> None:
    assert set(rules.BY_ID) - emitted_rule_ids() <= UPCOMING


def test_the_table_is_well_formed() -> None:
    assert len(rules.BY_ID) == len(rules.RULES)
    assert set(rules.BY_ID) >= UPCOMING
    for r in rules.RULES:
        assert KEBAB.match(r.id), r.id
        assert r.summary and "\n" not in r.summary and not r.summary.endswith("."), r.id
        assert r.explanation.endswith((".", ")")), r.id
        assert r.group, r.id
        assert r.url == f"{rules.RULES_PAGE_URL}#{r.id}"


def test_rules_page_is_generated_from_the_table() -> None:
    page = (REPO / "docs" / "rules.md").read_text(encoding="utf-8")
    assert page == rules.markdown(), "docs/rules.md is stale: run `python tasks.py docs`"
    for r in rules.RULES:  # the anchor codeDescription and helpUri point at
        assert f"\n### {r.id}\n" in page


def test_project_urls_agree_with_the_rule_links() -> None:
    if sys.version_info >= (3, 11):
        import tomllib
    else:
        import tomli as tomllib
    meta = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    assert meta["urls"]["Repository"] == rules.REPOSITORY_URL
    assert meta["urls"]["Rules"] == rules.RULES_PAGE_URL


def test_stepcat_rule_prints_one_rule(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rule", "missing-spec"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("missing-spec (warning by default): a registered step has no spec\n")
    assert "Fix: Add a `StepSpecification`" in out
    assert out.rstrip().endswith("docs/rules.md#missing-spec")


def test_stepcat_rule_lists_and_prints_the_page(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rule", "--all"]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in listed] == [r.id for r in rules.RULES]
    assert main(["rule"]) == 0
    assert capsys.readouterr().out.splitlines() == listed
    assert main(["rule", "--markdown"]) == 0
    assert capsys.readouterr().out == rules.markdown()


def test_unknown_rule_is_a_usage_error_with_suggestions(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rule", "dag-unknown"]) == 2
    err = capsys.readouterr().err
    assert "unknown rule 'dag-unknown'; did you mean dag-unknown-step, dag-unknown-job-type?" in err
