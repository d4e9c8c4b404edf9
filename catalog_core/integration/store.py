"""Persistent integration state in SQLite (WAL, synchronous=FULL): components, history, journal.

One connection per call, so a store is safe to share between threads and processes. The journal
table is the write-ahead journal of tree operations: a row exists exactly while an operation may
have changed the shared tree without being committed.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from catalog_core.integration.models import IntegrationPipeline, Operation, StagedComponent, utc_now

_SCHEMA = """
CREATE TABLE IF NOT EXISTS components (step TEXT PRIMARY KEY, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS activities (
    id INTEGER PRIMARY KEY AUTOINCREMENT, step TEXT NOT NULL, at TEXT NOT NULL,
    action TEXT NOT NULL, detail TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS operations (
    op_id TEXT PRIMARY KEY, step TEXT NOT NULL, kind TEXT NOT NULL, at TEXT NOT NULL,
    data TEXT NOT NULL, reversed_by TEXT);
CREATE TABLE IF NOT EXISTS journal (
    op_id TEXT PRIMARY KEY, step TEXT NOT NULL, state TEXT NOT NULL, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS pipelines (pipeline_id TEXT PRIMARY KEY, data TEXT NOT NULL);
"""

JOURNAL_PLANNED = "planned"  # backups may be partly written; the tree is untouched
JOURNAL_APPLYING = "applying"  # backups are durable; tree files may be old or new


class IntegrationStore:
    """The state database ``<shared root>/.stepcat/integration.db``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        with self._connect() as db:
            db.executescript(_SCHEMA)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=60, isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=FULL")
            yield db
        finally:
            db.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic, durable write transaction."""
        with self._connect() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    # -- components --------------------------------------------------------------------------

    def component(self, step: str) -> StagedComponent | None:
        with self._connect() as db:
            row = db.execute("SELECT data FROM components WHERE step = ?", (step,)).fetchone()
        return StagedComponent.model_validate_json(row[0]) if row else None

    def components(self) -> list[StagedComponent]:
        with self._connect() as db:
            rows = db.execute("SELECT data FROM components ORDER BY step").fetchall()
        return [StagedComponent.model_validate_json(r[0]) for r in rows]

    @staticmethod
    def put_component(db: sqlite3.Connection, component: StagedComponent) -> None:
        db.execute(
            "INSERT OR REPLACE INTO components (step, data) VALUES (?, ?)",
            (component.component_id, component.model_dump_json()),
        )

    def save_component(
        self, component: StagedComponent, action: str, detail: dict[str, Any] | None = None
    ) -> None:
        with self.transaction() as db:
            self.put_component(db, component)
            self.add_activity(db, component.component_id, action, detail or {})

    # -- history -----------------------------------------------------------------------------

    @staticmethod
    def add_activity(
        db: sqlite3.Connection, step: str, action: str, detail: dict[str, Any]
    ) -> None:
        db.execute(
            "INSERT INTO activities (step, at, action, detail) VALUES (?, ?, ?, ?)",
            (step, utc_now().isoformat(), action, json.dumps(detail, default=str)),
        )

    def record_activity(self, step: str, action: str, detail: dict[str, Any]) -> None:
        with self.transaction() as db:
            self.add_activity(db, step, action, detail)

    def activities(self, limit: int | None = None) -> list[dict[str, Any]]:
        """Newest first."""
        query = "SELECT step, at, action, detail FROM activities ORDER BY id DESC"
        with self._connect() as db:
            rows = db.execute(query + (f" LIMIT {int(limit)}" if limit else "")).fetchall()
        return [
            {"component_id": s, "activity": {"action": a, "at": at, **json.loads(d)}}
            for s, at, a, d in rows
        ]

    def action_counts(self) -> dict[str, int]:
        with self._connect() as db:
            rows = db.execute("SELECT action, COUNT(*) FROM activities GROUP BY action")
            return {a: n for a, n in rows.fetchall()}

    # -- journal and committed operations ----------------------------------------------------

    def journal_put(self, op: Operation, state: str) -> None:
        with self.transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO journal (op_id, step, state, data) VALUES (?, ?, ?, ?)",
                (op.op_id, op.step, state, op.model_dump_json()),
            )

    def journal(self) -> list[tuple[Operation, str]]:
        with self._connect() as db:
            rows = db.execute("SELECT data, state FROM journal ORDER BY rowid").fetchall()
        return [(Operation.model_validate_json(d), s) for d, s in rows]

    @staticmethod
    def journal_delete(db: sqlite3.Connection, op_id: str) -> None:
        db.execute("DELETE FROM journal WHERE op_id = ?", (op_id,))

    @staticmethod
    def put_operation(db: sqlite3.Connection, op: Operation) -> None:
        db.execute(
            "INSERT OR REPLACE INTO operations (op_id, step, kind, at, data) VALUES (?, ?, ?, ?, ?)",
            (op.op_id, op.step, op.kind, utc_now().isoformat(), op.model_dump_json()),
        )
        if op.reverses:
            db.execute(
                "UPDATE operations SET reversed_by = ? WHERE op_id = ?", (op.op_id, op.reverses)
            )

    def last_unreversed_promotion(self, step: str) -> tuple[Operation, datetime] | None:
        with self._connect() as db:
            row = db.execute(
                "SELECT data, at FROM operations WHERE step = ? AND kind = 'promote' "
                "AND reversed_by IS NULL ORDER BY rowid DESC LIMIT 1",
                (step,),
            ).fetchone()
        if row is None:
            return None
        return Operation.model_validate_json(row[0]), datetime.fromisoformat(row[1])

    def operation_ids(self) -> set[str]:
        with self._connect() as db:
            rows = db.execute("SELECT op_id FROM operations UNION SELECT op_id FROM journal")
            return {r[0] for r in rows.fetchall()}

    # -- pipelines ---------------------------------------------------------------------------

    def put_pipeline(self, pipeline_id: str, steps: list[str]) -> None:
        with self.transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO pipelines (pipeline_id, data) VALUES (?, ?)",
                (pipeline_id, json.dumps({"steps": steps, "created_at": utc_now().isoformat()})),
            )

    def pipelines(self) -> list[IntegrationPipeline]:
        with self._connect() as db:
            rows = db.execute("SELECT pipeline_id, data FROM pipelines ORDER BY 1").fetchall()
        result = []
        for pipeline_id, data in rows:
            info = json.loads(data)
            found = [self.component(s) for s in info["steps"]]
            result.append(
                IntegrationPipeline(
                    pipeline_id,
                    [c for c in found if c is not None],
                    created_at=datetime.fromisoformat(info["created_at"]),
                )
            )
        return result
