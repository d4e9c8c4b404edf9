"""Builds the LightGBM multi-task training step."""

from cursus.core.base.builder_base import StepBuilderBase


class LightGBMMTTrainingStepBuilder(StepBuilderBase):
    def create_step(self, **kwargs):
        raise NotImplementedError("demo")
