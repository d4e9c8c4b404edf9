"""Builds the SageMaker step of CradleDataLoading."""

from ...core.base.builder_base import StepBuilderBase
from ..configs.config_cradle_data_loading_step import CradleDataLoadConfig


class CradleDataLoadingStepBuilder(StepBuilderBase):
    """Creates the CradleDataLoading step from a CradleDataLoadConfig."""

    def __init__(self, config: CradleDataLoadConfig, sagemaker_session=None, role=None):
        super().__init__(config=config, sagemaker_session=sagemaker_session, role=role)

    def create_step(self, **kwargs):
        raise NotImplementedError("demo")
