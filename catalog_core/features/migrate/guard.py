"""The migration's guard, at the depth of one unit of work (a step, a DAG module): when one
fails unexpectedly, what it had added to the plan is taken back, a note says it was not
migrated, the traceback goes to the ``stepcat`` logger, and every other unit is migrated."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from catalog_core.features.migrate.convert import Note

if TYPE_CHECKING:
    from catalog_core.features.migrate.plan import MigrationPlan

log = logging.getLogger("stepcat")
T = TypeVar("T")


def converted(
    plan: MigrationPlan, step: str, path: Path | None, fn: Callable[..., T], *args: Any
) -> T | None:
    """``fn(*args)``, or None with the plan as it was before it and a ``skipped`` note."""
    marks = (len(plan.steps), len(plan.dags), len(plan.changes), len(plan.notes))
    try:
        return fn(*args)
    except Exception as exc:  # the guard: any bug in one unit's conversion
        log.warning("stepcat: internal error while migrating %s", step or path, exc_info=True)
        del plan.steps[marks[0] :], plan.dags[marks[1] :]
        del plan.changes[marks[2] :], plan.notes[marks[3] :]
        detail = str(exc).splitlines()[0][:200] if str(exc) else ""
        plan.notes.append(
            Note(
                step,
                "skipped",
                f"not migrated: stepcat failed while converting it ({type(exc).__name__}"
                f"{': ' + detail if detail else ''}); this is a bug in stepcat, please report "
                "it (the log or --debug has the traceback)",
                path,
            )
        )
        return None
