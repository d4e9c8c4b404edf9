"""``stepcat dag`` (Mermaid, dot, JSON) and ``StepCatalog.dag_graph`` / ``step_tree`` on the demo
and the interface-first fixtures: Python DAG modules, notebooks and ``*.dag.json``. Expected
drawings are files in ``tests/fixtures/expected_dag``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from catalog_core.api import StepCatalog
from catalog_core.cli import main

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "examples" / "demo"
FIXTURES = REPO / "tests" / "fixtures"
EXPECTED = FIXTURES / "expected_dag"
PIPELINE = DEMO / "pipelines" / "xgboost_pipeline.py"
FRAUD_DAG = DEMO / "projects/fraud_detection/pipelines/fraud_scoring.dag.json"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_mermaid_of_a_python_dag(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "dag", str(PIPELINE), "--root", str(DEMO))
    assert code == 0
    assert out == (EXPECTED / "demo_xgboost_pipeline.mmd").read_text()


def test_dot_of_a_dag_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "dag", str(FRAUD_DAG), "--format", "dot", "--root", str(DEMO))
    assert code == 0
    assert out == (EXPECTED / "demo_fraud_scoring.dot").read_text()


def test_json_of_a_notebook_dag(capsys: pytest.CaptureFixture[str]) -> None:
    notebook = FIXTURES / "v2_project/notebooks/explore.ipynb"
    code, out, _ = run(
        capsys,
        "dag",
        str(notebook),
        "--format",
        "json",
        "--root",
        str(FIXTURES / "v2"),
        "--root",
        str(FIXTURES / "v2_project"),
    )
    assert code == 0
    graph = json.loads(out)
    assert [n["id"] for n in graph["nodes"]] == [
        "CradleDataLoading_training",
        "TabularPreprocessing_training",
        "FraudFeatureEngineering_training",
        "XGBoostTraining",
    ]
    assert [(e["source"], e["target"]) for e in graph["edges"]] == [
        ("CradleDataLoading_training", "TabularPreprocessing_training"),
        ("TabularPreprocessing_training", "FraudFeatureEngineering_training"),
        ("FraudFeatureEngineering_training", "XGBoostTraining"),
    ]
    fe = graph["nodes"][2]
    assert (fe["step"], fe["jobType"], fe["workspace"]) == (
        "FraudFeatureEngineering",
        "training",
        "v2_project",
    )
    assert fe["definition"]["path"].endswith("fraud_feature_engineering.step.yaml")


def test_a_file_without_a_dag(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "dag", str(DEMO / "src/cursus/registry/step_names.py"))
    assert code == 1 and out == "" and "writes no DAG" in err
    code, _, err = run(capsys, "dag", str(DEMO / "nope.py"))
    assert code == 2 and "no such file" in err


def test_graph_statuses_and_definitions() -> None:
    catalog = StepCatalog(DEMO)
    graph = catalog.dag_graph(PIPELINE)
    assert graph is not None
    nodes = {n.id: n for n in graph.nodes}
    assert nodes["XGBoostModel"].status == "incomplete"  # no spec
    assert nodes["CradleDataLoading_training"].variant == "spec (training)"
    assert nodes["PyTorchModelEval_evaluation"].variant == "spec"  # falls back to the base spec
    assert nodes["CradleDataLoading_training"].definition is not None
    assert [e.target for e in graph.downstream("XGBoostTraining")] == ["XGBoostModel"]
    assert [e.source for e in graph.upstream("XGBoostTraining")] == [
        "TabularPreprocessing_training"
    ]
    line = nodes["XGBoostModel"].location
    assert line is not None
    assert catalog.dag_node_at(PIPELINE, line.span.start_line, line.span.start_character + 2) == (
        "XGBoostModel"
    )


def test_unknown_nodes_and_half_typed_edges(tmp_path: Path) -> None:
    dag = tmp_path / "dag.py"
    dag.write_text(
        "from x import PipelineDAG\n"
        "dag = PipelineDAG()\n"
        'dag.add_node("Nope_training")\n'
        'dag.add_edge("Nope_training", "Other")\n'
        'dag.add_edge("Half"\n'
    )
    graph = StepCatalog(tmp_path).dag_graph(dag)
    assert graph is not None
    assert [(n.id, n.status) for n in graph.nodes] == [
        ("Nope_training", "unknown"),
        ("Other", "unknown"),
    ]
    assert [(e.source, e.target) for e in graph.edges] == [("Nope_training", "Other")]


def test_step_tree_of_the_demo() -> None:
    tree = StepCatalog(DEMO).step_tree()
    kinds = {ws.id: ws.kind for ws in tree}
    assert kinds == {
        "shared": "shared",
        "alice": "developer",
        "bob": "developer",
        "fraud_detection": "pack",
    }
    steps = {(ws.id, s.name): s for ws in tree for s in ws.steps}
    bob = steps[("bob", "LightGBMMTTraining")]
    assert not bob.complete and bob.problems["warning"] == 1
    contract = next(c for c in bob.components if c.label == "contract")
    assert (contract.present, contract.required) == (False, True)
    fraud = steps[("fraud_detection", "FraudScoring")]
    assert fraud.layout == "interface"
    labels = [c.label for c in fraud.components]
    assert labels[0] == "interface" and "contract" not in labels
    builder = next(c for c in fraud.components if c.label == "builder")
    assert not builder.present and "synthesised" in builder.note
    cradle = steps[("shared", "CradleDataLoading")]
    assert "spec (training)" in [c.label for c in cradle.components]
    assert cradle.variants == ["calibration", "testing", "training", "validation"]


MODULE_WITH_TWO_DAGS = '''"""Two pipelines."""
from x import PipelineDAG


def create_training_dag():
    dag = PipelineDAG()
    dag.add_node("CradleDataLoading_training")
    dag.add_edge("CradleDataLoading_training", "TabularPreprocessing_training")
    return dag


def create_scoring_dag():
    dag = PipelineDAG()
    dag.add_edge("CradleDataLoading_calibration", "Package")
    return dag
'''


def test_a_module_with_a_dag_per_function(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "demo"
    import shutil

    shutil.copytree(DEMO, root)
    module = root / "pipelines" / "two.py"
    module.write_text(MODULE_WITH_TWO_DAGS)
    catalog = StepCatalog(root)
    whole = catalog.dag_graph(module)
    assert whole is not None and whole.name == "two" and len(whole.nodes) == 4
    training = catalog.dag_graph(module, 6)  # inside create_training_dag
    assert training is not None and training.name == "two.create_training_dag"
    assert [n.id for n in training.nodes] == [
        "CradleDataLoading_training",
        "TabularPreprocessing_training",
    ]
    scoring = catalog.dag_graph(module, 13)
    assert scoring is not None and [(e.source, e.target) for e in scoring.edges] == [
        ("CradleDataLoading_calibration", "Package")
    ]
    top = catalog.dag_graph(module, 0)  # module level builds none: the first function's
    assert top is not None and top.name == "two.create_training_dag"
    code = main(["dag", str(module), "--line", "14", "--root", str(root)])
    out = capsys.readouterr().out
    assert code == 0 and "Package" in out and "TabularPreprocessing_training" not in out


def test_the_tree_level_by_level_is_the_whole_tree() -> None:
    """The lazy levels (workspaces, a workspace's steps, a step's components) put together are
    the whole tree; the step counts are the steps listed."""
    catalog = StepCatalog(DEMO)
    whole = catalog.step_tree()
    roots = catalog.tree_workspaces()
    assert [(w.id, w.kind, w.step_count, w.steps) for w in roots] == [
        ("shared", "shared", 6, []),
        ("alice", "developer", 2, []),
        ("bob", "developer", 1, []),
        ("fraud_detection", "pack", 1, []),
    ]
    for ws, full in zip(roots, whole, strict=True):
        steps = catalog.tree_steps(ws.id)
        assert steps is not None and len(steps) == ws.step_count == full.step_count
        assert [s.components for s in steps] == [[]] * len(steps)  # not built at this level
        for step, whole_step in zip(steps, full.steps, strict=True):
            assert catalog.tree_components(ws.id, step.name) == whole_step.components
            assert step.missing == [
                c.label for c in whole_step.components if c.required and not c.present
            ]
            assert step.complete == (not step.missing)
            step.components = whole_step.components
            assert step == whole_step
    assert catalog.tree_steps("nobody") is None
    # bob's node lists its own steps only: the shared steps it sees are the shared node's
    assert catalog.tree_components("bob", "CradleDataLoading") is None


@pytest.mark.parametrize(
    ("path", "owners"),
    [
        (
            "src/cursus/steps/specs/cradle_data_loading_training_spec.py",
            [("shared", "CradleDataLoading")],
        ),
        ("src/cursus/steps/scripts/tabular_preprocessing.py", [("shared", "TabularPreprocessing")]),
        (
            "development/projects/alice/src/cursus_dev/steps/scripts/tabular_preprocessing.py",
            [("alice", "TabularPreprocessing")],
        ),
        ("src/cursus/steps/scripts/currency_conversion.py", []),  # no step's component
        ("src/cursus/registry/step_names.py", []),  # the registry: every step's, no reveal
        ("pipelines/xgboost_pipeline.py", []),
    ],
)
def test_tree_owners_of_a_file(path: str, owners: list[tuple[str, str]]) -> None:
    assert StepCatalog(DEMO).tree_owners(DEMO / path) == owners
