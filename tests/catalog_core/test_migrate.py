"""``stepcat migrate``: 1.x steps -> interfaces, Python DAGs -> DAG JSON.

Data-driven over the 1.x fixtures and the demo: the planned files are compared with
``tests/fixtures/expected_migrate/<fixture>/`` (``<path>.expected`` per written file,
``removed.txt``, ``report.txt``); ``STEPCAT_REGEN_EXPECTED=1`` rewrites them. Every interface
reads back with zero problems, ``--write`` adds no problem that ``check`` did not report
before, and a second run changes nothing.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
import yaml

from catalog_core.api import StepCatalog
from catalog_core.cli import main
from catalog_core.cli.migrate_command import report, unified_diff
from catalog_core.facts.dag_json import read_dag_json
from catalog_core.facts.interface_reader import read_interface
from catalog_core.features.migrate.dags import convert_dag, dag_document
from catalog_core.features.migrate.evaluate import Call, Module, Unknown
from catalog_core.features.migrate.yaml_writer import Todo, check, dump

REPO = Path(__file__).resolve().parents[2]
FIXTURES = {
    "irregular": REPO / "tests/fixtures/irregular",
    "multi": REPO / "tests/fixtures/multi",
    "mixed": REPO / "tests/fixtures/mixed",
    "demo": REPO / "examples/demo",
}
EXPECTED = REPO / "tests/fixtures/expected_migrate"
REGEN = os.environ.get("STEPCAT_REGEN_EXPECTED") == "1"


def _copy(name: str, tmp_path: Path) -> Path:
    root = tmp_path / name
    shutil.copytree(FIXTURES[name], root)
    return root


@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_planned_files_match_the_expected_ones(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _copy(name, tmp_path)
    monkeypatch.chdir(root)
    plan = StepCatalog([root]).migrate()
    written = {
        c.path.relative_to(root).as_posix(): c.new for c in plan.changes if c.new is not None
    }
    removed = sorted(c.path.relative_to(root).as_posix() for c in plan.changes if c.new is None)
    text = report(plan, written=False)
    expected = EXPECTED / name
    if REGEN:
        shutil.rmtree(expected, ignore_errors=True)
        for rel, content in written.items():
            target = expected / f"{rel}.expected"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(content or "")
        (expected / "removed.txt").write_text("".join(f"{r}\n" for r in removed))
        (expected / "report.txt").write_text(text)
    found = {
        p.relative_to(expected).as_posix().removesuffix(".expected"): p.read_text()
        for p in expected.rglob("*.expected")
    }
    assert written == found
    assert removed == (expected / "removed.txt").read_text().split()
    assert text == (expected / "report.txt").read_text()


@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_every_interface_reads_back_with_zero_problems(name: str, tmp_path: Path) -> None:
    root = _copy(name, tmp_path)
    plan = StepCatalog([root]).migrate()
    interfaces = [c for c in plan.changes if c.kind == "interface"]
    assert interfaces
    for change in interfaces:
        assert change.new is not None
        facts = read_interface(str(change.path), change.new.encode())
        assert facts.problems == [], change.path
        assert yaml.safe_load(change.new)["step_type"] == facts.step_type
    for change in plan.changes:
        if change.kind == "dag":
            assert change.new is not None
            doc = json.loads(change.new)
            assert set(doc) == {"dag", "metadata"} and doc["dag"]["nodes"]


@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_write_adds_no_problem_and_a_second_run_changes_nothing(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _copy(name, tmp_path)
    catalog = StepCatalog([root])
    before = catalog.problems()
    plan = catalog.migrate()
    assert main(["migrate", str(root), "--write"]) == 0
    out = capsys.readouterr().out
    assert ", 0 new" in out
    after = StepCatalog([root]).problems()
    assert plan.new_problems(before, after) == []
    for change in plan.changes:
        assert change.path.exists() == (change.new is not None)
        if change.old is not None:  # rewritten or removed: a backup holds the old text
            assert Path(f"{change.path}.bak").read_text() == change.old
    again = StepCatalog([root]).migrate()
    assert again.changes == []
    assert main(["migrate", str(root)]) == 0
    assert capsys.readouterr().out == ""  # no diff


def test_every_1x_step_converts(tmp_path: Path) -> None:
    plan = StepCatalog([_copy("irregular", tmp_path)]).migrate()
    steps = {s.step for s in plan.steps}
    assert len(steps) == 13  # all registered steps but the abstract Base row
    assert [n.step for n in plan.notes if n.kind == "skipped"] == ["Base"]


def test_keep_legacy_only_adds_interfaces(tmp_path: Path) -> None:
    root = _copy("multi", tmp_path)
    plan = StepCatalog([root]).migrate(keep_legacy=True)
    assert {c.kind for c in plan.changes} == {"interface", "dag"}
    before = StepCatalog([root]).problems()
    main(["migrate", str(root), "--write", "--keep-legacy"])
    # Mid-migration: each step is defined twice, and the tree says so (nothing else is new).
    new = plan.new_problems(before, StepCatalog([root]).problems())
    assert {(p.rule, p.path.name if p.path else "") for p in new} == {
        ("step-in-both-layouts", "tabular_preprocessing.step.yaml"),
        ("step-in-both-layouts", "xgboost_training.step.yaml"),
        ("duplicate-step", "feature_selection.step.yaml"),
    }
    assert StepCatalog([root]).migrate(keep_legacy=True).changes == []


def test_one_step_only(tmp_path: Path) -> None:
    root = _copy("irregular", tmp_path)
    plan = StepCatalog([root]).migrate(["CurrencyConversion", "NoSuchStep"])
    assert [s.step for s in plan.steps] == ["CurrencyConversion"]
    assert not plan.dags
    registry = next(c for c in plan.changes if c.kind == "registry")
    assert registry.new is not None and '"CurrencyConversion"' not in registry.new
    assert '"Dummy"' in registry.new
    assert any(n.step == "NoSuchStep" and n.kind == "skipped" for n in plan.notes)


def test_a_hand_written_interface_is_never_overwritten(tmp_path: Path) -> None:
    root = _copy("mixed", tmp_path)
    plan = StepCatalog([root]).migrate(["TabularPreprocessing"])
    assert plan.changes == []
    assert "already defined by an interface" in plan.notes[0].message


def test_the_diff_is_a_unified_diff(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _copy("mixed", tmp_path)
    monkeypatch.chdir(root)
    text = unified_diff(StepCatalog([root]).migrate(["Package"]).changes)
    assert "--- /dev/null\n+++ b/src/mig/steps/interfaces/package.step.yaml\n" in text
    assert "--- a/src/mig/steps/specs/package_spec.py\n+++ /dev/null\n" in text
    assert '-    "Package": {\n' in text


# -- the static evaluator ---------------------------------------------------------------------

SPEC = """
from x import DependencyType, NodeType, StepSpecification, DependencySpec, get_spec_step_type
from elsewhere import MORE_KEYWORDS
BASE_KEYWORDS = ["data", "input"]
PREFIX = "properties.ProcessingOutputConfig.Outputs"
NAME = "DATA"
SPEC = StepSpecification(
    step_type=get_spec_step_type_with_job_type("Tabular", "training"),
    node_type=NodeType.INTERNAL,
    dependencies=[
        DependencySpec(
            logical_name=NAME,
            dependency_type=DependencyType.PROCESSING_OUTPUT,
            semantic_keywords=BASE_KEYWORDS + ["raw"],
            compatible_sources=MORE_KEYWORDS,
            description=f"{NAME} input",
        )
    ],
    outputs=[],
)
"""


def test_the_evaluator_reads_what_a_person_reads() -> None:
    module = Module(SPEC)
    found = module.constant_call("Specification")
    assert found is not None
    value = module.value(found[1])
    assert isinstance(value, Call)
    assert value.kwargs["step_type"] == "Tabular_Training"
    assert value.kwargs["node_type"] == "internal"
    dep = value.kwargs["dependencies"][0]
    assert dep.kwargs["logical_name"] == "DATA"
    assert dep.kwargs["dependency_type"] == "processing_output"
    assert dep.kwargs["semantic_keywords"] == ["data", "input", "raw"]
    assert dep.kwargs["description"] == "DATA input"
    unknown = dep.kwargs["compatible_sources"]
    assert isinstance(unknown, Unknown) and "imported" in unknown.why and unknown.line == 15


def test_what_is_not_read_statically_is_a_todo(tmp_path: Path) -> None:
    root = _copy("multi", tmp_path)
    spec = next((root / "shared").rglob("xgboost_training_spec.py"))
    text = spec.read_text().replace(
        "script_contract=XGBOOST_TRAINING_CONTRACT,",
        "script_contract=XGBOOST_TRAINING_CONTRACT,\n    dependencies=EXTRA_DEPS + [\n"
        '        DependencySpec(logical_name="data", dependency_type=DependencyType.TRAINING_DATA)'
        "\n    ],",
    )
    spec.write_text("from elsewhere import EXTRA_DEPS\n" + text)
    plan = StepCatalog([root]).migrate(["XGBoostTraining"])
    interface = next(c for c in plan.changes if c.kind == "interface")
    assert interface.new is not None
    assert "# TODO:" in interface.new and "EXTRA_DEPS" in interface.new
    assert yaml.safe_load(interface.new)["spec"]["dependencies"] == {
        "data": {"type": "training_data"}
    }
    assert read_interface("x.step.yaml", interface.new.encode()).problems == []
    todo = [n for n in plan.notes if n.kind == "todo" and "EXTRA_DEPS" in n.message]
    assert todo and todo[0].path == spec.resolve() and todo[0].line


# -- the YAML writer and the DAG converter ----------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "yes",
        "no",
        "1.0",
        "null",
        "a: b",
        "# x",
        "x #y",
        " lead",
        "trail ",
        "it's",
        "'q'",
        "- item",
        "multi\nline\n",
        "no newline\nat end",
        "\n starts blank",
        "tab\there",
        "",
        "properties.Outputs['DATA'].S3Uri",
        "{a}",
        "100%",
        "@at",
        "ünïcode",
        "x\x07y",
    ],
)
def test_the_yaml_writer_round_trips(value: str) -> None:
    doc = {"k": value, "l": [value], "m": {value or "e": 1}}
    assert check(dump(doc), doc)


def test_todos_are_comments() -> None:
    doc = {"a": {"b": Todo("left"), "c": [1, Todo("item")]}, "d": Todo("top")}
    text = dump(doc, ["header"])
    assert text.splitlines()[0] == "# header"
    assert "# TODO: b: left" in text and "# TODO: item" in text and "# TODO: d: top" in text
    assert yaml.safe_load(text) == {"a": {"c": [1]}}


def test_dag_loops_and_conditionals_are_reported() -> None:
    text = """
