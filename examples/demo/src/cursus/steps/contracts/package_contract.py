"""Contract of the packaging script."""

from ...core.base.contract_base import ScriptContract

PACKAGE_CONTRACT = ScriptContract(
    entry_point="package.py",
    expected_input_paths={"model_input": "/opt/ml/processing/input/model"},
    expected_output_paths={"packaged_model": "/opt/ml/processing/output"},
    required_env_vars=[],
    description="Packages a model with its inference code",
)
