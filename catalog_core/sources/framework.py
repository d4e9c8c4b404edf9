"""The framework installed in the project's Python environment, as sources of the catalog.

``find_framework(project, python=...)`` finds the environment (``sources.environment``: the
interpreter the user named, else ``.venv`` / ``venv``, ``VIRTUAL_ENV``, ``CONDA_PREFIX``; only
a named interpreter is ever run) and the packages in it that hold a step catalog. Each becomes
a read-only ``package`` source below every workspace (``package_sources``): the index walks
it like a root, a workspace's steps win over its steps, and problems inside it are not
reported (the user cannot fix them).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from catalog_core.base.paths import is_within, real
from catalog_core.sources.environment import (
    Environment,
    InstalledPackage,
    find_environment,
    packages_with_step_catalog,
)
from catalog_core.sources.source import Source, SourceKind


@dataclass(frozen=True)
class InstalledFramework:
    """What the environment search found: the environment (None: none), the step-catalog
    packages in it (search order), and notes on the way (for status and logs)."""

    environment: Environment | None = None
    packages: tuple[InstalledPackage, ...] = ()
    notes: tuple[str, ...] = field(default=(), compare=False)

    @property
    def import_roots(self) -> tuple[str, ...]:
        """Where static resolution looks for imported modules: the environment's sys.path."""
        return self.environment.sys_path if self.environment is not None else ()

    def describe(self) -> str:
        """One line: which framework is used, or why none."""
        if not self.packages:
            where = f" in {self.environment.prefix}" if self.environment else ""
            return f"no installed framework{where}"
        return "; ".join(describe_package(p) for p in self.packages)


def describe_package(package: InstalledPackage) -> str:
    name = package.distribution or package.name
    version = f" {package.version}" if package.version else ""
    editable = " (editable)" if package.editable else ""
    return f"{name}{version}{editable} at {package.location}"


NO_FRAMEWORK = InstalledFramework()


def find_framework(
    project: str | os.PathLike[str],
    *,
    python: str | None = None,
    env: Mapping[str, str] = os.environ,
) -> InstalledFramework:
    """The project's environment and its step-catalog packages. Never raises on odd folders
    (the environment readers turn them into notes)."""
    notes: list[str] = []
    environment, found = find_environment(os.fspath(project), python=python, env=env)
    notes.extend(found)
    if environment is None:
        return InstalledFramework(None, (), tuple(notes))
    packages = packages_with_step_catalog(environment, notes=notes)
    return InstalledFramework(environment, tuple(packages), tuple(notes))


def package_sources(framework: InstalledFramework, workspaces: Iterable[str] = ()) -> list[Source]:
    """The packages as read-only sources below every workspace (precedence 0 and less, in the
    environment's search order). A package inside a workspace, or holding one (an editable
    install of the checkout the user opened), is the workspace's already: not a source."""
    opened = [real(w) for w in workspaces]
    return [
        Source(package.location, SourceKind.PACKAGE, -i, read_only=True)
        for i, package in enumerate(framework.packages)
        if os.path.isdir(package.location)
        and not any(
            is_within(real(package.location), w) or is_within(w, real(package.location))
            for w in opened
        )
    ]
