"""Every failure found on real and hostile inputs (issue 10), each a regression test: the input
becomes a positioned problem or is read correctly, and everything else is still indexed."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from catalog_core import StepCatalog

DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo"
DEMO_STEPS = 9  # 8 in the 1.x layout, FraudScoring in the step pack
SHARED_REGISTRY = "src/cursus/registry/step_names.py"


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    import shutil

    root = tmp_path / "demo"
    shutil.copytree(DEMO, root, symlinks=True)
    return root


def rules(catalog: StepCatalog) -> dict[str, list[tuple[str, int]]]:
    found: dict[str, list[tuple[str, int]]] = {}
    for p in catalog.problems():
        found.setdefault(p.rule, []).append((p.path.name if p.path else "", p.span.start_line))
    return found


def assert_intact(catalog: StepCatalog) -> None:
    """The catalog still knows every demo step, and no internal error happened."""
    assert len(catalog.list_available_steps()) == DEMO_STEPS
    assert "internal-error" not in rules(catalog)
    assert catalog.get_step_info("CradleDataLoading_training") is not None
    assert [w.workspace_id for w in catalog.list_workspaces()] == [
        "shared",
        "alice",
        "bob",
        "fraud_detection",
    ]


def test_registry_template_inside_an_fstring_is_not_a_registry(demo: Path) -> None:
    (demo / "src/cursus/registry/hybrid_setup.py").write_text(
        'TEMPLATE = f"""\n'
        "WORKSPACE_METADATA = {{\n"
        '    "developer_id": "{dev}",\n'
        "}}\n"
        "LOCAL_STEPS = {{}}\n"
        '"""\n'
    )
    catalog = StepCatalog(demo)
    assert_intact(catalog)
    assert catalog.get_step_info("TabularPreprocessing").workspace_id == "shared"


@pytest.mark.parametrize(
    ("settings", "line"),
    [
        ('registry_files = ["/etc/*.py"]', 1),
        ('registry_files = [""]', 1),
        ('registry_files = ["../../**/*.py"]', 1),
        ('exclude = ["../x"]', 1),
        ('config_files = ["/abs/*.json"]', 1),
        ("x = " + "[" * 3000 + "]" * 3000, 0),  # nested too deeply for the TOML reader
        ("max_file_size = " + "9" * 5000, 0),  # an integer int() refuses
    ],
)
def test_bad_settings_become_invalid_settings_problems(
    demo: Path, settings: str, line: int
) -> None:
    (demo / "pyproject.toml").write_text(f"[tool.stepcat]\n{settings}\n")
    catalog = StepCatalog(demo)
    assert_intact(catalog)
    assert rules(catalog)["invalid-settings"] == [("pyproject.toml", line)]


def test_a_non_table_tool_key_means_no_settings(demo: Path) -> None:
    (demo / "pyproject.toml").write_text('tool = "x"\n')
    catalog = StepCatalog(demo)
    assert_intact(catalog)
    assert "invalid-settings" not in rules(catalog)


