"""``WorkspaceIntegrationManager``: stage, validate, approve or reject, promote and roll back
steps between a developer workspace and the shared tree (seeds/003), safely.

Every method returns a plain dict (``success`` or ``overall_ready``, ``issues``, ...) and never
prints, so a CLI command or an editor command handler is a thin wrapper. Changes to the shared
tree go through the journal (``journal.py``) under the tree lock (``locking.py``).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from catalog_core.api.catalog import StepCatalog
from catalog_core.integration.ids import check_step_name, check_workspace_id, split_component_id
from catalog_core.integration.journal import Checkpoint, JournaledWriter
from catalog_core.integration.locking import tree_lock
from catalog_core.integration.models import (
    REFUSED,
    ComponentStatus,
    IntegrationError,
    IntegrationStage,
    StagedComponent,
    utc_now,
)
from catalog_core.integration.promotion import Plan, Planner, RecordOutcome
from catalog_core.integration.readiness import Finding, result_dict, review, status_findings
from catalog_core.integration.reports import statistics, summary
from catalog_core.integration.staging import find_shared_root, shared_hashes, snapshot_step
from catalog_core.integration.staging_area import StagingArea
from catalog_core.integration.store import IntegrationStore

PathLike = str | os.PathLike[str]
STATE_DIR = ".stepcat"


class WorkspaceIntegrationManager:
    """Integration of developer-workspace steps into the shared tree of a catalog's roots.

    State (staged snapshots, backups, the journal and the SQLite database) lives in the shared
    root's ``.stepcat/`` folder and survives restarts. An operation a crash interrupted is
    completed or undone by the next manager (or the next operation) on the same tree. After a
    change the manager updates its catalog; a host that shares the catalog (a language server)
    calls the manager from the thread that owns it.
    """

    def __init__(
        self,
        catalog_or_roots: StepCatalog | PathLike | Iterable[PathLike],
        *,
        shared_root: PathLike | None = None,
        checkpoint: Checkpoint | None = None,
        lock_timeout: float = 60.0,
        require_approval: bool = False,
    ) -> None:
        self.catalog = (
            catalog_or_roots
            if isinstance(catalog_or_roots, StepCatalog)
            else StepCatalog(catalog_or_roots)
        )
        self.root = find_shared_root(self.catalog, shared_root)
        self.state_dir = os.path.join(self.root, STATE_DIR)
        if os.path.islink(self.state_dir):
            raise IntegrationError(f"{self.state_dir} is a symlink; refusing to keep state there")
        os.makedirs(self.state_dir, exist_ok=True)
        self.store = IntegrationStore(Path(self.state_dir) / "integration.db")
        self.lock_timeout = lock_timeout
        self.require_approval = require_approval
        self.planner = Planner(self.root)
        self.staging = StagingArea(self.state_dir)
        self.writer = JournaledWriter(
            self.root, self.state_dir, self.store, RecordOutcome(self.store), checkpoint
        )
        self.last_recovery: list[dict[str, object]] = []
        try:  # finish what a crash interrupted, unless another process is busy right now
            with tree_lock(self._lock_path, timeout=0):
                self.last_recovery = self.writer.recover()
        except REFUSED:
            pass
        if self.last_recovery:
            self._refresh_catalog(None)

    # -- plumbing ----------------------------------------------------------------------------

    @property
    def _lock_path(self) -> str:
        return os.path.join(self.state_dir, "lock")

    @contextmanager
    def _locked(self) -> Iterator[None]:
        with tree_lock(self._lock_path, self.lock_timeout):
            recovered = self.writer.recover()
            if recovered:
                self.last_recovery = recovered
                self._refresh_catalog(None)
            yield

    def _refresh_catalog(self, paths: list[str] | None) -> None:
        if paths is None:
            self.catalog.refresh()
        else:
            self.catalog.update([os.path.join(self.root, *p.split("/")) for p in paths])

    def _load(self, component_id: str) -> StagedComponent:
        workspace, step = split_component_id(component_id)
        component = self.store.component(step)
        if component is None:
            raise IntegrationError(f"'{step}' is not staged: stage it first")
        if workspace is not None and workspace != component.source_workspace:
            raise IntegrationError(
                f"'{step}' is staged from workspace '{component.source_workspace}', "
                f"not '{workspace}'"
            )
        return component

    # -- staging -----------------------------------------------------------------------------

    def stage_for_integration(
        self, component_id: str, source_workspace: str, target_stage: str = "integration"
    ) -> dict[str, Any]:
        """Snapshot a step's files (with sha256) and registry entry from a developer workspace."""
        try:
            step = check_step_name(component_id)
            workspace = check_workspace_id(source_workspace)
            stage = IntegrationStage(target_stage)
            if stage not in (IntegrationStage.STAGING, IntegrationStage.INTEGRATION):
                raise IntegrationError("stage to 'staging' or 'integration'; promote to production")
            with self._locked():
                snap = snapshot_step(self.catalog, self.root, step, workspace)
                component = StagedComponent(
                    step,
                    workspace,
                    snap.component_types,
                    stage=stage,
                    status=ComponentStatus.STAGED,
                    files=snap.files,
                    registry_entry=snap.registry_entry,
                    shared_baseline=shared_hashes(self.root, snap.written_paths()),
                    metadata={
                        "staging_path": self.staging.path(step),
                        "original_files": [f.source_path for f in snap.files],
                    },
                )
                previous = self.store.component(step)
                if previous is not None:  # a new snapshot; the review history carries on
                    component.approval_history = previous.approval_history
                component.record("staged")
                self.staging.write(component, snap.contents)
                self.store.save_component(component, "staged", {"workspace": workspace})
        except (*REFUSED, ValueError) as exc:
            return {"success": False, "component_id": component_id, "issues": [str(exc)]}
        except OSError as exc:  # the disk refused (full, read-only): nothing was staged
            issue = f"cannot write the staging snapshot: {exc.strerror or exc}; nothing was staged"
            return {"success": False, "component_id": component_id, "issues": [issue]}
        return {
            "success": True,
            "component_id": step,
            "source_workspace": workspace,
            "staging_path": component.metadata["staging_path"],
            "staged_at": component.staged_at.isoformat(),
            "component_types": component.component_types,
            "files": [f.target_path for f in component.files],
            "registry_entry": component.registry_entry is not None,
            "issues": [],
        }

    # -- validation and review ---------------------------------------------------------------

    def validate_integration_readiness(self, staged_components: list[str]) -> dict[str, Any]:
        """Check each staged component (``step`` or ``workspace:step``) against the shared tree
        as it is now; the shared side's hashes become the baseline promotion compares with."""
        results: dict[str, Any] = {}
        try:
            with self._locked():
                for raw in staged_components:
                    results[raw] = self._validate_one(raw)
        except REFUSED as exc:  # the lock
            return _not_ready(results, [str(exc)])
        issues = [f"{k}: {m}" for k, r in results.items() for m in r["issues"]]
        recommendations = [m for r in results.values() for m in r["recommendations"]]
        return {
            "overall_ready": bool(results) and all(r["ready"] for r in results.values()),
            "component_results": results,
            "integration_issues": issues or ([] if results else ["no components given"]),
            "recommendations": list(dict.fromkeys(recommendations)),
            "validated_at": utc_now().isoformat(),
        }

    def _validate_one(self, raw: str) -> dict[str, Any]:
        try:
            component = self._load(raw)
        except REFUSED as exc:
            return {
                "component_id": raw,
                "ready": False,
                "issues": [str(exc)],
                "warnings": [],
                "recommendations": [],
            }
        findings, edit_error, contents = [], None, {}
        try:
            contents = self.staging.read(component)
        except REFUSED as exc:
            findings.append(Finding("freshness", str(exc), True, "stage it again"))
        try:
            self.planner.registry_change(component)
        except REFUSED as exc:
            edit_error = str(exc)
        now = shared_hashes(self.root, list(component.shared_baseline))
        for path, sha in now.items():
            if component.shared_baseline.get(path) != sha:
                message = f"shared {path} changed since staging; checked against it as it is now"
                findings.append(Finding("freshness", message, False))
        findings += review(self.catalog, self.root, component, contents, edit_error)
        result = result_dict(component, findings)
        component.shared_baseline = now
        component.metadata["last_validation"] = {
            "at": utc_now().isoformat(),
            "ready": result["ready"],
        }
        self.store.save_component(component, "validated", {"ready": result["ready"]})
        return result

    def approve_component(
        self, component_id: str, reviewer: str | None = None, comment: str | None = None
    ) -> dict[str, Any]:
        return self._review(component_id, ComponentStatus.APPROVED, "approved", reviewer, comment)

    def reject_component(
        self, component_id: str, reviewer: str | None = None, comment: str | None = None
    ) -> dict[str, Any]:
        return self._review(component_id, ComponentStatus.REJECTED, "rejected", reviewer, comment)

    def _review(
        self,
        component_id: str,
        status: ComponentStatus,
        action: str,
        reviewer: str | None,
        comment: str | None,
    ) -> dict[str, Any]:
        try:
            with self._locked():
                component = self._load(component_id)
                if component.status in (ComponentStatus.PROMOTED, ComponentStatus.ROLLED_BACK):
                    raise IntegrationError(
                        f"'{component.component_id}' is {component.status.value}; stage it "
                        f"again before it can be {action}"
                    )
                component.status = status
                component.record(action, reviewer, comment)
                self.store.save_component(component, action, {"by": reviewer, "comment": comment})
        except REFUSED as exc:
            return {"success": False, "component_id": component_id, "issues": [str(exc)]}
        return {
            "success": True,
            "component_id": component.component_id,
            "status": status.value,
            "approval_history": [r.model_dump(mode="json") for r in component.approval_history],
            "issues": [],
        }

    # -- promotion and rollback --------------------------------------------------------------

    def promote_to_production(self, component_id: str) -> dict[str, Any]:
        """Copy the staged files into the shared tree and add or replace the step's
        ``STEP_NAMES`` entry: all or nothing, with backups of everything overwritten."""
        step = component_id
        try:
            with self._locked():
                component = self._load(component_id)
                step = component.component_id
                plan = self._plan_promotion(component)
                try:
                    self.writer.run(plan.op, plan.new_bytes, plan.old_bytes)
                except Exception as exc:
                    self._refresh_catalog([c.path for c in plan.op.changes])
                    return _failed(step, f"promotion failed and was undone: {exc}")
                self._refresh_catalog([c.path for c in plan.op.changes] + plan.op.created_dirs)
        except REFUSED as exc:
            return _failed(step, str(exc))
        return {
            "success": True,
            "component_id": step,
            "promoted_at": utc_now().isoformat(),
            "production_path": self.root,
            "operation_id": plan.op.op_id,
            "changed_files": [c.path for c in plan.op.changes],
            "backups": [c.backup for c in plan.op.changes if c.backup],
            "issues": [],
        }

    def _plan_promotion(self, component: StagedComponent) -> Plan:
        def refuse(message: str) -> IntegrationError:
            self.store.record_activity(
                component.component_id, "promotion_refused", {"reason": message}
            )
            return IntegrationError(message)

        blocked = [f.message for f in status_findings(component)]
        if blocked:
            raise refuse(f"'{component.component_id}' is {blocked[0]}")
        if self.require_approval and component.status is not ComponentStatus.APPROVED:
            raise refuse(f"'{component.component_id}' needs approval before promotion")
        try:
            contents = self.staging.read(component)
            plan = self.planner.promotion(component, contents)
        except REFUSED as exc:
            raise refuse(str(exc)) from exc
        changed = [
            path
            for path, sha in plan.observed.items()
            if component.shared_baseline.get(path, "unknown") != sha
        ]
        if changed:
            raise refuse(
                f"shared file(s) changed after staging: {', '.join(changed)}; run validate to "
                "review the step against the current contents, then promote"
            )
        findings = review(self.catalog, self.root, component, contents, None)
        blocking = [f for f in findings if f.blocking]
        if blocking:
            raise refuse("not ready: " + "; ".join(f.message for f in blocking))
        return plan

    def rollback_integration(self, component_id: str) -> dict[str, Any]:
        """Restore the shared tree to its exact bytes before the step's last promotion."""
        step = component_id
        try:
            with self._locked():
                workspace, step = split_component_id(component_id)
                component = self.store.component(step)
                if workspace and component and component.source_workspace != workspace:
                    raise IntegrationError(
                        f"'{step}' was staged from '{component.source_workspace}', not '{workspace}'"
                    )
                found = self.store.last_unreversed_promotion(step)
                if found is None:
                    raise IntegrationError(f"'{step}' has no promotion to roll back")
                plan = self.planner.rollback(found[0], self.state_dir)
                try:
                    self.writer.run(plan.op, plan.new_bytes, plan.old_bytes)
                except Exception as exc:
                    return _failed(step, f"rollback failed and was undone: {exc}")
                finally:
                    self._refresh_catalog([c.path for c in plan.op.changes] + plan.op.removed_dirs)
        except REFUSED as exc:
            return _failed(step, str(exc), rolled_back_at=None)
        return {
            "success": True,
            "component_id": step,
            "rolled_back_at": utc_now().isoformat(),
            "operation_id": plan.op.op_id,
            "restored_files": [c.path for c in plan.op.changes],
            "warnings": plan.warnings,
            "issues": [],
        }

    # -- queries -----------------------------------------------------------------------------

    def get_component(self, component_id: str) -> StagedComponent | None:
        return self.store.component(check_step_name(component_id))

    def list_components(self) -> list[StagedComponent]:
        return self.store.components()

    def create_integration_pipeline(
        self, pipeline_id: str, component_ids: list[str]
    ) -> dict[str, Any]:
        """Group staged components into a named pipeline (seeds/003 ``IntegrationPipeline``)."""
        try:
            check_workspace_id(pipeline_id, "pipeline id")
            steps = [split_component_id(c)[1] for c in component_ids]
        except REFUSED as exc:
            return {"success": False, "pipeline_id": pipeline_id, "issues": [str(exc)]}
        self.store.put_pipeline(pipeline_id, steps)
        pipeline = next(p for p in self.store.pipelines() if p.pipeline_id == pipeline_id)
        return {"success": True, **pipeline.to_dict(), "issues": []}

    def get_integration_summary(self) -> dict[str, Any]:
        return summary(self.store)

    def get_statistics(self) -> dict[str, Any]:
        return statistics(self.store)

    def recover(self) -> list[dict[str, object]]:
        """Complete or undo operations a crash interrupted (also done on start and before every
        change). Returns what was done to each."""
        with tree_lock(self._lock_path, self.lock_timeout):
            report = self.writer.recover()
        if report:
            self.last_recovery = report
            self._refresh_catalog(None)
        return report


def _failed(step: str, message: str, **extra: Any) -> dict[str, Any]:
    return {"success": False, "component_id": step, "issues": [message], **extra}


def _not_ready(results: dict[str, Any], issues: list[str]) -> dict[str, Any]:
    return {
        "overall_ready": False,
        "component_results": results,
        "integration_issues": issues,
        "recommendations": [],
        "validated_at": utc_now().isoformat(),
    }
