"""The framework's ``step_names`` module (``cursus.steps.registry.step_names``), answered from
the catalog index: the same names and signatures, with workspace awareness added.

``STEP_NAMES``, ``CONFIG_STEP_REGISTRY``, ``BUILDER_STEP_NAMES`` and ``SPEC_STEP_TYPES`` are
read-only live mappings: every lookup answers for the *current* workspace context (core
registry layered with that workspace's ``LOCAL_STEPS`` and ``STEP_OVERRIDES``), so a name
imported once stays right after the context changes or ``catalog_core.refresh()``. Their
entries are read-only too; ``get_step_names()`` and ``.copy()`` give plain, mutable dicts.

Every helper takes an optional ``workspace_id`` (default: the current context). A workspace the
catalog does not know sees the core registry, as in the framework. An unknown step name raises
``UnknownStepError``, which is both a ValueError (the framework's helpers) and a KeyError (a dict's
lookups), naming the name, the context and close matches; ``validate_*`` answer False instead.
The data comes from ``catalog_core.configure(roots=...)``, else ``STEPCAT_ROOTS``, else the
project around the current directory; it is indexed on first use (never imported or run).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from catalog_core.base.names import suffix_splits
from catalog_core.registry import library
from catalog_core.registry.current_workspace import (
    checked_workspace_id,
    clear_workspace_context,
    get_workspace_context,
    set_workspace_context,
    workspace_context,
)
from catalog_core.registry.live_registry import (
    LiveMapping,
    StepTables,
    UnknownStepError,
    tables_for,
)
from catalog_core.registry.step_registration import (
    KNOWN_SAGEMAKER_STEP_TYPES,
    DefinitionError,
    InvalidStepDefinition,
    auto_correct_step_definition,
    clear_registered_steps,
    known_sagemaker_step_types,
    register_step,
    unregister_step,
    validate_step_definition,
)

STEP_NAMES: LiveMapping[Mapping[str, Any]] = LiveMapping(
    "STEP_NAMES", "step name", lambda t: t.step_names
)
CONFIG_STEP_REGISTRY: LiveMapping[str] = LiveMapping(
    "CONFIG_STEP_REGISTRY", "config class", lambda t: t.config_step_registry
)
BUILDER_STEP_NAMES: LiveMapping[str] = LiveMapping(
    "BUILDER_STEP_NAMES", "step name", lambda t: t.builder_step_names
)
SPEC_STEP_TYPES: LiveMapping[str] = LiveMapping(
    "SPEC_STEP_TYPES", "step name", lambda t: t.spec_step_types
)


def _tables(workspace_id: str | None) -> StepTables:
    return tables_for(None if workspace_id is None else checked_workspace_id(workspace_id))


def _field(step_name: str, field: str, workspace_id: str | None) -> str:
    tables = _tables(workspace_id)
    entry = tables.step_names.get(step_name)
    if entry is None:
        raise tables.unknown(step_name)
    value = entry.get(field)
    if not isinstance(value, str):
        raise ValueError(f"step {step_name!r} has no {field!r} in its registry entry; add one")
    return value


# -- the registries as plain dicts -------------------------------------------------------------


def get_step_names(workspace_id: str | None = None) -> dict[str, dict[str, Any]]:
    """STEP_NAMES of the context as a new, mutable dict of dicts."""
    return {name: dict(entry) for name, entry in _tables(workspace_id).step_names.items()}


def get_config_step_registry(workspace_id: str | None = None) -> dict[str, str]:
    """CONFIG_STEP_REGISTRY (config class -> step name) of the context, as a new dict."""
    return dict(_tables(workspace_id).config_step_registry)


def get_builder_step_names(workspace_id: str | None = None) -> dict[str, str]:
    """BUILDER_STEP_NAMES (step name -> builder class) of the context, as a new dict."""
    return dict(_tables(workspace_id).builder_step_names)


def get_spec_step_types(workspace_id: str | None = None) -> dict[str, str]:
    """SPEC_STEP_TYPES (step name -> spec type) of the context, as a new dict."""
    return dict(_tables(workspace_id).spec_step_types)


def list_all_step_info(workspace_id: str | None = None) -> dict[str, dict[str, Any]]:
    """Every registry entry of the context (same as ``get_step_names``)."""
    return get_step_names(workspace_id)


# -- one step ------------------------------------------------------------------------------


def get_config_class_name(step_name: str, workspace_id: str | None = None) -> str:
    """The step's config class. Unknown step: UnknownStepError (a ValueError)."""
    return _field(step_name, "config_class", workspace_id)


