"""Builds the SageMaker step of PyTorchModelEval."""

from ...core.base.builder_base import StepBuilderBase
from ..configs.config_pytorch_model_eval_step import PyTorchModelEvalConfig


class PyTorchModelEvalStepBuilder(StepBuilderBase):
    """Creates the PyTorchModelEval step from a PyTorchModelEvalConfig."""

    def __init__(self, config: PyTorchModelEvalConfig, sagemaker_session=None, role=None):
        super().__init__(config=config, sagemaker_session=sagemaker_session, role=role)

    def create_step(self, **kwargs):
        raise NotImplementedError("demo")
