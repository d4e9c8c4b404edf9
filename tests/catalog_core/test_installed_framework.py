"""The framework installed in the project's environment (issue 13): found statically, indexed
as a read-only source below the workspaces, and config fields answered from it.

The environments are built by ``tests/envbuild.py`` (a wheel installed into a real venv, an
editable install); the expected answers are data (``tests/fixtures/installed/expected.json``).
Nothing may import the framework (its modules write marker files) or start a process.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import envbuild

from catalog_core.api import StepCatalog, find_framework
from catalog_core.cli import main

pytestmark = pytest.mark.skipif(os.name == "nt", reason="builds POSIX venvs")
EXPECTED = json.loads((envbuild.FIXTURE / "expected.json").read_text())
CONFIG = "pipeline_config/config.json"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[envbuild.Built]:
    built = envbuild.build(tmp_path_factory.mktemp("installed"))
    yield built
    assert envbuild.imported_markers(built.venv, built.checkout) == []


def catalog_for(built: envbuild.Built, python: str | None, *roots: Path) -> StepCatalog:
    framework = find_framework(built.project, python=python, env={})
    return StepCatalog(list(roots) or [built.project], framework=framework)


def rows(catalog: StepCatalog, base: Path) -> list[list[object]]:
    return [
        [p.rule, str(Path(p.path).relative_to(base)), p.span.start_line, p.span.start_character]
        for p in catalog.problems()
        if p.path is not None
    ]


@pytest.mark.parametrize("how", ["interpreter", "environment folder", "project .venv"])
def test_the_wheel_installed_framework_is_found(
    built: envbuild.Built, how: str, no_processes: None, tmp_path: Path
) -> None:
    project, python = built.project, None
    if how == "interpreter":
        python = str(built.venv / "bin" / "python")
    elif how == "environment folder":
        python = str(built.venv)
    else:  # a project of its own with the environment in .venv
        project = tmp_path / "project"
        shutil.copytree(built.project, project)
        os.symlink(built.venv, project / ".venv")
    framework = find_framework(project, python=python, env={})
    (package,) = framework.packages
    assert (package.name, package.distribution, package.version) == (
        "cursus",
        envbuild.DIST,
        "2.4.0",
    )
    assert package.location == os.path.realpath(built.site / "cursus")
    assert not package.editable


def test_the_editable_install_resolves_to_its_checkout(
    built: envbuild.Built, no_processes: None
) -> None:
    framework = find_framework(built.project, python=str(built.editable_venv), env={})
    (package,) = framework.packages
    assert package.location == os.path.realpath(built.checkout / "src" / "cursus")
    assert (package.version, package.editable) == ("2.5.0", True)


def test_nothing_installed_nothing_indexed(built: envbuild.Built, no_processes: None) -> None:
    catalog = StepCatalog([built.project], framework=find_framework(built.project, env={}))
    assert catalog.list_available_steps() == []
    assert "no installed framework" in catalog.framework.describe()


@pytest.mark.parametrize("env", ["venv", "editable_venv"])
def test_node_names_and_problems_answer_from_the_package(
    built: envbuild.Built, env: str, no_processes: None
) -> None:
    catalog = catalog_for(built, str(getattr(built, env)))
    assert catalog.list_available_steps() == EXPECTED["steps"]
    assert catalog.roots == [built.project.resolve()]  # the package is no root to write to
    assert len(catalog.package_roots) == 1
    # Only the project's own problems: the package's are not the user's to fix.
    assert rows(catalog, built.project) == EXPECTED["problems"]
    dag = built.project / "pipelines" / "dag.py"
    text = dag.read_text()
    line, col = 2, text.split("\n")[2].index("Tabular") + 1
    ref = catalog.name_at(str(dag), text, line, col)
    assert ref is not None
    targets = catalog.definition_targets(ref, None)
    package = catalog.framework.packages[0].location
    assert [t.label for t in targets] == EXPECTED["definition_labels"]
    assert all(str(t.path).startswith(package) for t in targets)


def test_a_workspace_step_wins_over_the_package(
    built: envbuild.Built, tmp_path: Path, no_processes: None
) -> None:
    tree = tmp_path / "mine"
    shutil.copytree(envbuild.FIXTURE / "framework", tree)
    catalog = catalog_for(built, str(built.venv), built.project, tree)
    info = catalog.get_step_info("XGBoostTraining")
    assert info is not None and info.registry_location is not None
    assert str(info.registry_location.path).startswith(str(tree))
    assert catalog.problems() == catalog.problems()  # stable; the package's duplicates hidden
    assert not [p for p in catalog.problems() if "site-packages" in str(p.path)]


def _cursor(path: Path, needle: str) -> tuple[str, int, int]:
    text = path.read_text()
    for number, line in enumerate(text.split("\n")):
        if needle in line:
            return text, number, line.index(needle) + 2
    raise AssertionError(needle)


@pytest.mark.parametrize("case", EXPECTED["hovers"], ids=lambda c: c["needle"])
def test_field_hover_and_definition(
    built: envbuild.Built, case: dict[str, object], no_processes: None
) -> None:
    catalog = catalog_for(built, str(built.venv))
    config = built.project / CONFIG
    text, line, col = _cursor(config, str(case["needle"]))
    at = catalog.field_key_at(str(config), text, line, col)
    assert at is not None and at.node == case["node"]
    card = catalog.field_card(str(config), text, at, None)
    if case["owner"] is None:
        assert card is None
        return
    assert card is not None
    src = card.source
    default = src.default.text if src.default else None
    got = [card.owners[0], src.kind, src.annotation, default, src.description]
    assert got == [case["owner"], case["kind"], case["type"], case["default"], case["doc"]]
    assert card.location is not None
    path, span = card.location
    assert [path.name, span.start_line] == case["declared"]
    assert str(path).startswith(str(built.site))


@pytest.mark.parametrize("case", EXPECTED["completions"], ids=lambda c: c["name"])
def test_field_completion(
    built: envbuild.Built, case: dict[str, object], no_processes: None
) -> None:
    catalog = catalog_for(built, str(built.venv))
    config = built.project / CONFIG
    text = config.read_text()
    marker = str(case["after"])
    offset = text.index(marker) + len(marker)
    typed = text[:offset] + str(case["insert"]) + "\n" + text[offset:]  # a new line typed
    before = typed[: offset + len(str(case["insert"]))]
    line, col = before.count("\n"), len(before.rsplit("\n", 1)[-1])
    result = catalog.complete_fields(str(config), typed, line, col, None)
    assert result is not None and result.node == case["node"]
    labels = [c.label for c in result.items]
    assert labels[: len(case["first"])] == case["first"]  # type: ignore[arg-type]
    present = sorted(c.label for c in result.items if c.present)
    assert present == case["present"]


def test_cli_env_and_check(built: envbuild.Built, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["env", str(built.project), "--python", str(built.venv), "--format", "json"]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert [(p["distribution"], p["version"]) for p in answer["packages"]] == [
        (envbuild.DIST, "2.4.0")
    ]
    code = main(["check", str(built.project), "--python", str(built.venv), "--format", "json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0  # warnings and information only
    found = sorted({p["rule"] for p in (out["problems"] if isinstance(out, dict) else out)})
    assert found == sorted({row[0] for row in EXPECTED["problems"]})  # type: ignore[index]


def test_an_editable_install_of_the_opened_checkout_is_the_workspace(
    built: envbuild.Built, no_processes: None
) -> None:
    """The framework's developer opens the checkout their environment installs editable: its
    files are the workspace's, with their problems, not a hidden read-only package."""
    framework = find_framework(built.project, python=str(built.editable_venv), env={})
    catalog = StepCatalog([built.checkout], framework=framework)
    assert catalog.package_roots == []
    assert catalog.list_available_steps() == EXPECTED["steps"]
