"""The current workspace context: a ``contextvars`` value per thread and asyncio task, falling
back to the ``STEPCAT_WORKSPACE_ID`` then ``CURSUS_WORKSPACE_ID`` environment variables.

No context (and no variable) means the core registry. ``"shared"`` names the core registry
explicitly, which also overrides the environment. Threads start without a context; asyncio tasks
inherit a copy of their creator's, so a task's changes never leak into another task.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

ENV_VARIABLES = ("STEPCAT_WORKSPACE_ID", "CURSUS_WORKSPACE_ID")

_workspace: ContextVar[str | None] = ContextVar("stepcat_workspace_id", default=None)

# The live mappings consult the environment on every lookup, so they read os.environ's own dict
# (``ENVIRON``: CPython keeps it in ``_data``, keys and values encoded, ``ENV_KEYS``) instead of
# paying for ``os.environ.get`` encoding the key each time. Other interpreters use os.environ.
_ENV_DATA = getattr(os.environ, "_data", None)
if isinstance(_ENV_DATA, dict):
    ENVIRON: Mapping[Any, Any] = _ENV_DATA
    ENV_KEYS: tuple[Any, ...] = tuple(os.environ.encodekey(k) for k in ENV_VARIABLES)
else:  # pragma: no cover - not CPython
    ENVIRON, ENV_KEYS = os.environ, ENV_VARIABLES
_env_get = ENVIRON.get
_KEY_STEPCAT, _KEY_CURSUS = ENV_KEYS
context_value = _workspace.get
"""The context variable's own value (None when unset), without the environment fallback."""


def context_key() -> object:
    """A cheap key for the effective context: the context's id (str), else the raw environment
    value (bytes on POSIX), else None. ``workspace_from_key`` turns it into a workspace id."""
    ws = context_value()
    if ws is None:
        return _env_get(_KEY_STEPCAT) or _env_get(_KEY_CURSUS) or None
    return ws


def workspace_from_key(key: object) -> str | None:
    """The workspace id a ``context_key`` means (None: the core registry)."""
    if isinstance(key, bytes):
        key = os.fsdecode(key)
    if not isinstance(key, str) or not key or key == "shared":
        return None
    return key


def set_workspace_context(workspace_id: str) -> None:
    """Make ``workspace_id`` the current context of this thread or task (``"shared"``: the core
    registry, even when an environment variable names a workspace)."""
    _workspace.set(checked_workspace_id(workspace_id))


def get_workspace_context() -> str | None:
    """The current workspace id: the context's, else ``STEPCAT_WORKSPACE_ID``, else
    ``CURSUS_WORKSPACE_ID``, else None. ``"shared"`` when the core was set explicitly."""
    ws = context_value()
    if ws is not None:
        return ws
    for name in ENV_VARIABLES:
        value = os.environ.get(name)
        if value:
            return value
    return None


def clear_workspace_context() -> None:
    """Forget this thread's or task's context; the environment fallback applies again."""
    _workspace.set(None)


@contextmanager
def workspace_context(workspace_id: str | None) -> Iterator[None]:
    """Use ``workspace_id`` inside the block, then restore the previous context exactly (even
    when the block raises). None clears the context for the block."""
    token = _workspace.set(None if workspace_id is None else checked_workspace_id(workspace_id))
    try:
        yield
    finally:
        try:
            _workspace.reset(token)
        except ValueError:  # the block ran in another Context (an async generator's, say)
            _workspace.set(token.old_value if token.old_value is not token.MISSING else None)


def checked_workspace_id(workspace_id: object) -> str:
    """``workspace_id`` itself, or a TypeError / ValueError saying what is wrong with it."""
    if not isinstance(workspace_id, str):
        raise TypeError(
            f"workspace_id must be a str (a developer workspace id or 'shared'), "
            f"not {type(workspace_id).__name__}"
        )
    if not workspace_id.strip():
        raise ValueError(
            "workspace_id must not be empty; use clear_workspace_context() to drop the context"
        )
    return workspace_id
