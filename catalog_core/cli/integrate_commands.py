"""``stepcat integrate stage|validate|approve|reject|promote|rollback|status``: the integration
workflow on the command line. Exit status: 0 done, 1 refused or failed, 2 usage error."""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from typing import Any

from catalog_core.cli.common import add_root_argument, open_catalog
from catalog_core.integration import IntegrationError, WorkspaceIntegrationManager


def register(sub: argparse._SubParsersAction) -> None:
    integrate = sub.add_parser(
        "integrate",
        help="stage, validate, promote and roll back developer steps into the shared tree",
        description="Promote a step from a developer workspace into the shared tree, all or "
        "nothing, with backups; state is kept in the shared root's .stepcat/ folder.",
    )
    actions = integrate.add_subparsers(dest="integrate_command", metavar="ACTION", required=True)

    stage = _action(actions, "stage", "snapshot a developer's step for integration", _stage)
    stage.add_argument("step", help="step name, e.g. FeatureSelection")
    stage.add_argument("--from", dest="workspace", required=True, metavar="WORKSPACE")
    stage.add_argument("--stage", choices=("staging", "integration"), default="integration")

    validate = _action(actions, "validate", "check staged steps against the shared tree", _validate)
    validate.add_argument("steps", nargs="+", metavar="STEP", help="STEP or WORKSPACE:STEP")

    for name, verb in (("approve", "approve"), ("reject", "reject")):
        review = _action(actions, name, f"{verb} a staged step (kept in its history)", _review)
        review.add_argument("step")
        review.add_argument("--by", help="reviewer name (default: the current user)")
        review.add_argument("--comment", help="why")

    promote = _action(actions, "promote", "copy a staged step into the shared tree", _promote)
    promote.add_argument("step")
    rollback = _action(actions, "rollback", "undo a step's last promotion exactly", _rollback)
    rollback.add_argument("step")
    status = _action(actions, "status", "staged steps, their status and history", _status)
    status.add_argument("step", nargs="?", help="show one step's details and history")


def _action(
    actions: argparse._SubParsersAction, name: str, help_text: str, handler: Any
) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = actions.add_parser(name, help=help_text)
    parser.add_argument("--format", choices=("text", "json"), default="text")
    add_root_argument(parser)
    parser.set_defaults(handler=lambda args: _run(args, handler))
    return parser


def _run(args: argparse.Namespace, handler: Any) -> int:
    catalog = open_catalog(args.root, quiet=True)  # a bad --root is a usage error (exit 2)
    try:
        manager = WorkspaceIntegrationManager(catalog)
    except IntegrationError as exc:
        print(f"stepcat integrate: {exc}", file=sys.stderr)
        return 1
    for item in manager.last_recovery:
        print(
            f"stepcat integrate: recovered an interrupted {item['kind']} of {item['step']}: "
            f"{item['action']}",
            file=sys.stderr,
        )
    result, ok, text = handler(manager, args)
    if args.format == "json":
        print(json.dumps(result, indent=2, default=str))
    elif ok:
        print(text)
    else:
        if text:
            print(text)
        for issue in result.get("issues", []):
            print(f"stepcat integrate: refused: {issue}", file=sys.stderr)
    return 0 if ok else 1


Outcome = tuple[dict[str, Any], bool, str]


def _stage(manager: WorkspaceIntegrationManager, args: argparse.Namespace) -> Outcome:
    r = manager.stage_for_integration(args.step, args.workspace, args.stage)
    if not r["success"]:
        return r, False, ""
    lines = [f"staged {r['component_id']} from {r['source_workspace']} -> {r['staging_path']}"]
    lines += [f"  {path}" for path in r["files"]]
    if r["registry_entry"]:
        lines.append("  + its registry entry")
    return r, True, "\n".join(lines)


def _validate(manager: WorkspaceIntegrationManager, args: argparse.Namespace) -> Outcome:
    r = manager.validate_integration_readiness(args.steps)
    lines = []
    for name, result in r["component_results"].items():
        lines.append(f"{name}: {'READY' if result['ready'] else 'NOT READY'}")
        lines += [f"  error: {m}" for m in result["issues"]]
        lines += [f"  warning: {m}" for m in result["warnings"]]
        lines += [f"  hint: {m}" for m in result["recommendations"]]
    return r, r["overall_ready"], "\n".join(lines)


def _review(manager: WorkspaceIntegrationManager, args: argparse.Namespace) -> Outcome:
    by = args.by or _user()
    if args.integrate_command == "approve":
        r = manager.approve_component(args.step, by, args.comment)
    else:
        r = manager.reject_component(args.step, by, args.comment)
    return r, r["success"], f"{r.get('status', '')} {args.step} (by {by})"


def _promote(manager: WorkspaceIntegrationManager, args: argparse.Namespace) -> Outcome:
    r = manager.promote_to_production(args.step)
    if not r["success"]:
        return r, False, ""
    lines = [f"promoted {r['component_id']} into {r['production_path']}:"]
    lines += [f"  {path}" for path in r["changed_files"]]
    if r["backups"]:
        lines.append(
            f"backups of the {len(r['backups'])} overwritten file(s) are kept for rollback"
        )
    return r, True, "\n".join(lines)


def _rollback(manager: WorkspaceIntegrationManager, args: argparse.Namespace) -> Outcome:
    r = manager.rollback_integration(args.step)
    if not r["success"]:
        return r, False, ""
    lines = [f"rolled back {r['component_id']}; restored:"]
    lines += [f"  {path}" for path in r["restored_files"]]
    lines += [f"warning: {w}" for w in r["warnings"]]
    return r, True, "\n".join(lines)


def _status(manager: WorkspaceIntegrationManager, args: argparse.Namespace) -> Outcome:
    if args.step:
        try:
            component = manager.get_component(args.step)
        except IntegrationError as exc:
            return {"success": False, "issues": [str(exc)]}, False, ""
        if component is None:
            return {"success": False, "issues": [f"'{args.step}' is not staged"]}, False, ""
        data = component.to_dict()
        lines = [
            f"{component.component_id}  from {component.source_workspace}: "
            f"{component.status.value} ({component.stage.value})",
            *(f"  {f.component_type:9} {f.target_path}" for f in component.files),
            "history:",
            *(
                f"  {h.at.isoformat(timespec='seconds')}  {h.action}"
                + (f" by {h.actor}" if h.actor else "")
                + (f": {h.comment}" if h.comment else "")
                for h in component.approval_history
            ),
        ]
        return data, True, "\n".join(lines)
    summary = manager.get_integration_summary()
    ops = manager.get_statistics()["integration_operations"]
    summary["integration_operations"] = ops
    lines = [
        f"{c['component_id']:32} {c['source_workspace']:12} {c['status']:12} {c['stage']}"
        for c in summary["components"]
    ] or ["nothing staged"]
    lines.append(
        f"{ops['successful_promotions']} of {ops['promotions_attempted']} promotion(s) "
        f"succeeded, {ops['rollbacks']} rollback(s)"
    )
    return summary, True, "\n".join(lines)


def _user() -> str | None:
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return None
