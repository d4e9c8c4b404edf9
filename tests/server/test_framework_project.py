"""A project that only has the framework installed, through the real server (VS Code and Neovim
capabilities): the interpreter handed over in ``initializationOptions.python``, node names
resolving into site-packages, config fields hovering, completing, navigating and warning, and
``stepcat.status`` saying which framework is used. The environment is built by
``tests/envbuild.py``; the expected answers are the engine tests' data."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from editor import doc, find, pos, where
from lsprotocol import types

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import envbuild

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
