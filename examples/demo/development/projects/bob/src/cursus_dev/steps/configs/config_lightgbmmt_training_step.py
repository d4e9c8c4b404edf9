"""LightGBM multi-task training configuration."""

from cursus.core.base.config_base import BasePipelineConfig


class LightGBMMTTrainingConfig(BasePipelineConfig):
    num_tasks: int = 3
