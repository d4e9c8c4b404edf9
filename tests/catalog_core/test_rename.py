"""``stepcat rename`` and ``StepCatalog.plan_rename``: on the demo and the fixtures (both layouts;
a variant-bearing step, acronym steps, one-word steps, an interface step, a pack step), the
rename leaves no old name behind and ``stepcat check`` reports nothing new. The expected
changes are files on disk (``tests/fixtures/expected_rename/<case>.diff``, the ``--diff``
output); ``STEPCAT_REGEN=1`` rewrites them after a reviewed change."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest

from catalog_core.api import StepCatalog
from catalog_core.cli import main

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures"
EXPECTED = FIXTURES / "expected_rename"
DEMO = REPO / "examples" / "demo"

# (case, roots, old, new)
CASES = [
    ("demo-tabular", [DEMO], "TabularPreprocessing", "TabularPrep"),  # variants + developer copy
    ("demo-cradle", [DEMO], "CradleDataLoading", "CradleLoad"),  # custom SageMaker type
    ("demo-xgboost", [DEMO], "XGBoostTraining", "XgbTrain"),  # acronym
    ("demo-lightgbmmt", [DEMO], "LightGBMMTTraining", "LgbmMultiTask"),  # developer, acronym
    ("demo-package", [DEMO], "Package", "Bundle"),  # one word
    ("demo-fraud", [DEMO], "FraudScoring", "FraudRisk"),  # step pack interface
    ("irregular-dummy", [FIXTURES / "irregular"], "Dummy", "Mock"),  # one word, DummyTraining
    ("irregular-tabular", [FIXTURES / "irregular"], "TabularPreprocessing", "TabPrep"),
    ("v2-tsa", [FIXTURES / "v2"], "TSATraining", "TsaTrain"),  # interface, acronym
    ("v2-cradle", [FIXTURES / "v2"], "CradleDataLoading", "CradleLoad"),  # interface variants
    ("v2-package", [FIXTURES / "v2"], "Package", "Bundle"),  # interface, one word
    ("v2-gnn", [FIXTURES / "v2"], "GraphStormGNNTraining", "GsTrain"),
    (
        "v2-project-fraud",
        [FIXTURES / "v2_project"],
        "FraudFeatureEngineering",
        "FraudFeatures",
    ),
]


def snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", name).lower()


def copy_roots(roots: list[Path], tmp: Path) -> list[Path]:
    copies = []
    for root in roots:
        target = tmp / root.name
        shutil.copytree(root, target)
        copies.append(target)
    return copies


def problems(roots: list[Path], old: str, new: str) -> set[tuple[str, str, str]]:
    """Every problem as (rule, file, message), with the old names spelled as the new ones."""
    catalog = StepCatalog(roots)

    def norm(text: str) -> str:
        return text.replace(old, new).replace(snake(old), snake(new))

    base = [str(r.resolve()) for r in roots]
    found = set()
    for p in catalog.problems():
        path = str(p.path or "")
        for b in base:
            path = path.replace(b, "")
        found.add((p.rule, norm(path), norm(p.message)))
    return found


def leftovers(roots: list[Path], old: str) -> list[str]:
    """Lines still naming the step: whole-token uses, except prose (README, descriptions,
    comments) and SageMaker types (a custom type may equal the step's name)."""
    token = re.compile(rf"(?<![A-Za-z0-9_]){re.escape(old)}(?:_[a-z]\w*|Config|StepBuilder)?\b")
    found = []
    for root in roots:
        for path in root.rglob("*"):
            if not path.is_file() or path.suffix not in (".py", ".json", ".yaml", ".ipynb"):
                continue
            for n, line in enumerate(path.read_text("utf-8").splitlines()):
                code = line.split("#")[0] if path.suffix in (".py", ".yaml") else line
                if token.search(code) and not re.search("sagemaker_step_type|description", line):
                    found.append(f"{path.relative_to(root)}:{n + 1}: {line.strip()}")
    return found


@pytest.mark.parametrize(("case", "roots", "old", "new"), CASES, ids=[c[0] for c in CASES])
def test_rename_leaves_no_old_name_and_no_new_problem(
    case: str,
    roots: list[Path],
    old: str,
    new: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    copies = copy_roots(roots, tmp_path)
    before = problems(copies, old, new)
    assert main(["rename", old, new, *map(str, copies)]) == 0
    diff = capsys.readouterr().out.replace(str(tmp_path), "")
    expected = EXPECTED / f"{case}.diff"
    if os.environ.get("STEPCAT_REGEN"):
        expected.parent.mkdir(exist_ok=True)
        expected.write_text(diff)
    assert diff == expected.read_text()
    assert main(["rename", old, new, *map(str, copies), "--write"]) == 0
    capsys.readouterr()
    for backup in tmp_path.rglob("*.bak*"):
        backup.unlink()
    after = problems(copies, old, new)
    assert after - before == set()
    assert leftovers(copies, old) == []
    catalog = StepCatalog(copies)
    assert new in catalog.list_available_steps()
    assert old not in catalog.list_available_steps()


def test_rename_backups_restore_the_tree(tmp_path: Path) -> None:
    (root,) = copy_roots([DEMO], tmp_path)
    plan = StepCatalog(root).plan_rename("Package", "Bundle")
    written = plan.write()
    assert written
    for r in plan.renames:
        assert r.new.exists() and not r.old.exists()
        assert r.old.with_name(r.old.name + ".bak").exists()  # the old name's backup
    for path, text in plan.texts.items():
        assert path.with_name(path.name + ".bak").read_text() == text


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("Package", "XGBoostTraining", "is taken: step 'XGBoostTraining' exists"),
        ("Package", "xgboost_training", "is not a valid step name"),
        ("Package", "New_training", "is not a valid step name"),
        ("Package", "Package", "already called"),
        ("NoSuchStep", "Other", "no step named 'NoSuchStep'"),
        ("Package", "Xgboosttraining", "taken"),
    ],
)
def test_rename_refusals(
    old: str, new: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = StepCatalog(DEMO).plan_rename(old, new)
    assert plan.error is not None and message in plan.error
    assert not plan.changes
    assert main(["rename", old, new, str(DEMO)]) == 2
    assert message in capsys.readouterr().err


def test_rename_refuses_a_read_only_file(tmp_path: Path) -> None:
    (root,) = copy_roots([DEMO], tmp_path)
    registry = root / "src/cursus/registry/step_names.py"
    registry.chmod(0o444)
    plan = StepCatalog(root).plan_rename("Package", "Bundle")
    assert plan.error is not None and "read-only" in plan.error


def test_rename_refuses_an_existing_target_file(tmp_path: Path) -> None:
    (root,) = copy_roots([DEMO], tmp_path)
    (root / "src/cursus/steps/contracts/bundle_contract.py").write_text("# in the way\n")
    plan = StepCatalog(root).plan_rename("Package", "Bundle")
    assert plan.error is not None and "bundle_contract.py" in plan.error and "exists" in plan.error


def test_rename_without_file_renames_changes_text_only(tmp_path: Path) -> None:
    (root,) = copy_roots([DEMO], tmp_path)
    before = sorted(p.name for p in root.rglob("*.py"))
    assert main(["rename", "Package", "Bundle", str(root), "--write", "--keep-file-names"]) == 0
    assert sorted(p.name for p in root.rglob("*.py")) == before
    assert "Bundle" in StepCatalog(root).list_available_steps()


def test_rename_uses_unsaved_editor_text(tmp_path: Path) -> None:
    (root,) = copy_roots([DEMO], tmp_path)
    dag = root / "pipelines/xgboost_pipeline.py"
    catalog = StepCatalog(root)
    text = dag.read_text() + '\ndag.add_node("Package_extra")\n'
    catalog.set_document(dag, text)
    plan = catalog.plan_rename("Package", "Bundle")
    assert any(c.new_text == "Bundle_extra" for c in plan.changes)
    assert "Bundle_extra" in plan.new_texts()[dag.resolve()]


def test_rename_diff_json_free_of_absolute_paths(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rename", "Package", "Bundle", str(DEMO)]) == 0
    captured = capsys.readouterr()
    assert str(DEMO) not in captured.out  # one root: paths relative to it
    assert "rename from src/cursus/steps/contracts/package_contract.py" in captured.out
    assert "--write to apply" in captured.err
    json.dumps(captured.out)


def test_rename_refuses_a_read_only_source(tmp_path: Path) -> None:
    """A file of a read-only source (the installed framework, when it plugs in) is never edited."""
    from catalog_core.sources.source import Source, SourceKind

    (root,) = copy_roots([DEMO], tmp_path)
    catalog = StepCatalog(root)
    db = catalog._db
    db.sources = [Source(str(root.resolve() / "src"), SourceKind.PACKAGE, 0, read_only=True)]
    plan = catalog.plan_rename("Package", "Bundle")
    assert plan.error is not None and "read-only source" in plan.error
