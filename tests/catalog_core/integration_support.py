"""Helpers of the integration tests: fixture copies, scenarios as data, whole-tree snapshots."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from catalog_core.integration import WorkspaceIntegrationManager

TESTS = Path(__file__).resolve().parents[1]
REPO = TESTS.parent
FIXTURES = TESTS / "fixtures"
DEMO = REPO / "examples" / "demo"

Tree = dict[str, bytes | None]
TREE_CHANGING = ("mkdir", "write", "delete", "rmdir")


@dataclass(frozen=True)
class Scenario:
    """A step promoted from a developer workspace of a fixture (roots relative to the copy)."""

    name: str
    fixture: str  # "multi", or "demo" for examples/demo
    roots: tuple[str, ...]
    step: str
    workspace: str
    script_in_subfolder: bool = False  # moves the script below scripts/<step>/ (a new folder)

    def copy(self, tmp_path: Path) -> Path:
        base = tmp_path / self.name
        source = DEMO if self.fixture == "demo" else FIXTURES / self.fixture
        shutil.copytree(source, base, symlinks=True)
        if self.script_in_subfolder:
            _move_script_to_subfolder(base)
        return base

    def root_paths(self, base: Path) -> list[Path]:
        return [base / r for r in self.roots]

    def manager(self, base: Path, **options: object) -> WorkspaceIntegrationManager:
        return WorkspaceIntegrationManager(self.root_paths(base), **options)

    def staged(self, base: Path, **options: object) -> WorkspaceIntegrationManager:
        """A manager on ``base`` with the step staged and validated (ready to promote)."""
        manager = self.manager(base, **options)
        assert manager.stage_for_integration(self.step, self.workspace)["success"]
        validation = manager.validate_integration_readiness([f"{self.workspace}:{self.step}"])
        assert validation["overall_ready"], validation["integration_issues"]
        return manager


NEW_STEP = Scenario("new_step", "multi", ("shared", "alice"), "FeatureSelection", "alice")
OVERRIDE = Scenario("override", "multi", ("shared", "alice"), "XGBoostTraining", "alice")
NEW_FOLDER = Scenario("new_folder", "multi", ("shared", "alice"), "FeatureSelection", "alice", True)
DEMO_NEW = Scenario("demo_new", "demo", (".",), "FeatureSelection", "alice")
DEMO_OVERRIDE = Scenario("demo_override", "demo", (".",), "TabularPreprocessing", "alice")
SCENARIOS = [NEW_STEP, OVERRIDE, NEW_FOLDER, DEMO_NEW, DEMO_OVERRIDE]
BOB = Scenario("bob", "demo", (".",), "LightGBMMTTraining", "bob")  # lacks a contract


def _move_script_to_subfolder(base: Path) -> None:
    steps = base / "alice" / "src" / "cursus_dev" / "steps"
    (steps / "scripts" / "feature_selection").mkdir()
    os.rename(
        steps / "scripts" / "feature_selection.py",
        steps / "scripts" / "feature_selection" / "run.py",
    )
    contract = steps / "contracts" / "feature_selection_contract.py"
    contract.write_text(
        contract.read_text().replace('"feature_selection.py"', '"feature_selection/run.py"')
    )


def tree(base: Path) -> Tree:
    """Every file (path -> bytes) and folder (path/ -> None) of the copy, symlinks not followed,
    the state folder ``.stepcat`` aside: what the safety tests compare byte for byte."""
    found: Tree = {}
    for folder, dirs, files in os.walk(base):
        rel_folder = Path(folder).relative_to(base)
        dirs[:] = [d for d in dirs if d != ".stepcat"]
        found.update({f"{(rel_folder / d).as_posix()}/": None for d in dirs})
        for name in files:
            path = Path(folder) / name
            rel = (rel_folder / name).as_posix()
            found[rel] = (
                f"-> {os.readlink(path)}".encode() if path.is_symlink() else path.read_bytes()
            )
    return found


def diff(before: Tree, after: Tree) -> list[str]:
    """Paths that differ, for readable assertion messages."""
    return sorted(p for p in before.keys() | after.keys() if before.get(p) != after.get(p))


def expected_after(points: list[str], index: int, completes_on_recovery: bool) -> bool:
    """Whether stopping at ``points[index]`` must end in the new tree: after the commit always;
    after the last change of the tree too when recovery (not an in-process undo) finishes it."""
    if points[index] == "journal:committed":
        return True
    last = max(i for i, p in enumerate(points) if p.split(":")[0] in TREE_CHANGING)
    return completes_on_recovery and index >= last
