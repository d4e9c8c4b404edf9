"""Step names of configs: the single source of truth (seeds/004 "Step Name Format").

The base name comes from the registry (``CONFIG_STEP_REGISTRY[class]``), else the class name
without its ``Config`` suffix; then ``job_type``, ``data_type`` and ``mode`` are appended when
set; a ``step_name_override`` wins over all of it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

VARIANT_FIELDS = ("job_type", "data_type", "mode")


def base_step_name(config_class: str, step_of_class: Callable[[str], str | None]) -> str:
    step = step_of_class(config_class)
    if step:
        return step
    return config_class[: -len("Config")] if config_class.endswith("Config") else config_class


def generate_step_name(
    config_class: str, fields: Mapping[str, Any], step_of_class: Callable[[str], str | None]
) -> str:
    """The step name a config of ``config_class`` with these field values is saved under."""
    override = fields.get("step_name_override")
    if isinstance(override, str) and override:
        return override
    name = base_step_name(config_class, step_of_class)
    for attr in VARIANT_FIELDS:
        value = fields.get(attr)
        if isinstance(value, str) and value:
            name += f"_{value}"
    return name
