"""Which framework a catalog uses, described once for every front end: ``stepcat env`` (text and
JSON), the server's ``stepcat.status`` (the editors' status items) and logs.

``framework_report(framework, workspaces)`` says whether the steps of the framework come from
an installed package (read-only, below the workspaces), from a workspace (the user opened the
checkout their environment installs editable), or from nowhere, with the environment, every
step-catalog package found (and how each is used) and the notes of the search. Plain data; the
JSON form is what the CLI prints and the server answers.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from catalog_core.sources.framework import InstalledFramework, describe_package, package_sources
from catalog_core.sources.packages import InstalledPackage

InUse = Literal["package", "workspace", "none"]
PackageUse = Literal["package", "workspace", "unused"]


@dataclass(frozen=True, slots=True)
class PackageReport:
    package: InstalledPackage
    used_as: PackageUse
    """``package``: indexed as a read-only source; ``workspace``: it is (or holds) a folder the
    user opened, whose files are the workspace's; ``unused``: not a folder (a module file)."""


@dataclass(frozen=True, slots=True)
class FrameworkReport:
    framework: InstalledFramework
    packages: tuple[PackageReport, ...]
    read_only_roots: tuple[str, ...]  # the folders indexed read-only (real paths)

    @property
    def in_use(self) -> InUse:
        uses = {p.used_as for p in self.packages}
        return "package" if "package" in uses else "workspace" if "workspace" in uses else "none"

    @property
    def summary(self) -> str:
        """One line: the package(s) in use with version and path, else the workspace, else why
        there is none."""
        used = [p.package for p in self.packages if p.used_as == self.in_use]
        if self.in_use == "package":
            return "; ".join(describe_package(p) for p in used)
        if self.in_use == "workspace":
            return "the workspace (" + "; ".join(describe_package(p) for p in used) + ")"
        return self.framework.describe()

    def as_json(self) -> dict[str, Any]:
        env = self.framework.environment
        return {
            "in_use": self.in_use,
            "summary": self.summary,
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
                    "name": p.package.name,
                    "distribution": p.package.distribution,
                    "version": p.package.version,
                    "location": p.package.location,
                    "editable": p.package.editable,
                    "used_as": p.used_as,
                }
                for p in self.packages
            ],
            "read_only_roots": list(self.read_only_roots),
            "notes": list(self.framework.notes),
        }

    def as_text(self) -> str:
        env = self.framework.environment
        lines = []
        if env is None:
            lines.append("environment: none found")
        else:
            lines.append(f"environment: {env.prefix} ({env.how})")
            lines.append(f"python: {env.python or 'unknown'} {env.version or ''}".rstrip())
            lines += [f"site-packages: {s}" for s in env.site_packages]
        lines.append(f"framework: {self.summary}")
        lines += [f"note: {n}" for n in self.framework.notes]
        return "\n".join(lines)


def framework_report(
    framework: InstalledFramework, workspaces: Iterable[str | os.PathLike[str]]
) -> FrameworkReport:
    """How the catalog over ``workspaces`` uses the environment's framework (the same rule
    ``package_sources`` indexes by)."""
    sources = package_sources(framework, [os.fspath(w) for w in workspaces])
    indexed = {s.path for s in sources}
    packages = tuple(
        PackageReport(
            p,
            "package"
            if p.location in indexed
            else "workspace"
            if os.path.isdir(p.location)
            else "unused",
        )
        for p in framework.packages
    )
    return FrameworkReport(framework, packages, tuple(s.path for s in sources))
