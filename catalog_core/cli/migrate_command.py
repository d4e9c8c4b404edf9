"""``stepcat migrate``: move 1.x steps to interfaces and Python DAGs to DAG JSON.

A dry run by default: the unified diff on stdout, the report on stderr. ``--write`` applies it:
interfaces and DAG JSON created, registry rows cut, the steps' contract and spec files removed,
all prepared before anything changes, with backups (``name.bak``). Running it again plans
nothing. ``--keep-legacy`` only adds the interfaces (the tree is then mid-migration).
"""

from __future__ import annotations

import argparse
import difflib
import os
import sys
from collections.abc import Iterable
from pathlib import Path

from catalog_core.api import FileChange, MigrationNote, MigrationPlan
from catalog_core.base.atomic import WriteError, backup_path, remove_durably, write_files
from catalog_core.cli.common import CliError, open_catalog


def register(sub: argparse._SubParsersAction) -> None:
    cmd = sub.add_parser(
        "migrate",
        help="convert 1.x steps to *.step.yaml interfaces and Python DAGs to *.dag.json",
    )
    cmd.add_argument("root", nargs="*", type=Path, metavar="ROOT", help="folders to index")
    cmd.add_argument(
        "--step", action="append", default=[], metavar="NAME", help="only this step (repeatable)"
    )
    mode = cmd.add_mutually_exclusive_group()
    mode.add_argument("--diff", action="store_true", help="print the changes (the default)")
    mode.add_argument("--write", action="store_true", help="apply the changes, with backups")
    mode.add_argument("--check", action="store_true", help="exit 1 when anything would change")
    cmd.add_argument(
        "--keep-legacy",
        action="store_true",
        help="only add interfaces: keep registry rows, contracts and specs",
    )
    cmd.add_argument(
        "--dag-flavour",
        choices=("plain", "exporter"),
        default="plain",
        help="DAG JSON as people write it, or as the framework's exporter does (version, "
        "created_at, statistics)",
    )
    cmd.add_argument("--no-backup", action="store_true", help="with --write: keep no .bak files")
    cmd.set_defaults(handler=run_migrate)


def run_migrate(args: argparse.Namespace) -> int:
    catalog = open_catalog(args.root, quiet=True)
    plan = catalog.migrate(
        args.step or None, keep_legacy=args.keep_legacy, dag_flavour=args.dag_flavour
    )
    if args.write:
        before = catalog.problems() if plan.changes else []
        _write(plan, backup=not args.no_backup)
        print(report(plan, written=True), end="")
        if plan.changes:
            catalog.refresh()
            after = catalog.problems()
            new = plan.new_problems(before, after)
            print(
                f"stepcat check: {len(before)} problem(s) before, {len(after)} after, "
                f"{len(new)} new"
            )
            for p in new:
                line = f":{p.span.start_line + 1}" if p.path else ""
                print(
                    f"  {_rel(p.path) if p.path else ''}{line}: {p.severity} [{p.rule}] {p.message}"
                )
            return 1 if new else 0
        return 0
    if not args.check:
        sys.stdout.write(unified_diff(plan.changes))
    print(report(plan, written=False), end="", file=sys.stderr)
    return 1 if args.check and plan.changes else 0


def _rel(path: Path) -> str:
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return str(path)
    return str(path) if rel.startswith("../..") else rel


def unified_diff(changes: Iterable[FileChange]) -> str:
    out: list[str] = []
    for change in changes:
        name = _rel(change.path)
        old = (change.old or "").splitlines(keepends=True)
        new = (change.new or "").splitlines(keepends=True)
        before = "/dev/null" if change.old is None else f"a/{name}"
        after = "/dev/null" if change.new is None else f"b/{name}"
        for line in difflib.unified_diff(old, new, before, after):
            out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)


def _write(plan: MigrationPlan, *, backup: bool) -> None:
    contents: dict[Path, bytes] = {}
    removals: list[Path] = []
    for change in plan.changes:
        if change.new is not None:
            if change.old is None:
                change.path.parent.mkdir(parents=True, exist_ok=True)
            contents[change.path] = change.new.encode("utf-8")
        else:
            removals.append(change.path)
            if backup:  # the removed file's bytes as they are on disk
                contents[backup_path(change.path)] = change.path.read_bytes()
    try:  # every new file, rewrite and backup, or none; then the removals
        write_files(contents, backup=backup)
        for path in removals:
            remove_durably(str(path))
    except (WriteError, OSError) as exc:
        raise CliError(str(exc)) from exc


def report(plan: MigrationPlan, *, written: bool) -> str:
    lines: list[str] = []
    if not plan.changes and not plan.steps and not plan.notes:
        return "nothing to migrate: no 1.x step or Python DAG module left\n"
    verb = "migrated" if written else "would migrate"
    changed = {c.path for c in plan.changes}
    todo = [s for s in plan.steps if s.interface in changed]
    lines.append(
        f"{verb} {len(todo)} step(s) ({len(plan.steps) - len(todo)} already up to date), "
        f"{sum(1 for _, t in plan.dags if t in changed)} DAG module(s); "
        f"{len(plan.changes)} file change(s)"
    )
    for step in plan.steps:
        variants = f" (variants: {', '.join(step.variants)})" if step.variants else ""
        variants += "" if step.interface in changed else " (up to date)"
        lines.append(f"  {step.step} -> {_rel(step.interface)}{variants}")
    for module, target in plan.dags:
        same = "" if target in changed else " (up to date)"
        lines.append(f"  {_rel(module)} -> {_rel(target)}{same}")
    left = [n for n in plan.notes if n.kind != "skipped"]
    if left:
        lines.append(f"left for a person ({len(left)}):")
        lines.extend(_grouped(left))
    skipped = [n for n in plan.notes if n.kind == "skipped"]
    if skipped:
        lines.append(f"not migrated ({len(skipped)}):")
        lines.extend(_grouped(skipped))
    if not written and plan.changes:
        lines.append("run with --write to apply (backups: <file>.bak)")
    return "\n".join(lines) + "\n"


def _grouped(notes: list[MigrationNote]) -> list[str]:
    out: list[str] = []
    last = None
    for note in notes:
        head = note.step or "DAGs and packages"
        if head != last:
            out.append(f"  {head}")
            last = head
        where = ""
        if note.path is not None:
            where = _rel(note.path) + (f":{note.line}" if note.line else "") + ": "
        out.append(f"    {where}[{note.kind}] {note.message}")
    return out
