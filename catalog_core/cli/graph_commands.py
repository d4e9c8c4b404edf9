"""``stepcat rename OLD NEW [ROOT]`` (a step renamed everywhere: ``--diff`` shows, ``--write``
applies, atomic with backups) and ``stepcat dag FILE`` (a DAG as Mermaid, Graphviz dot or
JSON)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from catalog_core.api import dag_dot, dag_json_data, dag_mermaid
from catalog_core.base.atomic import WriteError
from catalog_core.cli.common import CliError, add_root_argument, open_catalog, roots_for_files
from catalog_core.models import Location


def register(sub: argparse._SubParsersAction) -> None:
    rename = sub.add_parser(
        "rename",
        help="rename a step everywhere (registry or interface, classes, files, DAGs, configs)",
        description="Rename step OLD to NEW in every file of the catalog: registry entries and "
        "interface step_type, <Step>Config / <Step>StepBuilder classes and their imports, spec "
        "step_type strings, DAG node names (job-type suffixes kept), config JSON keys, and the "
        "component and interface files named after the step. Without --write, prints the "
        "changes as a diff. Exit status: 0 done (or nothing to change), 2 refused.",
    )
    rename.add_argument("old", metavar="OLD")
    rename.add_argument("new", metavar="NEW")
    rename.add_argument(
        "paths", nargs="*", type=Path, metavar="ROOT", help="folders to index (default: .)"
    )
    mode = rename.add_mutually_exclusive_group()
    mode.add_argument("--diff", action="store_true", help="print a unified diff (the default)")
    mode.add_argument("--write", action="store_true", help="apply (atomic, with FILE.bak)")
    rename.add_argument(
        "--keep-file-names", action="store_true", help="rename no file, change only text"
    )
    add_root_argument(rename)
    rename.set_defaults(handler=run_rename)

    dag = sub.add_parser(
        "dag",
        help="print the DAG a file writes as Mermaid, Graphviz dot or JSON",
        description="Print the DAG a file writes (a Python DAG module, a notebook or a "
        "*.dag.json): nodes with their step, job type and status (complete, incomplete, "
        "error, unknown), and edges. Exit status: 0 printed, 1 the file writes no DAG.",
    )
    dag.add_argument("file", type=Path, metavar="FILE")
    dag.add_argument("--format", choices=("mermaid", "dot", "json"), default="mermaid")
    dag.add_argument(
        "--line",
        type=int,
        metavar="N",
        help="in a module that builds one DAG per function: the DAG of the function at line N",
    )
    add_root_argument(dag)
    dag.set_defaults(handler=run_dag)


def run_rename(args: argparse.Namespace) -> int:
    catalog = open_catalog([*args.paths, *args.root], quiet=True)
    plan = catalog.plan_rename(args.old, args.new, rename_files=not args.keep_file_names)
    if plan.error:
        raise CliError(f"cannot rename {args.old} to {args.new}: {plan.error}")
    base = catalog.roots[0] if len(catalog.roots) == 1 else None
    files = len(set(plan.texts) | {r.old for r in plan.renames})
    summary = f"{len(plan.changes)} change(s) in {files} file(s), {len(plan.renames)} renamed"
    if not args.write:
        sys.stdout.write(plan.diff(base))
        print(f"{summary}; run with --write to apply", file=sys.stderr)
        return 0
    try:
        written = plan.write()
    except WriteError as exc:
        raise CliError(str(exc)) from exc
    for r in plan.renames:
        print(f"renamed {r.old} -> {r.new}")
    print(f"{args.old} -> {args.new}: {summary}; {len(written)} file(s) written (backups: *.bak)")
    return 0


def run_dag(args: argparse.Namespace) -> int:
    if not args.file.is_file():
        raise CliError(f"no such file: {args.file}")
    roots = args.root or roots_for_files([args.file])
    catalog = open_catalog(roots, quiet=True)
    graph = catalog.dag_graph(args.file, args.line - 1 if args.line else None)
    if graph is None:
        print(f"{args.file}: writes no DAG (no add_node/add_edge, no dag.nodes)", file=sys.stderr)
        return 1
    if args.format == "json":
        print(json.dumps(dag_json_data(graph, _cli_location, ("file", str(graph.path))), indent=2))
    else:
        sys.stdout.write(dag_mermaid(graph) if args.format == "mermaid" else dag_dot(graph))
    return 0


def _cli_location(location: Location) -> dict[str, Any]:
    """A location as ``stepcat dag --format json`` prints it: a path, 1-based line and column."""
    s = location.span
    return {"path": str(location.path), "line": s.start_line + 1, "column": s.start_character + 1}
