"""Tabular preprocessing, calibration variant. (This step has no base spec: only variants.)"""

from typing import TYPE_CHECKING

from ...core.base.specification_base import DependencySpec, DependencyType, NodeType, StepSpecification
from ...registry.step_names import get_spec_step_type_with_job_type

if TYPE_CHECKING:
    from ..contracts.tabular_preprocess_contract import TABULAR_PREPROCESS_CONTRACT


def _get_contract():
    from ..contracts.tabular_preprocess_contract import TABULAR_PREPROCESS_CONTRACT

    return TABULAR_PREPROCESS_CONTRACT


PREPROCESSING_CALIBRATION_SPEC = StepSpecification(
    step_type=get_spec_step_type_with_job_type("TabularPreprocessing", "calibration"),
    node_type=NodeType.INTERNAL,
    script_contract=_get_contract(),
    dependencies=[
        DependencySpec(
            logical_name="DATA",
            dependency_type=DependencyType.PROCESSING_OUTPUT,
            required=True,
            compatible_sources=["CradleDataLoading"],
        )
    ],
    outputs=[],
)
