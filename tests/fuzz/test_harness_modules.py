"""The fuzz harness's own shape: small modules in one import order (no cycles), and the
``repro.py`` a saved finding gets still runs against them (it calls ``campaign.<name>``)."""

from __future__ import annotations

import ast
import asyncio
import os
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import campaign
from campaign import Case, Doc, Failure

HERE = Path(__file__).resolve().parent
# lowest first: a module imports only modules before it (tests/fuzz/README.md)
ORDER = [
    "mutate.fixtures",
    "mutate.generic",
    "mutate.python_files",
    "mutate.json_files",
    "mutate.toml_files",
    "mutate.yaml_files",
    "mutate.file_mutations",
    "mutate.trees",
    "mutate.cases",
    "mutate",
    "lsp_wire",
    "checkout",
    "failures",
    "documents",
    "library_run",
    "bounds",
    "server_run",
    "minimise",
    "report",
    "finding_folders",
    "campaign",
]


def _module_name(path: Path) -> str:
    parts = path.relative_to(HERE).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _harness_imports(path: Path, name: str) -> set[str]:
    """The harness modules ``path`` imports (relative imports resolved in ``mutate``)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    with warnings.catch_warnings():  # mutation data has odd escapes (b"\u2028")
        warnings.simplefilter("ignore")
        tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level:
            found.update(f"{package}.{node.module}" if node.module else [package])
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found & set(ORDER)


def test_harness_modules_are_small_and_import_only_lower_ones() -> None:
    paths = sorted(p for p in HERE.rglob("*.py") if "findings" not in p.parts)
    modules = {_module_name(p): p for p in paths if not p.name.startswith("test_")}
    assert sorted(modules) == sorted(ORDER)
    big = {n: lines for n, p in modules.items() if (lines := len(p.read_text().splitlines())) > 500}
    assert big == {}
    upward = {
        name: sorted(i for i in _harness_imports(path, name) if ORDER.index(i) >= ORDER.index(name))
        for name, path in modules.items()
    }
    assert {n: i for n, i in upward.items() if i} == {}


def _run_repro(folder: Path) -> tuple[int, str]:
    env = {
        **os.environ,
        "TMPDIR": str(folder.parent),  # the tree it builds (left for inspection) goes there
        "PYTHONPATH": os.pathsep.join([str(campaign.REPO), str(campaign.REPO / "server")]),
    }
    done = subprocess.run(
        [sys.executable, str(folder / "repro.py")],
        capture_output=True,
        text=True,
        timeout=180,
        env=env,
    )
    return done.returncode, done.stdout + done.stderr


def test_a_saved_library_repro_runs_against_the_harness(tmp_path: Path) -> None:
    """A library finding's repro.py, in a fresh interpreter, calls campaign.build_tree,
    finding_inputs and _check_problems; on the unmutated demo it does not reproduce (exit 0)."""
    failure = Failure("library", "invariant", "invariant|no-path|test", "detail", "problems")
    folder = campaign.save_finding(failure, Case("demo", 0), [], 0, tmp_path)
    code, out = _run_repro(folder)
    assert folder.name == f"tree-{failure.key}"
    assert (
        "campaign._check_problems(catalog.problems(), 'problems()')"
        in (folder / "repro.py").read_text()
    )
    assert code == 0, out
    assert out.startswith("tree: ") and "BROKEN" not in out, out
    bounds = campaign.bounds_for(campaign.load_case(folder), campaign.load_docs(folder))
    assert list(bounds) == list(campaign.LIB_OPS)


def test_a_saved_slow_finding_measures_its_bound_in_forked_children(tmp_path: Path) -> None:
    """A slow finding's repro.py measures the fixture's baseline in forked children; its own
    hang guard must not block them (faulthandler's watchdog thread, armed before a fork,
    blocked each child's first dump_traceback_later: no op measured, a fallback bound)."""
    failure = Failure("library", "slow", "slow|library+cli|test", "detail", "problems")
    folder = campaign.save_finding(failure, Case("demo", 0), [], 0, tmp_path)
    code, out = _run_repro(folder)
    assert code == 0, out
    assert ", bound " in out and "BROKEN" not in out, out


def test_a_saved_server_finding_replays_its_document_and_request(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """What a server finding's repro.py runs: campaign.build_tree, then replay_server (the
    recorded document, then the failing request); nothing fails on the unchanged demo."""
    rel = "pipeline_configs/config_xgboost_pipeline.json"
    text = (campaign.mutate.FIXTURES["demo"] / rel).read_text()
    doc = Doc(rel, "config-json", "config-json:unchanged", text, text, "memory")
    status = {"command": "stepcat.status", "arguments": []}
    failure = Failure(
        "server",
        "hang",
        "server|hang|document|test",
        "detail",
        "document",
        doc.to_json(),
        {"method": "workspace/executeCommand", "params": status},
    )
    folder = campaign.save_finding(failure, Case("demo", 0), [doc], 0, tmp_path)
    assert "asyncio.run(campaign.replay_server(HERE, root))" in (folder / "repro.py").read_text()
    root = campaign.build_tree(folder)
    try:
        code = asyncio.run(campaign.replay_server(folder, root))
    finally:
        campaign.mutate.remove_tree(root.parent)
    out = capsys.readouterr().out
    assert code == 0, out
    assert out.splitlines() == [
        "indexed; status answered",
        f"document {rel} (config-json:unchanged): answered",
        out.splitlines()[-1],
    ]
    assert out.splitlines()[-1].startswith("workspace/executeCommand: result {"), out
