"""Several workspace folders, folders added at runtime, files changed on disk, unsaved edits
and files outside every folder, through the real server."""

from __future__ import annotations

import shutil
from pathlib import Path

from editor import find, uri, where
from lsprotocol import types

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SHARED = FIXTURES / "multi/shared"
ALICE = FIXTURES / "multi/alice"
ALICE_DAG = ALICE / "pipelines/alice_dag.py"


async def targets(editor, path: Path, needle: str) -> list[tuple[str, str]]:
    """(workspace folder name, file name) of each definition target of the name at ``needle``."""
    line, col = find(path, needle)
    result = await editor.definition(path, line, col + 2) or []
    return [
        (Path(t.target_uri if isinstance(t, types.LocationLink) else t.uri).parts[-6], where(t)[0])
        for t in result
    ]


async def test_developer_folder_plus_shared_folder(editor) -> None:
    await editor.start(ALICE, SHARED)
    await editor.open(ALICE_DAG)
    assert await targets(editor, ALICE_DAG, '"FeatureSelection_training"') == [
        ("alice", "feature_selection_training_spec.py"),
        ("alice", "feature_selection.py"),
        ("alice", "feature_selection_contract.py"),
        ("alice", "builder_feature_selection_step.py"),
        ("alice", "config_feature_selection_step.py"),
    ]
    # Alice overrides XGBoostTraining and has her own copy of its script: hers wins, the rest is shared.
    assert await targets(editor, ALICE_DAG, '"XGBoostTraining"') == [
        ("shared", "xgboost_training_spec.py"),
        ("alice", "xgboost_training.py"),
        ("shared", "xgboost_training_contract.py"),
        ("shared", "builder_xgboost_training_step.py"),
        ("shared", "config_xgboost_training_step.py"),
    ]
    shared_dag = SHARED / "pipelines/shared_dag.py"
    await editor.open(shared_dag)
    assert (await targets(editor, shared_dag, '"XGBoostTraining"'))[1] == (
        "shared",
        "xgboost_training.py",
    )


async def test_folder_added_at_runtime_and_file_outside_folders(editor) -> None:
    await editor.start(SHARED)
    await editor.open(ALICE_DAG)  # outside every folder: answered from the shared folder's catalog
    assert (await targets(editor, ALICE_DAG, '"TabularPreprocessing_training"'))[0] == (
        "shared",
        "tabular_preprocessing_training_spec.py",
    )
    assert await targets(editor, ALICE_DAG, '"FeatureSelection_training"') == []
    editor.client.workspace_did_change_workspace_folders(
        types.DidChangeWorkspaceFoldersParams(
            event=types.WorkspaceFoldersChangeEvent(
                added=[types.WorkspaceFolder(uri=uri(ALICE), name="alice")], removed=[]
            )
        )
    )
    await editor.indexed()
    assert (await targets(editor, ALICE_DAG, '"FeatureSelection_training"'))[0] == (
        "alice",
        "feature_selection_training_spec.py",
    )


async def test_file_changed_on_disk(editor, tmp_path: Path) -> None:
    root = tmp_path / "irregular"
    shutil.copytree(FIXTURES / "irregular", root)
    dag = root / "pipelines/dag.py"
    dag.write_text('dag.add_node("Dummy_testing")\n')
    await editor.start(root)
    await editor.open(dag)
    assert (await targets(editor, dag, '"Dummy_testing"'))[0][
        1
    ] == "dummy_spec.py"  # base spec fallback
    variant = root / "src/pipelines/steps/specs/dummy_testing_spec.py"
    variant.write_text(
        "DUMMY_TESTING_SPEC = StepSpecification(\n"
        '    step_type=get_spec_step_type_with_job_type("Dummy", "testing"),\n)\n'
    )
    editor.client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=uri(variant), type=types.FileChangeType.Created)]
        )
    )
    await editor.indexed()
    line, col = find(dag, '"Dummy_testing"')
    result = await editor.definition(dag, line, col + 2)
    assert where(result[0]) == ("dummy_testing_spec.py", 0, 0)


async def test_unsaved_edits_count_and_close_returns_to_disk(editor) -> None:
    root = FIXTURES / "irregular"
    spec = root / "src/pipelines/steps/specs/dummy_calibration_spec.py"
    dag = root / "pipelines/training_dag.py"
    await editor.start(root)
    text = dag.read_text() + 'dag.add_node("Dummy_testing")\n'
    await editor.open(dag, text)
    line = text.split("\n").index('dag.add_node("Dummy_testing")')
    first = await editor.definition(dag, line, 16)
    assert where(first[0])[0] == "dummy_spec.py"
    # An unsaved edit makes the calibration spec Dummy's testing variant ...
    await editor.open(spec)
    await editor.change(
        spec, spec.read_text().replace('"Dummy", "calibration"', '"Dummy", "testing"')
    )
    edited = await editor.definition(dag, line, 16)
    assert where(edited[0])[0] == "dummy_calibration_spec.py"
    # ... until the document is closed without saving: the disk wins again.
    await editor.close(spec)
    closed = await editor.definition(dag, line, 16)
    assert where(closed[0])[0] == "dummy_spec.py"
