"""Bad input never stops indexing: each case becomes a positioned problem, nothing hangs, and
no workspace file is ever imported."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from catalog_core import StepCatalog
from catalog_core.base.files import read_source
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


# With the persisted index on, component files are read with their stamp (fstat); with it
# off, small ones without (base/files._read): both readers meet each bad input.
BOTH_READS = pytest.mark.parametrize("cache", [True, False], ids=["stamped", "unstamped"])


@BOTH_READS
def test_file_over_the_size_limit_is_reported_not_read(workspace_copy, cache: bool) -> None:
    root = workspace_copy("irregular")
    big = root / SPECS / "huge_spec.py"
    big.write_bytes(b"# padding\n" * (1024 * 1024 + 10))  # a little over 10 MB
    catalog = StepCatalog(root, cache=cache)
    assert problems_by_rule(catalog, "file-too-large") == [("huge_spec.py", 0)]
    assert catalog.get_step_info("Package") is not None  # everything else indexed


@BOTH_READS
def test_a_small_limit_refuses_small_files(workspace_copy, cache: bool) -> None:
    """Under the one-read size too: a file over ``max_file_size`` is refused, with its size."""
    root = workspace_copy("irregular")
    (root / "pyproject.toml").write_text("[tool.stepcat]\nmax_file_size = 2000\n")
    (root / SPECS / "wide_spec.py").write_bytes(b"# padding\n" * 300)
    catalog = StepCatalog(root, cache=cache)
    too_large = {p.path.name: p.message for p in catalog.problems() if p.rule == "file-too-large"}
    assert "3,000 bytes, over the 2,000-byte limit" in too_large["wide_spec.py"]
    smaller = [p.name for p in root.rglob("*.py") if p.stat().st_size <= 2000]
    assert smaller and not set(smaller) & set(too_large)


@pytest.mark.parametrize("size", [0, 65_535, 65_536, 65_537, 200_000])
def test_unstamped_reads_return_every_byte(tmp_path: Path, size: int) -> None:
    """Around the one read's size: the whole file, whichever way it is read."""
    path = tmp_path / "f.py"
    data = bytes(b"abcdefghij\n"[i % 11] for i in range(size))
    path.write_bytes(data)
    assert read_source(str(path), 10 * 1024 * 1024, None, stamp=False)[0] == data
    stamped = read_source(str(path), 10 * 1024 * 1024, None, stamp=True)
    assert stamped[0] == data and stamped[2] == path.stat().st_mtime_ns


def test_unstamped_read_of_a_fifo_does_not_block(tmp_path: Path) -> None:
    """A file swapped for a FIFO after the walk: opened and read without blocking."""
    os.mkfifo(tmp_path / "pipe_spec.py")
    data, problem, _, _ = read_source(str(tmp_path / "pipe_spec.py"), 1000, None, stamp=False)
    assert (data, problem) == (b"", None)  # no writer: nothing to read


@BOTH_READS
def test_modified_time_is_the_files_either_way(workspace_copy, cache: bool) -> None:
    root = workspace_copy("irregular")
    catalog = StepCatalog(root, cache=cache)
    info = catalog.get_step_info("XGBoostTraining")
    assert info is not None
    files = [f for f in info.file_components.values() if f is not None]
    assert files
    for meta in files:
        assert meta.modified_time.timestamp() == pytest.approx(meta.path.stat().st_mtime)


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
