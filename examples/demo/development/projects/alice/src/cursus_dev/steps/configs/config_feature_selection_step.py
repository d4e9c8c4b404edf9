"""Feature selection configuration."""

from cursus.steps.configs.config_processing_step_base import ProcessingStepConfigBase


class FeatureSelectionConfig(ProcessingStepConfigBase):
    top_k: int = 20
