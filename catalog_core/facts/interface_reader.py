"""TEMPORARY shim of the helper's reader (replaced at merge)."""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml

from catalog_core.base.text import RawSpan
from catalog_core.models import Problem


@dataclass(slots=True)
class InterfaceFacts:
    step_type: str | None = None
    step_type_span: RawSpan | None = None
    node_type: str | None = None
    sagemaker_step_type: str | None = None
    description: str = ""
    config_class: str | None = None
    config_class_span: RawSpan | None = None
    builder_step_name: str | None = None
    registry_span: RawSpan | None = None
    entry_point: str | None = None
    entry_point_span: RawSpan | None = None
    entry_point_declared: bool = False
    contract_inputs: dict[str, RawSpan] = field(default_factory=dict)
    contract_outputs: dict[str, RawSpan] = field(default_factory=dict)
    dependencies: dict[str, RawSpan] = field(default_factory=dict)
    spec_outputs: dict[str, RawSpan] = field(default_factory=dict)
    compatible_sources: list[tuple[str, RawSpan]] = field(default_factory=list)
    variants: dict[str, RawSpan] = field(default_factory=dict)
    config_attributes: list[tuple[str, RawSpan]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def _span(node) -> RawSpan:
    return (node.start_mark.line, node.start_mark.column, node.end_mark.line, node.end_mark.column)


def _map(node):
    if isinstance(node, yaml.MappingNode):
        return {k.value: (k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode)}
    return {}


def read_interface(path: str, data: bytes) -> InterfaceFacts:
    facts = InterfaceFacts()
    try:
        root = yaml.compose(data.decode("utf-8", "replace"), Loader=yaml.CSafeLoader)
    except Exception:
        return facts
    top = _map(root)
    if "step_type" in top:
        k, v = top["step_type"]
        if isinstance(v, yaml.ScalarNode) and v.value:
            facts.step_type, facts.step_type_span = v.value, _span(v)
    if "node_type" in top:
        facts.node_type = top["node_type"][1].value
    if "registry" in top:
        k, v = top["registry"]
        facts.registry_span = _span(k)
        reg = _map(v)
        for name in ("sagemaker_step_type", "description", "config_class", "builder_step_name"):
            if name in reg and isinstance(reg[name][1], yaml.ScalarNode):
                setattr(facts, name, reg[name][1].value)
        if "config_class" in reg:
            facts.config_class_span = _span(reg["config_class"][1])
    if "contract" in top:
        c = _map(top["contract"][1])
        if "entry_point" in c:
            v = c["entry_point"][1]
            facts.entry_point_declared = True
            if v.tag.endswith("str") and v.value:
                facts.entry_point, facts.entry_point_span = v.value, _span(v)
    if "variants" in top:
        for job, (k, _) in _map(top["variants"][1]).items():
            facts.variants[job] = _span(k)
    return facts
