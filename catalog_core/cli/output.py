"""Rendering problems for people (text) and for CI tools: JSON, GitHub workflow commands,
GitLab Code Quality, JUnit XML and SARIF 2.1.0. Positions are 1-based everywhere (columns count
code points); paths are relative to the current folder, as in the text output."""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from catalog_core.api import rules
from catalog_core.models import Problem, Severity

FORMATS = ("text", "json", "github", "gitlab", "junit", "sarif")

_SARIF_LEVEL = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.INFORMATION: "note",
    Severity.HINT: "note",
}
_GITHUB_COMMAND = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.INFORMATION: "notice",
    Severity.HINT: "notice",
}
# GitLab's scale is info, minor, major, critical, blocker; an error fails nothing by itself in
# GitLab, so it is "major" (above warnings in the merge request widget), not "blocker".
_GITLAB_SEVERITY = {
    Severity.ERROR: "major",
    Severity.WARNING: "minor",
    Severity.INFORMATION: "info",
    Severity.HINT: "info",
}


def display_path(path: Path | None, base: Path) -> str:
    if path is None:
        return "<catalog>"
    try:
        return os.path.relpath(path, base)
    except ValueError:  # another drive (Windows)
        return str(path)


def _posix(path: Path | None, base: Path) -> str:
    return Path(display_path(path, base)).as_posix()


def _position(p: Problem) -> tuple[int, int, int, int]:
    """(line, column, end line, end column), 1-based; the end column is exclusive."""
    s = p.span
    return s.start_line + 1, s.start_character + 1, s.end_line + 1, s.end_character + 1


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


def as_json(problems: list[Problem], base: Path) -> str:
    """A list of objects: ``path`` (relative to the current folder, as in the text output),
    ``line``, ``column``, ``end_line``, ``end_column`` (1-based; the end column is exclusive),
    ``severity``, ``rule``, ``message``, ``step`` and ``workspace`` (or null), ``url`` (the
    rule's documentation) and ``data`` (facts a fix can use)."""
    rows = []
    for p in problems:
        line, column, end_line, end_column = _position(p)
        doc = rules.rule(p.rule)
        rows.append(
            {
                "path": display_path(p.path, base),
                "line": line,
                "column": column,
                "end_line": end_line,
                "end_column": end_column,
                "severity": p.severity.value,
                "rule": p.rule,
                "message": p.message,
                "step": p.step_name,
                "workspace": p.workspace_id,
                "url": doc.url if doc else None,
                "data": p.data,
            }
        )
    return json.dumps(rows, indent=2)


# -- GitHub Actions workflow commands ------------------------------------------------------------


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def github(problems: list[Problem], base: Path) -> str:
    """``::error file=F,line=L,col=C,endLine=L2,endColumn=C2,title=T::message``, one line per
    problem (``notice`` for information and hints). Columns are sent only for a span on one
    line, as GitHub requires."""
    lines = []
    for p in problems:
        line, column, end_line, end_column = _position(p)
        props: list[tuple[str, str]] = []
        if p.path is not None:
            props += [("file", _posix(p.path, base)), ("line", str(line))]
            if end_line == line:
                props += [("col", str(column))]
            props += [("endLine", str(end_line))]
            if end_line == line:
                props += [("endColumn", str(end_column))]
        props.append(("title", f"stepcat ({p.rule})"))
        rendered = ",".join(f"{k}={_escape_property(v)}" for k, v in props)
        lines.append(f"::{_GITHUB_COMMAND[p.severity]} {rendered}::{_escape_data(p.message)}")
    return "\n".join(lines)


# -- GitLab Code Quality -------------------------------------------------------------------------


def gitlab(problems: list[Problem], base: Path) -> str:
    """A Code Quality report (``artifacts: reports: codequality``): ``description``,
    ``check_name``, ``fingerprint``, ``severity``, ``location.path`` and
    ``location.lines.begin``. The fingerprint hashes rule, path and message (not the line, so a
    problem keeps its identity when lines move above it) and an occurrence count."""
    seen: Counter[tuple[str, str, str]] = Counter()
    issues = []
    for p in problems:
        path = _posix(p.path, base)
        key = (p.rule, path, p.message)
        seen[key] += 1
        digest = hashlib.sha256("\0".join([*key, str(seen[key])]).encode("utf-8", "replace"))
        issues.append(
            {
                "type": "issue",
                "description": p.message,
                "check_name": p.rule,
                "fingerprint": digest.hexdigest(),
                "severity": _GITLAB_SEVERITY[p.severity],
                "location": {"path": path, "lines": {"begin": p.span.start_line + 1}},
            }
        )
    return json.dumps(issues, indent=2)


