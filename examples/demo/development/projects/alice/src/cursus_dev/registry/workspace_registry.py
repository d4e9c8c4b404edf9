"""Alice's workspace registry: one new step and an override of a core step."""

WORKSPACE_METADATA = {
    "developer_id": "alice",
    "version": "1.0.0",
    "description": "Feature selection experiments",
}

LOCAL_STEPS = {
    "FeatureSelection": {
        "config_class": "FeatureSelectionConfig",
        "builder_step_name": "FeatureSelectionStepBuilder",
        "spec_type": "FeatureSelection",
        "sagemaker_step_type": "Processing",
        "description": "Selects features by mutual information",
    },
}

STEP_OVERRIDES = {
    "TabularPreprocessing": {
        "config_class": "TabularPreprocessingConfig",
        "builder_step_name": "TabularPreprocessingStepBuilder",
        "spec_type": "TabularPreprocessing",
        "sagemaker_step_type": "Processing",
        "description": "Tabular preprocessing with Alice's outlier clipping",
    },
}
