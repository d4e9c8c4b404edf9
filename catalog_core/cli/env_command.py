"""``stepcat env``: which Python environment and installed framework stepcat uses for a project,
found statically (an interpreter is only run when named with ``--python`` and its files cannot
tell its environment)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from catalog_core.api import InstalledFramework, find_framework
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
    framework = find_framework(project, python=args.python)
    if args.format == "json":
        print(json.dumps(as_json(framework), indent=2))
    else:
        print(as_text(framework))
    return 0 if framework.packages else 1


def as_json(framework: InstalledFramework) -> dict[str, Any]:
    env = framework.environment
    return {
        "environment": None
        if env is None
        else {
            "prefix": env.prefix,
            "how": env.how,
            "python": env.python,
            "version": env.version,
            "site_packages": list(env.site_packages),
        },
        "packages": [
            {
                "name": p.name,
                "distribution": p.distribution,
                "version": p.version,
                "location": p.location,
                "editable": p.editable,
            }
            for p in framework.packages
        ],
        "notes": list(framework.notes),
    }


def as_text(framework: InstalledFramework) -> str:
    env = framework.environment
    lines = []
    if env is None:
        lines.append("environment: none found")
    else:
        lines.append(f"environment: {env.prefix} ({env.how})")
        lines.append(f"python: {env.python or 'unknown'} {env.version or ''}".rstrip())
        lines += [f"site-packages: {s}" for s in env.site_packages]
    lines.append(f"framework: {framework.describe()}")
    lines += [f"note: {n}" for n in framework.notes]
    return "\n".join(lines)
