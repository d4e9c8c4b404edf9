"""Pipeline config files: ``metadata.config_types`` read with exact positions, validated
against the catalog, step names generated the way the framework saves them, and a lossless
fixer for class-name keys (seeds/004)."""

from __future__ import annotations

from .context import ConfigContext
from .document import ConfigDocument, looks_like_config, read_config
from .fixer import FixPlan, KeyEdit, apply_edits, fix_text, plan_fixes
from .naming import base_step_name, generate_step_name
from .rules import validate

__all__ = [
    "ConfigContext",
    "ConfigDocument",
    "FixPlan",
    "KeyEdit",
    "apply_edits",
    "base_step_name",
    "fix_text",
    "generate_step_name",
    "looks_like_config",
    "plan_fixes",
    "read_config",
    "validate",
]
