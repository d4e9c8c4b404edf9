"""PyTorch model evaluation specification."""

from ...core.base.specification_base import NodeType, StepSpecification
from ...registry.step_names import get_spec_step_type
from ..contracts.pytorch_model_eval_contract import PYTORCH_MODEL_EVAL_CONTRACT

PYTORCH_MODEL_EVAL_SPEC = StepSpecification(
    step_type=get_spec_step_type("PyTorchModelEval"),
    node_type=NodeType.INTERNAL,
    script_contract=PYTORCH_MODEL_EVAL_CONTRACT,
    dependencies=[],
    outputs=[],
)
