"""Where an imported module's source is, through the import roots, as Python would find it:
a regular package (``x/__init__.py``) or a module (``x.py``, else a stub ``x.pyi``) in the first
root that has one, else the namespace package made of every root's ``x/`` folder.

Only ``stat`` calls: nothing is imported.
"""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ModuleLoc:
    dotted: str
    file: str | None
    """The module's source (``__init__.py`` for a package); None for a namespace package."""
    dirs: tuple[str, ...]
    """Where its submodules are (empty for a plain module)."""


class Locator:
    def __init__(self, roots: list[str]) -> None:
        self.roots = tuple(roots)
        self._cache: dict[tuple[tuple[str, ...], tuple[str, ...]], ModuleLoc | None] = {}

    def clear(self) -> None:
        self._cache.clear()

    def absolute(self, dotted: str) -> ModuleLoc | None:
        parts = tuple(p for p in dotted.split(".") if p)
        return self._find(self.roots, parts, "") if parts else None

    def relative(self, dotted: str, level: int, from_file: str) -> ModuleLoc | None:
        """``from <level dots><dotted> import ...`` written in ``from_file``."""
        base = os.path.dirname(from_file)
        for _ in range(level - 1):
            parent = os.path.dirname(base)
            if parent == base:
                return None
            base = parent
        parts = tuple(p for p in dotted.split(".") if p)
        if not parts:
            return _package_at(base, "." * level)
        return self._find((base,), parts, "." * level)

    def submodule(self, loc: ModuleLoc, name: str) -> ModuleLoc | None:
        if not loc.dirs:
            return None
        prefix = f"{loc.dotted}." if loc.dotted and not loc.dotted.endswith(".") else loc.dotted
        return self._find(loc.dirs, (name,), prefix)

    def _find(self, dirs: tuple[str, ...], parts: tuple[str, ...], prefix: str) -> ModuleLoc | None:
        key = (dirs, parts)
        if key in self._cache:
            return self._cache[key]
        found: ModuleLoc | None = None
        current = dirs
        for index, part in enumerate(parts):
            found = _find_one(current, part, prefix + ".".join(parts[: index + 1]))
            if found is None or (index + 1 < len(parts) and not found.dirs):
                found = None
                break
            current = found.dirs
        self._cache[key] = found
        return found


def _package_at(folder: str, dotted: str) -> ModuleLoc | None:
    init = os.path.join(folder, "__init__.py")
    if os.path.isfile(init):
        return ModuleLoc(dotted, init, (folder,))
    if os.path.isdir(folder):
        return ModuleLoc(dotted, None, (folder,))
    return None


def _find_one(dirs: tuple[str, ...], name: str, dotted: str) -> ModuleLoc | None:
    portions: list[str] = []
    for folder in dirs:
        package = os.path.join(folder, name)
        for init in ("__init__.py", "__init__.pyi"):
            path = os.path.join(package, init)
            if os.path.isfile(path):
                return ModuleLoc(dotted, path, (package,))
        for suffix in (".py", ".pyi"):
            path = package + suffix
            if os.path.isfile(path):
                return ModuleLoc(dotted, path, ())
        if os.path.isdir(package):
            portions.append(package)
    return ModuleLoc(dotted, None, tuple(portions)) if portions else None
