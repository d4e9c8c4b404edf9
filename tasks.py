"""The project's one task runner: lint, types, tests and benchmarks, the same locally and in CI.

    python tasks.py test        lint + types + the extension (unit tests, .vsix) + every test (CI);
                                then the suite again under each Python in STEPCAT_TEST_PYTHONS
                                ("3.10 3.13": CI's oldest and newest supported), editors excepted
    python tasks.py lint        ruff
    python tasks.py types       mypy
    python tasks.py pytest ...  pytest with extra arguments
    python tasks.py bench       every benchmark (writes benchmarks/results/*.json)
    python tasks.py fuzz [--minutes N] [--seed S]
                                the fuzz campaign for N minutes (default 10); new failures are
                                minimised into tests/fuzz/findings/ (see tests/fuzz/campaign.py)
    python tasks.py fix         ruff --fix and ruff format
    python tasks.py docs        regenerate docs/rules.md from catalog_core/problems/rules.py

No dependencies beyond what ``pip install -e ".[test]"`` installs.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
PY = sys.executable


def run(*cmd: str, cwd: Path = ROOT) -> int:
    print(f"$ {' '.join(cmd)}", flush=True)
    return subprocess.run(cmd, cwd=cwd).returncode


def lint() -> int:
    return run(PY, "-m", "ruff", "check", ".") or run(PY, "-m", "ruff", "format", "--check", ".")


def types() -> int:
    return run(PY, "-m", "mypy")


def pytest(*extra: str) -> int:
    return run(PY, "-m", "pytest", *extra)


def extension_tests() -> int:
    ext = ROOT / "vscode-extension"
    if not (ext / "package.json").exists():
        return 0
    return (
        run("npm", "ci", "--no-audit", "--no-fund", cwd=ext)
        or run("npm", "test", cwd=ext)
        or run("npm", "run", "package", cwd=ext)  # the .vsix users install
    )


def test() -> int:
    for step in (lint, types, extension_tests, pytest, other_pythons):
        code = step()
        if code:
            return code
    return 0


def find_python(version: str) -> str | None:
    """An interpreter for ``version`` ("3.10"): the newest pyenv build of it, else one on PATH
    that really runs (pyenv's shims are on PATH for every version but run only the active ones)."""
    root = os.environ.get("PYENV_ROOT", os.path.expanduser("~/.pyenv"))
    builds = sorted(
        glob.glob(os.path.join(root, "versions", f"{version}.*", "bin", "python")),
        key=lambda p: [int(x) for x in Path(p).parents[1].name.split(".") if x.isdigit()],
    )
    if builds:
        return builds[-1]
    found = shutil.which(f"python{version}")
    if found and subprocess.run([found, "-c", ""], capture_output=True).returncode == 0:
        return found
    return None


def other_pythons() -> int:
    """The suite (editors excepted: they test the editors, not Python) under each Python in
    STEPCAT_TEST_PYTHONS, each in its own virtual environment kept in ~/.cache/stepcat-pythons."""
    for version in os.environ.get("STEPCAT_TEST_PYTHONS", "").split():
        python = find_python(version)
        if python is None:
            print(f"tasks: no Python {version} found (PATH or pyenv)", flush=True)
            return 1
        venv = Path.home() / ".cache" / "stepcat-pythons" / version
        venv_python = str(venv / "bin" / "python")
        code = (
            (0 if os.path.exists(venv_python) else run(python, "-m", "venv", str(venv)))
            or run(venv_python, "-m", "pip", "install", "-q", "-e", ".[test]")
            or run(venv_python, "-m", "pytest", "-q", "-m", "not editor", "-p", "no:cacheprovider")
        )
        if code:
            return code
    return 0


def bench() -> int:
    results = ROOT / "benchmarks" / "results"
    results.mkdir(exist_ok=True)
    for script in sorted((ROOT / "benchmarks").glob("bench_*.py")):
        code = run(
            PY, str(script), "--json", str(results / f"{script.stem}.json"), cwd=script.parent
        )
        if code:
            return code
    return 0


def fuzz(*extra: str) -> int:
    return run(PY, str(ROOT / "tests" / "fuzz" / "campaign.py"), *extra)


def fix() -> int:
    return run(PY, "-m", "ruff", "check", "--fix", ".") or run(PY, "-m", "ruff", "format", ".")


def docs() -> int:
    """docs/rules.md from the rule table (tests/catalog_core/test_rules.py checks it is current)."""
    sys.path.insert(0, str(ROOT))
    from catalog_core.api.rules import markdown

    (ROOT / "docs" / "rules.md").write_text(markdown(), encoding="utf-8")
    print("wrote docs/rules.md", flush=True)
    return 0


TASKS = {
    "test": test,
    "lint": lint,
    "types": types,
    "pytest": pytest,
    "bench": bench,
    "fuzz": fuzz,
    "fix": fix,
    "docs": docs,
}


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in TASKS:
        print(__doc__)
        return 2
    task = TASKS[argv[0]]
    return task(*argv[1:]) if task in (pytest, fuzz) else task()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
