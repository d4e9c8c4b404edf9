"""Cradle data loading, calibration variant."""

from ...core.base.specification_base import DependencyType, NodeType, OutputSpec, StepSpecification
from ...registry.step_names import get_spec_step_type_with_job_type

DATA_LOADING_CALIBRATION_SPEC = StepSpecification(
    step_type=get_spec_step_type_with_job_type("CradleDataLoading", "calibration"),
    node_type=NodeType.SOURCE,
    dependencies=[],
    outputs=[
        OutputSpec(
            logical_name="DATA",
            output_type=DependencyType.PROCESSING_OUTPUT,
            property_path="properties.ProcessingOutputConfig.Outputs['DATA'].S3Output.S3Uri",
            description="calibration data",
        )
    ],
)
