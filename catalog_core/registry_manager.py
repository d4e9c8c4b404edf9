"""``RegistryManager`` (seeds/002): one isolated ``SpecificationRegistry`` per context name,
created on demand, thread-safe; the global ``registry_manager``, its module-level functions and
the ``integrate_with_pipeline_builder`` decorator that scopes a builder by its pipeline name.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar, overload

from catalog_core.registry.specification_registry import SpecificationRegistry

T = TypeVar("T", bound=type)
DEFAULT_CONTEXT = "default"
DEFAULT_PIPELINE_CONTEXT = "default_pipeline"


class RegistryManager:
    """Isolated specification registries, one per context name."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._registries: dict[str, SpecificationRegistry] = {}

    def get_registry(
        self, context_name: str = DEFAULT_CONTEXT, create_if_missing: bool = True
    ) -> SpecificationRegistry | None:
        """The context's registry, created on first request; None when it does not exist and
        ``create_if_missing`` is false. Concurrent first requests get the same registry."""
        if not isinstance(context_name, str) or not context_name:
            raise ValueError("context_name must be a non-empty string")
        with self._lock:
            registry = self._registries.get(context_name)
            if registry is None and create_if_missing:
                registry = self._registries[context_name] = SpecificationRegistry(context_name)
            return registry

    def list_contexts(self) -> list[str]:
        """The context names that have a registry, in creation order."""
        with self._lock:
            return list(self._registries)

    def clear_context(self, context_name: str) -> bool:
        """Drop a context's registry and its specifications; False when there was none."""
        with self._lock:
            registry = self._registries.pop(context_name, None)
        if registry is None:
            return False
        registry.clear()  # holders of the old object see it empty, not stale
        return True

    def clear_all_contexts(self) -> None:
        """Drop every context's registry."""
        with self._lock:
            registries, self._registries = list(self._registries.values()), {}
        for registry in registries:
            registry.clear()

    def get_context_stats(self) -> dict[str, dict[str, int]]:
        """Context name -> ``{"step_count": ..., "step_type_count": ...}``."""
        with self._lock:
            registries = dict(self._registries)
        return {name: registry.stats() for name, registry in registries.items()}

    def __repr__(self) -> str:
        return f"RegistryManager(contexts={self.list_contexts()})"


registry_manager = RegistryManager()
"""The process-wide manager behind the module-level functions."""


def get_registry(
    context_name: str = DEFAULT_CONTEXT, create_if_missing: bool = True
) -> SpecificationRegistry | None:
    """``registry_manager.get_registry``."""
    return registry_manager.get_registry(context_name, create_if_missing)


def list_contexts() -> list[str]:
    """``registry_manager.list_contexts``."""
    return registry_manager.list_contexts()


def clear_context(context_name: str) -> bool:
    """``registry_manager.clear_context``."""
    return registry_manager.clear_context(context_name)


def get_context_stats() -> dict[str, dict[str, int]]:
    """``registry_manager.get_context_stats``."""
    return registry_manager.get_context_stats()


def get_pipeline_registry(pipeline_name: str) -> SpecificationRegistry:
    """The registry of a pipeline's context (legacy name for ``get_registry``)."""
    registry = registry_manager.get_registry(pipeline_name)
    assert registry is not None
    return registry


def get_default_registry() -> SpecificationRegistry:
    """The ``"default"`` context's registry (legacy)."""
    registry = registry_manager.get_registry(DEFAULT_CONTEXT)
    assert registry is not None
    return registry


def pipeline_context_name(builder: object) -> str:
    """The context a pipeline builder belongs to: ``base_config.pipeline_name`` (or
    ``config.pipeline_name``), else ``"default_pipeline"``."""
    for holder in ("base_config", "config"):
        name = getattr(getattr(builder, holder, None), "pipeline_name", None)
        if isinstance(name, str) and name:
            return name
    return DEFAULT_PIPELINE_CONTEXT


@overload
def integrate_with_pipeline_builder(pipeline_builder_cls: T) -> T: ...


@overload
def integrate_with_pipeline_builder(
    pipeline_builder_cls: None = None, manager: RegistryManager | None = None
) -> Callable[[T], T]: ...


@overload
def integrate_with_pipeline_builder(
    pipeline_builder_cls: T, manager: RegistryManager | None
) -> T: ...


def integrate_with_pipeline_builder(
    pipeline_builder_cls: T | None = None, manager: RegistryManager | None = None
) -> T | Callable[[T], T]:
    """Class decorator: after ``__init__``, ``self.registry`` is the specification registry of
    the builder's pipeline (``pipeline_context_name``), from ``manager`` (default: the global
    one). Use as ``@integrate_with_pipeline_builder`` or ``integrate_with_pipeline_builder(
    manager=m)`` / ``integrate_with_pipeline_builder(cls, m)``."""

    def decorate(cls: T) -> T:
        original_init: Callable[..., None] = cls.__init__  # type: ignore[misc]

        def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
            original_init(self, *args, **kwargs)
            source = manager if manager is not None else registry_manager
            self.registry = source.get_registry(pipeline_context_name(self))

        __init__.__doc__ = original_init.__doc__
        __init__.__wrapped__ = original_init  # type: ignore[attr-defined]
        cls.__init__ = __init__  # type: ignore[misc]
        return cls

    return decorate if pipeline_builder_cls is None else decorate(pipeline_builder_cls)


__all__ = [
    "RegistryManager",
    "SpecificationRegistry",
    "clear_context",
    "get_context_stats",
    "get_default_registry",
    "get_pipeline_registry",
    "get_registry",
    "integrate_with_pipeline_builder",
    "list_contexts",
    "registry_manager",
]
