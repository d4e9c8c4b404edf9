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


def test_user_sources_are_parsed_without_their_file_name() -> None:
    """To word some syntax errors CPython reads the line back from the file a source is named
    after: a FIFO there blocks forever (a fuzz finding: the server hung), an open document's
    file is stale. So ``ast.parse`` and ``compile`` never get a file name in the core or the
    server."""
    found = []
    for path in [*CORE.rglob("*.py"), *SERVER.rglob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "attr", getattr(node.func, "id", ""))
                keyword = any(k.arg == "filename" for k in node.keywords)
                positional = name == "parse" and len(node.args) > 1  # ast.parse(source, name)
                if name in ("parse", "compile") and (keyword or positional):
                    found.append(f"{path.relative_to(REPO)}:{node.lineno}")
    assert found == []


def test_modules_stay_small() -> None:
    big = {
        str(p.relative_to(REPO)): n
        for p in [*CORE.rglob("*.py"), *SERVER.rglob("*.py")]
        if (n := len(p.read_text().splitlines())) > 500
    }
    assert big == {}


# -- layers and the API boundary --------------------------------------------------------------

# catalog_core's folders, lowest first; a module may import its own layer and the ones below.
LAYERS = [
    {"models", "base"},
    {"facts", "sources", "fields"},
    {"index"},
    {"problems"},
    {"features"},
    {"api"},
    {"registry", "integration", "cli", "step_names", "registry_manager", "__init__", "__main__"},
]
# What code outside the core's analysis (the server, the CLI, the importable registry, the
# integration manager) may import from catalog_core: the facade and plain data, and utilities.
BOUNDARY = {"catalog_core", "catalog_core.models", "catalog_core.api"}
BOUNDARY_PREFIXES = ("catalog_core.models.", "catalog_core.api.", "catalog_core.base.")
BOUNDARY_EXCEPTIONS = {  # integration edits registry modules in place: it reads them as text
    ("catalog_core/integration", "catalog_core.facts.registry_reader"),
    ("catalog_core/integration", "catalog_core.facts.syntax"),
}


def _absolute_imports(path: Path) -> set[str]:
    """Every catalog_core module a file imports (relative imports resolved), TYPE_CHECKING
    blocks and function-level imports included."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("catalog_core"))
        elif (
            isinstance(node, ast.ImportFrom)
            and node.module
            and node.level == 0
            and node.module.startswith("catalog_core")
        ):
            found.add(node.module)
            found.update(f"{node.module}.{a.name}" for a in node.names)
    return found


def _layer_of(module: str) -> int | None:
    parts = module.split(".")
    if parts[0] != "catalog_core" or len(parts) < 2:
        return None
    for level, names in enumerate(LAYERS):
        if parts[1] in names:
            return level
    return None


def test_lower_layers_never_import_higher_ones() -> None:
    offenders = []
    for path in CORE.rglob("*.py"):
        rel = path.relative_to(REPO).with_suffix("")
        own = _layer_of(".".join(rel.parts))
        assert own is not None, f"{rel} is in no layer: add its folder to LAYERS"
        for module in _absolute_imports(path):
            level = _layer_of(module)
            if level is not None and level > own:
                offenders.append(f"{rel} (layer {own}) imports {module} (layer {level})")
    assert offenders == []


def test_outside_the_analysis_only_the_facade_is_used() -> None:
    clients = [
        *SERVER.rglob("*.py"),
        *(CORE / "cli").rglob("*.py"),
        *(CORE / "registry").rglob("*.py"),
        *(CORE / "integration").rglob("*.py"),
        CORE / "step_names.py",
        CORE / "registry_manager.py",
    ]
    offenders = []
    for path in clients:
        folder = str(path.relative_to(REPO).parent)
        for module in _absolute_imports(path):
            allowed = module in BOUNDARY or module.startswith(BOUNDARY_PREFIXES)
            own_layer = module.startswith(folder.replace("/", ".") + ".")
            excepted = any(
                folder == where and (module == what or module.startswith(what + "."))
                for where, what in BOUNDARY_EXCEPTIONS
            )
            if allowed or own_layer or excepted:
                continue
            layer = _layer_of(module)
            if layer is None or layer >= 6:
                continue  # public names of the package; the clients' own public modules
            offenders.append(f"{path.relative_to(REPO)} imports {module}")
    assert offenders == []
