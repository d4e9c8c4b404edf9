"""The rule table (``catalog_core.problems.rules``, rendered by ``rule_docs``) for the CLI, the server and library users:
every rule id with its summary, default severity, explanation, fix and documentation link."""

from catalog_core.problems.rule_docs import markdown, rule, selected, text, unknown_patterns
from catalog_core.problems.rules import (
    BY_ID,
    REPOSITORY_URL,
    REPOSITORY_URL_IS_PLACEHOLDER,
    RULES,
    RULES_PAGE_URL,
    Rule,
)

__all__ = [
    "BY_ID",
    "REPOSITORY_URL",
    "REPOSITORY_URL_IS_PLACEHOLDER",
    "RULES",
    "RULES_PAGE_URL",
    "Rule",
    "markdown",
    "rule",
    "selected",
    "text",
    "unknown_patterns",
]
