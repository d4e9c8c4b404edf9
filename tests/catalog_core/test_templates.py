"""The files the "create the missing contract / spec" quick fix proposes: where they go and
imports that resolve, copied from the step's siblings (exact names, relative imports only from
the same tree, other trees' made absolute)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from catalog_core import StepCatalog
from catalog_core.models import ComponentType

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "examples" / "demo"
IRREGULAR = REPO / "tests" / "fixtures" / "irregular"


@pytest.mark.parametrize(
    ("root", "step", "kind", "where", "imports"),
    [
        (  # siblings import get_spec_step_type_with_job_type and get_spec_step_type: the exact one
            DEMO,
            "XGBoostModel",
            ComponentType.SPEC,
            "src/cursus/steps/specs/xgboost_model_spec.py",
            [
                "from ...core.base.specification_base import NodeType, StepSpecification",
                "from ...registry.step_names import get_spec_step_type",
            ],
        ),
        (  # a developer workspace with no contracts folder: another tree's import, absolute
            DEMO,
            "LightGBMMTTraining",
            ComponentType.CONTRACT,
            "development/projects/bob/src/cursus_dev/steps/contracts/"
            "lightgbmmt_training_contract.py",
            ["from cursus.core.base.contract_base import ScriptContract"],
        ),
        (
            IRREGULAR,
            "Registration",
            ComponentType.SPEC,
            "src/pipelines/steps/specs/registration_spec.py",
            [
                "from ...core.base.specification_base import NodeType, StepSpecification",
                "from ...registry.step_names import get_spec_step_type",
            ],
        ),
    ],
)
def test_new_component_files(
    root: Path, step: str, kind: ComponentType, where: str, imports: list[str]
) -> None:
    new = StepCatalog(root).new_component(step, kind)
    assert new is not None
    assert new.path == root / where
    tree = ast.parse(new.text)
    written = [
        ast.get_source_segment(new.text, n) for n in tree.body if isinstance(n, ast.ImportFrom)
    ]
    assert written == imports
    imported = {a.name for n in tree.body if isinstance(n, ast.ImportFrom) for a in n.names}
    used = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
    assert used <= imported, used - imported  # every name the file uses is imported
