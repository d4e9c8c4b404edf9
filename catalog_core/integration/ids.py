"""Validating step names, workspace ids and paths before they reach the file system."""

from __future__ import annotations

import os
import re
from pathlib import PurePosixPath

from catalog_core.base.paths import is_within, real
from catalog_core.integration.models import IntegrationError

_STEP_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_WORKSPACE_ID = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*")
_MAX_LENGTH = 200


def _common_refusals(value: str, what: str) -> None:
    if not value:
        raise IntegrationError(f"{what} is empty")
    if "\0" in value:
        raise IntegrationError(f"{what} {value!r} contains a NUL character")
    if len(value) > _MAX_LENGTH:
        raise IntegrationError(f"{what} is longer than {_MAX_LENGTH} characters")
    if value.startswith(("/", "\\")) or re.match(r"[A-Za-z]:[\\/]", value):
        raise IntegrationError(f"{what} {value!r} is an absolute path, not a name")
    if ".." in value.replace("\\", "/").split("/"):
        raise IntegrationError(f"{what} {value!r} contains '..'")
    if "/" in value or "\\" in value:
        raise IntegrationError(f"{what} {value!r} contains a path separator")


def check_step_name(name: str) -> str:
    """A step name is a Python identifier; anything path-like is refused."""
    _common_refusals(name, "step name")
    if not _STEP_NAME.fullmatch(name):
        raise IntegrationError(
            f"step name {name!r} is not an identifier (letters, digits and '_', not starting "
            "with a digit)"
        )
    return name


def check_workspace_id(workspace_id: str, what: str = "workspace id") -> str:
    """A workspace (or pipeline) id is a folder-like name: letters, digits, '_', '-', '.'."""
    _common_refusals(workspace_id, what)
    if workspace_id in (".", "..") or not _WORKSPACE_ID.fullmatch(workspace_id):
        raise IntegrationError(
            f"{what} {workspace_id!r} may only contain letters, digits, '_', '-' and '.'"
        )
    return workspace_id


def split_component_id(raw: str) -> tuple[str | None, str]:
    """``alice:FeatureSelection`` -> (``alice``, ``FeatureSelection``); a bare step name ->
    (None, name). Both parts are validated."""
    workspace, sep, step = raw.rpartition(":")
    if not sep:
        return None, check_step_name(raw)
    return check_workspace_id(workspace), check_step_name(step)


def check_relative(path: str, what: str = "path") -> str:
    """A posix path relative to a root, without '..' or an absolute start."""
    pure = PurePosixPath(path)
    if not path or pure.is_absolute() or ".." in pure.parts or "\\" in path or "\0" in path:
        raise IntegrationError(f"{what} {path!r} is not a plain relative path")
    return pure.as_posix()


def ensure_inside(path: str, folder: str, what: str) -> str:
    """The real path of ``path`` (or of the part of it that exists, plus the rest), refused
    when it resolves outside ``folder`` (a symlink pointing out, for instance)."""
    resolved = _resolve_existing_prefix(path)
    if not is_within(resolved, real(folder)):
        raise IntegrationError(
            f"{what} {path} resolves to {resolved}, outside {folder}: refusing to follow it"
        )
    return resolved


def _resolve_existing_prefix(path: str) -> str:
    absolute = os.path.abspath(path)
    head, tail = absolute, ""
    while not os.path.lexists(head):
        parent = os.path.dirname(head)
        if parent == head:
            break
        tail = os.path.join(os.path.basename(head), tail) if tail else os.path.basename(head)
        head = parent
    base = real(head)
    return os.path.join(base, tail) if tail else base