# -- JUnit XML -----------------------------------------------------------------------------------


def junit(problems: list[Problem], base: Path) -> str:
    """JUnit XML as CI servers read it: one ``testsuite`` per file with problems, one
    ``testcase`` per problem with a ``failure``; with no problems, one passing test case."""
    by_file: dict[str, list[Problem]] = {}
    for p in problems:
        by_file.setdefault(display_path(p.path, base), []).append(p)
    root = ET.Element(
        "testsuites",
        name="stepcat",
        tests=str(max(len(problems), 1)),
        failures=str(len(problems)),
        errors="0",
    )
    if not problems:
        suite = ET.SubElement(
            root, "testsuite", name="stepcat", tests="1", failures="0", errors="0", skipped="0"
        )
        ET.SubElement(suite, "testcase", name="no problems", classname="stepcat")
    for path, found in by_file.items():
        suite = ET.SubElement(
            root,
            "testsuite",
            name=path,
            tests=str(len(found)),
            failures=str(len(found)),
            errors="0",
            skipped="0",
        )
        for p in found:
            line, column, _, _ = _position(p)
            case = ET.SubElement(
                suite,
                "testcase",
                name=f"{p.rule} at {line}:{column}",
                classname=Path(path).as_posix(),
                file=Path(path).as_posix(),
                line=str(line),
            )
            failure = ET.SubElement(case, "failure", message=p.message, type=p.rule)
            failure.text = f"{path}:{line}:{column}: {p.severity.value} [{p.rule}] {p.message}"
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode")


# -- SARIF 2.1.0 ---------------------------------------------------------------------------------


def _sarif_rule(rule_id: str) -> dict[str, Any]:
    doc = rules.rule(rule_id)
    if doc is None:  # emitted but undocumented: a bug the rule-table test catches
        return {"id": rule_id, "shortDescription": {"text": rule_id}}
    entry: dict[str, Any] = {
        "id": doc.id,
        "shortDescription": {"text": doc.summary},
        "fullDescription": {"text": doc.explanation},
        "helpUri": doc.url,
        "defaultConfiguration": {"level": _SARIF_LEVEL[doc.severity]},
    }
    if doc.fix:
        entry["help"] = {"text": doc.fix}
    return entry


def sarif(problems: list[Problem], base: Path, version: str) -> str:
    """SARIF 2.1.0: every documented rule (plus any undocumented one a result uses) with its
    descriptions, help link and default level; results with 1-based regions whose columns
    count code points (``columnKind``)."""
    rule_ids = [r.id for r in rules.RULES]
    rule_ids += sorted({p.rule for p in problems} - set(rule_ids))
    index = {rule_id: i for i, rule_id in enumerate(rule_ids)}
    results: list[dict[str, Any]] = []
    for p in problems:
        line, column, end_line, end_column = _position(p)
        result: dict[str, Any] = {
            "ruleId": p.rule,
            "ruleIndex": index[p.rule],
            "level": _SARIF_LEVEL[p.severity],
            "message": {"text": p.message},
        }
        if p.path is not None:
            result["locations"] = [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": _posix(p.path, base), "uriBaseId": "ROOT"},
                        "region": {
                            "startLine": line,
                            "startColumn": column,
                            "endLine": end_line,
                            "endColumn": end_column,
                        },
                    }
                }
            ]
        results.append(result)
    driver: dict[str, Any] = {"name": "stepcat", "version": version}
    if not rules.REPOSITORY_URL_IS_PLACEHOLDER:
        driver["informationUri"] = rules.REPOSITORY_URL
    driver["rules"] = [_sarif_rule(r) for r in rule_ids]
    doc = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": driver},
                "originalUriBaseIds": {"ROOT": {"uri": base.resolve().as_uri() + "/"}},
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
    return json.dumps(doc, indent=2)
