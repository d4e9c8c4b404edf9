"""One rule of the rule table (``rules``): its id, default severity, summary, explanation and
fix, and the address of the page that documents it."""

from __future__ import annotations

from dataclasses import dataclass

from catalog_core.models import Severity

# PLACEHOLDER: the project has no public repository yet. This is the one place its address is
# written in code (pyproject's [project.urls] must agree: tests/catalog_core/test_rules.py).
# Replace both when the repository is published, then set REPOSITORY_URL_IS_PLACEHOLDER = False.
REPOSITORY_URL = "https://github.com/stepcat/stepcat"
REPOSITORY_URL_IS_PLACEHOLDER = True
RULES_PAGE_URL = f"{REPOSITORY_URL}/blob/main/docs/rules.md"

E, W, INFO, H = Severity.ERROR, Severity.WARNING, Severity.INFORMATION, Severity.HINT


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity  # the default; `severity` in the settings changes it per root or folder
    summary: str  # one line, what the problem is
    explanation: str  # why it matters and when it is reported
    fix: str = ""  # what to do, with an example where it helps
    group: str = ""  # set from _GROUPS

    @property
    def url(self) -> str:
        return f"{RULES_PAGE_URL}#{self.id}"