def get_builder_step_name(step_name: str, workspace_id: str | None = None) -> str:
    """The step's builder class. Unknown step: UnknownStepError (a ValueError)."""
    return _field(step_name, "builder_step_name", workspace_id)


def get_spec_step_type(step_name: str, workspace_id: str | None = None) -> str:
    """The ``step_type`` a StepSpecification uses. Unknown step: UnknownStepError."""
    return _field(step_name, "spec_type", workspace_id)


def get_spec_step_type_with_job_type(
    step_name: str, job_type: str | None = None, workspace_id: str | None = None
) -> str:
    """The spec type with the job type capitalised after '_' (``XGBoostTraining_Training``), or
    the bare spec type without a job type. Unknown step: UnknownStepError."""
    base = get_spec_step_type(step_name, workspace_id)
    return f"{base}_{job_type.capitalize()}" if job_type else base


def get_sagemaker_step_type(step_name: str, workspace_id: str | None = None) -> str:
    """The step's SageMaker step type. Unknown step: UnknownStepError (a ValueError)."""
    return _field(step_name, "sagemaker_step_type", workspace_id)


def get_step_description(step_name: str, workspace_id: str | None = None) -> str:
    """The step's description ('' when its entry has none). Unknown step: UnknownStepError."""
    tables = _tables(workspace_id)
    entry = tables.step_names.get(step_name)
    if entry is None:
        raise tables.unknown(step_name)
    value = entry.get("description")
    return value if isinstance(value, str) else ""


def get_step_name_from_spec_type(spec_type: str, workspace_id: str | None = None) -> str:
    """The step whose spec type this is, job-type suffix allowed (``X_Training`` -> the step
    with spec type ``X``). Unknown spec type: UnknownStepError (a ValueError); the framework
    returned its argument unchanged, which silently passed a non-step on."""
    tables = _tables(workspace_id)
    step = _step_of_spec_type(spec_type, tables)
    if step is None:
        base = spec_type.split("_")[0] if isinstance(spec_type, str) else spec_type
        matches = tables.close_matches(base, tables.by_spec_type)
        raise UnknownStepError("spec type", spec_type, tables.workspace, matches)
    return step


def _step_of_spec_type(spec_type: str, tables: StepTables) -> str | None:
    if not isinstance(spec_type, str):
        return None
    step = tables.by_spec_type.get(spec_type)
    if step is None:
        for prefix, _ in suffix_splits(spec_type):
            step = tables.by_spec_type.get(prefix)
            if step is not None:
                break
    return step


# -- listing and validation ------------------------------------------------------------------


def get_all_step_names(workspace_id: str | None = None) -> list[str]:
    """Every step name visible in the context, core ones first in file order."""
    return list(_tables(workspace_id).step_names)


def validate_step_name(step_name: str, workspace_id: str | None = None) -> bool:
    """Whether the exact name is registered in the context."""
    return step_name in _tables(workspace_id).step_names


def validate_spec_type(spec_type: str, workspace_id: str | None = None) -> bool:
    """Whether a spec type (with or without a job-type suffix) is registered in the context."""
    return _step_of_spec_type(spec_type, _tables(workspace_id)) is not None


def get_steps_by_sagemaker_type(sagemaker_type: str, workspace_id: str | None = None) -> list[str]:
    """Steps of that SageMaker step type (empty for a type no step uses)."""
    steps = _tables(workspace_id).step_names
    return [name for name, e in steps.items() if e.get("sagemaker_step_type") == sagemaker_type]


def get_all_sagemaker_step_types(workspace_id: str | None = None) -> list[str]:
    """The SageMaker step types the context's steps use, sorted."""
    return sorted(get_sagemaker_step_type_mapping(workspace_id))


def validate_sagemaker_step_type(sagemaker_type: str, workspace_id: str | None = None) -> bool:
    """Whether the type is one of the framework's SageMaker step types or one the context's
    registry already uses (a custom type such as a data-loading step's own name)."""
    return sagemaker_type in known_sagemaker_step_types(workspace_id)


