"""``stepcat fix-config-types``: rewrite class-name keys of ``metadata.config_types`` to step
names, changing nothing else; ``--check`` for CI, ``--write`` to apply (atomic, with backup)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from catalog_core.base.atomic import WriteError, write_files
from catalog_core.base.files import read_bytes
from catalog_core.base.settings import MAX_FILE_SIZE
from catalog_core.cli.common import CliError, add_root_argument, open_catalog


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
    catalog = open_catalog(args.root, quiet=True, python=args.python)
    unresolved = 0
    fixed_files: dict[Path, bytes] = {}
    counts: dict[Path, int] = {}
    for path in args.files:
        data, problem = read_bytes(str(path), MAX_FILE_SIZE)
        if data is None:
            print(
                f"{path}: {problem.message if problem else 'unreadable'}; left unchanged",
                file=sys.stderr,
            )
            unresolved += 1
            continue
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            print(f"{path}: not UTF-8 (byte {exc.start}); left unchanged", file=sys.stderr)
            unresolved += 1
            continue
        fixed, plan = catalog.fix_config_types(text, path.resolve())
        for edit in plan.edits:
            line = edit.span[0] + 1
            print(f"{path}:{line}: '{edit.old_key}' -> '{edit.new_key}'")
        for key, why in plan.unresolved:
            print(f"{path}: '{key}' left unchanged: {why}", file=sys.stderr)
        unresolved += len(plan.unresolved)
        if plan.edits:
            fixed_files[path] = fixed.encode("utf-8")
            counts[path] = len(plan.edits)
    if args.write and fixed_files:
        try:  # every file or none
            written = write_files(fixed_files, backup=not args.no_backup)
        except WriteError as exc:
            raise CliError(str(exc)) from exc
        for item in written:
            note = f" (backup: {item.backup})" if item.backup else ""
            link = (
                f" (through the link to {item.target})"
                if item.target != item.path.resolve()
                else ""
            )
            print(f"{item.path}: fixed {counts[item.path]} key(s){link}{note}")
    if args.check:
        return 1 if fixed_files or unresolved else 0
    if not args.write and fixed_files:
        print(
            f"{len(fixed_files)} file(s) would change; run with --write to apply", file=sys.stderr
        )
    return 0
