"""Contract of the PyTorch evaluation script."""

from ...core.base.contract_base import ScriptContract

PYTORCH_MODEL_EVAL_CONTRACT = ScriptContract(
    entry_point="pytorch_model_eval.py",
    expected_input_paths={
        "model_input": "/opt/ml/processing/input/model",
        "processed_data": "/opt/ml/processing/input/eval_data",
    },
    expected_output_paths={"eval_output": "/opt/ml/processing/output/eval"},
    required_env_vars=["ID_FIELD", "LABEL_FIELD"],
    description="Evaluates a trained PyTorch model",
)
