"""A project that only has the framework installed, through the real server (VS Code and Neovim
capabilities): the interpreter handed over in ``initializationOptions.python``, node names
resolving into site-packages, config fields hovering, completing, navigating and warning, and
``stepcat.status`` saying which framework is used. The environment is built by
``tests/envbuild.py``; the expected answers are the engine tests' data."""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest
from editor import doc, find, pos, where
from lsprotocol import types

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import envbuild

from catalog_core.api import find_framework, framework_report

T = TypeVar("T")
EXPECTED = json.loads((envbuild.FIXTURE / "expected.json").read_text())


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[envbuild.Built]:
    built = envbuild.build(tmp_path_factory.mktemp("installed"))
    yield built
    assert envbuild.imported_markers(built.venv, built.checkout) == []


async def test_a_project_with_only_the_installed_framework(editor, built) -> None:
    python = str(built.venv / "bin" / "python")
    await editor.start(built.project, options={"python": python})
    site = str(built.site)

    dag = built.project / "pipelines" / "dag.py"
    await editor.open(dag)
    line, col = find(dag, "TabularPreprocessing_training")
    targets = await editor.definition(dag, line, col + 2)
    assert [where(t)[0] for t in targets][:1] == ["tabular_preprocessing_training_spec.py"]
    uri = targets[0].target_uri if isinstance(targets[0], types.LocationLink) else targets[0].uri
    assert site in uri

    config = built.project / "pipeline_config" / "config.json"
    await editor.open(config, language="json")
    wanted = {(r[0], r[2]) for r in EXPECTED["problems"]}
    diagnostics = await editor.diagnostics(
        config, lambda ds: {(d.code, d.range.start.line) for d in ds} >= wanted
    )
    got = {(d.code, d.range.start.line) for d in diagnostics}
    assert got == wanted  # nothing from inside site-packages, no false alarm
    typo = next(d for d in diagnostics if d.range.start.line == 15)
    assert "did you mean 'processing_instance_type'" in typo.message

    line, col = find(config, '"train_ratio"')
    hover = await editor.client.text_document_hover_async(
        types.HoverParams(text_document=doc(config), position=pos(line, col + 2))
    )
    assert hover is not None
    text = hover.contents.value  # type: ignore[union-attr]
    assert "**train_ratio**: `float`" in text and "0.7" in text

    targets = await editor.definition(config, line, col + 2)
    assert [where(t)[:2] for t in targets] == [("config_tabular_preprocessing_step.py", 9)]

    typed = config.read_text().replace(
        '"label_name": "is_fraud",\n', '"label_name": "is_fraud",\n        "proc\n', 1
    )
    await editor.change(config, typed)
    line, col = find(config, '"label_name"')
    completion = await editor.client.text_document_completion_async(
        types.CompletionParams(text_document=doc(config), position=pos(line + 1, 13))
    )
    assert completion is not None
    items = completion.items if isinstance(completion, types.CompletionList) else completion
    labels = [i.label for i in items]
    assert labels[:2] == ["processing_instance_count", "processing_instance_type"]
    assert any("already set" in (i.detail or "") for i in items if i.label == "label_name")

    status = await editor.client.workspace_execute_command_async(
        types.ExecuteCommandParams(command="stepcat.status")
    )
    (package,) = status["framework"]["packages"]
    assert (package["distribution"], package["version"]) == (envbuild.DIST, "2.4.0")
    assert package["location"].startswith(site)

    # the same facts as `stepcat env` (one core function describes the framework)
    framework = find_framework(built.project, python=python, env={})
    assert status["framework"] == framework_report(framework, [built.project]).as_json()
    assert status["framework"]["in_use"] == "package"


async def _until(ask: Callable[[], Awaitable[T]], done: Callable[[T], bool]) -> T:
    """Asks again until the answer is the one expected (a reindex runs after the notification
    that caused it returns), for at most 30 s."""
    deadline = asyncio.get_running_loop().time() + 30
    while True:
        answer = await ask()
        if done(answer) or asyncio.get_running_loop().time() > deadline:
            return answer
        await asyncio.sleep(0.1)


async def test_changing_the_python_setting_reindexes(editor, built) -> None:
    """``workspace/didChangeConfiguration`` with another ``python``: the server finds that
    environment again and reindexes; a DAG node unknown before resolves after, and back."""
    await editor.start(built.project)  # no interpreter named, no .venv: nothing installed
    dag = built.project / "pipelines" / "dag.py"
    await editor.open(dag)
    line, col = find(dag, "TabularPreprocessing_training")

    async def definition() -> list[str]:
        targets = await editor.definition(dag, line, col + 2)
        return [where(t)[0] for t in targets or []]

    async def in_use() -> str:
        status = await editor.client.workspace_execute_command_async(
            types.ExecuteCommandParams(command="stepcat.status")
        )
        return str(status.get("framework", {}).get("in_use"))

    assert await definition() == []
    assert await in_use() == "none"

    for python, want in [(str(built.venv / "bin" / "python"), "package"), (None, "none")]:
        editor.client.set_configuration({"python": python}, section="stepcat")
        editor.client.workspace_did_change_configuration(
            types.DidChangeConfigurationParams(settings={"stepcat": {"python": python}})
        )
        assert await _until(in_use, lambda got, want=want: got == want) == want
        found = await definition()
        if want == "package":
            assert found[:1] == ["tabular_preprocessing_training_spec.py"]
        else:
            assert found == []
