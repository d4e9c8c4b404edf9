"""Definition, declaration, implementation, type definition, references and hover, through the
real server, with VS Code and Neovim capabilities. Expected positions come from the fixture
files (the line of the constant or class that defines each component). One server per client
profile answers the whole module: nothing here changes its state. What the analysis answers
at other cursors (registry keys, config files, comments, ...) is in tests/fixtures/cursors."""

from __future__ import annotations

from pathlib import Path

from conftest import SHARED, shared_editor
from editor import doc, find, pos, where
from lsprotocol import types

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
IRR = FIXTURES / "irregular"
STEPS = IRR / "src/pipelines/steps"
DAG = IRR / "pipelines/training_dag.py"
REGISTRY = IRR / "src/pipelines/registry/step_names.py"

editor = shared_editor(IRR, opened=((DAG, "python"),))
pytestmark = SHARED


def at(path: Path, needle: str, occurrence: int = 0) -> tuple[str, int, int]:
    line, col = find(path, needle, occurrence)
    return path.name, line, col


def cls(path: Path, name: str) -> tuple[str, int, int]:
    """Where ``class name`` is defined (at the start of a line): the class name itself."""
    for line, text in enumerate(path.read_text().split("\n")):
        if text.startswith(f"class {name}"):
            return path.name, line, len("class ")
    raise AssertionError(f"no class {name} in {path}")


def inside(path: Path, quoted: str, occurrence: int = 0) -> tuple[str, int, int]:
    """The first character inside a quoted name."""
    line, col = find(path, quoted, occurrence)
    return path.name, line, col + 1


async def check_definition(
    editor, path: Path, needle: str, expected: list[tuple[str, int, int]], offset: int = 2
) -> None:
    line, col = find(path, needle)
    result = await editor.definition(path, line, col + offset)
    assert [where(t) for t in result or []] == expected


async def test_definition_from_dag_node_name(editor) -> None:
    await check_definition(
        editor,
        DAG,
        '"CradleDataLoading_training"',
        [
            at(STEPS / "specs/cradle_data_loading_training_spec.py", "DATA_LOADING_TRAINING_SPEC"),
            at(STEPS / "scripts/cradle_data_loading.py", "def main"),
            cls(
                STEPS / "builders/builder_cradle_data_loading_step.py",
                "CradleDataLoadingStepBuilder",
            ),
            cls(STEPS / "configs/config_cradle_data_loading_step.py", "CradleDataLoadConfig"),
        ],
    )
    await check_definition(
        editor,
        DAG,
        '"XGBoostTraining"',
        [
            at(STEPS / "specs/xgboost_training_spec.py", "XGBOOST_TRAINING_SPEC ="),
            at(STEPS / "scripts/xgboost_training.py", "def main"),
            at(STEPS / "contracts/xgboost_training_contract.py", "XGBOOST_TRAIN_CONTRACT"),
            cls(STEPS / "builders/builder_xgboost_training_step.py", "XGBoostTrainingStepBuilder"),
            cls(STEPS / "configs/config_xgb_train.py", "XGBoostTrainingConfig"),
        ],
    )
    line, col = find(DAG, "PipelineDAG()")  # off every name: null, not an empty list
    assert await editor.definition(DAG, line, col + 2) is None


async def test_definition_link_covers_the_whole_string(editor) -> None:
    line, col = find(DAG, '"PyTorchModelEval_evaluation"')
    result = await editor.definition(DAG, line, col + 5)
    assert result
    if isinstance(result[0], types.LocationLink):
        origin = result[0].origin_selection_range
        assert (origin.start.line, origin.start.character, origin.end.character) == (
            line,
            col,
            col + len('"PyTorchModelEval_evaluation"'),
        )
        target = result[0]
        assert target.target_range.start.line == target.target_selection_range.start.line
    assert where(result[0]) == at(
        STEPS / "specs/pytorch_model_eval_spec.py", "PYTORCH_MODEL_EVAL_SPEC ="
    )


async def test_declaration_implementation_type_definition(editor) -> None:
    line, col = find(DAG, '"XGBoostTraining"')
    params = types.DeclarationParams(text_document=doc(DAG), position=pos(line, col + 3))
    declaration = await editor.client.text_document_declaration_async(params)
    assert [where(t) for t in declaration] == [inside(REGISTRY, '"XGBoostTraining"')]
    implementation = await editor.client.text_document_implementation_async(
        types.ImplementationParams(text_document=doc(DAG), position=pos(line, col + 3))
    )
    assert [where(t)[0] for t in implementation] == [
        "xgboost_training.py",
        "builder_xgboost_training_step.py",
    ]
    type_definition = await editor.client.text_document_type_definition_async(
        types.TypeDefinitionParams(text_document=doc(DAG), position=pos(line, col + 3))
    )
    assert [where(t) for t in type_definition] == [
        cls(STEPS / "configs/config_xgb_train.py", "XGBoostTrainingConfig")
    ]


async def test_references_to_a_step(editor) -> None:
    line, col = find(DAG, '"TabularPreprocessing_training"')
    refs = await editor.client.text_document_references_async(
        types.ReferenceParams(
            text_document=doc(DAG),
            position=pos(line, col + 3),
            context=types.ReferenceContext(include_declaration=True),
        )
    )
    found = sorted(where(r) for r in refs)
    assert found == sorted(
        [
            inside(DAG, '"TabularPreprocessing_training"', 0),
            inside(DAG, '"TabularPreprocessing_training"', 1),
            inside(DAG, '"TabularPreprocessing_training"', 2),
            inside(REGISTRY, '"TabularPreprocessing"'),
            inside(
                STEPS / "specs/tabular_preprocessing_training_spec.py", '"TabularPreprocessing"'
            ),
            inside(
                STEPS / "specs/tabular_preprocessing_calibration_spec.py", '"TabularPreprocessing"'
            ),
        ]
    )


async def test_hover_card(editor) -> None:
    line, col = find(DAG, '"CradleDataLoading_training"')
    hover = await editor.client.text_document_hover_async(
        types.HoverParams(text_document=doc(DAG), position=pos(line, col + 4))
    )
    text = hover.contents.value
    assert text.startswith(
        "**CradleDataLoading_training** · CradleDataLoading · workspace `shared`"
    )
    assert "- spec (training): [cradle_data_loading_training_spec.py](" in text
    assert "- contract: _none_" in text  # a custom SageMaker type needs no contract
    assert "variants: `training`, `validation`" in text
    assert (hover.range.start.line, hover.range.start.character) == (line, col)
