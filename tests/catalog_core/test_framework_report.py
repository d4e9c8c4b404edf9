"""Which framework a catalog uses, described by one core function (``framework_report``) for
``stepcat env`` and the server's ``stepcat.status``: an installed package (read-only), the
workspace (the opened checkout the environment installs editable), or none. The environments are
built by ``tests/envbuild.py``; the expected answers are data (``expected.json``, ``reports``)."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import envbuild

from catalog_core.api import StepCatalog, find_framework, framework_report
from catalog_core.cli import main

pytestmark = pytest.mark.skipif(os.name == "nt", reason="builds POSIX venvs")
REPORTS = json.loads((envbuild.FIXTURE / "expected.json").read_text())["reports"]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[envbuild.Built]:
    built = envbuild.build(tmp_path_factory.mktemp("report"))
    yield built
    assert envbuild.imported_markers(built.venv, built.checkout) == []


def _case(built: envbuild.Built, name: str) -> tuple[Path, str | None]:
    """(the folder opened, the interpreter named) of a case."""
    return {
        "wheel": (built.project, str(built.venv / "bin" / "python")),
        "editable, the checkout opened": (built.checkout, str(built.editable_venv)),
        "nothing found": (built.project, None),
    }[name]


def _expected(built: envbuild.Built, value: object) -> object:
    folders = {
        "{site}": os.path.realpath(built.site),
        "{checkout}": os.path.realpath(built.checkout),
        "{env}": os.path.realpath(built.venv),
        "{dev_env}": os.path.realpath(built.editable_venv),
    }
    text = json.dumps(value)
    for mark, folder in folders.items():
        text = text.replace(mark, folder)
    return json.loads(text)


@pytest.mark.parametrize("name", [k for k in REPORTS if k != "comment"])
def test_the_framework_in_use(built: envbuild.Built, name: str) -> None:
    folder, python = _case(built, name)
    want = _expected(built, REPORTS[name])
    assert isinstance(want, dict)
    report = framework_report(find_framework(folder, python=python, env={}), [folder])
    got = report.as_json()
    assert got["in_use"] == want["in_use"]
    assert got["summary"] == want["summary"]
    packages = [
        [p["name"], p["distribution"], p["version"], p["location"], p["editable"], p["used_as"]]
        for p in got["packages"]
    ]
    assert packages == want["packages"]
    assert got["read_only_roots"] == want["read_only_roots"]
    assert (got["environment"] or {}).get("prefix") == want["environment"]
    lines = report.as_text().split("\n")
    assert [line for line in want["text"] if line not in lines] == []

    # the catalog built over the folder reports the same, and indexes exactly those read-only
    catalog = StepCatalog([folder], framework=report.framework)
    assert catalog.framework_report().as_json() == got
    assert [str(p) for p in catalog.package_roots] == want["read_only_roots"]


@pytest.mark.parametrize("name", ["wheel", "nothing found"])
def test_stepcat_env_prints_the_report(
    built: envbuild.Built,
    name: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for variable in ("VIRTUAL_ENV", "CONDA_PREFIX"):  # the CLI reads the real environment
        monkeypatch.delenv(variable, raising=False)
    folder, python = _case(built, name)
    report = framework_report(find_framework(folder, python=python, env={}), [folder])
    args = ["env", str(folder), "--format", "json"] + (["--python", python] if python else [])
    code = main(args)
    assert json.loads(capsys.readouterr().out) == report.as_json()
    assert code == (0 if report.framework.packages else 1)
    main(args[:2] + (["--python", python] if python else []))
    assert capsys.readouterr().out.rstrip("\n") == report.as_text()
