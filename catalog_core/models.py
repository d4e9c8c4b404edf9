"""Public data models of the catalog (pydantic). Plain values only: paths, spans, names, problems.

These are what callers (the CLI, the language server, library users) receive. The index keeps its
own compact internal records and builds these on demand.
"""

from __future__ import annotations

import os
from datetime import datetime
from enum import Enum
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, NoReturn, TypeVar

from pydantic import BaseModel, ConfigDict, Field

M = TypeVar("M", bound=BaseModel)


#: The id of the shared workspace (the framework's own tree); developer workspaces have their own.
SHARED = "shared"


class ComponentType(str, Enum):
    """The five kinds of file a step is made of."""

    SCRIPT = "script"
    CONTRACT = "contract"
    SPEC = "spec"
    BUILDER = "builder"
    CONFIG = "config"

    def __str__(self) -> str:
        return self.value


#: The order in which components are listed and navigated (spec first: it is what a node name means).
COMPONENT_ORDER: tuple[ComponentType, ...] = (
    ComponentType.SPEC,
    ComponentType.SCRIPT,
    ComponentType.CONTRACT,
    ComponentType.BUILDER,
    ComponentType.CONFIG,
)


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFORMATION = "information"
    HINT = "hint"

    def __str__(self) -> str:
        return self.value


_EVERY_FIELD: dict[type[BaseModel], set[str]] = {}


def built(cls: type[M], values: dict[str, Any]) -> M:
    """A model from values already known valid, every field given: what ``model_construct``
    does, minus its per-field bookkeeping (readers build 100,000s of spans and problems)."""
    model = object.__new__(cls)
    object.__setattr__(model, "__dict__", values)
    every = _EVERY_FIELD.get(cls)
    if every is None:
        every = _EVERY_FIELD[cls] = set(cls.model_fields)
    # Every field given: the one set of all field names of the class, shared (a set per model
    # is ~200-700 bytes; answers and problems are built by the 10,000s). Nothing can grow it:
    # it already holds every field, and pydantic copies it for ``model_copy``.
    fields_set = every if len(values) == len(every) and every.issuperset(values) else set(values)
    object.__setattr__(model, "__pydantic_fields_set__", fields_set)
    object.__setattr__(model, "__pydantic_extra__", None)
    object.__setattr__(model, "__pydantic_private__", None)
    return model


class Span(BaseModel):
    """A range in a file: 0-based lines, columns counted in Unicode code points, end exclusive."""

    model_config = ConfigDict(frozen=True)

    start_line: int
    start_character: int
    end_line: int
    end_character: int

    @classmethod
    def of(cls, raw: tuple[int, int, int, int]) -> Span:
        return built(
            cls,
            {
                "start_line": raw[0],
                "start_character": raw[1],
                "end_line": raw[2],
                "end_character": raw[3],
            },
        )

    @classmethod
    def shared(cls, raw: tuple[int, int, int, int]) -> Span:
        """``Span.of(raw)``, one model per distinct span among the last few thousand asked:
        answers hold a span per component file, and most defining symbols sit at the same
        few positions (a spec's constant on line 7, column 0)."""
        key = (raw[0], raw[1], raw[2], raw[3])  # a tuple even when the reader gave a list
        hit = _SHARED_SPANS.get(key)
        if hit is None:
            if len(_SHARED_SPANS) >= 4096:
                _SHARED_SPANS.clear()
            hit = _SHARED_SPANS[key] = cls.of(key)
        return hit

    def contains(self, line: int, character: int) -> bool:
        after_start = (line, character) >= (self.start_line, self.start_character)
        return after_start and (line, character) <= (self.end_line, self.end_character)


_SHARED_SPANS: dict[tuple[int, int, int, int], Span] = {}
FILE_START = Span(start_line=0, start_character=0, end_line=0, end_character=0)


class Location(BaseModel):
    model_config = ConfigDict(frozen=True)

    path: Path
    span: Span


