"""Promoting steps from developer workspaces into the shared tree: stage, validate, review,
promote and roll back, all or nothing (seeds/003; see ARCHITECTURE.md)."""

from __future__ import annotations

from catalog_core.integration.manager import WorkspaceIntegrationManager
from catalog_core.integration.models import (
    ApprovalRecord,
    ComponentStatus,
    FileChange,
    IntegrationError,
    IntegrationPipeline,
    IntegrationStage,
    Operation,
    StagedComponent,
    StagedFile,
    StagedRegistryEntry,
)

__all__ = [
    "ApprovalRecord",
    "ComponentStatus",
    "FileChange",
    "IntegrationError",
    "IntegrationPipeline",
    "IntegrationStage",
    "Operation",
    "StagedComponent",
    "StagedFile",
    "StagedRegistryEntry",
    "WorkspaceIntegrationManager",
]
