"""Configuration of the FraudScoring step (this project's step pack)."""

from cursus.steps.configs.config_processing_step_base import ProcessingStepConfigBase


class FraudScoringConfig(ProcessingStepConfigBase):
    """Where the model and the data to score are, and how to score."""

    job_type: str = "calibration"
    score_threshold: float = 0.5