from x import PipelineDAG, DAGMetadata
STEPS = ["A", "B"]
def build(flag):
    dag = PipelineDAG()
    dag.add_node("A")
    dag.add_node("B")
    for s in STEPS:
        dag.add_node(s + "_x")
    if flag:
        dag.add_edge("A", "B")
    dag.add_edge("B", "C")
    return dag
def meta():
    return DAGMetadata(name="ab", framework="xgboost", node_count=9)
"""
    result = convert_dag(text, "ab_dag", "ab_dag.py")
    assert result.nodes == ["A", "B", "C"]
    assert result.edges == [["B", "C"]]
    assert result.metadata == {"name": "ab", "framework": "xgboost"}
    messages = [m for _, m in result.notes]
    assert any("a for loop" in m for m in messages)
    assert any("a conditional" in m for m in messages)
    assert any("'C' was never added" in m for m in messages)


def test_the_exporter_flavour_reads_back_and_is_stable(tmp_path: Path) -> None:
    root = _copy("mixed", tmp_path)
    plan = StepCatalog([root]).migrate(dag_flavour="exporter")
    change = next(c for c in plan.changes if c.kind == "dag")
    assert change.new is not None
    facts = read_dag_json(str(change.path), change.new.encode())
    assert facts.flavour == "exporter" and facts.problems == []
    stats = json.loads(change.new)["statistics"]
    assert stats["has_cycles"] is False and stats["max_depth"] == 4
    assert stats["entry_nodes"] == ["CradleDataLoading_training", "CradleDataLoading_calibration"]
    assert main(["migrate", str(root), "--write", "--dag-flavour", "exporter"]) == 0
    assert StepCatalog([root]).migrate(dag_flavour="exporter").changes == []


def test_check_mode_for_ci(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = _copy("multi", tmp_path)
    assert main(["migrate", str(root), "--check"]) == 1
    captured = capsys.readouterr()
    assert captured.out == "" and "would migrate 3 step(s)" in captured.err
    assert main(["migrate", str(root), "--write", "--no-backup"]) == 0
    assert not list(root.rglob("*.bak"))
    capsys.readouterr()
    assert main(["migrate", str(root), "--check"]) == 0
    assert "would migrate 0 step(s)" in capsys.readouterr().err  # the override is still listed


REAL_V1 = Path("/work/real/cursus-v1/src")  # a local reconstruction, not in the repository


@pytest.mark.skipif(not REAL_V1.is_dir(), reason="the real 1.x tree is not on this machine")
def test_the_real_1x_tree_converts_without_new_problems(tmp_path: Path) -> None:
    root = tmp_path / "real"
    shutil.copytree(REAL_V1, root / "src")
    catalog = StepCatalog([root])
    before = catalog.problems()
    plan = catalog.migrate()
    assert len(plan.steps) >= 25
    for change in plan.changes:
        if change.kind == "interface":
            assert change.new is not None
            assert read_interface(str(change.path), change.new.encode()).problems == []
    assert main(["migrate", str(root), "--write"]) == 0
    assert plan.new_problems(before, StepCatalog([root]).problems()) == []
    assert StepCatalog([root]).migrate().changes == []


REGISTRY = """STEP_NAMES = {
    # the loader
    'Loader': {"config_class": "LoaderConfig", "sagemaker_step_type": "Processing", "description": "a {brace}, a ' quote"},  # trailing
    "Keep": {
        "config_class": "KeepConfig",
        "sagemaker_step_type": "Base",
        "description": "stays",  # }
    },
    "Last": dict(sagemaker_step_type="Processing", description="(x)")
}
"""
LOADER_SPEC = """from x import StepSpecification, get_spec_step_type, NodeType
LOADER_SPEC = StepSpecification(step_type=get_spec_step_type("Loader"), node_type=NodeType.SOURCE)
"""


def test_registry_entries_are_cut_exactly(tmp_path: Path) -> None:
    (tmp_path / "registry").mkdir()
    (tmp_path / "registry/step_names.py").write_text(REGISTRY)
    (tmp_path / "steps/specs").mkdir(parents=True)
    (tmp_path / "steps/specs/loader_spec.py").write_text(LOADER_SPEC)
    (tmp_path / "steps/specs/last_spec.py").write_text(LOADER_SPEC.replace("Loader", "Last"))
    plan = StepCatalog([tmp_path]).migrate(["Loader", "Last"])
    registry = next(c for c in plan.changes if c.kind == "registry")
    assert registry.new == (
        "STEP_NAMES = {\n"
        "    # the loader\n"
        '    "Keep": {\n'
        '        "config_class": "KeepConfig",\n'
        '        "sagemaker_step_type": "Base",\n'
        '        "description": "stays",  # }\n'
        "    },\n"
        "}\n"
    )
    interface = next(c for c in plan.changes if c.path.name == "loader.step.yaml")
    assert interface.new is not None and "node_type: source" in interface.new


def test_a_contract_another_step_still_uses_stays(tmp_path: Path) -> None:
    root = _copy("irregular", tmp_path)
    specs = root / "src/pipelines/steps/specs"
    (root / "src/pipelines/steps/contracts/dummy_contract.py").unlink()
    dummy = specs / "dummy_spec.py"
    dummy.write_text(
        dummy.read_text().replace(
            "dummy_contract import DUMMY_CONTRACT", "preprocess_contract import PREPROCESS_CONTRACT"
        )
    )
    plan = StepCatalog([root]).migrate(["Dummy"])
    removed = {c.path.name for c in plan.changes if c.new is None}
    assert "preprocess_contract.py" not in removed and "dummy_spec.py" in removed
    kept = [
        n
        for n in plan.notes
        if n.kind == "kept" and n.path and n.path.name == "preprocess_contract.py"
    ]
    assert kept and "TabularPreprocessing" in kept[0].message
    interface = next(c for c in plan.changes if c.kind == "interface")
    assert interface.new is not None and "entry_point: tabular_preprocessing.py" in interface.new
    both = StepCatalog([root]).migrate(["Dummy", "TabularPreprocessing"])
    assert "preprocess_contract.py" in {c.path.name for c in both.changes if c.new is None}


def test_hostile_modules_are_reported_not_raised(tmp_path: Path) -> None:
    """Fuzz finding: a spec whose line nests 3,000 operators deep made ``ast.parse`` raise
    RecursionError inside the migration (the code action's request failed). Now such a module
    is one that does not parse; and a DAG of 5,000 chained nodes has its depth measured
    without recursion."""
    root = _copy("demo", tmp_path)
    spec = root / "src/cursus/steps/specs/xgboost_training_spec.py"
    spec.write_text(spec.read_text() + "\nDEEP = " + "-" * 50_000 + "1\n")  # past any limit
    assert Module(spec.read_text()).tree is None
    plan = StepCatalog([root]).migrate(["XGBoostTraining"])
    assert [s.step for s in plan.steps] == ["XGBoostTraining"]  # read as a 1.x step still is

    chain = "\n".join(f'dag.add_edge("S{i}", "S{i + 1}")' for i in range(5_000))
    result = convert_dag("dag = PipelineDAG()\n" + chain + "\n", "chain", "chain.py")
    assert len(result.nodes) == 5_001
    document = json.loads(dag_document(result, "chain.py", "exporter", None))
    assert document["statistics"]["max_depth"] == 5_000


def test_one_step_that_fails_to_convert_costs_only_itself(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The migration's guard: an unexpected failure while converting one step takes back what
    that step had added to the plan, says so in a note, and every other step is migrated."""
    from catalog_core.features.migrate import plan as plan_module

    root = _copy("demo", tmp_path)
    everything = StepCatalog([root]).migrate()
    real_step = plan_module._step

    def failing(db, plan, info, reg, ws):  # type: ignore[no-untyped-def]
        if info.step_name == "XGBoostTraining":
            plan.changes.append(plan.changes[0])  # something half done, then the bug
            raise RuntimeError("planted")
        return real_step(db, plan, info, reg, ws)

    monkeypatch.setattr(plan_module, "_step", failing)
    plan = StepCatalog([root]).migrate()
    assert {s.step for s in plan.steps} == {s.step for s in everything.steps} - {"XGBoostTraining"}
    (note,) = [n for n in plan.notes if n.step == "XGBoostTraining"]
    assert note.kind == "skipped" and "RuntimeError: planted" in note.message
    assert not [c for c in plan.changes if "xgboost_training" in c.path.name]
