"""Builds the SageMaker step of XGBoostModel."""

from ...core.base.builder_base import StepBuilderBase
from ..configs.config_xgboost_model_step import XGBoostModelConfig


class XGBoostModelStepBuilder(StepBuilderBase):
    """Creates the XGBoostModel step from a XGBoostModelConfig."""

    def __init__(self, config: XGBoostModelConfig, sagemaker_session=None, role=None):
        super().__init__(config=config, sagemaker_session=sagemaker_session, role=role)

    def create_step(self, **kwargs):
        raise NotImplementedError("demo")
