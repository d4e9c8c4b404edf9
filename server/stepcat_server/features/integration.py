"""Promotion from the editor: ``stepcat.integrate.*`` commands over the integration manager,
and a "Stage for integration" code action on a developer workspace's step. Results are shown
with ``window/showMessage``; diagnostics are refreshed after the shared tree changed."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from lsprotocol import types

from catalog_core.api import StepCatalog
from catalog_core.integration.manager import WorkspaceIntegrationManager
from catalog_core.integration.models import IntegrationError
from catalog_core.models import SHARED, RegistryRow

from .diagnostics import publish_changes

if TYPE_CHECKING:
    from ..server import StepcatServer

PREFIX = "stepcat.integrate."
Action = Callable[[WorkspaceIntegrationManager, list[Any]], dict[str, Any]]


def _text(name: str, result: dict[str, Any]) -> tuple[bool, str]:
    """Whether it worked, and one message line for the user."""
    if name == "validate":
        parts = [
            f"{k}: {'ready' if v['ready'] else 'not ready: ' + '; '.join(v['issues'])}"
            for k, v in result.get("component_results", {}).items()
        ]
        return bool(result.get("overall_ready")), " | ".join(parts) or "nothing to validate"
    if name == "status":
        counts = result.get("component_status_distribution", {})
        shown = ", ".join(f"{k}: {v}" for k, v in counts.items() if v) or "nothing staged"
        return True, f"integration: {shown}"
    ok = bool(result.get("success"))
    if not ok:
        return False, f"{name} failed: " + "; ".join(map(str, result.get("issues", []))) or name
    step = result.get("component_id", "")
    detail = {
        "stage": f"staged {step} from {result.get('source_workspace')}",
        "approve": f"approved {step}",
        "reject": f"rejected {step}",
        "promote": f"promoted {step}: {len(result.get('changed_files', []))} file(s) changed",
        "rollback": f"rolled back {step}: {len(result.get('restored_files', []))} file(s) restored",
    }[name]
    return True, detail


ACTIONS: dict[str, Action] = {
    "stage": lambda m, a: m.stage_for_integration(str(a[0]), str(a[1])),
    "validate": lambda m, a: m.validate_integration_readiness([str(x) for x in a]),
    "approve": lambda m, a: m.approve_component(
        str(a[0]), "editor", str(a[1]) if len(a) > 1 else None
    ),
    "reject": lambda m, a: m.reject_component(
        str(a[0]), "editor", str(a[1]) if len(a) > 1 else None
    ),
    "promote": lambda m, a: m.promote_to_production(str(a[0])),
    "rollback": lambda m, a: m.rollback_integration(str(a[0])),
    "status": lambda m, a: m.get_integration_summary(),
}


ARGUMENTS = {
    "stage": ["step", "workspace"],
    "validate": ["step"],
    "approve": ["step"],
    "reject": ["step"],
    "promote": ["step"],
    "rollback": ["step"],
    "status": [],
}


def run_action(catalog: StepCatalog, name: str, args: list[Any]) -> dict[str, Any]:
    """Run on the analysis thread: the manager edits files and updates the shared catalog."""
    needed = ARGUMENTS[name]
    if len(args) < len(needed):
        usage = f"{PREFIX}{name} needs arguments: {', '.join(needed)}"
        return {"success": False, "overall_ready": False, "issues": [usage]}
    try:
        manager = WorkspaceIntegrationManager(catalog)
        return ACTIONS[name](manager, args)
    except IntegrationError as exc:
        return {"success": False, "issues": [str(exc)]}


def _covers(row: RegistryRow, line: int) -> bool:
    """Whether ``line`` is within a registry entry: its key through its last field's value."""
    return row.extent.start_line <= line <= row.extent.end_line


def wants_refactors(only: Sequence[str] | None) -> bool:
    """Whether a client's ``context.only`` filter lets refactorings through."""
    return not only or any(types.CodeActionKind.Refactor.value.startswith(str(k)) for k in only)


def stage_actions(catalog: StepCatalog, path: str, rng: types.Range) -> list[types.CodeAction]:
    """ "Stage for integration" on a developer workspace's step: its registry entry under the
    cursor, or any of its component files."""
    workspace = catalog.workspace_of(path)
    if workspace == SHARED:
        return []
    steps = [row.name for row in catalog.registry_rows_in(path) if _covers(row, rng.start.line)]
    component = catalog.component_at(path)
    if component is not None:
        steps += component.step_names[:1]
    return [
        types.CodeAction(
            title=f"Stage {step} for integration into the shared workspace…",
            kind=types.CodeActionKind.Refactor,
            command=types.Command(
                title="Stage for integration", command=PREFIX + "stage", arguments=[step, workspace]
            ),
        )
        for step in dict.fromkeys(steps)
    ]


def register(server: StepcatServer) -> None:
    session = server.session

    def command(name: str) -> None:
        @server.command(PREFIX + name)
        async def handler(*args) -> dict[str, Any]:  # type: ignore[no-untyped-def]  # PYGLS_ARGS (commands.py)
            result = await session.query(run_action, name, list(args)) or {}
            ok, text = _text(name, result)
            level = types.MessageType.Info if ok else types.MessageType.Error
            server.window_show_message(types.ShowMessageParams(type=level, message=text))
            if ok and name in ("promote", "rollback"):
                await publish_changes(server, None)
            return result

    for name in ACTIONS:
        command(name)