class FileMetadata(BaseModel):
    """One component file of a step, with the symbol (class or constant) that defines it."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    path: Path = Field(..., description="Path to the component file")
    file_type: ComponentType = Field(..., description="Type of component file")
    modified_time: datetime = Field(..., description="Last modification time of the file")
    workspace_id: str = Field("shared", description="Workspace the file belongs to")
    job_type: str | None = Field(None, description="Job type of a variant spec")
    symbol: str | None = Field(None, description="Defining class or constant, when found")
    span: Span = Field(FILE_START, description="Span of the defining symbol (file start if none)")


class Problem(BaseModel):
    """A positioned finding with a stable rule id and a message that says what to do."""

    model_config = ConfigDict(frozen=True)

    rule: str
    severity: Severity
    message: str
    path: Path | None = None
    span: Span = FILE_START
    step_name: str | None = None
    workspace_id: str | None = None
    data: dict[str, Any] = Field(default_factory=dict, description="Facts a quick fix can use")

    @classmethod
    def at(
        cls,
        path: str | Path | None,
        rule: str,
        severity: Severity,
        message: str,
        span: Span = FILE_START,
        *,
        step_name: str | None = None,
        workspace_id: str | None = None,
        data: dict[str, Any] | None = None,
    ) -> Problem:
        """A problem from values the caller already knows are valid (the readers' own): no
        validation pass, and one ``Path`` per file (a generated file can have 10,000s)."""
        return built(
            cls,
            {
                "rule": rule,
                "severity": severity,
                "message": message,
                "path": as_path(path) if path is not None else None,
                "span": span,
                "step_name": step_name,
                "workspace_id": workspace_id,
                "data": data if data is not None else {},
            },
        )


@lru_cache(maxsize=4096)
def _path_of(path: str) -> Path:
    return Path(path)


def as_path(path: str | Path) -> Path:
    return path if isinstance(path, Path) else _path_of(path)


def file_path(path: str, name: str | None = None) -> Path:
    """``Path(path)``, built as its folder's shared ``Path`` / its name: a file's answer holds
    one ``Path`` and pathlib (3.11) keeps a list of parts per path, so the child's list is an
    exact-size copy of the folder's, and ``name``, when it is the file's name (the index's own
    string), is used as is rather than copied."""
    head, tail = os.path.split(path)
    if not head or not tail or head == path:
        return Path(path)
    return as_path(head) / (name if name == tail else tail)


#: Components each SageMaker step type needs (seeds/001 ``is_complete``); others use ``MINIMAL``.
MINIMAL_COMPONENTS: tuple[ComponentType, ...] = (ComponentType.BUILDER, ComponentType.CONFIG)
_FULL = (
    ComponentType.SCRIPT,
    ComponentType.CONTRACT,
    ComponentType.SPEC,
    ComponentType.BUILDER,
    ComponentType.CONFIG,
)
_NO_SCRIPT = (ComponentType.SPEC, ComponentType.BUILDER, ComponentType.CONFIG)
REQUIRED_COMPONENTS: dict[str, tuple[ComponentType, ...]] = {
    "Processing": _FULL,
    "Training": _FULL,
    "CreateModel": _NO_SCRIPT,
    "RegisterModel": _NO_SCRIPT,
    "Transform": _NO_SCRIPT,
    "Base": MINIMAL_COMPONENTS,
    "Utility": MINIMAL_COMPONENTS,
}


#: How a step is defined: five Python files and a registry row (the 1.x layout), a
#: ``*.step.yaml`` interface (the interface-first layout: contract and spec are sections of it,
#: builders are synthesised), or a row of an interface-first registry that no interface
#: declares (``_EXTRAS``: abstract bases, builder-less steps).
Layout = Literal["1.x", "interface", "extra"]


def required_components(
    sagemaker_step_type: str, layout: Layout = "1.x"
) -> tuple[ComponentType, ...]:
    if layout == "interface":
        return (ComponentType.CONFIG,)  # the interface is contract and spec; no builder file
    if layout == "extra":
        return ()
    return REQUIRED_COMPONENTS.get(sagemaker_step_type, MINIMAL_COMPONENTS)


class ReadOnlyDict(dict[str, Any]):
    """A ``dict`` that refuses changes: the parts of a step's answer its nodes' answers share
    (its registry entry, its variants), so that a caller who changed one answer's could not
    change the others'. A plain ``dict`` to read, compare, serialise and copy (``dict(x)`` or
    ``x.copy()`` is the caller's own)."""

    __slots__ = ()

    def _refuse(self) -> NoReturn:
        raise TypeError("a step's registry data is read-only: change a copy (dict(data))")

    def __setitem__(self, key: str, value: Any) -> NoReturn:
        self._refuse()

    def __delitem__(self, key: str) -> NoReturn:
        self._refuse()

    def __ior__(self, other: Any) -> NoReturn:  # type: ignore[misc]
        self._refuse()

    def clear(self) -> NoReturn:
        self._refuse()

    def pop(self, *args: Any) -> NoReturn:
        self._refuse()

    def popitem(self) -> NoReturn:
        self._refuse()

    def setdefault(self, *args: Any) -> NoReturn:
        self._refuse()

    def update(self, *args: Any, **kwargs: Any) -> NoReturn:
        self._refuse()

    def __reduce__(self) -> tuple[type[ReadOnlyDict], tuple[dict[str, Any]]]:
        return ReadOnlyDict, (dict(self),)  # copy and pickle without item assignment


NO_REGISTRY_DATA = ReadOnlyDict()


class StepInfo(BaseModel):
    """Everything known about a step (or a pipeline node: a step plus a job type) in one context."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    step_name: str = Field(..., description="Name of the step (or node name for a variant)")
    workspace_id: str = Field(..., description="Workspace whose definition this is")
    registry_data: dict[str, Any] = Field(
        ..., description="The step's registry entry (read-only in answers: ``ReadOnlyDict``)"
    )
    file_components: dict[str, FileMetadata | None] = Field(
        ..., description="Component files; 'spec' is the variant spec when job_type has one"
    )
    base_step_name: str | None = Field(None, description="Base step name of a job-type variant")
    job_type: str | None = Field(None, description="Job type of a variant (e.g. 'training')")
    variants: dict[str, FileMetadata] = Field(
        default_factory=dict,
        description="Job type -> variant spec of the base step (read-only in answers)",
    )
    registry_location: Location | None = Field(None, description="Where the step is registered")
    registry_source: Literal["core", "local", "override", "unregistered"] = "core"
    layout: Layout = Field("1.x", description="How the step is defined (see ``Layout``)")
    source: Literal["package", "pack", "workspace"] = Field(
        "package",
        description="Where its definition comes from: the framework's steps/ tree, a project's "
        "step pack, or a developer workspace",
    )
    node_type: str | None = Field(None, description="An interface's node_type")

    @property
    def sagemaker_step_type(self) -> str:
        return str(self.registry_data.get("sagemaker_step_type", ""))

    @property
    def config_class(self) -> str:
        return str(self.registry_data.get("config_class", ""))

    @property
    def builder_step_name(self) -> str:
        return str(self.registry_data.get("builder_step_name", ""))

    @property
    def description(self) -> str:
        return str(self.registry_data.get("description", ""))

    @property
    def requires_script(self) -> bool:
        return ComponentType.SCRIPT in required_components(self.sagemaker_step_type, self.layout)

    @property
    def requires_contract(self) -> bool:
        return ComponentType.CONTRACT in required_components(self.sagemaker_step_type, self.layout)

    def has_component(self, component: ComponentType) -> bool:
        if self.file_components.get(component.value) is not None:
            return True
        return component is ComponentType.SPEC and bool(self.variants)

    @property
    def missing_components(self) -> list[ComponentType]:
        return [
            c
            for c in required_components(self.sagemaker_step_type, self.layout)
            if not self.has_component(c)
        ]

    @property
    def is_complete(self) -> bool:
        """Has the components its SageMaker step type requires (seeds/001 rules)."""
        return not self.missing_components

    @property
    def all_files(self) -> list[Path]:
        return [c.path for c in self.file_components.values() if c is not None]

    @property
    def is_job_type_variant(self) -> bool:
        return self.job_type is not None

    @property
    def base_step_key(self) -> str:
        return self.base_step_name or self.step_name

    @property
    def variant_key(self) -> str:
        if self.job_type:
            return f"{self.base_step_key}_{self.job_type}"
        return self.step_name

    @property
    def pipeline_node_name(self) -> str:
        return self.variant_key


class StepSearchResult(BaseModel):
    step_name: str
    workspace_id: str
    match_score: float = Field(..., ge=0.0, le=1.0)
    match_reason: str
    components_available: list[ComponentType]


class WorkspaceInfo(BaseModel):
    workspace_id: str
    kind: Literal["shared", "developer"]
    roots: list[Path] = Field(default_factory=list, description="Folders the workspace owns")
    trees: list[Path] = Field(default_factory=list, description="Its steps/ component trees")
    registry_files: list[Path] = Field(default_factory=list)
    step_count: int = 0
    metadata: dict[str, Any] = Field(default_factory=dict)


class ComponentRef(BaseModel):
    """What a component file is: its kind, workspace, the steps it belongs to and its symbol."""

    path: Path
    file_type: ComponentType
    workspace_id: str
    step_names: list[str] = Field(default_factory=list)
    job_type: str | None = None
    symbol: str | None = None
    span: Span = FILE_START


class RegistryRow(BaseModel):
    """One registry entry as a layer declares it: the core (``workspace`` "shared") or a
    developer workspace's own ``LOCAL_STEPS`` / ``STEP_OVERRIDES``."""

    name: str
    fields: dict[str, Any]
    workspace: str
    section: str  # STEP_NAMES, LOCAL_STEPS, STEP_OVERRIDES
    source: Literal["core", "local", "override"]
    path: Path
    span: Span  # the key
    extent: Span  # from the key through the entry's last value


class ComponentFile(BaseModel):
    """An indexed component file: where it is, its kind, workspace and component tree."""

    path: Path
    file_type: ComponentType
    workspace_id: str
    tree: Path  # the steps/ folder it is in
    rel: str  # posix path below its component folder
    classes: list[str] = Field(default_factory=list, description="Top-level classes it defines")


class TreeInfo(BaseModel):
    """A component tree (a ``steps/`` folder) and its component folders per kind."""

    path: Path
    workspace_id: str
    root: Path
    dirs: dict[ComponentType, list[Path]] = Field(default_factory=dict)
