"""Feature selection specification."""

from cursus.core.base.specification_base import NodeType, StepSpecification
from cursus.registry.step_names import get_spec_step_type
from ..contracts.feature_selection_contract import FEATURE_SELECTION_CONTRACT

FEATURE_SELECTION_SPEC = StepSpecification(
    step_type=get_spec_step_type("FeatureSelection"),
    node_type=NodeType.INTERNAL,
    script_contract=FEATURE_SELECTION_CONTRACT,
    dependencies=[],
    outputs=[],
)
