"""Registering steps at run time: the naming rules (seeds/000 validation utilities), errors that
name the field and the fix, auto-correction, and ``register_step``. A registration layers over
the files' registry in this process only; no file is ever written.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from catalog_core.registry import live_registry
from catalog_core.registry.current_workspace import (
    checked_workspace_id,
    context_key,
    workspace_from_key,
)

#: The framework's SageMaker step types; a type some registry file already uses is known too.
KNOWN_SAGEMAKER_STEP_TYPES = frozenset(
    {
        "Processing",
        "Training",
        "Transform",
        "CreateModel",
        "RegisterModel",
        "Base",
        "Utility",
        "Lambda",
        "CradleDataLoading",
        "MimsModelRegistrationProcessing",
    }
)
PASCAL_CASE = re.compile(r"^[A-Z][A-Za-z0-9]*$")
REQUIRED_FIELDS = ("config_class", "builder_step_name", "sagemaker_step_type")


@dataclass(frozen=True, slots=True)
class DefinitionError:
    """One broken naming rule: which field, what is wrong, and how to fix it."""

    field: str
    problem: str
    fix: str

    def __str__(self) -> str:
        return f"{self.field}: {self.problem}; {self.fix}"


class InvalidStepDefinition(ValueError):
    """``register_step`` refused a definition; ``errors`` says which fields and the fixes."""

    def __init__(self, name: object, errors: list[DefinitionError]) -> None:
        self.step_name, self.errors = name, errors
        lines = "\n".join(f"  - {e}" for e in errors)
        super().__init__(f"step definition {name!r} refused:\n{lines}")

    def __reduce__(self) -> tuple[Any, ...]:  # picklable despite two arguments
        return (type(self), (self.step_name, self.errors))


def to_pascal_case(text: str) -> str:
    """``my_custom_step`` -> ``MyCustomStep``; capitals inside a word are kept
    (``XGBoost_train`` -> ``XGBoostTrain``). For naming *new* steps only: existing names are
    matched against the registry, never converted."""
    words = [w for w in re.split(r"[^A-Za-z0-9]+", text) if w]
    return "".join(w[0].upper() + w[1:] for w in words)


def known_sagemaker_step_types(workspace_id: str | None = None) -> set[str]:
    """The framework's types plus every type the context's registry already uses."""
    tables = live_registry.tables_for(workspace_id)
    used = {e.get("sagemaker_step_type") for e in tables.step_names.values()}
    return set(KNOWN_SAGEMAKER_STEP_TYPES) | {t for t in used if isinstance(t, str) and t}


def validate_step_definition(
    name: object, definition: Mapping[str, Any], known_types: Iterable[str] | None = None
) -> list[DefinitionError]:
    """Every naming rule the definition breaks (empty: it is valid). ``known_types`` defaults
    to the framework's SageMaker step types."""
    if not isinstance(definition, Mapping):
        raise TypeError(f"definition must be a mapping of fields, not {type(definition).__name__}")
    known = set(KNOWN_SAGEMAKER_STEP_TYPES if known_types is None else known_types)
    errors: list[DefinitionError] = []
    good_name = _fixed_name(name)
    if not isinstance(name, str) or not PASCAL_CASE.match(name):
        errors.append(
            DefinitionError(
                "name",
                f"{name!r} is not PascalCase (a capital letter, then letters and digits)",
                f"use {good_name!r}" if good_name else "give a name such as 'XGBoostTraining'",
            )
        )
    base = good_name or "MyStep"
    for field in REQUIRED_FIELDS:
        if not isinstance(definition.get(field), str) or not definition[field]:
            value = _suggest(field, base, definition, known)
            fix = (
                f"add {field!r}: {value!r}"
                if value
                else f"add {field!r} with one of {', '.join(sorted(known))}"
            )
            errors.append(DefinitionError(field, "is missing", fix))
    config, builder = definition.get("config_class"), definition.get("builder_step_name")
    if isinstance(config, str) and config and not _has_suffix(config, "Config"):
        errors.append(
            DefinitionError(
                "config_class",
                f"{config!r} must be a PascalCase class name ending in 'Config'",
                f"use {_config_name(config, base)!r}",
            )
        )
    if isinstance(builder, str) and builder and not _has_suffix(builder, "StepBuilder"):
        errors.append(
            DefinitionError(
                "builder_step_name",
                f"{builder!r} must be a PascalCase class name ending in 'StepBuilder'",
                f"use {_builder_name(builder, base)!r}",
            )
        )
    sm_type = definition.get("sagemaker_step_type")
    if isinstance(sm_type, str) and sm_type and sm_type not in known:
        close = _closest_type(sm_type, known)
        errors.append(
            DefinitionError(
                "sagemaker_step_type",
                f"{sm_type!r} is not a known SageMaker step type",
                f"use {close!r}" if close else f"use one of {', '.join(sorted(known))}",
            )
        )
    spec = definition.get("spec_type")
    if spec is not None and (not isinstance(spec, str) or not PASCAL_CASE.match(spec)):
        errors.append(
            DefinitionError(
                "spec_type",
                f"{spec!r} must be PascalCase without '_' ('_' separates a job type suffix)",
                f"use {base!r}",
            )
        )
    description = definition.get("description")
    if description is not None and not isinstance(description, str):
        errors.append(DefinitionError("description", "must be a string", "use a short sentence"))
    return errors


