"""Paths are compared as paths: real (symlink-free) absolute forms and component prefixes,
never string prefixes, and never relative to the process's working directory."""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable
from pathlib import Path, PurePosixPath


def real(path: str | os.PathLike[str]) -> str:
    """The canonical form used as an index key: absolute, normalised, symlinks resolved."""
    return os.path.realpath(path)


def is_within(path: str, folder: str) -> bool:
    """True when ``path`` is ``folder`` or below it, by whole components."""
    if path == folder:
        return True
    folder = folder.rstrip(os.sep) or os.sep
    return path.startswith(folder if folder.endswith(os.sep) else folder + os.sep)


def deepest_owner(path: str, folders: Iterable[str]) -> str | None:
    """The folder among ``folders`` that contains ``path`` with the longest component prefix."""
    best: str | None = None
    for folder in folders:
        if is_within(path, folder) and (best is None or len(folder) > len(best)):
            best = folder
    return best


@functools.lru_cache(maxsize=256)
def _pattern_parts(pattern: str) -> tuple[str, ...]:
    return tuple(p for p in PurePosixPath(pattern).parts if p not in ("", "/"))


def match_components(path: str, pattern: str) -> tuple[str, str] | None:
    """Match a workspace pattern such as ``development/projects/*`` against consecutive components
    of ``path`` (anywhere in it). Returns (folder that matched, the component matched by '*')."""
    want = _pattern_parts(pattern)
    if not want or any(w != "*" and w not in path for w in want):
        return None  # a literal component absent from the text cannot match (most paths)
    parts = Path(path).parts
    for start in range(len(parts) - len(want) + 1):
        captured = None
        for offset, expected in enumerate(want):
            actual = parts[start + offset]
            if expected == "*":
                captured = actual
            elif expected != actual:
                break
        else:
            if captured is not None:
                return str(Path(*parts[: start + len(want)])), captured
    return None
