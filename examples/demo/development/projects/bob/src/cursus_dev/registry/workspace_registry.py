"""Bob's workspace registry."""

WORKSPACE_METADATA = {"developer_id": "bob", "version": "0.1.0"}

LOCAL_STEPS = {
    "LightGBMMTTraining": {
        "config_class": "LightGBMMTTrainingConfig",
        "builder_step_name": "LightGBMMTTrainingStepBuilder",
        "spec_type": "LightGBMMTTraining",
        "sagemaker_step_type": "Training",
        "description": "Multi-task LightGBM training",
    },
}
