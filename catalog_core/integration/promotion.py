"""Planning promotions and rollbacks as journaled operations, and what their commit records."""

from __future__ import annotations

import os
import sqlite3
import uuid
from dataclasses import dataclass, field

from catalog_core.base.files import read_regular, sha256
from catalog_core.integration.ids import check_relative, ensure_inside
from catalog_core.integration.models import (
    ComponentStatus,
    FileChange,
    IntegrationError,
    IntegrationStage,
    Operation,
    StagedComponent,
    utc_now,
)
from catalog_core.integration.registry_edit import EntrySource, upsert_step_names_entry
from catalog_core.integration.store import IntegrationStore


@dataclass(slots=True)
class Plan:
    """An operation plus the bytes it writes and the bytes it backs up."""

    op: Operation
    new_bytes: dict[str, bytes] = field(default_factory=dict)
    old_bytes: dict[str, bytes] = field(default_factory=dict)
    observed: dict[str, str | None] = field(default_factory=dict)  # path -> sha256 at planning
    warnings: list[str] = field(default_factory=list)


def new_op_id() -> str:
    return f"{utc_now().strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:8]}"


class Planner:
    """Turns a staged component (or a past promotion) into the file changes of an operation."""

    def __init__(self, root: str) -> None:
        self.root = root

    def _abs(self, rel: str) -> str:
        return os.path.join(self.root, *check_relative(rel).split("/"))

    def _read(self, rel: str) -> bytes | None:
        if os.path.islink(self._abs(rel)):
            raise IntegrationError(f"{rel} is a symlink; promotion only replaces regular files")
        path = ensure_inside(self._abs(rel), self.root, "shared path")
        return read_regular(path) if os.path.lexists(path) else None

    def _missing_dirs(self, rel: str) -> list[str]:
        """Folders that must be made for ``rel``, outermost first, relative to the root."""
        missing: list[str] = []
        parent = rel.rpartition("/")[0]
        while parent and not os.path.isdir(self._abs(parent)):
            missing.append(parent)
            parent = parent.rpartition("/")[0]
        return list(reversed(missing))

    def _add(self, plan: Plan, rel: str, old: bytes | None, new: bytes | None) -> None:
        plan.observed[rel] = sha256(old) if old is not None else None
        if old == new:
            return
        op = plan.op
        plan.op.changes.append(
            FileChange(
                path=rel,
                old_sha256=plan.observed[rel],
                new_sha256=sha256(new) if new is not None else None,
                backup=f"backups/{op.op_id}/{rel}" if old is not None else None,
            )
        )
        if old is not None:
            plan.old_bytes[rel] = old
        if new is not None:
            plan.new_bytes[rel] = new

    def registry_change(self, component: StagedComponent) -> tuple[str, bytes, bytes] | None:
        """(registry path, old bytes, new bytes) of the registry edit, or None if none is due."""
        entry = component.registry_entry
        if entry is None:
            return None
        old = self._read(entry.target_registry)
        if old is None:
            raise IntegrationError(f"the shared registry {entry.target_registry} is gone")
        source = EntrySource(entry.text, entry.relative_indent)
        new = upsert_step_names_entry(
            old, component.component_id, source, entry.fields, entry.target_registry
        )
        return entry.target_registry, old, new

    def promotion(self, component: StagedComponent, contents: dict[str, bytes]) -> Plan:
        plan = Plan(
            Operation(
                op_id=new_op_id(),
                kind="promote",
                step=component.component_id,
                previous_stage=component.stage,
                previous_status=component.status,
            )
        )
        for staged in component.files:
            rel = staged.target_path
            new = contents[rel]
            old = self._read(rel)
            if old is None and new is not None:
                for folder in self._missing_dirs(rel):
                    if folder not in plan.op.created_dirs:
                        plan.op.created_dirs.append(folder)
            self._add(plan, rel, old, new)
        change = self.registry_change(component)
        if change is not None:
            self._add(plan, change[0], change[1], change[2])
        return plan

    def rollback(self, promotion: Operation, state_dir: str) -> Plan:
        """Undo a committed promotion: every file back to its pre-promotion bytes. Refused when
        a promoted file has changed since (a rollback would silently discard that change)."""
        plan = Plan(
            Operation(
                op_id=new_op_id(),
                kind="rollback",
                step=promotion.step,
                reverses=promotion.op_id,
                previous_stage=promotion.previous_stage,
                previous_status=promotion.previous_status,
            )
        )
        changed = []
        for change in promotion.changes:
            now = self._read(change.path)
            if (sha256(now) if now is not None else None) != change.new_sha256:
                changed.append(change.path)
                continue
            restored = None
            if change.old_sha256 is not None:
                assert change.backup is not None
                restored = read_regular(os.path.join(state_dir, *change.backup.split("/")))
                if sha256(restored) != change.old_sha256:
                    raise IntegrationError(
                        f"the backup of {change.path} is damaged; not rolling back"
                    )
            self._add(plan, change.path, now, restored)
        if changed:
            raise IntegrationError(
                f"{', '.join(changed)} changed since the promotion; rolling back would discard "
                "those changes (revert them by hand, or promote again)"
            )
        deleted = {c.path for c in plan.op.changes if c.new_sha256 is None}
        removed: set[str] = set()
        for folder in reversed(promotion.created_dirs):
            if not os.path.isdir(self._abs(folder)):
                continue
            left = {f"{folder}/{name}" for name in os.listdir(self._abs(folder))}
            left -= deleted | removed
            if left:
                plan.warnings.append(f"kept folder {folder}: it holds files added since")
                continue
            plan.op.removed_dirs.append(folder)
            removed.add(folder)
        return plan


