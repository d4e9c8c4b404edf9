"""The answers of ``stepcat.status`` for the three ways a framework is in use (an installed
package, the opened workspace, none), kept as a file the extension's unit tests read
(``vscode-extension/test/fixtures/status-answers.json``): the status item is tested on what
this server really answers. Paths become ``/site``, ``/checkout``, ``/env``, ``/dev-env`` and
``/project``; ``STEPCAT_REGEN=1`` rewrites the file after a reviewed change."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest
from stepcat_server.features.commands import _status
from stepcat_server.session import DiagnosticsView
from stepcat_server.settings import ServerSettings

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import envbuild

from catalog_core.api import StepCatalog, find_framework

REPO = Path(__file__).resolve().parents[2]
ANSWERS = REPO / "vscode-extension" / "test" / "fixtures" / "status-answers.json"
pytestmark = pytest.mark.skipif(os.name == "nt", reason="builds POSIX venvs")


def answers(built: envbuild.Built) -> str:
    cases = {
        "package": (built.project, str(built.venv / "bin" / "python")),
        "workspace": (built.checkout, str(built.editable_venv)),
        "none": (built.project, None),
    }
    view = DiagnosticsView(ServerSettings(), {}, {}, set(), "utf-16")
    found = {}
    for name, (folder, python) in cases.items():
        catalog = StepCatalog([folder], framework=find_framework(folder, python=python, env={}))
        found[name] = _status(catalog, view, [str(folder)])
    text = json.dumps(found, indent=1)
    for path, mark in [
        (built.site, "/site"),
        (built.checkout, "/checkout"),
        (built.editable_venv, "/dev-env"),
        (built.venv, "/env"),
        (built.project, "/project"),
    ]:
        text = text.replace(os.path.realpath(path), mark).replace(str(path), mark)
    return text.replace(envbuild.VERSION, "3.x")


def test_status_answers_file_is_current(tmp_path: Path) -> None:
    built = envbuild.build(tmp_path)
    current = answers(built) + "\n"
    if os.environ.get("STEPCAT_REGEN"):
        ANSWERS.write_text(current)
    assert ANSWERS.read_text() == current
