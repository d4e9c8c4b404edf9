"""The one guard around per-file work: an unexpected exception while reading, extracting or
checking one file (or linking one step) becomes an ``internal-error`` problem on that file, the
traceback goes to the ``stepcat`` logger, and everything else is still indexed.

Readers are written to be total (bad input becomes a problem, never an exception); this guard is
for the bugs they still have. It is applied at the depth where one unit of work (a file, a step)
starts, never around a whole build, so one bad file never costs the others.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from catalog_core.models import FILE_START, Problem, Severity, Span

log = logging.getLogger("stepcat")
T = TypeVar("T")
RULE = "internal-error"


def internal_error(
    path: str | Path | None, stage: str, exc: BaseException, span: Span = FILE_START
) -> Problem:
    """The problem that stands for one failed unit of work."""
    text = str(exc).splitlines()[0] if str(exc) else ""
    text = text if len(text) <= 200 else text[:197] + "..."
    detail = f"{type(exc).__name__}: {text}" if text else type(exc).__name__
    return Problem(
        rule=RULE,
        severity=Severity.ERROR,
        message=f"stepcat failed while {stage} ({detail}); the rest of the catalog is indexed. "
        "This is a bug in stepcat: please report it (the log or --debug has the traceback)",
        path=Path(path) if path is not None else None,
        span=span,
    )


class Faults:
    """Internal errors met so far, by file and stage. Re-running a stage on a file first forgets
    what that stage reported before, so an update equals a rebuild."""

    __slots__ = ("_by_key",)

    def __init__(self) -> None:
        self._by_key: dict[tuple[str, str], Problem] = {}

    def run(self, path: str, stage: str, fn: Callable[..., T], default: T, *args: object) -> T:
        """``fn(*args)``, or ``default`` and an ``internal-error`` problem on ``path``. (The
        arguments are passed, not closed over: a build runs this for every file and spec.)"""
        if self._by_key:
            self._by_key.pop((path, stage), None)
        try:
            return fn(*args)
        except Exception as exc:  # the guard: any bug in one unit of work
            log.warning("stepcat: internal error while %s %s", stage, path, exc_info=True)
            self._by_key[(path, stage)] = internal_error(path, stage, exc)
            return default

    def problems(self, path: str | None = None) -> list[Problem]:
        if path is None:
            return list(self._by_key.values())
        return [p for (where, _), p in self._by_key.items() if where == path]

    def forget(self, path: str) -> None:
        for key in [k for k in self._by_key if k[0] == path]:
            del self._by_key[key]

    def __len__(self) -> int:
        return len(self._by_key)


def guarded_list(path: str | None, stage: str, fn: Callable[[], list[Problem]]) -> list[Problem]:
    """For on-demand checks: ``fn()``, or the ``internal-error`` problem that replaces its
    answer when it fails (nothing is cached by the guard itself)."""
    try:
        return fn()
    except Exception as exc:
        log.warning("stepcat: internal error while %s %s", stage, path or "", exc_info=True)
        return [internal_error(path, stage, exc)]
