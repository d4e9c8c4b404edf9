"""``SpecificationRegistry``: step specifications of one context (a pipeline, an environment, a
tenant), kept in memory and indexed by step type. Thread-safe; specifications are any objects.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any


def spec_step_type(specification: object) -> str | None:
    """A specification's ``step_type`` attribute (or ``"step_type"`` key), None without one."""
    value = (
        specification.get("step_type")
        if isinstance(specification, Mapping)
        else getattr(specification, "step_type", None)
    )
    return value if isinstance(value, str) and value else None


class SpecificationRegistry:
    """The specifications registered in one context, by step name and by step type."""

    def __init__(self, context_name: str = "default") -> None:
        self.context_name = context_name
        self._lock = threading.RLock()
        self._specifications: dict[str, Any] = {}
        self._types: dict[str, str | None] = {}  # step name -> its spec's step type

    def register_specification(self, step_name: str, specification: Any) -> None:
        """Register (or replace) the specification of ``step_name`` in this context."""
        if not isinstance(step_name, str) or not step_name:
            raise ValueError("step_name must be a non-empty string")
        if specification is None:
            raise ValueError(f"specification of {step_name!r} must not be None")
        with self._lock:
            self._specifications[step_name] = specification
            self._types[step_name] = spec_step_type(specification)

    register = register_specification  # the framework's newer name

    def unregister_specification(self, step_name: str) -> bool:
        """Drop one step's specification; False when it was not registered."""
        with self._lock:
            self._types.pop(step_name, None)
            return self._specifications.pop(step_name, None) is not None

    def get_specification(self, step_name: str) -> Any | None:
        """The specification registered for ``step_name``, or None."""
        with self._lock:
            return self._specifications.get(step_name)

    def list_specifications(self) -> list[str]:
        """The step names that have a specification, in registration order."""
        with self._lock:
            return list(self._specifications)

    list_step_names = list_specifications  # the framework's other name

    def list_step_types(self) -> list[str]:
        """The distinct step types of the registered specifications, in first-seen order."""
        with self._lock:
            return list(dict.fromkeys(t for t in self._types.values() if t is not None))

    def get_specifications_by_type(self, step_type: str) -> list[Any]:
        """The specifications whose step type is ``step_type``, in registration order."""
        with self._lock:
            return [self._specifications[n] for n, t in self._types.items() if t == step_type]

    def clear(self) -> None:
        with self._lock:
            self._specifications.clear()
            self._types.clear()

    def stats(self) -> dict[str, int]:
        """``step_count`` and ``step_type_count`` (seeds/002 context statistics)."""
        with self._lock:
            return {
                "step_count": len(self._specifications),
                "step_type_count": len(self.list_step_types()),
            }

    def __contains__(self, step_name: object) -> bool:
        with self._lock:
            return step_name in self._specifications

    def __repr__(self) -> str:
        # No __len__ on purpose: an empty registry must not be falsy (``if registry:``).
        return f"SpecificationRegistry(context={self.context_name!r}, steps={len(self._specifications)})"
