"""LightGBM multi-task training specification (no contract yet: work in progress)."""

from cursus.core.base.specification_base import NodeType, StepSpecification
from cursus.registry.step_names import get_spec_step_type

LIGHTGBMMT_TRAINING_SPEC = StepSpecification(
    step_type=get_spec_step_type("LightGBMMTTraining"),
    node_type=NodeType.INTERNAL,
    dependencies=[],
    outputs=[],
)
