"""The fixture catalogs a case starts from, and the input kind of each of their files."""

from __future__ import annotations

import os
import re
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]  # tests/fuzz
REPO = HERE.parents[1]
FIXTURES = {
    "broken": REPO / "tests/fixtures/broken",
    "configs": REPO / "tests/fixtures/configs",
    "irregular": REPO / "tests/fixtures/irregular",
    "multi": REPO / "tests/fixtures/multi",
    "demo": REPO / "examples/demo",
    "v2": REPO / "tests/fixtures/v2",
    "v2_project": REPO / "tests/fixtures/v2_project",
    "mixed": REPO / "tests/fixtures/mixed",
}
COMPONENT_DIRS = ("scripts", "contracts", "specs", "builders", "configs")
KINDS = (
    "component",
    "registry",
    "dag",
    "python",
    "config-json",
    "settings",
    "interface",
    "dag-json",
    "notebook",
    "tree",
)
RUNNING_AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0

# -- the files of a fixture ---------------------------------------------------------------------

_REGISTRY_RE = re.compile(
    rb"^\s*(STEP_NAMES|LOCAL_STEPS|STEP_OVERRIDES|WORKSPACE_METADATA)\b", re.M
)


def classify(rel: str, data: bytes) -> str | None:
    """The input kind of a fixture file, or None for files the catalog does not read."""
    name = rel.rsplit("/", 1)[-1]
    if name in ("pyproject.toml", "stepcat.toml"):
        return "settings"
    if name.endswith(".step.yaml"):
        return "interface"
    if name.endswith(".dag.json"):
        return "dag-json"
    if name.endswith(".ipynb"):
        return "notebook"
    if name.endswith(".json"):
        return "config-json"
    if not name.endswith(".py"):
        return None
    if _REGISTRY_RE.search(data):
        return "registry"
    if b"add_node" in data or b"add_edge" in data:
        return "dag"
    parts = rel.split("/")
    if len(parts) >= 3 and parts[-2] in COMPONENT_DIRS and parts[-3] == "steps":
        return "component"
    return "python"


def fixture_files(fixture: str) -> dict[str, tuple[str, bytes]]:
    """relative path -> (kind, bytes) for every file of a fixture the catalog reads."""
    root = FIXTURES[fixture]
    found: dict[str, tuple[str, bytes]] = {}
    for path in sorted(root.rglob("*")):
        if not path.is_file() or "__pycache__" in path.parts or ".stepcat" in path.parts:
            continue
        rel = path.relative_to(root).as_posix()
        data = path.read_bytes()
        kind = classify(rel, data)
        if kind is not None:
            found[rel] = (kind, data)
    return found


def component_folders(fixture: str) -> list[str]:
    root = FIXTURES[fixture]
    return sorted(
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if p.is_dir() and p.name in COMPONENT_DIRS and p.parent.name == "steps"
    )


def workspace_roots(fixture: str) -> list[str]:
    """Folders where a settings file can go: the root and each developer workspace."""
    root = FIXTURES[fixture]
    found = [""]
    for p in sorted(root.rglob("*")):
        if p.is_dir() and (
            p.parent.name == "projects" or (p.parent == root and p.name in ("alice", "shared"))
        ):
            found.append(p.relative_to(root).as_posix())
    return found
