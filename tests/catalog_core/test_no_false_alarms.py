"""No false alarms on real trees: what real repositories do on purpose is never reported, and
what users silence stays silent (issue 10, section 3)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from catalog_core import StepCatalog

DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo"
DAG = "pipelines/xgboost_pipeline.py"


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    root = tmp_path / "demo"
    shutil.copytree(DEMO, root, symlinks=True)
    return root


def rule_lines(catalog: StepCatalog, rule: str) -> list[tuple[str, int]]:
    return [
        (p.path.name if p.path else "", p.span.start_line)
        for p in catalog.problems()
        if p.rule == rule
    ]


def test_workspace_metadata_in_a_test_fixture_claims_its_own_folder_only(demo: Path) -> None:
    fixture = demo / "tests/fixtures/ws"
    fixture.mkdir(parents=True)
    (fixture / "registry.py").write_text(
        'WORKSPACE_METADATA = {"developer_id": "tester"}\nLOCAL_STEPS = {}\n'
    )
    catalog = StepCatalog(demo)
    info = catalog.get_step_info("TabularPreprocessing")
    assert info is not None and info.workspace_id == "shared"
    assert catalog.workspace_of(demo / "src/cursus/steps") == "shared"
    assert catalog.workspace_of(fixture / "registry.py") == "tester"
    tester = next(w for w in catalog.list_workspaces() if w.workspace_id == "tester")
    assert tester.roots == [fixture.resolve()]


def test_dag_calls_quoted_in_docstrings_strings_and_comments_are_not_checked(demo: Path) -> None:
    (demo / "pipelines/documented.py").write_text(
        '"""How to build a DAG:\n'
        '>>> dag.add_node("data_load")\n'
        '"""\n'
        "EXAMPLE = \"dag.add_edge('a', 'b')\"\n"
        '# dag.add_node("commented_out")\n'
        'dag.add_node("Typo_Step")\n'
    )
    catalog = StepCatalog(demo)
    assert [(n, line) for n, line in rule_lines(catalog, "dag-unknown-step")] == [
        ("documented.py", 5)
    ]


def test_unusual_job_types_are_not_reported_and_typos_are(demo: Path) -> None:
    dag = demo / DAG
    dag.write_text(
        dag.read_text().replace(
            "    return dag",
            '    dag.add_node("TabularPreprocessing_tagging")\n'
            '    dag.add_node("TabularPreprocessing_sampling")\n'
            '    dag.add_node("TabularPreprocessing_inference")\n'
            '    dag.add_node("TabularPreprocessing_traning")\n'
            "    return dag",
        )
    )
    catalog = StepCatalog(demo)
    found = [p for p in catalog.problems() if p.rule == "dag-unknown-job-type"]
    assert [p.span.start_line for p in found] == [25]
    assert found[0].message.endswith("did you mean 'TabularPreprocessing_training'?")


def test_inline_suppression_silences_one_rule_on_one_line(demo: Path) -> None:
    dag = demo / DAG
    dag.write_text(
        dag.read_text().replace(
            "    return dag",
            '    dag.add_node("Nope")  # stepcat: ignore[dag-unknown-step]\n'
            '    dag.add_node("AlsoNope")  # stepcat: ignore[some-other-rule]\n'
            '    dag.add_node("StillNope")  # stepcat: ignore\n'
            "    return dag",
        )
    )
    assert rule_lines(StepCatalog(demo), "dag-unknown-step") == [("xgboost_pipeline.py", 23)]


def test_per_file_ignores_in_settings(demo: Path) -> None:
    settings = demo / "pyproject.toml"
    settings.write_text(
        settings.read_text()
        + '\n[tool.stepcat.per_file_ignores]\n"pipeline_configs/*.json" = ["config-unknown-job-type"]\n'
        + '"src/cursus/steps/scripts/**" = ["*"]\n'
    )
    catalog = StepCatalog(demo)
    assert rule_lines(catalog, "config-unknown-job-type") == []
    assert rule_lines(catalog, "unlinked-component") == []
    assert rule_lines(catalog, "missing-spec") == [("step_names.py", 42)]


@pytest.mark.parametrize("folder", ["site-packages", ".venv", "node_modules", "build", "dist"])
def test_third_party_and_generated_trees_are_excluded(demo: Path, folder: str) -> None:
    copy = demo / folder / "vendored" / "steps" / "specs"
    copy.mkdir(parents=True)
    (copy / "broken_spec.py").write_text('X = StepSpecification(step_type="Unknown")\n')
    catalog = StepCatalog(demo)
    assert not any(folder in str(p.path) for p in catalog.problems())
