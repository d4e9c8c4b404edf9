"""Contract of the XGBoost training script."""

from ...core.base.contract_base import TrainingScriptContract

XGBOOST_TRAIN_CONTRACT = TrainingScriptContract(
    entry_point="xgboost_training.py",
    expected_input_paths={
        "input_path": "/opt/ml/input/data",
        "hyperparameters_s3_uri": "/opt/ml/input/config/hyperparameters.json",
    },
    expected_output_paths={"model_output": "/opt/ml/model"},
    required_env_vars=[],
    framework_requirements={"xgboost": "==1.7.6"},
    description="Trains an XGBoost model",
)
