"""Contract of the feature selection script."""

from cursus.core.base.contract_base import ScriptContract

FEATURE_SELECTION_CONTRACT = ScriptContract(
    entry_point="feature_selection.py",
    expected_input_paths={"input_data": "/opt/ml/processing/input"},
    expected_output_paths={"selected_features": "/opt/ml/processing/output"},
    required_env_vars=["TOP_K"],
    description="Selects the top-k features",
)
