"""Contract of the TabularPreprocessing script. The file name is older than the step's name;
the spec's import is what ties it to the step."""

from ...core.base.contract_base import ScriptContract

TABULAR_PREPROCESS_CONTRACT = ScriptContract(
    entry_point="tabular_preprocessing.py",
    expected_input_paths={"DATA": "/opt/ml/processing/input/data"},
    expected_output_paths={"processed_data": "/opt/ml/processing/output"},
    required_env_vars=["LABEL_FIELD", "TRAIN_RATIO"],
    optional_env_vars={"CATEGORICAL_COLUMNS": ""},
    framework_requirements={"pandas": ">=1.3.0", "scikit-learn": ">=1.0.0"},
    description="Preprocesses tabular data: imputation, split into train/test/val",
)
