"""The fixture tree of the fields tests (``test_fields_*.py``; catalog_core.fields).

tests/fixtures/fields is a framework-like package with its expected answers in expected.json;
every fixture module writes ``<file>.imported`` if it is ever imported.
"""

from __future__ import annotations

import json
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
FIXTURE = REPO / "tests" / "fixtures" / "fields"
EXPECTED = json.loads((FIXTURE / "expected.json").read_text())
ROOTS = [str(FIXTURE / r) for r in EXPECTED["roots"]]
MODES = ("static", "auto", "jedi")