class RecordOutcome:
    """Records a committed or undone operation in the store (inside the commit transaction)."""

    def __init__(self, store: IntegrationStore) -> None:
        self.store = store

    def _component(self, db: sqlite3.Connection, step: str) -> StagedComponent | None:
        row = db.execute("SELECT data FROM components WHERE step = ?", (step,)).fetchone()
        return StagedComponent.model_validate_json(row[0]) if row else None

    def committed(self, db: sqlite3.Connection, op: Operation, recovered: bool) -> None:
        component = self._component(db, op.step)
        files = [c.path for c in op.changes]
        detail = {"op_id": op.op_id, "files": files, "recovered": recovered}
        if component is not None:
            if op.kind == "promote":
                component.status = ComponentStatus.PROMOTED
                component.stage = IntegrationStage.PRODUCTION
                component.metadata["promotion"] = {"op_id": op.op_id, "at": utc_now().isoformat()}
            else:
                component.status = ComponentStatus.ROLLED_BACK
                component.stage = op.previous_stage or IntegrationStage.INTEGRATION
                component.metadata.pop("promotion", None)
            component.record("promoted" if op.kind == "promote" else "rolled_back")
            self.store.put_component(db, component)
        self.store.put_operation(db, op)
        self._rebase_baselines(db, op)
        action = "promoted" if op.kind == "promote" else "rolled_back"
        self.store.add_activity(db, op.step, action, detail)

    def _rebase_baselines(self, db: sqlite3.Connection, op: Operation) -> None:
        """Our own committed change is not a change "after staging" for the other staged
        steps (their promotion re-checks conflicts against the tree as it is then)."""
        rows = db.execute("SELECT data FROM components WHERE step != ?", (op.step,)).fetchall()
        for (data,) in rows:
            other = StagedComponent.model_validate_json(data)
            moved = False
            for change in op.changes:
                if other.shared_baseline.get(change.path, "absent") == change.old_sha256:
                    other.shared_baseline[change.path] = change.new_sha256
                    moved = True
            if moved:
                self.store.put_component(db, other)

    def undone(self, db: sqlite3.Connection, op: Operation, reason: str) -> None:
        action = "promotion_failed" if op.kind == "promote" else "rollback_failed"
        self.store.add_activity(db, op.step, action, {"op_id": op.op_id, "reason": reason})
