"""Builds the SageMaker step of TabularPreprocessing."""

from ...core.base.builder_base import StepBuilderBase
from ..configs.config_tabular_preprocessing_step import TabularPreprocessingConfig


class TabularPreprocessingStepBuilder(StepBuilderBase):
    """Creates the TabularPreprocessing step from a TabularPreprocessingConfig."""

    def __init__(self, config: TabularPreprocessingConfig, sagemaker_session=None, role=None):
        super().__init__(config=config, sagemaker_session=sagemaker_session, role=role)

    def create_step(self, **kwargs):
        raise NotImplementedError("demo")
