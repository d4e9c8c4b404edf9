"""Builds the SageMaker step of Package."""

from ...core.base.builder_base import StepBuilderBase
from ..configs.config_package_step import PackageConfig


class PackageStepBuilder(StepBuilderBase):
    """Creates the Package step from a PackageConfig."""

    def __init__(self, config: PackageConfig, sagemaker_session=None, role=None):
        super().__init__(config=config, sagemaker_session=sagemaker_session, role=role)

    def create_step(self, **kwargs):
        raise NotImplementedError("demo")
