"""README's Quick start is what CI runs, and its demo output is what the demo prints."""

from __future__ import annotations

import doctest
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def quick_start_commands() -> list[str]:
    readme = (REPO / "README.md").read_text()
    section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block is not None
    return [line for line in block.group(1).splitlines() if line.strip()]


def test_quick_start_has_exactly_two_commands() -> None:
    commands = quick_start_commands()
    assert len(commands) == 2
    assert "stepcat check examples/demo" in commands[0]
    assert "tasks.py test" in commands[1]


def test_ci_runs_the_readme_test_command_verbatim() -> None:
    run = (REPO / ".ci" / "run").read_text().splitlines()
    assert quick_start_commands()[1] in run


def test_readme_shows_what_the_demo_check_prints() -> None:
    readme = (REPO / "README.md").read_text()
    shown = readme.split("What `stepcat check examples/demo` prints", 1)[1]
    shown = re.search(r"```text\n(.*?)```", shown, re.S).group(1).strip()  # type: ignore[union-attr]
    out = subprocess.run(
        [sys.executable, "-m", "catalog_core", "check", "examples/demo"],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0
    assert (out.stdout + out.stderr).strip() == shown


def test_readme_library_examples_run_as_shown(isolated_library, monkeypatch) -> None:
    from catalog_core.registry_manager import registry_manager

    readme = (REPO / "README.md").read_text()
    section = readme.split("## Use it as a library", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```pycon\n(.*?)```", section, re.S)
    assert len(blocks) >= 4
    monkeypatch.chdir(REPO)  # the examples configure the relative root examples/demo
    test = doctest.DocTestParser().get_doctest("\n".join(blocks), {}, "README", "README.md", 0)
    try:
        result = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS).run(test)
    finally:
        registry_manager.clear_all_contexts()
    assert result.failed == 0 and result.attempted > 10
