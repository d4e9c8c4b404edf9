"""The editor analysis, case by case from cursor fixtures (tests/fixtures/cursors): what
definition, hover, completion, references and name lookup answer at a position. The language
server's tests check the protocol around the same analysis (tests/server)."""

from __future__ import annotations

import pytest
from cursors import Case, all_cases, case_id, check

CASES = all_cases()


@pytest.mark.parametrize("case", CASES, ids=[case_id(c) for c in CASES])
def test_cursor(case: Case) -> None:
    check(case)
