"""Package specification."""

from ...core.base.specification_base import NodeType, StepSpecification
from ...registry.step_names import get_spec_step_type
from ..contracts.package_contract import PACKAGE_CONTRACT

PACKAGE_SPEC = StepSpecification(
    step_type=get_spec_step_type("Package"),
    node_type=NodeType.INTERNAL,
    script_contract=PACKAGE_CONTRACT,
    dependencies=[],
    outputs=[],
)
