"""catalog_core: a static, multi-workspace index of pipeline steps and their component files.

Editor-neutral (no LSP here) and safe on any repository: workspace files are read and parsed,
never imported or executed. Public names load lazily so ``import catalog_core`` stays cheap.

As a library: ``catalog_core.configure(roots=[...])`` / ``refresh()``, the framework-compatible
``catalog_core.step_names`` module, the workspace context functions, and
``catalog_core.registry_manager`` for context-isolated specification registries.
"""

from __future__ import annotations

import logging
from importlib import import_module
from typing import TYPE_CHECKING, Any

# A library logs, the application decides where it goes (internal errors are also problems).
logging.getLogger("stepcat").addHandler(logging.NullHandler())

__version__ = "0.1.0"

_EXPORTS = {
    "StepCatalog": "catalog_core.api.catalog",
    "CatalogSettings": "catalog_core.base.settings",
    "ComponentRef": "catalog_core.models",
    "ComponentType": "catalog_core.models",
    "FileMetadata": "catalog_core.models",
    "Location": "catalog_core.models",
    "Problem": "catalog_core.models",
    "Severity": "catalog_core.models",
    "Span": "catalog_core.models",
    "StepInfo": "catalog_core.models",
    "StepSearchResult": "catalog_core.models",
    "WorkspaceInfo": "catalog_core.models",
    "configure": "catalog_core.registry.library",
    "refresh": "catalog_core.registry.library",
    "set_workspace_context": "catalog_core.registry.current_workspace",
    "get_workspace_context": "catalog_core.registry.current_workspace",
    "clear_workspace_context": "catalog_core.registry.current_workspace",
    "workspace_context": "catalog_core.registry.current_workspace",
}

__all__ = [
    "CatalogSettings",
    "ComponentRef",
    "ComponentType",
    "FileMetadata",
    "Location",
    "Problem",
    "Severity",
    "Span",
    "StepCatalog",
    "StepInfo",
    "StepSearchResult",
    "WorkspaceInfo",
    "clear_workspace_context",
    "configure",
    "get_workspace_context",
    "refresh",
    "set_workspace_context",
    "workspace_context",
]

if TYPE_CHECKING:  # pragma: no cover
    from catalog_core.api.catalog import StepCatalog
    from catalog_core.base.settings import CatalogSettings
    from catalog_core.models import (
        ComponentRef,
        ComponentType,
        FileMetadata,
        Location,
        Problem,
        Severity,
        Span,
        StepInfo,
        StepSearchResult,
        WorkspaceInfo,
    )
    from catalog_core.registry.current_workspace import (
        clear_workspace_context,
        get_workspace_context,
        set_workspace_context,
        workspace_context,
    )
    from catalog_core.registry.library import configure, refresh


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'catalog_core' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value
