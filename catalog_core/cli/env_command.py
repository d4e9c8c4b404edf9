"""``stepcat env``: which Python environment and installed framework stepcat uses for a project,
found statically (an interpreter is only run when named with ``--python`` and its files cannot
tell its environment)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from catalog_core.api import find_framework, framework_report
from catalog_core.cli.common import add_python_argument, roots_from


def register(sub: argparse._SubParsersAction) -> None:
    env = sub.add_parser(
        "env", help="the project's Python environment and the installed framework stepcat uses"
    )
    env.add_argument(
        "project", nargs="?", type=Path, help="project folder (default: the current folder)"
    )
    env.add_argument("--format", choices=("text", "json"), default="text")
    add_python_argument(env)
    env.set_defaults(handler=run_env)


def run_env(args: argparse.Namespace) -> int:
    project = roots_from([args.project] if args.project else [])[0]
    report = framework_report(find_framework(project, python=args.python), [project])
    if args.format == "json":
        print(json.dumps(report.as_json(), indent=2))
    else:
        print(report.as_text())
    return 0 if report.framework.packages else 1