def test_registry_globs_match_inside_the_root_only(demo: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside_registry.py"
    outside.write_text('STEP_NAMES = {"Outsider": {"sagemaker_step_type": "Processing"}}\n')
    extra = demo / "extra" / "my_steps.py"
    extra.parent.mkdir()
    extra.write_text('STEP_NAMES = {"Insider": {"sagemaker_step_type": "Utility"}}\n')
    (demo / "pyproject.toml").write_text('[tool.stepcat]\nregistry_files = ["**/my_steps.py"]\n')
    catalog = StepCatalog(demo)
    assert "Insider" in catalog.list_available_steps()
    assert "Outsider" not in catalog.list_available_steps()


def test_config_json_with_a_huge_integer_is_still_checked(demo: Path) -> None:
    config = demo / "pipeline_configs/config_xgboost_pipeline.json"
    text = config.read_text()
    config.write_text(text.replace("{", '{"big": ' + "9" * 5000 + ",", 1))
    catalog = StepCatalog(demo)
    assert_intact(catalog)
    assert rules(catalog)["config-unknown-job-type"] == [("config_xgboost_pipeline.json", 56)]


def test_workspace_metadata_with_non_string_keys(demo: Path) -> None:
    registry = demo / "development/projects/alice/src/cursus_dev/registry/workspace_registry.py"
    registry.write_text(registry.read_text() + "\nWORKSPACE_METADATA = {1: 2}\n")
    assert_intact(StepCatalog(demo))


def test_twelve_hundred_nested_folders_in_a_component_folder(demo: Path) -> None:
    top = folder = demo / "src/cursus/steps/scripts"
    chain = []
    for _ in range(1200):
        folder = folder / "d"
        folder.mkdir()
        chain.append(folder)
    (folder / "deep_helper.py").write_text("x = 1\n")
    try:
        catalog = StepCatalog(demo)
        assert_intact(catalog)
        assert catalog.component_at(folder / "deep_helper.py") is not None
    finally:  # deeper than shutil.rmtree (and pytest's clean-up) can recurse
        (folder / "deep_helper.py").unlink()
        for made in reversed(chain):
            made.rmdir()
        assert top.is_dir()


def test_open_document_with_a_lone_surrogate(demo: Path) -> None:
    catalog = StepCatalog(demo)
    dag = demo / "pipelines/xgboost_pipeline.py"
    catalog.set_document(dag, dag.read_text() + '\ndag.add_node("Tab\ud800")\n')
    assert_intact(catalog)
    assert ("xgboost_pipeline.py", 24) in rules(catalog)["dag-unknown-step"]


@pytest.mark.parametrize(
    ("content", "rule"),
    [
        (b"STEP_NAMES = {}\x00\x01", "binary-file"),
        (b"# x\n" * (3 * 1024 * 1024), "file-too-large"),
    ],
)
def test_an_unusable_registry_says_so(demo: Path, content: bytes, rule: str) -> None:
    (demo / SHARED_REGISTRY).write_bytes(content)
    catalog = StepCatalog(demo)
    if rule == "file-too-large":
        (demo / "pyproject.toml").write_text("[tool.stepcat]\nmax_file_size = 1000000\n")
        catalog = StepCatalog(demo)
    assert rules(catalog)[rule] == [("step_names.py", 0)]


def test_unreadable_registry_says_so(demo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = str((demo / SHARED_REGISTRY).resolve())
    real_open = os.open

    def refusing_open(path, flags, *args):  # type: ignore[no-untyped-def]
        if os.fspath(path) == target:
            raise PermissionError(13, "Permission denied", target)
        return real_open(path, flags, *args)

    monkeypatch.setattr(os, "open", refusing_open)
    assert rules(StepCatalog(demo))["unreadable-file"] == [("step_names.py", 0)]


def test_config_json_with_a_bom_and_at_the_root_is_checked(demo: Path) -> None:
    config = demo / "pipeline_configs/config_xgboost_pipeline.json"
    text = config.read_text()
    config.write_text("\ufeff" + text)
    (demo / "root_config.json").write_text(text)
    found = rules(StepCatalog(demo))["config-unknown-job-type"]
    assert found == [("config_xgboost_pipeline.json", 56), ("root_config.json", 56)]


def test_truncated_config_value_gives_no_negative_span(demo: Path) -> None:
    catalog = StepCatalog(demo)
    config = demo / "pipeline_configs/truncated.json"
    catalog.set_document(config, '{"metadata":{"config_types":{"":,')
    for problem in catalog.problems(config):
        span = problem.span
        assert min(span.start_line, span.start_character, span.end_line, span.end_character) >= 0
        assert (span.end_line, span.end_character) >= (span.start_line, span.start_character)


def test_an_empty_step_name_is_reported_not_listed(demo: Path) -> None:
    registry = demo / SHARED_REGISTRY
    registry.write_text(
        registry.read_text().replace("STEP_NAMES = {", 'STEP_NAMES = {\n    "": {},', 1)
    )
    catalog = StepCatalog(demo)
    assert "" not in catalog.list_available_steps()
    assert rules(catalog)["invalid-registry-entry"] == [("step_names.py", 3)]


def test_internal_error_in_one_file_leaves_the_others_indexed(
    demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The guard: a bug while reading one file is an internal-error problem on that file."""
    from catalog_core.facts import pyfacts

    real = pyfacts.extract_facts

    def buggy(data: bytes, **kwargs):  # type: ignore[no-untyped-def]
        if b"class TabularPreprocessingConfig" in data:
            raise RuntimeError("planted")
        return real(data, **kwargs)

    monkeypatch.setattr("catalog_core.facts.loader.extract_facts", buggy)
    catalog = StepCatalog(demo)
    internal = [p for p in catalog.problems() if p.rule == "internal-error"]
    assert [(p.path.name, p.severity.value) for p in internal] == [
        ("config_tabular_preprocessing_step.py", "error")
    ]
    assert "RuntimeError: planted" in internal[0].message
    assert len(catalog.list_available_steps()) == DEMO_STEPS
    assert catalog.get_step_info("XGBoostTraining").file_components["config"] is not None


def test_notebook_names_written_unlike_jupyter_are_positioned_in_the_file(tmp_path: Path) -> None:
    """Fuzz finding: a notebook whose code cell is a plain string (not Jupyter's list of lines)
    gave a node name a span starting before its line; it now sits on the cell's "source" key."""
    root = tmp_path / "project"
    (root / "notebooks").mkdir(parents=True)
    notebook = root / "notebooks" / "explore.ipynb"
    notebook.write_text(
        '{"cells": [{"cell_type": "code", "source": "dag.add_node(\'Nope\')"}], "nbformat": 4}'
    )
    problems = [p for p in StepCatalog(root).problems() if p.rule == "dag-unknown-step"]
    assert len(problems) == 1
    span = problems[0].span
    line = notebook.read_text().split("\n")[span.start_line]
    assert 0 <= span.start_character <= span.end_character <= len(line)
    assert line[span.start_character : span.end_character] == '"source"'


def test_a_node_name_of_thousands_of_underscores_is_split_in_linear_work(demo: Path) -> None:
    """Fuzz finding: a DAG string of 3,728 ``_`` made checking quadratic (every prefix joined,
    then looked up, 1.15 s for one file). Only prefixes as long as a step name can be are tried
    now; the name is still reported, and a real name with a job type still splits."""
    from catalog_core.base.names import MAX_STEP_NAME, split_node_name

    asked: list[str] = []

    def is_step(name: str) -> bool:
        asked.append(name)
        return name == "Step"

    hostile = "Step" + "_x" * 5_000
    assert split_node_name(hostile, is_step) == ("Step", "_".join(["x"] * 5_000))
    assert len(asked) <= MAX_STEP_NAME // 2 + 2
    assert max(map(len, asked[1:])) <= MAX_STEP_NAME
    assert split_node_name("Step_training_v2", is_step) == ("Step", "training_v2")

    dag = demo / "src" / "pipelines" / "hostile_dag.py"
    dag.parent.mkdir(parents=True, exist_ok=True)
    dag.write_text(f'dag.add_node("{"_" * 3_728}")\n')
    catalog = StepCatalog(demo)
    assert ("hostile_dag.py", 0) in rules(catalog)["dag-unknown-step"]
    assert_intact(catalog)
