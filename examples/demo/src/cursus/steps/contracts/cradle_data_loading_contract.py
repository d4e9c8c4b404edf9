"""Contract of the Cradle data loading job."""

from ...core.base.contract_base import ScriptContract

CRADLE_DATA_LOADING_CONTRACT = ScriptContract(
    entry_point="cradle_data_loading.py",
    expected_input_paths={},
    expected_output_paths={"DATA": "/opt/ml/processing/output/place_holder"},
    required_env_vars=[],
    description="Loads data through Cradle",
)