def auto_correct_step_definition(
    name: str, definition: Mapping[str, Any], known_types: Iterable[str] | None = None
) -> tuple[str, dict[str, Any]]:
    """The definition with every fixable naming error fixed (the fixes ``validate_step_definition``
    suggests), and ``spec_type`` / ``description`` filled in. Returns (name, definition)."""
    known = set(KNOWN_SAGEMAKER_STEP_TYPES if known_types is None else known_types)
    fixed_name = name if PASCAL_CASE.match(name) else (_fixed_name(name) or name)
    fixed = dict(definition)
    for field in REQUIRED_FIELDS:
        value = _suggest(field, fixed_name, fixed, known)
        if value:  # a missing SageMaker type is not guessed
            fixed[field] = value
    spec = fixed.get("spec_type")
    if not isinstance(spec, str) or not PASCAL_CASE.match(spec):
        fixed["spec_type"] = fixed_name
    if not isinstance(fixed.get("description"), str):
        fixed["description"] = ""
    return fixed_name, fixed


def register_step(
    name: str,
    definition: Mapping[str, Any],
    workspace_id: str | None = None,
    *,
    replace: bool = False,
    auto_correct: bool = False,
) -> dict[str, Any]:
    """Add a step to the registry of ``workspace_id`` (default: the current context; no context:
    the core) for this process. Refused with ``InvalidStepDefinition`` (a ValueError naming each
    field and its fix) when a naming rule is broken, or when the name is already registered in
    that context and ``replace`` is false. ``auto_correct`` applies the fixes first. Missing
    ``spec_type`` defaults to the name, ``description`` to ''. Returns the stored definition."""
    workspace = _target(workspace_id)
    known = known_sagemaker_step_types(workspace or "shared")
    if auto_correct and isinstance(name, str) and isinstance(definition, Mapping):
        name, definition = auto_correct_step_definition(name, definition, known)
    errors = validate_step_definition(name, definition, known)
    tables = live_registry.tables_for(workspace or "shared")
    if not errors and not replace and name in tables.step_names:
        where = f"workspace '{workspace}'" if workspace else "the core registry"
        errors.append(
            DefinitionError(
                "name",
                f"{name!r} is already registered in {where}",
                "choose another name, or pass replace=True to override it in this process",
            )
        )
    if errors:
        raise InvalidStepDefinition(name, errors)
    stored = {**definition}
    stored.setdefault("spec_type", name)
    stored.setdefault("description", "")
    live_registry.add_registration(workspace, name, stored)
    return dict(stored)


def unregister_step(name: str, workspace_id: str | None = None) -> bool:
    """Drop a runtime registration (default: the current context's); False when there was none.
    Steps declared in files cannot be unregistered."""
    return live_registry.remove_registration(name, _target(workspace_id))


def clear_registered_steps() -> None:
    """Drop every runtime registration of every workspace."""
    live_registry.clear_registrations()


def _target(workspace_id: str | None) -> str | None:
    """The workspace a registration goes to (None: the core)."""
    if workspace_id is None:
        return workspace_from_key(context_key())
    return workspace_from_key(checked_workspace_id(workspace_id))


# -- fixes -------------------------------------------------------------------------------------


def _fixed_name(name: object) -> str:
    if not isinstance(name, str):
        return ""
    fixed = to_pascal_case(name)
    return fixed if PASCAL_CASE.match(fixed) else ""


def _has_suffix(value: str, suffix: str) -> bool:
    return value.endswith(suffix) and bool(PASCAL_CASE.match(value[: -len(suffix)] or "x"))


def _config_name(config: str, name: str) -> str:
    if config.endswith("Configuration") and PASCAL_CASE.match(config[: -len("Configuration")]):
        return config[: -len("Configuration")] + "Config"
    return f"{name}Config"


def _builder_name(builder: str, name: str) -> str:
    if builder.endswith("Builder") and PASCAL_CASE.match(builder[: -len("Builder")]):
        stem = builder[: -len("Builder")].removesuffix("Step")
        return f"{stem or name}StepBuilder"
    return f"{name}StepBuilder"


def _closest_type(value: str, known: set[str]) -> str | None:
    folded = {t.lower(): t for t in known}
    if value.lower() in folded:
        return folded[value.lower()]
    close = difflib.get_close_matches(value, sorted(known), n=1, cutoff=0.6)
    return close[0] if close else None


def _suggest(field: str, name: str, definition: Mapping[str, Any], known: set[str]) -> str | None:
    """The corrected value of a required field (its current value when that is valid); None
    for a SageMaker type with no close known type."""
    value = definition.get(field)
    current = value if isinstance(value, str) else ""
    if field == "config_class":
        return (
            current if current and _has_suffix(current, "Config") else _config_name(current, name)
        )
    if field == "builder_step_name":
        if current and _has_suffix(current, "StepBuilder"):
            return current
        return _builder_name(current, name)
    if current in known:
        return current
    return _closest_type(current, known) if current else None
