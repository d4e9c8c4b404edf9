"""What the VS Code extension ships that the Python side defines: the JSON schemas (generated
from catalog_core), the ``$stepcat`` problem matcher (it must read ``stepcat check``'s text
output), and the libraries bundled into the .vsix (they must satisfy the package's dependencies).
The extension's own logic is tested by vitest; the .vsix by tests/e2e/test_vscode.py."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from packaging.requirements import Requirement

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

REPO = Path(__file__).resolve().parents[1]
EXTENSION = REPO / "vscode-extension"
MANIFEST = json.loads((EXTENSION / "package.json").read_text())


def test_schemas_are_generated_from_the_models() -> None:
    proc = subprocess.run(
        [sys.executable, str(EXTENSION / "scripts" / "schemas.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_problem_matcher_reads_every_line_of_stepcat_check() -> None:
    (matcher,) = MANIFEST["contributes"]["problemMatchers"]
    pattern = matcher["pattern"]
    regexp = re.compile(pattern["regexp"])
    root = REPO / "tests" / "fixtures" / "irregular"

    def check(fmt: str) -> str:
        command = [sys.executable, "-m", "catalog_core", "check", str(root), "--format", fmt]
        return subprocess.run(command, capture_output=True, text=True, cwd=REPO).stdout

    lines = [line for line in check("text").splitlines() if line.strip()]
    matched = [m for m in map(regexp.match, lines) if m]
    reported = json.loads(check("json"))
    problems = reported["problems"] if isinstance(reported, dict) else reported
    assert len(problems) >= 5 and len(matched) == len(problems), lines
    for m, p in zip(matched, problems, strict=True):
        assert m.group(pattern["code"]) == p["rule"]
        assert m.group(pattern["severity"]) == p["severity"]
        assert int(m.group(pattern["line"])) == p["line"]
        assert int(m.group(pattern["column"])) == p["column"]
        assert m.group(pattern["message"]) == p["message"]


def test_bundled_libraries_satisfy_the_dependencies() -> None:
    pins: dict[str, str] = {}
    for line in (EXTENSION / "bundled-requirements.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, version = line.split("==")
            pins[name.lower().replace("_", "-")] = version
    dependencies = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["dependencies"]
    for dependency in map(Requirement, dependencies):
        name = dependency.name.lower().replace("_", "-")
        assert name in pins, f"{name} is a dependency but not bundled"
        assert dependency.specifier.contains(pins[name]), (name, pins[name])
