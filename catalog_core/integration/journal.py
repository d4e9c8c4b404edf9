"""All-or-nothing changes to the shared tree: a write-ahead journal, backups, atomic renames, and
recovery that completes or undoes an operation a crash interrupted.

An operation runs: journal row ``planned`` -> backups of every file it will overwrite or delete
(fsynced) -> journal row ``applying`` -> folders made -> each file written to a temporary sibling,
fsynced and renamed over its target (or deleted) -> folders removed -> one SQLite transaction that
deletes the journal row and records the result (the commit point). A journal row found by a later
run means the operation was interrupted: ``planned`` changed nothing in the tree; ``applying`` is
completed when every file already holds its new bytes and undone otherwise, from the backups.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
from collections.abc import Callable
from typing import Protocol

from catalog_core.base.atomic import (
    atomic_write,
    fsync_dir,
    make_dirs_durably,
    remove_durably,
    replace_durably,
    write_temp,
)
from catalog_core.base.files import current_hash, read_regular, sha256
from catalog_core.integration.models import IntegrationError, Operation
from catalog_core.integration.store import JOURNAL_APPLYING, JOURNAL_PLANNED, IntegrationStore

Checkpoint = Callable[[str], None]


class Outcome(Protocol):
    """What the database records when an operation commits or is undone."""

    def committed(self, db: sqlite3.Connection, op: Operation, recovered: bool) -> None: ...

    def undone(self, db: sqlite3.Connection, op: Operation, reason: str) -> None: ...


class JournaledWriter:
    """Runs operations on the files below ``root``; keeps backups below ``state_dir``."""

    def __init__(
        self,
        root: str,
        state_dir: str,
        store: IntegrationStore,
        outcome: Outcome,
        checkpoint: Checkpoint | None = None,
    ) -> None:
        self.root = root
        self.state_dir = state_dir
        self.store = store
        self.outcome = outcome
        self.checkpoint: Checkpoint = checkpoint or (lambda step: None)

    def _abs(self, rel: str) -> str:
        return os.path.join(self.root, *rel.split("/"))

    def backup_path(self, rel: str) -> str:
        return os.path.join(self.state_dir, *rel.split("/"))

    # -- running -----------------------------------------------------------------------------

    def run(self, op: Operation, new_bytes: dict[str, bytes], old_bytes: dict[str, bytes]) -> None:
        """Apply ``op``. On any failure before the commit the tree is restored from the backups
        and the error re-raised; a failure after the commit is not an error (it is done)."""
        self.store.journal_put(op, JOURNAL_PLANNED)
        applying = False
        try:
            self.checkpoint("journal:planned")
            self._write_backups(op, old_bytes)
            self.store.journal_put(op, JOURNAL_APPLYING)
            applying = True
            self.checkpoint("journal:applying")
            self._apply(op, new_bytes)
        except BaseException as exc:
            if applying:
                self.undo(op, f"failed: {exc}")
            else:
                self.discard(op, f"failed before changing the tree: {exc}")
            raise
        with self.store.transaction() as db:
            self.store.journal_delete(db, op.op_id)
            self.outcome.committed(db, op, recovered=False)
        with contextlib.suppress(Exception):  # committed: nothing is left to do or to undo
            self.checkpoint("journal:committed")

    def _write_backups(self, op: Operation, old_bytes: dict[str, bytes]) -> None:
        for change in op.changes:
            if change.backup is None:
                continue
            data = old_bytes[change.path]
            if sha256(data) != change.old_sha256:
                raise IntegrationError(f"backup of {change.path} does not match its plan")
            path = self.backup_path(change.backup)
            make_dirs_durably(os.path.dirname(path))
            atomic_write(path, data)
            self.checkpoint(f"backup:{change.path}")

    def _apply(self, op: Operation, new_bytes: dict[str, bytes]) -> None:
        for rel in op.created_dirs:
            os.mkdir(self._abs(rel))
            fsync_dir(os.path.dirname(self._abs(rel)))
            self.checkpoint(f"mkdir:{rel}")
        for change in op.changes:
            path = self._abs(change.path)
            if current_hash(path) != change.old_sha256:
                raise IntegrationError(
                    f"{change.path} was changed by someone else while the {op.kind} was running"
                )
            if change.new_sha256 is None:
                remove_durably(path)
                self.checkpoint(f"delete:{change.path}")
                continue
            temp = self._abs(op.temp_name(change.path))
            mode = os.stat(path).st_mode if os.path.exists(path) else None
            write_temp(temp, new_bytes[change.path], mode)
            self.checkpoint(f"temp:{change.path}")
            replace_durably(temp, path)
            self.checkpoint(f"write:{change.path}")
        for rel in op.removed_dirs:
            os.rmdir(self._abs(rel))
            fsync_dir(os.path.dirname(self._abs(rel)))
            self.checkpoint(f"rmdir:{rel}")

    # -- undo and recovery -------------------------------------------------------------------

    def undo(self, op: Operation, reason: str) -> list[str]:
        """Put every file ``op`` changed back to its old bytes (idempotent: safe to repeat after
        a crash during the undo). A file holding neither the old nor the new bytes was changed by
        someone else; it is left as they made it and its path returned."""
        conflicts: list[str] = []
        for rel in reversed(op.removed_dirs):
            os.makedirs(self._abs(rel), exist_ok=True)
        for change in reversed(op.changes):
            path = self._abs(change.path)
            temp = self._abs(op.temp_name(change.path))
            if os.path.lexists(temp):
                remove_durably(temp)
            now = current_hash(path)
            if now == change.old_sha256:
                continue
            if now != change.new_sha256:
                conflicts.append(change.path)
                continue
            if change.old_sha256 is None:
                remove_durably(path)
                continue
            assert change.backup is not None
            data = read_regular(self.backup_path(change.backup))
            if sha256(data) != change.old_sha256:
                raise IntegrationError(
                    f"the backup of {change.path} is damaged; restore it by hand from "
                    f"{self.backup_path(change.backup)}"
                )
            atomic_write(path, data, self._abs(op.temp_name(change.path)))
        for rel in reversed(op.created_dirs):
            folder = self._abs(rel)
            if os.path.isdir(folder) and not os.listdir(folder):
                os.rmdir(folder)
                fsync_dir(os.path.dirname(folder))
        with self.store.transaction() as db:
            self.store.journal_delete(db, op.op_id)
            self.outcome.undone(db, op, reason)
        shutil.rmtree(self.backup_path(f"backups/{op.op_id}"), ignore_errors=True)
        return conflicts

    def discard(self, op: Operation, reason: str) -> None:
        """Forget an operation that never reached the tree (its journal row was ``planned``)."""
        with self.store.transaction() as db:
            self.store.journal_delete(db, op.op_id)
            self.outcome.undone(db, op, reason)
        shutil.rmtree(self.backup_path(f"backups/{op.op_id}"), ignore_errors=True)

    def is_complete(self, op: Operation) -> bool:
        """Every file already holds its new bytes (so completing needs no more writes)."""
        return (
            all(current_hash(self._abs(c.path)) == c.new_sha256 for c in op.changes)
            and all(os.path.isdir(self._abs(d)) for d in op.created_dirs)
            and not any(os.path.lexists(self._abs(d)) for d in op.removed_dirs)
        )

    def recover(self) -> list[dict[str, object]]:
        """Finish every interrupted operation: complete it or undo it. Call with the lock held."""
        report: list[dict[str, object]] = []
        for op, state in self.store.journal():
            for change in op.changes:
                temp = self._abs(op.temp_name(change.path))
                if os.path.lexists(temp):
                    remove_durably(temp)
            conflicts: list[str] = []
            if state == JOURNAL_PLANNED:
                self.discard(op, "interrupted before changing the tree; discarded on recovery")
                action = "discarded"
            elif self.is_complete(op):
                with self.store.transaction() as db:
                    self.store.journal_delete(db, op.op_id)
                    self.outcome.committed(db, op, recovered=True)
                action = "completed"
            else:
                conflicts = self.undo(op, "interrupted midway; undone on recovery")
                action = "undone"
            report.append(
                {"op_id": op.op_id, "kind": op.kind, "step": op.step, "action": action}
                | ({"left_as_changed_by_others": conflicts} if conflicts else {})
            )
        self._sweep_orphan_backups()
        return report

    def _sweep_orphan_backups(self) -> None:
        """Backups of operations that never reached the journal (killed while planning)."""
        folder = self.backup_path("backups")
        if not os.path.isdir(folder):
            return
        known = self.store.operation_ids()
        for name in os.listdir(folder):
            if name not in known:
                shutil.rmtree(os.path.join(folder, name), ignore_errors=True)
