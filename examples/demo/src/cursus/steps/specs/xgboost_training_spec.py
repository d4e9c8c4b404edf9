"""XGBoost training specification. Its name ends like a job type, but it is the base spec of
XGBoostTraining, not a 'training' variant of some 'XGBoost' step."""

from ...core.base.specification_base import DependencySpec, DependencyType, NodeType, StepSpecification
from ...registry.step_names import get_spec_step_type
from ..contracts.xgboost_training_contract import XGBOOST_TRAIN_CONTRACT

XGBOOST_TRAINING_SPEC = StepSpecification(
    step_type=get_spec_step_type("XGBoostTraining"),
    node_type=NodeType.INTERNAL,
    script_contract=XGBOOST_TRAIN_CONTRACT,
    dependencies=[
        DependencySpec(
            logical_name="input_path",
            dependency_type=DependencyType.TRAINING_DATA,
            required=True,
            compatible_sources=["TabularPreprocessing"],
        )
    ],
    outputs=[],
)
