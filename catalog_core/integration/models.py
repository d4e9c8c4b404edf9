"""Integration models (pydantic): stages, statuses, staged components, pipelines, file changes."""

from __future__ import annotations

from datetime import datetime, timezone
from enum import Enum
from typing import Any, Literal

from pydantic import BaseModel, Field

from catalog_core.base.files import FileError


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


class IntegrationError(Exception):
    """A refusal with a message for people (bad id, changed file, lock held, ...)."""


# What an integration operation reports as refused rather than raising: its own refusals and a
# file that cannot be read safely (a FIFO, a folder, a file over the size limit...).
REFUSED = (IntegrationError, FileError)


class IntegrationStage(str, Enum):
    """Where a component is in its lifecycle."""

    DEVELOPMENT = "development"
    STAGING = "staging"
    INTEGRATION = "integration"
    PRODUCTION = "production"


class ComponentStatus(str, Enum):
    """What has happened to a staged component."""

    PENDING = "pending"
    STAGED = "staged"
    APPROVED = "approved"
    REJECTED = "rejected"
    PROMOTED = "promoted"
    ROLLED_BACK = "rolled_back"


class ApprovalRecord(BaseModel):
    """One entry of a component's history: who did what, when, and the status it left."""

    action: str
    at: datetime = Field(default_factory=utc_now)
    actor: str | None = None
    comment: str | None = None
    status: ComponentStatus


class StagedFile(BaseModel):
    """A component file snapshotted from a developer workspace, and where it will go."""

    component_type: str
    job_type: str | None = None
    source_path: str = Field(..., description="Real path of the developer's file at staging")
    target_path: str = Field(..., description="Destination, posix, relative to the shared root")
    sha256: str
    size: int


class StagedRegistryEntry(BaseModel):
    """The step's registry entry, as the source text of ``"Name": {...}``."""

    section: str = Field(..., description="LOCAL_STEPS, STEP_OVERRIDES or STEP_NAMES")
    source_path: str
    source_workspace: str
    text: str = Field(..., description="The entry's source text, '\\n' newlines")
    relative_indent: bool = Field(True, description="Continuation lines relative to the key's")
    fields: dict[str, Any]
    target_registry: str = Field(..., description="Shared registry module, relative to the root")


class StagedComponent(BaseModel):
    """A step staged for integration: its snapshot, status and approval history.

    The component id is the step name. Positional construction follows seeds/003:
    ``StagedComponent("data_prep", "alice", "builders")``.
    """

    component_id: str
    source_workspace: str
    component_types: list[str] = Field(default_factory=list)
    stage: IntegrationStage = IntegrationStage.STAGING
    status: ComponentStatus = ComponentStatus.PENDING
    metadata: dict[str, Any] = Field(default_factory=dict)
    staged_at: datetime = Field(default_factory=utc_now)
    approval_history: list[ApprovalRecord] = Field(default_factory=list)
    files: list[StagedFile] = Field(default_factory=list)
    registry_entry: StagedRegistryEntry | None = None
    shared_baseline: dict[str, str | None] = Field(
        default_factory=dict,
        description="Shared-side sha256 (None: absent) of every path a promotion would write",
    )

    def __init__(
        self,
        component_id: str | None = None,
        source_workspace: str | None = None,
        component_type: str | list[str] | None = None,
        stage: str | IntegrationStage = IntegrationStage.STAGING,
        metadata: dict[str, Any] | None = None,
        **data: Any,
    ) -> None:
        if component_id is not None:
            data["component_id"] = component_id
        if source_workspace is not None:
            data["source_workspace"] = source_workspace
        if component_type is not None:
            types = [component_type] if isinstance(component_type, str) else component_type
            data["component_types"] = list(types)
        data.setdefault("stage", stage)
        data.setdefault("metadata", metadata or {})
        super().__init__(**data)

    @property
    def component_type(self) -> str:
        """The component types as one string (seeds/003 has a single type per component)."""
        return ",".join(self.component_types)

    def record(self, action: str, actor: str | None = None, comment: str | None = None) -> None:
        self.approval_history.append(
            ApprovalRecord(action=action, actor=actor, comment=comment, status=self.status)
        )

    def to_dict(self) -> dict[str, Any]:
        data = self.model_dump(mode="json")
        data["component_type"] = self.component_type
        return data


def pipeline_status(components: list[StagedComponent]) -> str:
    """A pipeline's status follows its least advanced component."""
    statuses = {c.status for c in components}
    if not statuses:
        return "empty"
    for status in (
        ComponentStatus.REJECTED,
        ComponentStatus.ROLLED_BACK,
        ComponentStatus.PENDING,
        ComponentStatus.STAGED,
        ComponentStatus.APPROVED,
    ):
        if status in statuses:
            return status.value
    return ComponentStatus.PROMOTED.value


class IntegrationPipeline(BaseModel):
    """Staged components that are integrated together (seeds/003)."""

    pipeline_id: str
    components: list[StagedComponent] = Field(default_factory=list)
    created_at: datetime = Field(default_factory=utc_now)

    def __init__(
        self,
        pipeline_id: str | None = None,
        components: list[StagedComponent] | None = None,
        **data: Any,
    ) -> None:
        if pipeline_id is not None:
            data["pipeline_id"] = pipeline_id
        if components is not None:
            data["components"] = components
        super().__init__(**data)

    @property
    def status(self) -> str:
        return pipeline_status(self.components)

    def to_dict(self) -> dict[str, Any]:
        return {
            "pipeline_id": self.pipeline_id,
            "created_at": self.created_at.isoformat(),
            "status": self.status,
            "components": [c.to_dict() for c in self.components],
        }


OperationKind = Literal["promote", "rollback"]


class FileChange(BaseModel):
    """One file a journaled operation writes, with what it held before and what it will hold."""

    path: str = Field(..., description="Posix path relative to the shared root")
    old_sha256: str | None = Field(None, description="Content before (None: absent)")
    new_sha256: str | None = Field(None, description="Content after (None: deleted)")
    backup: str | None = Field(None, description="Backup of the old bytes, relative to .stepcat")


class Operation(BaseModel):
    """A journaled change of the shared tree (a promotion or a rollback), all or nothing."""

    op_id: str
    kind: OperationKind
    step: str
    created_at: datetime = Field(default_factory=utc_now)
    changes: list[FileChange] = Field(default_factory=list)
    created_dirs: list[str] = Field(default_factory=list, description="Made, outermost first")
    removed_dirs: list[str] = Field(default_factory=list, description="Removed, innermost first")
    reverses: str | None = Field(None, description="The promotion a rollback undoes")
    previous_stage: IntegrationStage | None = None
    previous_status: ComponentStatus | None = None

    def temp_name(self, path: str) -> str:
        """The temporary sibling a new version of ``path`` is written to before the rename."""
        head, _, name = path.rpartition("/")
        temp = f".{name}.stepcat-{self.op_id}.tmp"
        return f"{head}/{temp}" if head else temp
