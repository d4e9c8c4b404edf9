"""Tabular preprocessing configuration."""

from pydantic import Field

from .config_processing_step_base import ProcessingStepConfigBase
from ...core.base.config_base import BasePipelineConfig


class TabularPreprocessingConfig(ProcessingStepConfigBase):
    """Settings of the TabularPreprocessing step."""

    job_type: str = Field(default="training", description="One of training, calibration, validation, testing")
    instance_type: str = Field(default="ml.m5.2xlarge")

    def get_script_contract(self):
        return None
