"""Bad input never stops indexing: each case becomes a positioned problem, nothing hangs, and
no workspace file is ever imported."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from catalog_core import StepCatalog
from catalog_core.facts.registry_reader import read_registry
from catalog_core.facts.syntax import syntax_problem

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SPECS = "src/pipelines/steps/specs"


def problems_by_rule(catalog: StepCatalog, rule: str) -> list[tuple[str, int]]:
    return [
        (p.path.name if p.path else "", p.span.start_line)
        for p in catalog.problems()
        if p.rule == rule
    ]


def test_file_over_the_size_limit_is_reported_not_read(workspace_copy) -> None:
    root = workspace_copy("irregular")
    big = root / SPECS / "huge_spec.py"
    big.write_bytes(b"# padding\n" * (1024 * 1024 + 10))  # a little over 10 MB
    catalog = StepCatalog(root)
    assert problems_by_rule(catalog, "file-too-large") == [("huge_spec.py", 0)]
    assert catalog.get_step_info("Package") is not None  # everything else indexed


def test_symlink_loop_is_reported_and_does_not_hang(workspace_copy) -> None:
    root = workspace_copy("irregular")
    (root / SPECS / "loop").symlink_to(root / "src")
    (root / "pipelines" / "again").symlink_to(root)
    catalog = StepCatalog(root)
    assert sorted(problems_by_rule(catalog, "symlink-loop")) == [("again", 0), ("loop", 0)]
    assert len(catalog.list_available_steps()) == 14


def test_unreadable_folder_is_reported(workspace_copy, monkeypatch) -> None:
    root = workspace_copy("irregular")
    blocked = root / "src/pipelines/steps/builders"
    if os.geteuid() != 0:
        blocked.chmod(0)
    else:  # root reads everything: make the OS refuse the listing the way it would for a user
        real_scandir = os.scandir

        def scandir(path):  # type: ignore[no-untyped-def]
            if os.fspath(path) == str(blocked):
                raise PermissionError(13, "Permission denied", os.fspath(path))
            return real_scandir(path)

        monkeypatch.setattr(os, "scandir", scandir)
    try:
        catalog = StepCatalog(root)
    finally:
        blocked.chmod(0o755)
    assert problems_by_rule(catalog, "unreadable-folder") == [("builders", 0)]
    info = catalog.get_step_info("XGBoostTraining")
    assert info is not None and info.file_components["builder"] is None
    assert info.file_components["config"] is not None


def test_fifo_named_like_a_module_does_not_block(workspace_copy) -> None:
    root = workspace_copy("irregular")
    os.mkfifo(root / SPECS / "pipe_spec.py")
    os.mkfifo(root / "pipelines" / "pipe_dag.py")
    catalog = StepCatalog(root)  # would block forever if the FIFO were opened for reading
    assert catalog.get_step_info("Dummy") is not None


def test_missing_root_is_a_problem_and_a_clear_cli_error(tmp_path: Path) -> None:
    catalog = StepCatalog([tmp_path / "nope", FIXTURES / "irregular"])
    assert [p.rule for p in catalog.problems() if p.rule == "missing-root"] == ["missing-root"]
    assert catalog.get_step_info("Package") is not None
    out = subprocess.run(
        [sys.executable, "-m", "catalog_core.cli", "check", str(tmp_path / "nope")],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 2
    assert out.stderr.strip() == f"stepcat: error: no such file or folder: {tmp_path / 'nope'}"


def test_odd_files_in_component_folders(workspace_copy) -> None:
    root = workspace_copy("irregular")
    (root / SPECS / "empty_spec.py").write_bytes(b"")
    (root / SPECS / "nul_spec.py").write_bytes(b"\x00" * 64)
    (root / SPECS / "folder_spec.py").mkdir()
    (root / SPECS / "crlf_spec.py").write_bytes(
        b'X = StepSpecification(\r\n    step_type=get_spec_step_type("Dummy"),\r\n)\r\n'
    )
    catalog = StepCatalog(root)
    assert problems_by_rule(catalog, "binary-file") == [("nul_spec.py", 0)]
    dup = [
        p
        for p in catalog.problems()
        if p.rule == "duplicate-component" and p.path.name == "crlf_spec.py"
    ]
    assert [(p.span.start_line, p.span.start_character) for p in dup] == [(0, 0)]


def test_indexing_never_imports_workspace_code(tmp_path: Path) -> None:
    """The broken fixture's modules write a marker file next to themselves when imported."""
    root = tmp_path / "broken"
    import shutil

    shutil.copytree(FIXTURES / "broken", root)
    catalog = StepCatalog(root)
    catalog.problems()
    catalog.check_syntax()
    for name in catalog.list_available_steps():
        catalog.get_step_info(name)
    subprocess.run(
        [sys.executable, "-m", "catalog_core.cli", "check", str(root)],
        capture_output=True,
        check=False,
    )
    assert sorted(p.name for p in root.rglob("*.IMPORTED")) == []
    assert not [m for m in sys.modules if m.split(".")[0] in ("pkg", "pipelines")]


def test_half_typed_registry_keeps_every_complete_entry() -> None:
    facts = read_registry("r.py", (FIXTURES / "broken/src/pkg/registry/step_names.py").read_bytes())
    assert [e.name for e in facts.sections["STEP_NAMES"]] == ["Alpha", "Gamma"]
    assert [(p.rule, p.span.start_line) for p in facts.problems] == [("syntax-error", 11)]


@pytest.mark.parametrize("cut", [0.1, 0.5, 0.9])
def test_truncated_registry_is_read_up_to_the_cut(cut: float) -> None:
    data = (FIXTURES / "irregular/src/pipelines/registry/step_names.py").read_bytes()
    facts = read_registry("r.py", data[: int(len(data) * cut)])
    names = [e.name for e in facts.sections.get("STEP_NAMES", [])]
    complete = data[: int(len(data) * cut)].count(b"\n    },")
    assert len(names) == complete
    assert [p.rule for p in facts.problems] == ["syntax-error"]


@pytest.mark.parametrize(
    ("source", "where"),
    [
        # (line, character) in code points, as editors count: the same for bytes and for text
        ('x = "😀é"; y = )\n', (0, 14)),  # a parser error after non-ASCII text
        ('a = "é" $\n', (0, 8)),  # a tokenizer error after non-ASCII text
        ('x = "é"\nif x\n  pass\n', (1, 4)),
        ("\ufeffx = (\n", (0, 4)),  # a byte order mark is not a column
    ],
)
def test_syntax_error_positions_count_characters(source: str, where: tuple[int, int]) -> None:
    for data in (source, source.encode("utf-8")):
        problem = syntax_problem("m.py", data)
        assert problem is not None
        assert (problem.span.start_line, problem.span.start_character) == where, type(data)
