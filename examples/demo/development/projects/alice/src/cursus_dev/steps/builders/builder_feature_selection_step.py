"""Builds the feature selection step."""

from cursus.core.base.builder_base import StepBuilderBase


class FeatureSelectionStepBuilder(StepBuilderBase):
    def create_step(self, **kwargs):
        raise NotImplementedError("demo")
