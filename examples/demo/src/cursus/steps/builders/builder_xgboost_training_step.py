"""Builds the SageMaker step of XGBoostTraining."""

from ...core.base.builder_base import StepBuilderBase
from ..configs.config_xgboost_training_step import XGBoostTrainingConfig


class XGBoostTrainingStepBuilder(StepBuilderBase):
    """Creates the XGBoostTraining step from a XGBoostTrainingConfig."""

    def __init__(self, config: XGBoostTrainingConfig, sagemaker_session=None, role=None):
        super().__init__(config=config, sagemaker_session=sagemaker_session, role=role)

    def create_step(self, **kwargs):
        raise NotImplementedError("demo")
