"""Shared CLI plumbing: root arguments, building the catalog with progress, clear errors."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from catalog_core.api import find_framework
from catalog_core.api.catalog import StepCatalog
from catalog_core.registry.library import project_root


class CliError(Exception):
    """A user error: printed as ``stepcat: error: ...`` with exit status 2."""


def add_root_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--root",
        action="append",
        default=[],
        metavar="PATH",
        type=Path,
        help="folder to index (repeatable; default: the current folder or STEPCAT_ROOTS)",
    )
    add_python_argument(parser)


def add_python_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--python",
        metavar="PYTHON",
        help="the project's interpreter or environment folder, whose installed framework is "
        "indexed too (default: .venv or venv of the first root, VIRTUAL_ENV, CONDA_PREFIX)",
    )


def roots_from(paths: list[Path]) -> list[Path]:
    if not paths:
        env = os.environ.get("STEPCAT_ROOTS")
        paths = [Path(p) for p in env.split(os.pathsep) if p] if env else [Path.cwd()]
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise CliError(f"no such folder: {', '.join(missing)}")
    not_dirs = [str(p) for p in paths if not p.is_dir()]
    if not_dirs:
        raise CliError(
            f"not a folder: {', '.join(not_dirs)} (give the folder that holds your steps)"
        )
    return [p.resolve() for p in paths]


def split_paths(paths: list[Path]) -> tuple[list[Path], list[Path]]:
    """``stepcat check`` arguments: (folders to index, files to report on)."""
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise CliError(f"no such file or folder: {', '.join(missing)}")
    return [p for p in paths if p.is_dir()], [p for p in paths if not p.is_dir()]


def roots_for_files(files: list[Path]) -> list[Path]:
    """The roots to index when only files are given: ``STEPCAT_ROOTS`` when set (``[]`` lets
    ``roots_from`` take it), else each file's project (the nearest folder holding
    pyproject.toml, stepcat.toml or .git, as the importable registry finds it), outermost
    ones only."""
    if not files or os.environ.get("STEPCAT_ROOTS"):
        return []
    projects = sorted({project_root(f.resolve().parent) for f in files}, key=lambda p: len(p.parts))
    roots: list[Path] = []
    for project in projects:
        if not any(project.is_relative_to(r) for r in roots):
            roots.append(project)
    return roots


def open_catalog(
    paths: list[Path], *, quiet: bool = False, python: str | None = None
) -> StepCatalog:
    """Index the roots and the framework installed in the first root's environment, saying
    so on stderr when it takes a while or the terminal is a TTY."""
    roots = roots_from(paths)
    show = not quiet and sys.stderr.isatty()
    if show:
        print(
            f"indexing {', '.join(str(r) for r in roots)} ...", file=sys.stderr, end="", flush=True
        )
    start = time.perf_counter()
    catalog = StepCatalog(roots, framework=find_framework(roots[0], python=python))
    elapsed = time.perf_counter() - start
    if show or (not quiet and elapsed > 2.0):
        steps = len(catalog.list_available_steps())
        prefix = "\r" if show else ""
        print(f"{prefix}indexed {steps} steps in {elapsed:.2f}s" + " " * 20, file=sys.stderr)
    return catalog
