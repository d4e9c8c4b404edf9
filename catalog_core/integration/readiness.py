"""Is a staged step ready to enter the shared tree? Completeness, naming, conflicts, registry,
syntax and freshness checks on the staged snapshot against the shared tree as it is now."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Any

from catalog_core.api.catalog import StepCatalog
from catalog_core.base.files import current_hash
from catalog_core.facts.syntax import syntax_problem
from catalog_core.integration.models import (
    REFUSED,
    ComponentStatus,
    StagedComponent,
)
from catalog_core.models import SHARED, ComponentType, required_components

CHECKS = ("status", "registry", "completeness", "syntax", "conflicts", "naming", "freshness")
_PASCAL = re.compile(r"[A-Z][A-Za-z0-9]*")
_SNAKE_FILE = re.compile(r"[a-z0-9_]+\.py")


@dataclass(frozen=True, slots=True)
class Finding:
    check: str
    message: str
    blocking: bool
    recommendation: str = ""


def review(
    catalog: StepCatalog,
    root: str,
    component: StagedComponent,
    contents: dict[str, bytes],
    registry_edit_error: str | None,
) -> list[Finding]:
    """Every finding for one staged component (blocking ones make it not ready)."""
    found: list[Finding] = []
    found += status_findings(component)
    found += _registry(catalog, component, registry_edit_error)
    found += _completeness(catalog, component)
    found += _syntax(component, contents)
    found += _conflicts(catalog, root, component)
    found += _naming(component)
    found += _freshness(component)
    return found


def result_dict(component: StagedComponent, findings: list[Finding]) -> dict[str, Any]:
    checks = {
        name: {
            "passed": not any(f.blocking for f in findings if f.check == name),
            "issues": [f.message for f in findings if f.check == name and f.blocking],
            "warnings": [f.message for f in findings if f.check == name and not f.blocking],
        }
        for name in CHECKS
    }
    return {
        "component_id": component.component_id,
        "source_workspace": component.source_workspace,
        "status": component.status.value,
        "ready": not any(f.blocking for f in findings),
        "issues": [f.message for f in findings if f.blocking],
        "warnings": [f.message for f in findings if not f.blocking],
        "recommendations": list(
            dict.fromkeys(f.recommendation for f in findings if f.recommendation)
        ),
        "checks": checks,
    }


def status_findings(component: StagedComponent) -> list[Finding]:
    if component.status is ComponentStatus.REJECTED:
        last = component.approval_history[-1] if component.approval_history else None
        why = f" by {last.actor}" if last and last.actor else ""
        why += f": {last.comment}" if last and last.comment else ""
        return [
            Finding("status", f"rejected{why}", True, "address the review, then stage it again")
        ]
    if component.status is ComponentStatus.PROMOTED:
        return [
            Finding(
                "status",
                "already promoted",
                True,
                "stage it again to promote a newer version, or roll it back",
            )
        ]
    return []


def _step_type(catalog: StepCatalog, component: StagedComponent) -> str:
    if component.registry_entry is not None:
        return str(component.registry_entry.fields.get("sagemaker_step_type", ""))
    shared = {r.name: r for r in catalog.registry_rows(SHARED)}
    reg = shared.get(component.component_id)
    value = reg.fields.get("sagemaker_step_type") if reg else ""
    return value if isinstance(value, str) else ""


def _registry(
    catalog: StepCatalog, component: StagedComponent, edit_error: str | None
) -> list[Finding]:
    step = component.component_id
    entry = component.registry_entry
    in_shared = any(r.name == step for r in catalog.registry_rows(SHARED))
    if entry is None and not in_shared:
        return [
            Finding(
                "registry",
                f"'{step}' has no registry entry in workspace '{component.source_workspace}' "
                "or in the shared STEP_NAMES",
                True,
                f"add '{step}' to the workspace's LOCAL_STEPS and stage again",
            )
        ]
    found = []
    if not _step_type(catalog, component):
        found.append(
            Finding(
                "registry",
                f"the registry entry of '{step}' has no sagemaker_step_type",
                True,
                "add sagemaker_step_type (Processing, Training, CreateModel, ...) to the entry",
            )
        )
    if edit_error:
        found.append(Finding("registry", edit_error, True, "fix the shared registry module"))
    return found


def _completeness(catalog: StepCatalog, component: StagedComponent) -> list[Finding]:
    """The components the step will have in the shared tree: staged ones plus shared ones."""
    step_type = _step_type(catalog, component)
    have = {f.component_type for f in component.files}
    shared = catalog.get_step_info(component.component_id, workspace_id=SHARED)
    if shared is not None and shared.step_name == component.component_id:
        have |= {k for k, m in shared.file_components.items() if m is not None}
        have |= {ComponentType.SPEC.value} if shared.variants else set()
    return [
        Finding(
            "completeness",
            f"{step_type or 'the'} step '{component.component_id}' would have no {kind.value} "
            "in the shared tree",
            True,
            f"add the {kind.value} to workspace '{component.source_workspace}' and stage again",
        )
        for kind in required_components(step_type)
        if kind.value not in have
    ]


def _syntax(component: StagedComponent, contents: dict[str, bytes]) -> list[Finding]:
    found = []
    for staged in component.files:
        data = contents.get(staged.target_path)
        problem = syntax_problem(staged.source_path, data) if data is not None else None
        if problem is not None:
            line = problem.span.start_line + 1
            found.append(
                Finding(
                    "syntax",
                    f"{staged.target_path}:{line}: {problem.message}",
                    True,
                    "fix the syntax error and stage again",
                )
            )
    return found


def _conflicts(catalog: StepCatalog, root: str, component: StagedComponent) -> list[Finding]:
    step = component.component_id
    found: list[Finding] = []
    targets = {os.path.join(root, *f.target_path.split("/")) for f in component.files}
    in_shared = any(r.name == step for r in catalog.registry_rows(SHARED))
    if in_shared and component.registry_entry is not None:
        found.append(
            Finding(
                "conflicts",
                f"'{step}' exists in the shared tree; promotion replaces its registry entry"
                " (backups are kept for rollback)",
                False,
            )
        )
    fields = component.registry_entry.fields if component.registry_entry else {}
    for field_name in ("config_class", "builder_step_name"):
        cls = fields.get(field_name)
        if not isinstance(cls, str) or not cls:
            continue
        others = [s for s in catalog.steps_with_class(cls, field_name, SHARED) if s != step]
        if others:
            found.append(
                Finding(
                    "conflicts",
                    f"class {cls} is already the {field_name} of shared step(s) {', '.join(others)}",
                    True,
                    f"rename {cls} in the staged files and the registry entry",
                )
            )
        for record in catalog.component_files(SHARED):
            if cls in record.classes and str(record.path) not in targets:
                owners = catalog.component_at(record.path)
                if owners is None or step not in owners.step_names:
                    found.append(
                        Finding(
                            "conflicts",
                            f"class {cls} is already defined in shared file {record.path}",
                            True,
                            f"rename {cls}, or remove the shared definition first",
                        )
                    )
    found += _file_collisions(catalog, root, component)
    return found


def _file_collisions(catalog: StepCatalog, root: str, component: StagedComponent) -> list[Finding]:
    step = component.component_id
    found = []
    shared = catalog.get_step_info(step, workspace_id=SHARED)
    shared_components = (
        shared.file_components if shared is not None and shared.step_name == step else {}
    )
    for staged in component.files:
        target = os.path.join(root, *staged.target_path.split("/"))
        if os.path.lexists(target) and current_hash(target) != staged.sha256:
            ref = catalog.component_at(target)
            owners = ref.step_names if ref is not None else []
            if step in owners:
                found.append(
                    Finding(
                        "conflicts",
                        f"replaces the shared {staged.target_path} (a backup is kept)",
                        False,
                    )
                )
            else:
                whose = f"shared step(s) {', '.join(owners)}" if owners else "no step"
                found.append(
                    Finding(
                        "conflicts",
                        f"{staged.target_path} exists and belongs to {whose}; promotion "
                        "would overwrite it",
                        True,
                        f"rename the staged {staged.component_type} file",
                    )
                )
        existing = shared_components.get(staged.component_type)
        if staged.job_type is None and existing is not None and str(existing.path) != target:
            found.append(
                Finding(
                    "conflicts",
                    f"the shared tree keeps {staged.component_type} {existing.path} for '{step}'; "
                    f"promoting {staged.target_path} would leave two",
                    True,
                    f"name the staged file {os.path.basename(existing.path)} so it replaces it",
                )
            )
    return found


def _naming(component: StagedComponent) -> list[Finding]:
    step = component.component_id
    found = []
    if not _PASCAL.fullmatch(step):
        found.append(
            Finding(
                "naming",
                f"step name '{step}' is not PascalCase ('_' separates job types in node names)",
                False,
                f"rename the step to {''.join(p[:1].upper() + p[1:] for p in step.split('_'))}",
            )
        )
    fields = component.registry_entry.fields if component.registry_entry else {}
    for field_name, suffix in (("config_class", "Config"), ("builder_step_name", "StepBuilder")):
        value = fields.get(field_name)
        if isinstance(value, str) and value and not value.endswith(suffix):
            found.append(
                Finding("naming", f"{field_name} '{value}' does not end with '{suffix}'", False)
            )
    spec_type = fields.get("spec_type")
    if isinstance(spec_type, str) and spec_type and spec_type != step:
        found.append(Finding("naming", f"spec_type '{spec_type}' differs from '{step}'", False))
    for staged in component.files:
        name = staged.target_path.rsplit("/", 1)[-1]
        if not _SNAKE_FILE.fullmatch(name):
            found.append(Finding("naming", f"file name {name} is not snake_case", False))
    return found


def _freshness(component: StagedComponent) -> list[Finding]:
    found = []
    for staged in component.files:
        try:
            changed = current_hash(staged.source_path) != staged.sha256
        except REFUSED:
            changed = True
        if changed:
            found.append(
                Finding(
                    "freshness",
                    f"the developer copy {staged.source_path} changed since staging; the staged "
                    "snapshot is what would be promoted",
                    False,
                    "stage again to include the latest changes",
                )
            )
    return found
