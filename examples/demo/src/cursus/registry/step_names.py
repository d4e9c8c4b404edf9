"""Core step registry of the demo project (the framework's step_names module shape)."""

STEP_NAMES = {
    # --- data loading -------------------------------------------------------------------
    "CradleDataLoading": {
        "config_class": "CradleDataLoadConfig",
        "builder_step_name": "CradleDataLoadingStepBuilder",
        "spec_type": "CradleDataLoading",
        "sagemaker_step_type": "CradleDataLoading",
        "description": "Cradle data loading step",
    },
    # --- processing ---------------------------------------------------------------------
    "TabularPreprocessing": {
        "config_class": "TabularPreprocessingConfig",
        "builder_step_name": "TabularPreprocessingStepBuilder",
        "spec_type": "TabularPreprocessing",
        "sagemaker_step_type": "Processing",
        "description": "Tabular data preprocessing step",
    },
    "Package": {
        "config_class": "PackageConfig",
        "builder_step_name": "PackageStepBuilder",
        "spec_type": "Package",
        "sagemaker_step_type": "Processing",
        "description": "Model packaging step",
    },
    "PyTorchModelEval": {
        "config_class": "PyTorchModelEvalConfig",
        "builder_step_name": "PyTorchModelEvalStepBuilder",
        "spec_type": "PyTorchModelEval",
        "sagemaker_step_type": "Processing",
        "description": "PyTorch model evaluation step",
    },
    # --- training -----------------------------------------------------------------------
    "XGBoostTraining": {
        "config_class": "XGBoostTrainingConfig",
        "builder_step_name": "XGBoostTrainingStepBuilder",
        "spec_type": "XGBoostTraining",
        "sagemaker_step_type": "Training",
        "description": "XGBoost model training step",
    },
    # --- model --------------------------------------------------------------------------
    "XGBoostModel": {
        "config_class": "XGBoostModelConfig",
        "builder_step_name": "XGBoostModelStepBuilder",
        "spec_type": "XGBoostModel",
        "sagemaker_step_type": "CreateModel",
        "description": "XGBoost model creation step",
    },
}
