"""Where the importable registry's data comes from: one process-wide ``StepCatalog``, built
lazily on first use from ``configure(roots=...)``, else ``STEPCAT_ROOTS``, else the project
around the current directory; rebuilt by ``refresh()``. Thread-safe (one lock).

Everything derived from the catalog (the live ``step_names`` mappings, say) registers an
invalidation callback with ``on_change`` and is told whenever the data may have changed.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the engine (and pydantic) load on first use, not on import
    from catalog_core.api.catalog import StepCatalog
    from catalog_core.base.settings import CatalogSettings

ROOTS_VARIABLE = "STEPCAT_ROOTS"
PROJECT_MARKERS = ("pyproject.toml", "stepcat.toml", ".git")

lock = threading.RLock()
"""Held while the catalog is built or read and while derived caches are filled or dropped."""

_configured: list[Path] | None = None
_settings: CatalogSettings | None = None
_catalog: StepCatalog | None = None
_generation = 0
_listeners: list[Callable[[], None]] = []


def configure(
    roots: str | os.PathLike[str] | Iterable[str | os.PathLike[str]] | None = None,
    *,
    settings: CatalogSettings | None = None,
) -> None:
    """Index these folders from now on (built on next use). ``configure()`` without roots goes
    back to ``STEPCAT_ROOTS`` or the project around the current directory. Raises ValueError
    for a folder that does not exist."""
    global _configured, _settings, _catalog
    paths = None if roots is None else _folders(roots, "configure(roots=...)")
    with lock:
        _configured, _settings, _catalog = paths, settings, None
        _changed()


def refresh() -> None:
    """Re-read every file (the index is rebuilt on next use) and forget every derived answer.
    Roots not given to ``configure`` are looked up again. Runtime registrations stay."""
    global _catalog
    with lock:
        _catalog = None
        _changed()


def get_catalog() -> StepCatalog:
    """The process-wide catalog, built on first use (the caller of the first use waits)."""
    catalog = _catalog
    if catalog is not None:
        return catalog
    with lock:
        if _catalog is None:
            _build()
        assert _catalog is not None
        return _catalog


def is_built() -> bool:
    return _catalog is not None


def generation() -> int:
    """Increases whenever configure, refresh or a runtime registration changes the data."""
    return _generation


def resolved_roots() -> list[Path]:
    """The roots the next build uses: configured, else ``STEPCAT_ROOTS``, else the project."""
    if _configured is not None:
        return list(_configured)
    env = os.environ.get(ROOTS_VARIABLE, "")
    if env.strip():
        return _folders([p for p in env.split(os.pathsep) if p.strip()], ROOTS_VARIABLE)
    return [project_root(Path.cwd())]


def project_root(start: Path) -> Path:
    """The nearest folder at or above ``start`` holding pyproject.toml, stepcat.toml or .git;
    ``start`` itself when none does."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if any((folder / marker).exists() for marker in PROJECT_MARKERS):
            return folder
    return start


def on_change(callback: Callable[[], None]) -> None:
    """Call ``callback`` (with the lock held) whenever derived answers must be dropped."""
    with lock:
        _listeners.append(callback)


def changed() -> None:
    """Derived answers are stale (a runtime registration changed the registry)."""
    with lock:
        _changed()


@contextmanager
def locked() -> Iterator[StepCatalog]:
    """The catalog, with the lock held for a consistent read."""
    with lock:
        yield get_catalog()


def _build() -> None:
    global _catalog
    from catalog_core.api.catalog import StepCatalog

    _catalog = StepCatalog(resolved_roots(), settings=_settings)


def _changed() -> None:
    global _generation
    _generation += 1
    for callback in _listeners:
        callback()


def _folders(
    roots: str | os.PathLike[str] | Iterable[str | os.PathLike[str]], source: str
) -> list[Path]:
    items = [roots] if isinstance(roots, (str, os.PathLike)) else list(roots)
    paths = [Path(os.fspath(p)).expanduser().resolve() for p in items]
    missing = [str(p) for p in paths if not p.is_dir()]
    if missing:
        raise ValueError(f"{source} names no such folder: {', '.join(missing)}")
    if not paths:
        raise ValueError(f"{source} names no folder; give at least one root")
    return paths
