"""``stepcat fix-config-types``: rewrite class-name keys of ``metadata.config_types`` to step
names, changing nothing else; ``--check`` for CI, ``--write`` to apply (atomic, with backup)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..atomic import write_atomic
from ..config_types import fix_text
from .common import CliError, add_root_argument, open_catalog


def register(sub: argparse._SubParsersAction) -> None:
    fix = sub.add_parser(
        "fix-config-types",
        help="rewrite class-name keys in pipeline config files' metadata.config_types",
    )
    fix.add_argument("files", nargs="+", type=Path, metavar="FILE")
    mode = fix.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true", help="exit 1 when a file needs fixing")
    mode.add_argument("--write", action="store_true", help="apply the fixes to the files")
    fix.add_argument("--no-backup", action="store_true", help="with --write: keep no FILE.bak")
    add_root_argument(fix)
    fix.set_defaults(handler=run_fix)


def run_fix(args: argparse.Namespace) -> int:
    missing = [str(f) for f in args.files if not f.is_file()]
    if missing:
        raise CliError(f"no such file: {', '.join(missing)}")
    catalog = open_catalog(args.root, quiet=True)
    needs_fix = unresolved = 0
    for path in args.files:
        data = path.read_bytes()
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            print(f"{path}: not UTF-8 (byte {exc.start}); left unchanged", file=sys.stderr)
            unresolved += 1
            continue
        fixed, plan = fix_text(text, catalog.config_context(path.resolve()))
        for edit in plan.edits:
            line = edit.span[0] + 1
            print(f"{path}:{line}: '{edit.old_key}' -> '{edit.new_key}'")
        for key, why in plan.unresolved:
            print(f"{path}: '{key}' left unchanged: {why}", file=sys.stderr)
        unresolved += len(plan.unresolved)
        if not plan.edits:
            continue
        needs_fix += 1
        if args.write:
            backup = write_atomic(path, fixed.encode("utf-8"), backup=not args.no_backup)
            note = f" (backup: {backup})" if backup else ""
            print(f"{path}: fixed {len(plan.edits)} key(s){note}")
    if args.check:
        return 1 if needs_fix or unresolved else 0
    if not args.write and needs_fix:
        print(f"{needs_fix} file(s) would change; run with --write to apply", file=sys.stderr)
    return 0
