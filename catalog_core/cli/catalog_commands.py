"""``stepcat check | show | search | list``: the catalog's answers on the command line."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from catalog_core import __version__
from catalog_core.api import rules
from catalog_core.cli import output
from catalog_core.cli.common import (
    CliError,
    add_root_argument,
    open_catalog,
    roots_for_files,
    split_paths,
)
from catalog_core.models import COMPONENT_ORDER, ComponentType, Problem, Severity, StepInfo


def register(sub: argparse._SubParsersAction) -> None:
    check = sub.add_parser(
        "check",
        help="index the roots and report every problem (or only those in the given files)",
        description="Index the catalog and report its problems. PATHs are folders to index "
        "(roots) and files to report on: given files, only their problems are reported, "
        "checked against the catalog of their root (the folder arguments or --root, else "
        "STEPCAT_ROOTS, else each file's project: the nearest folder holding pyproject.toml, "
        "stepcat.toml or .git). Exit status: 0 no problem at or above --fail-on, 1 some, "
        "2 a usage or internal error.",
    )
    check.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="folders to index and/or files to report on (default: the current folder)",
    )
    check.add_argument(
        "--format",
        choices=output.FORMATS,
        default="text",
        help="text (default), json, github (workflow commands), gitlab (Code Quality), "
        "junit (XML) or sarif (2.1.0)",
    )
    check.add_argument(
        "--select",
        action="append",
        default=[],
        metavar="RULES",
        help="report only these rules: comma-separated ids or id prefixes (dag-); repeatable",
    )
    check.add_argument(
        "--ignore",
        action="append",
        default=[],
        metavar="RULES",
        help="do not report these rules (ids or prefixes); applied after --select",
    )
    check.add_argument(
        "--fail-on",
        choices=[*(s.value for s in Severity), "never"],
        default="error",
        help="exit 1 when a reported problem is at least this severe (default: error)",
    )
    check.add_argument(
        "--no-syntax",
        action="store_true",
        help="skip the full parse of Python files (faster on huge trees)",
    )
    check.add_argument("--quiet", "-q", action="store_true", help="print problems only")
    add_root_argument(check)  # and --python
    check.set_defaults(handler=run_check)

    show = sub.add_parser(
        "show", help="a step or pipeline node: its components, variants, problems"
    )
    show.add_argument("name", help="step name or node name (e.g. CradleDataLoading_training)")
    show.add_argument("--workspace", help="answer in this developer workspace's context")
    show.add_argument("--format", choices=("text", "json"), default="text")
    add_root_argument(show)
    show.set_defaults(handler=run_show)

    search = sub.add_parser("search", help="find steps by (part of) a name or description")
    search.add_argument("query")
    search.add_argument("--job-type", help="only steps with a variant spec for this job type")
    search.add_argument("--format", choices=("text", "json"), default="text")
    add_root_argument(search)
    search.set_defaults(handler=run_search)

    lst = sub.add_parser("list", help="list steps")
    lst.add_argument("--workspace", help="only steps this workspace defines ('shared' too)")
    lst.add_argument("--job-type", help="only steps with a variant spec for this job type")
    lst.add_argument("--format", choices=("text", "json"), default="text")
    add_root_argument(lst)
    lst.set_defaults(handler=run_list)


_RANK = {s: i for i, s in enumerate(reversed(Severity))}  # hint 0 ... error 3


def _patterns(values: list[str], option: str) -> list[str]:
    patterns = [p.strip() for v in values for p in v.split(",") if p.strip()]
    unknown = rules.unknown_patterns(patterns)
    if unknown:
        raise CliError(
            f"{option}: no rule matches {', '.join(unknown)} (stepcat rule --all lists them)"
        )
    return patterns


def run_check(args: argparse.Namespace) -> int:
    select = _patterns(args.select, "--select")
    ignore = _patterns(args.ignore, "--ignore")
    folders, files = split_paths(args.paths)
    roots = [*folders, *args.root] or roots_for_files(files)
    catalog = open_catalog(roots, quiet=args.quiet or args.format != "text", python=args.python)
    wanted = {f.resolve() for f in files}
    problems = catalog.problems()
    if not args.no_syntax:
        python_files = {p.resolve() for p in catalog.python_files()}
        to_parse = sorted(wanted & python_files) if files else None
        problems = sorted(
            {
                (p.rule, str(p.path), p.span.start_line, p.message): p
                for p in [*problems, *catalog.check_syntax(to_parse)]
            }.values(),
            key=lambda p: (str(p.path), p.span.start_line, p.span.start_character, p.rule),
        )
    if files:
        problems = [p for p in problems if p.path is not None and p.path.resolve() in wanted]
    if select:
        problems = [p for p in problems if rules.selected(p.rule, select)]
    if ignore:
        problems = [p for p in problems if not rules.selected(p.rule, ignore)]
    base = Path.cwd()
    if args.format == "json":
        print(output.as_json(problems, base))
    elif args.format == "sarif":
        print(output.sarif(problems, base, __version__))
    elif args.format == "github":
        if problems:
            print(output.github(problems, base))
    elif args.format == "gitlab":
        print(output.gitlab(problems, base))
    elif args.format == "junit":
        print(output.junit(problems, base))
    else:
        if problems:
            print(output.text(problems, base))
        if not args.quiet:
            steps = len(catalog.list_available_steps())
            spaces = len(catalog.list_workspaces())
            spaces_text = f"{spaces} workspace{'s' if spaces != 1 else ''}"
            if files:
                where = f"{len(files)} file{'s' if len(files) != 1 else ''}"
                line = (
                    f"{output.summary(problems)} in {where} (catalog: {steps} steps, {spaces_text})"
                )
            else:
                line = f"{output.summary(problems)} in {steps} steps, {spaces_text}"
            print(
                line,
                file=sys.stderr,
            )
    if args.fail_on == "never":
        return 0
    threshold = _RANK[Severity(args.fail_on)]
    return 1 if any(_RANK[p.severity] >= threshold for p in problems) else 0


def _location(meta_path: Path, line: int, base: Path) -> str:
    return f"{output.display_path(meta_path, base)}:{line + 1}"


def _info_dict(info: StepInfo, problems: list[Problem]) -> dict[str, Any]:
    return {
        "step_name": info.step_name,
        "node_name": info.pipeline_node_name,
        "job_type": info.job_type,
        "workspace_id": info.workspace_id,
        "sagemaker_step_type": info.sagemaker_step_type,
        "description": info.description,
        "registry": info.registry_location.model_dump(mode="json")
        if info.registry_location
        else None,
        "components": {
            k: v.model_dump(mode="json") if v else None for k, v in info.file_components.items()
        },
        "variants": sorted(info.variants),
        "layout": info.layout,
        "source": info.source,
        "is_complete": info.is_complete,
        "problems": [p.model_dump(mode="json") for p in problems],
    }


_SOURCE = {
    "package": "framework tree",
    "pack": "project step pack",
    "workspace": "developer workspace",
}


def run_show(args: argparse.Namespace) -> int:
    catalog = open_catalog(args.root, quiet=True, python=args.python)
    info = catalog.get_step_info(args.name, workspace_id=args.workspace)
    if info is None:
        hints = [r.step_name for r in catalog.search_steps(args.name)[:3]]
        hint = f"; did you mean {', '.join(hints)}?" if hints else ""
        print(f"unknown step or node '{args.name}'{hint}", file=sys.stderr)
        return 1
    problems = catalog.step_problems(info)
    if args.format == "json":
        print(json.dumps(_info_dict(info, problems), indent=2))
        return 0
    base = Path.cwd()
    print(
        f"{info.pipeline_node_name}  ({info.sagemaker_step_type or 'no SageMaker type'}, "
        f"workspace {info.workspace_id}, {info.layout} layout, {_SOURCE[info.source]})"
    )
    if info.description:
        print(f"  {info.description}")
    if info.registry_location:
        loc = info.registry_location
        print(
            f"  {'registry':9} {_location(loc.path, loc.span.start_line, base)}  ({info.registry_source})"
        )
    for kind in COMPONENT_ORDER:
        meta = info.file_components.get(kind.value)
        if meta is None and kind is ComponentType.BUILDER and info.layout == "interface":
            print(
                f"  {kind.value:9} no file: {info.builder_step_name} is synthesised by the "
                f"framework, routed by sagemaker_step_type {info.sagemaker_step_type or '?'}"
            )
            continue
        if meta is None:
            needed = kind in info.missing_components
            print(
                f"  {kind.value:9} -{'  (missing: required for ' + info.sagemaker_step_type + ')' if needed else ''}"
            )
            continue
        extra = []
        if meta.job_type:
            extra.append(f"variant: {meta.job_type}")
        if meta.workspace_id != info.workspace_id:
            extra.append(f"from {meta.workspace_id}")
        if meta.symbol:
            extra.append(meta.symbol)
        suffix = f"  ({'; '.join(extra)})" if extra else ""
        print(f"  {kind.value:9} {_location(meta.path, meta.span.start_line, base)}{suffix}")
    print(f"  {'variants':9} {', '.join(sorted(info.variants)) or '-'}")
    print(f"  {'problems':9} {len(problems) or 'none'}")
    for p in problems:
        print(
            f"    {output.display_path(p.path, base)}:{p.span.start_line + 1}: {p.severity.value} "
            f"[{p.rule}] {p.message}"
        )
    return 0


def run_search(args: argparse.Namespace) -> int:
    catalog = open_catalog(args.root, quiet=True, python=args.python)
    results = catalog.search_steps(args.query, job_type=args.job_type)
    if args.format == "json":
        print(json.dumps([r.model_dump(mode="json") for r in results], indent=2))
    else:
        for r in results:
            have = ",".join(c.value for c in r.components_available)
            print(
                f"{r.match_score:.2f}  {r.step_name:40} {r.workspace_id:10} {r.match_reason:18} {have}"
            )
    return 0 if results else 1


def run_list(args: argparse.Namespace) -> int:
    catalog = open_catalog(args.root, quiet=True, python=args.python)
    names = catalog.list_available_steps(args.workspace, args.job_type)
    if args.format == "json":
        rows = []
        for name in names:
            info = catalog.get_step_info(name, workspace_id=args.workspace)
            rows.append(
                {
                    "step_name": name,
                    "workspace_id": info.workspace_id if info else None,
                    "sagemaker_step_type": info.sagemaker_step_type if info else None,
                    "variants": sorted(info.variants) if info else [],
                }
            )
        print(json.dumps(rows, indent=2))
    else:
        for name in names:
            info = catalog.get_step_info(name, workspace_id=args.workspace)
            if info is None:
                continue
            variants = ", ".join(sorted(info.variants))
            print(f"{name:40} {info.sagemaker_step_type:16} {info.workspace_id:10} {variants}")
    return 0
