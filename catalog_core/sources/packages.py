"""Installed packages of an environment, read from their folders and ``*.dist-info``: where an
import name lives (site folders, ``.pth`` paths, editable finders' mappings), which distribution
installed it and at which version, and which packages hold a step catalog, cheaply.

Paths are searched as the import system would, simplified: regular packages and modules in the
site folders, then in the ``.pth`` paths, then the editable mappings, then a namespace folder.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple
from urllib.parse import unquote, urlparse

from .site_dirs import is_dir, read_small, real

if TYPE_CHECKING:
    from .environment import Environment

COMPONENT_FOLDERS = frozenset({"scripts", "contracts", "specs", "builders", "configs"})
METADATA_LIMIT = 64 * 1024  # the headers come first; the long description is never needed
RECORD_LIMIT = 16 * 1024 * 1024
_SEPARATORS = re.compile(r"[-_.]+")
_INFO = (".dist-info", ".egg-info")
_MODULE = (".py", ".so", ".pyd", ".pyc")
_REGISTRY = os.sep + os.path.join("registry", "step_names.py")


@dataclass(frozen=True)
class InstalledPackage:
    name: str  # the import name
    version: str | None  # the distribution's, from METADATA (else its folder name)
    location: str  # the import root: the package folder (or module file), a real path
    editable: bool  # direct_url.json says so, or the package lives outside the site folders
    dist_info: str | None  # the *.dist-info / *.egg-info folder that installed it
    distribution: str | None = None  # the distribution's name, as METADATA spells it


class _Dist(NamedTuple):
    path: str
    name: str  # as the folder spells it: "Old_Cursus" of "Old_Cursus-0.3.0.dist-info"
    version: str | None  # from the folder name


def _dist(path: str, folder: str) -> _Dist:
    """``name-1.0.dist-info``, ``name-1.0-py3.11.egg-info``, ``name.egg-info``."""
    name, _, rest = folder[: folder.rfind(".")].partition("-")
    return _Dist(path, name, rest.partition("-")[0] or None)


def _named(key: str, folder: str) -> bool:
    """Whether a ``*-info`` folder is the distribution of this normalised name."""
    if folder[len(key) : len(key) + 1] not in ("-", "."):
        return False  # a cheap test first: the name part is of another length
    name = _dist("", folder).name
    return len(name) == len(key) and normalise(name) == key


def normalise(name: str) -> str:
    """A distribution or import name compared without case and ``-``/``_``/``.`` (PEP 503)."""
    if "--" in name or "__" in name or ".." in name or "-_" in name or "_-" in name:
        return _SEPARATORS.sub("-", name).lower()
    return name.replace("_", "-").replace(".", "-").lower()  # the usual case, without a regex


def find_package(
    environment: Environment, import_name: str, *, notes: list[str] | None = None
) -> InstalledPackage | None:
    """The installed package ``import_name`` of the environment, or None."""
    if not import_name.isidentifier():
        return None
    location = _locate(environment, import_name)
    if location is None:
        return None
    return _describe(environment, import_name, location, _distributions(environment), notes)


def packages_with_step_catalog(
    environment: Environment, *, notes: list[str] | None = None
) -> list[InstalledPackage]:
    """The packages that hold a step catalog (``<pkg>/steps`` with ``interfaces/*.step.yaml`` or
    two component folders, or ``<pkg>/registry/step_names.py``), in search order; a name that an
    earlier folder already provides is shadowed. One ``scandir`` of each search folder and a
    failed ``stat`` or two for each package folder in it."""
    shadowing: set[str] = set()
    hits: list[tuple[str, str]] = []
    dists: list[tuple[str, str]] = []  # (path, folder name) of each *-info folder
    site = set(environment.site_packages)
    for folder in environment.site_packages + environment.extra_paths:
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    name = entry.name
                    dot = name.find(".")
                    if dot < 0:  # a package folder, or nothing importable
                        if name in shadowing or name[:2] == "__" or not name.isidentifier():
                            continue
                        if _entry_is_dir(entry):
                            shadowing.add(name)
                            if holds_step_catalog(entry.path):
                                hits.append((name, real(entry.path)))
                    elif name.endswith(_INFO):
                        if folder in site:
                            dists.append((entry.path, name))
                    elif name.endswith(_MODULE):  # x.py, x.cpython-311-x86_64-linux-gnu.so
                        shadowing.add(name[:dot])
        except (OSError, ValueError) as exc:
            if notes is not None:
                notes.append(f"cannot list {folder}: {getattr(exc, 'strerror', None) or exc}")
    for name, target in environment.editable:
        if name not in shadowing and holds_step_catalog(target):
            shadowing.add(name)
            hits.append((name, target))
    return [_describe(environment, name, path, dists, notes) for name, path in hits]


def holds_step_catalog(package: str) -> bool:
    """True when a package folder holds a step catalog (see packages_with_step_catalog)."""
    steps = package + os.sep + "steps"
    folders: set[str] = set()
    if is_dir(steps):  # a stat: a failed scandir costs three times as much
        try:
            with os.scandir(steps) as entries:
                folders = {e.name for e in entries if _entry_is_dir(e)}
        except (OSError, ValueError):
            pass
    if "interfaces" in folders and _has_interface(os.path.join(steps, "interfaces")):
        return True
    if len(folders & COMPONENT_FOLDERS) >= 2:
        return True
    try:
        return os.path.isfile(package + _REGISTRY)
    except (OSError, ValueError):
        return False


def _has_interface(folder: str) -> bool:
    try:
        with os.scandir(folder) as entries:
            return any(e.name.endswith(".step.yaml") for e in entries)
    except (OSError, ValueError):
        return False


def _entry_is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:  # a symlink loop, a vanished entry
        return False


def _locate(environment: Environment, import_name: str) -> str | None:
    namespace: str | None = None
    for folder in environment.site_packages + environment.extra_paths:
        candidate = os.path.join(folder, import_name)
        if is_dir(candidate):
            if os.path.isfile(os.path.join(candidate, "__init__.py")):
                return real(candidate)
            namespace = namespace or real(candidate)
        elif os.path.isfile(candidate + ".py"):
            return real(candidate + ".py")
    for name, target in environment.editable:
        if name == import_name and (is_dir(target) or os.path.isfile(target)):
            return target
        if name == import_name and os.path.isfile(target + ".py"):
            return real(target + ".py")
    return namespace


def _distributions(environment: Environment) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for folder in environment.site_packages:
        try:
            with os.scandir(folder) as entries:
                found.extend(
                    (e.path, e.name)
                    for e in entries
                    if e.name.endswith((".dist-info", ".egg-info"))
                )
        except (OSError, ValueError):
            continue
    return found


def _describe(
    environment: Environment,
    import_name: str,
    location: str,
    dists: list[tuple[str, str]],
    notes: list[str] | None,
) -> InstalledPackage:
    scratch: list[str] = [] if notes is None else notes
    outside = not any(_inside(location, folder) for folder in environment.site_packages)
    dist = _match(import_name, location, outside, dists, scratch)
    name = version = None
    editable = outside
    if dist is not None:
        name, version = _metadata(dist, scratch)
        editable = editable or _direct_url(dist.path, scratch)[0]
    return InstalledPackage(
        name=import_name,
        version=version or (dist.version if dist else None),
        location=location,
        editable=editable,
        dist_info=dist.path if dist else None,
        distribution=name,
    )


def _match(
    import_name: str,
    location: str,
    outside: bool,
    dists: list[tuple[str, str]],
    notes: list[str],
) -> _Dist | None:
    """The distribution of an import name: the same normalised name; else one whose
    ``top_level.txt`` (or, without one, ``RECORD``) lists it, likeliest names first; else, for a
    package outside the site folders, an editable ``direct_url.json`` whose checkout holds it."""
    key = normalise(import_name)
    for path, folder in dists:
        if _named(key, folder):
            return _dist(path, folder)
    parsed = [_dist(path, folder) for path, folder in dists]
    for dist in _likeliest_first(key, parsed):
        data = read_small(os.path.join(dist.path, "top_level.txt"), notes)
        if data is not None:
            if import_name in data.decode("utf-8", errors="replace").split():
                return dist
        elif _record_mentions(os.path.join(dist.path, "RECORD"), import_name):
            return dist
    if outside:
        for dist in parsed:
            editable, checkout = _direct_url(dist.path, notes)
            if editable and checkout and _inside(location, real(checkout)):
                return dist
    return None


def _likeliest_first(key: str, dists: list[_Dist]) -> list[_Dist]:
    """Names containing one another first (``yaml``/``PyYAML``), then those sharing the first
    letters (``sklearn``/``scikit-learn``), then the rest."""
    keys = [normalise(d.name) for d in dists]
    pairs = list(zip(dists, keys, strict=True))
    first = [d for d, k in pairs if key in k or k in key]
    second = [d for d, k in pairs if k[:2] == key[:2] and not (key in k or k in key)]
    return first + second + [d for d, k in pairs if k[:2] != key[:2] and not (key in k or k in key)]


def _record_mentions(path: str, import_name: str) -> bool:
    prefixes = (f"{import_name}/", f"{import_name}.py,", f'"{import_name}/')
    try:
        with open(path, "rb") as handle:
            data = handle.read(RECORD_LIMIT).decode("utf-8", errors="replace")
    except (OSError, ValueError):
        return False
    return any(line.startswith(prefixes) for line in data.splitlines())


def _metadata(dist: _Dist, notes: list[str]) -> tuple[str | None, str | None]:
    """``Name:`` and ``Version:`` from the headers of METADATA (PKG-INFO for egg-info)."""
    name = version = None
    for file_name in ("METADATA", "PKG-INFO"):
        path = os.path.join(dist.path, file_name)
        try:
            with open(path, "rb") as handle:
                head = handle.read(METADATA_LIMIT)
        except FileNotFoundError:
            continue
        except (OSError, ValueError) as exc:
            notes.append(f"cannot read {path}: {getattr(exc, 'strerror', None) or exc}")
            continue
        for line in head.decode("utf-8", errors="replace").splitlines():
            if not line.strip():
                break  # the end of the headers
            field, _, value = line.partition(":")
            if field.lower() == "name" and name is None:
                name = value.strip() or None
            elif field.lower() == "version" and version is None:
                version = value.strip() or None
        break
    return name, version


def _direct_url(dist_path: str, notes: list[str]) -> tuple[bool, str | None]:
    """Whether ``direct_url.json`` records an editable install, and its checkout folder."""
    data = read_small(os.path.join(dist_path, "direct_url.json"), notes)
    if data is None:
        return False, None
    import json  # only editable installs and unmatched packages get here

    try:
        info = json.loads(data)
    except (ValueError, RecursionError):
        notes.append(f"{dist_path}/direct_url.json is not JSON")
        return False, None
    if not isinstance(info, dict):
        return False, None
    dir_info = info.get("dir_info")
    editable = isinstance(dir_info, dict) and dir_info.get("editable") is True
    url = info.get("url")
    if not isinstance(url, str) or not url.startswith("file:"):
        return editable, None
    return editable, file_url_path(url)


def file_url_path(url: str) -> str | None:
    """The local path of a ``file:`` URL (``urllib.request`` is not imported for this)."""
    try:
        parsed = urlparse(url)
    except ValueError:
        return None
    if parsed.scheme != "file" or not parsed.path or parsed.netloc not in ("", "localhost"):
        return None
    if os.name == "nt":
        from nturl2path import url2pathname

        return url2pathname(parsed.path)
    return unquote(parsed.path)


def _inside(path: str, folder: str) -> bool:
    """Containment by whole path components."""
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)
