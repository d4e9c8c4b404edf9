"""Rendering problems for people (text) and tools (JSON, SARIF 2.1.0)."""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path
from typing import Any

from catalog_core.models import Problem, Severity

_SARIF_LEVEL = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.INFORMATION: "note",
    Severity.HINT: "note",
}


def display_path(path: Path | None, base: Path) -> str:
    if path is None:
        return "<catalog>"
    try:
        return os.path.relpath(path, base)
    except ValueError:  # another drive (Windows)
        return str(path)


def text(problems: list[Problem], base: Path) -> str:
    lines = [
        f"{display_path(p.path, base)}:{p.span.start_line + 1}:{p.span.start_character + 1}: "
        f"{p.severity.value} [{p.rule}] {p.message}"
        for p in problems
    ]
    return "\n".join(lines)


def summary(problems: list[Problem]) -> str:
    counts = Counter(p.severity for p in problems)
    if not problems:
        return "no problems"
    parts = [f"{counts[s]} {s.value}{'s' if counts[s] != 1 else ''}" for s in Severity if counts[s]]
    return f"{len(problems)} problem{'s' if len(problems) != 1 else ''} ({', '.join(parts)})"


def as_json(problems: list[Problem]) -> str:
    return json.dumps([p.model_dump(mode="json") for p in problems], indent=2)


def sarif(problems: list[Problem], base: Path, version: str) -> str:
    rules = sorted({p.rule for p in problems})
    results: list[dict[str, Any]] = []
    for p in problems:
        location: dict[str, Any] = {
            "physicalLocation": {
                "artifactLocation": {
                    "uri": Path(display_path(p.path, base)).as_posix(),
                    "uriBaseId": "ROOT",
                },
                "region": {
                    "startLine": p.span.start_line + 1,
                    "startColumn": p.span.start_character + 1,
                    "endLine": p.span.end_line + 1,
                    "endColumn": p.span.end_character + 1,
                },
            }
        }
        results.append(
            {
                "ruleId": p.rule,
                "ruleIndex": rules.index(p.rule),
                "level": _SARIF_LEVEL[p.severity],
                "message": {"text": p.message},
                "locations": [location],
            }
        )
    doc = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "stepcat",
                        "version": version,
                        "informationUri": "https://github.com/stepcat/stepcat",
                        "rules": [{"id": r, "name": r} for r in rules],
                    }
                },
                "originalUriBaseIds": {"ROOT": {"uri": base.resolve().as_uri() + "/"}},
                "results": results,
            }
        ],
    }
    return json.dumps(doc, indent=2)
