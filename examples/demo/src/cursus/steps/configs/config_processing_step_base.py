"""Base class of processing step configs (a helper, not a step component)."""

from ...core.base.config_base import BasePipelineConfig


class ProcessingStepConfigBase(BasePipelineConfig):
    processing_entry_point: str | None = None
