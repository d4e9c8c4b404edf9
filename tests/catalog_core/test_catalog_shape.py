"""``StepCatalog.shape_changed``: whether an edit altered what the Steps and DAG views show
(the server sends ``stepcat/catalogChanged`` only then). Edits of the demo's files as buffers,
with the expected answer as data."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from catalog_core.api import StepCatalog

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "examples" / "demo"
REGISTRY = "src/cursus/registry/step_names.py"
NEW_STEP = (
    '    "Calibration": {\n'
    '        "config_class": "CalibrationConfig",\n'
    '        "builder_step_name": "CalibrationStepBuilder",\n'
    '        "spec_type": "Calibration",\n'
    '        "sagemaker_step_type": "Processing",\n'
    '        "description": "Model calibration step",\n'
    "    },\n"
)

EDITS = [
    # (file, old text, new text, shape changed)
    ("src/cursus/steps/scripts/package.py", '"gztar"', '"zip"', False),  # a function body
    ("src/cursus/steps/scripts/package.py", "import shutil\n", "import shutil\n\n\n", False),
    ("src/cursus/steps/specs/package_spec.py", "outputs=[]", "outputs=[],  # none", False),
    (REGISTRY, '"Model packaging step"', '"Packages the model"', False),  # not shown
    (REGISTRY, "STEP_NAMES = {\n", "STEP_NAMES = {\n" + NEW_STEP, True),  # a new step
    (REGISTRY, '"sagemaker_step_type": "Training"', '"sagemaker_step_type": "Processing"', True),
    # the training variant spec now says it is Package's: a variant moves between steps
    (
        "src/cursus/steps/specs/cradle_data_loading_training_spec.py",
        '("CradleDataLoading", "training")',
        '("Package", "training")',
        True,
    ),
    # XGBoostModel's missing spec written: a component and a problem count change
    ("src/cursus/steps/specs/package_spec.py", '"Package"', '"XGBoostModel"', True),
]


@pytest.mark.parametrize(("relative", "old", "new", "expected"), EDITS)
def test_shape_changed_by_an_edit(
    tmp_path: Path, relative: str, old: str, new: str, expected: bool
) -> None:
    root = tmp_path / "demo"
    shutil.copytree(DEMO, root)
    catalog = StepCatalog(root)
    assert catalog.shape_changed(None) is True  # the first call: nothing seen before
    path = root / relative
    text = path.read_text()
    assert old in text
    changed = catalog.set_document(path, text.replace(old, new, 1))
    assert catalog.shape_changed(changed) is expected
    # the same state again: no change; back to the file on disk: the first shape again
    assert catalog.shape_changed(changed) is False
    assert catalog.shape_changed(catalog.close_document(path)) is expected