def get_sagemaker_step_type_mapping(workspace_id: str | None = None) -> dict[str, list[str]]:
    """SageMaker step type -> the steps of that type."""
    mapping: dict[str, list[str]] = {}
    for name, entry in _tables(workspace_id).step_names.items():
        sm_type = entry.get("sagemaker_step_type")
        if isinstance(sm_type, str):
            mapping.setdefault(sm_type, []).append(name)
    return mapping


def get_canonical_name_from_file_name(file_name: str, workspace_id: str | None = None) -> str:
    """The registered step a component file name or stem means: ``config_x_step.py``,
    ``builder_x_step.py``, ``x_contract.py``, ``x_spec.py``, ``x_training_spec.py``, ``x.py``
    or a path, matched against the registry (``xgboost_training`` -> ``XGBoostTraining``,
    ``lightgbmmt_training`` -> ``LightGBMMTTraining``); a ``.py`` name the registry's names do
    not explain goes through the index's links. Empty: ValueError; no step: UnknownStepError
    (a ValueError) with close matches."""
    from catalog_core.registry.file_names import canonical_step

    with library.locked() as catalog:
        tables = _tables(workspace_id)
        job_types = set(catalog.known_job_types())

        def indexed(path: str) -> list[str]:
            ref = catalog.component_at(path)
            return ref.step_names if ref is not None else []

        return canonical_step(file_name, tables, job_types, indexed)


def validate_file_name(file_name: str, workspace_id: str | None = None) -> bool:
    """Whether ``get_canonical_name_from_file_name`` finds a step for the name."""
    try:
        get_canonical_name_from_file_name(file_name, workspace_id)
    except ValueError:
        return False
    return True


# -- workspaces ----------------------------------------------------------------------------


def list_available_workspaces() -> list[str]:
    """Developer workspace ids: those the catalog found and those with runtime registrations."""
    from catalog_core.registry.live_registry import registered_workspaces

    return sorted(set(library.get_catalog().developer_ids()) | set(registered_workspaces()))


def get_workspace_step_count(workspace_id: str) -> int:
    """How many steps the workspace's context sees (core plus its own; overrides count once).
    A workspace the catalog does not know sees the core registry: the core's count."""
    return len(_tables(checked_workspace_id(workspace_id)).step_names)


def get_workspace_conflicts() -> dict[str, list[str]]:
    """Step names defined by more than one developer workspace (in LOCAL_STEPS, STEP_OVERRIDES
    or at run time) -> those workspaces: the name means something different in each."""
    from catalog_core.registry.live_registry import registrations

    owners: dict[str, list[str]] = {}
    with library.locked() as catalog:
        for ws in list_available_workspaces():
            own = {row.name for row in catalog.registry_rows(ws)}
            for name in own | set(registrations(ws)):
                owners.setdefault(name, []).append(ws)
    return {name: sorted(ws) for name, ws in sorted(owners.items()) if len(ws) > 1}


def has_workspace_conflicts() -> bool:
    """Whether any step name is defined by more than one developer workspace."""
    return bool(get_workspace_conflicts())


__all__ = [
    "BUILDER_STEP_NAMES",
    "CONFIG_STEP_REGISTRY",
    "KNOWN_SAGEMAKER_STEP_TYPES",
    "SPEC_STEP_TYPES",
    "STEP_NAMES",
    "DefinitionError",
    "InvalidStepDefinition",
    "UnknownStepError",
    "auto_correct_step_definition",
    "clear_registered_steps",
    "clear_workspace_context",
    "get_all_sagemaker_step_types",
    "get_all_step_names",
    "get_builder_step_name",
    "get_builder_step_names",
    "get_canonical_name_from_file_name",
    "get_config_class_name",
    "get_config_step_registry",
    "get_sagemaker_step_type",
    "get_sagemaker_step_type_mapping",
    "get_spec_step_type",
    "get_spec_step_type_with_job_type",
    "get_spec_step_types",
    "get_step_description",
    "get_step_name_from_spec_type",
    "get_step_names",
    "get_steps_by_sagemaker_type",
    "get_workspace_conflicts",
    "get_workspace_context",
    "get_workspace_step_count",
    "has_workspace_conflicts",
    "list_all_step_info",
    "list_available_workspaces",
    "register_step",
    "set_workspace_context",
    "unregister_step",
    "validate_file_name",
    "validate_sagemaker_step_type",
    "validate_spec_type",
    "validate_step_definition",
    "validate_step_name",
    "workspace_context",
]
