"""catalog_core: a static, multi-workspace index of pipeline steps and their component files.

Editor-neutral (no LSP here) and safe on any repository: workspace files are read and parsed,
never imported or executed. Public names load lazily so ``import catalog_core`` stays cheap.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "StepCatalog": "catalog_core.catalog",
    "CatalogSettings": "catalog_core.settings",
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
]

if TYPE_CHECKING:  # pragma: no cover
    from .catalog import StepCatalog
    from .models import (
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
    from .settings import CatalogSettings


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'catalog_core' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value
