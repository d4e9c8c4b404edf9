"""The architecture's invariants, checked on the code itself (ARCHITECTURE.md, Invariants)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORE = REPO / "catalog_core"
SERVER = REPO / "server" / "stepcat_server"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_core_never_imports_lsp() -> None:
    offenders = {
        str(p.relative_to(REPO)): sorted(_imports(p) & {"pygls", "lsprotocol", "stepcat_server"})
        for p in CORE.rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_importing_every_core_module_loads_no_lsp_package() -> None:
    modules = sorted(
        ".".join(p.relative_to(REPO).with_suffix("").parts).removesuffix(".__init__")
        for p in CORE.rglob("*.py")
        if p.name != "__main__.py"
    )
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        "print(sorted(k for k in sys.modules if k.split('.')[0] in ('pygls', 'lsprotocol', 'stepcat_server')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_no_code_execution_primitives() -> None:
    """Indexing reads files; nothing in the core or server may import or run workspace code."""
    banned_calls = {
        "exec",
        "eval",
        "exec_module",
        "spec_from_file_location",
        "run_path",
        "run_module",
        "__import__",
        "import_module",
    }
    allowed = {
        ("catalog_core/__init__.py", "import_module"),  # lazy public names of our own
        ("catalog_core/cli/serve_command.py", "import_module"),
    }  # our own server package
    found = []
    for path in [*CORE.rglob("*.py"), *SERVER.rglob("*.py")]:
        rel = str(path.relative_to(REPO))
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call):
                func = node.func
                name = (
                    func.id
                    if isinstance(func, ast.Name)
                    else func.attr
                    if isinstance(func, ast.Attribute)
                    else ""
                )
                if name in banned_calls and (rel, name) not in allowed:
                    found.append(f"{rel}:{node.lineno} {name}")
    assert found == []


def test_modules_stay_small() -> None:
    big = {
        str(p.relative_to(REPO)): n
        for p in [*CORE.rglob("*.py"), *SERVER.rglob("*.py")]
        if (n := len(p.read_text().splitlines())) > 500
    }
    assert big == {}
