"""An environment's folders read from disk alone: ``pyvenv.cfg``, the prefix's layout (POSIX,
Windows, conda, Debian), the user site, and the ``.pth`` files of each site folder.

Nothing here runs anything: ``.pth`` lines that start with ``import`` are never executed; the
editable-install finders they load (setuptools' ``__editable___*_finder.py``, the ``editables``
redirector ``_editable_impl_*.py``) are parsed with ``ast`` and their mapping read with
``ast.literal_eval``. Every failure (unreadable or odd files, FIFOs, loops) becomes a note.
"""

from __future__ import annotations

import ast
import os
import re
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field

from catalog_core.base.pyparse import PARSE_ERRORS

MAX_SMALL_FILE = 1024 * 1024  # .pth files, pyvenv.cfg, finder modules: far below this
_VERSION = re.compile(r"\s*(\d+)\.(\d+)")
_LIB_PYTHON = re.compile(r"python(\d+)\.(\d+)t?\Z")
_IMPORTED = re.compile(r"\bimport\s+([A-Za-z_]\w*)")


def read_small(path: str, notes: list[str], *, what: str = "file") -> bytes | None:
    """The bytes of a small regular file, or None with a note (missing files: no note)."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        notes.append(f"cannot read the {what} {path}: {reason(exc)}")
        return None
    if not stat.S_ISREG(info.st_mode):
        notes.append(f"skipped the {what} {path}: not a regular file")
        return None
    if info.st_size > MAX_SMALL_FILE:
        notes.append(f"skipped the {what} {path}: {info.st_size} bytes is too large")
        return None
    try:
        with open(path, "rb") as handle:
            return handle.read(MAX_SMALL_FILE)
    except (OSError, ValueError) as exc:
        notes.append(f"cannot read the {what} {path}: {reason(exc)}")
        return None


def reason(exc: BaseException) -> str:
    return getattr(exc, "strerror", None) or str(exc) or type(exc).__name__


def is_dir(path: str) -> bool:
    try:
        return os.path.isdir(path)
    except (OSError, ValueError):
        return False


def real(path: str) -> str:
    """The real path (symlinks resolved; a loop leaves the path as far as it resolves)."""
    try:
        return os.path.realpath(path)
    except (OSError, ValueError, RuntimeError):
        return os.path.abspath(path)


def major_minor(text: str | None) -> str | None:
    """``"3.11"`` from ``"3.11.7"``, ``"3.11.7.final.0"``, ``"3.12"``; None from garbage."""
    match = _VERSION.match(text or "")
    return f"{match.group(1)}.{match.group(2)}" if match else None


def read_pyvenv_cfg(prefix: str, notes: list[str]) -> dict[str, str] | None:
    """``pyvenv.cfg`` as lower-cased keys (as ``site.py`` reads it), or None when absent."""
    path = os.path.join(prefix, "pyvenv.cfg")
    data = read_small(path, notes, what="venv configuration")
    if data is None:
        return None
    text = data.decode("utf-8", errors="replace")
    values: dict[str, str] = {}
    for line in text.splitlines():
        key, sep, value = line.partition("=")
        if sep and key.strip():
            values[key.strip().lower()] = value.strip()
    if not values:
        notes.append(f"{path} has no 'key = value' lines")
    return values


def lib_versions(prefix: str) -> list[str]:
    """The X.Y of every ``lib/pythonX.Y`` folder of a prefix, highest first."""
    found: set[tuple[int, int]] = set()
    for lib in ("lib", "lib64"):
        try:
            with os.scandir(os.path.join(prefix, lib)) as entries:
                for entry in entries:
                    match = _LIB_PYTHON.match(entry.name)
                    if match:
                        found.add((int(match.group(1)), int(match.group(2))))
        except (OSError, ValueError):
            continue
    return [f"{a}.{b}" for a, b in sorted(found, reverse=True)]


def prefix_site_dirs(prefix: str, version: str | None) -> list[str]:
    """The existing site folders of one prefix in ``site.getsitepackages`` order (real paths)."""
    candidates: list[str] = []
    versions = [version] if version else lib_versions(prefix)
    for ver in versions:
        for lib in ("lib64", "lib"):  # platlibdir first when it is a folder of its own
            for suffix in ("", "t"):
                candidates.append(
                    os.path.join(prefix, lib, f"python{ver}{suffix}", "site-packages")
                )
        if is_dir(os.path.join(prefix, "lib", "python3", "dist-packages")):  # Debian's python3
            candidates.append(os.path.join(prefix, "local", "lib", f"python{ver}", "dist-packages"))
            candidates.append(os.path.join(prefix, "lib", "python3", "dist-packages"))
            candidates.append(os.path.join(prefix, "lib", f"python{ver}", "dist-packages"))
    candidates.append(os.path.join(prefix, "Lib", "site-packages"))  # Windows, conda on Windows
    return existing_unique(candidates)


def existing_unique(paths: list[str], seen: set[str] | None = None) -> list[str]:
    """The paths that are folders, as real paths, first occurrence kept."""
    seen = set() if seen is None else seen
    out: list[str] = []
    for path in paths:
        if is_dir(path):
            resolved = real(path)
            if resolved not in seen:
                seen.add(resolved)
                out.append(resolved)
    return out


def user_site(version: str | None, env: Mapping[str, str]) -> str | None:
    """The user site folder ``site.py`` would add (``PYTHONNOUSERSITE``/``PYTHONUSERBASE``)."""
    if not version or env.get("PYTHONNOUSERSITE"):
        return None
    base = env.get("PYTHONUSERBASE")
    if os.name == "nt":
        base = base or (os.path.join(env["APPDATA"], "Python") if env.get("APPDATA") else None)
        tail = os.path.join(f"Python{version.replace('.', '')}", "site-packages")
    else:
        base = base or (os.path.join(env["HOME"], ".local") if env.get("HOME") else None)
        tail = os.path.join("lib", f"python{version}", "site-packages")
    return os.path.join(base, tail) if base else None


def base_prefix_from_home(home: str) -> str:
    """The base installation's prefix from ``pyvenv.cfg``'s ``home`` (the base binary's folder)."""
    home = home.rstrip("/\\") or home
    if os.path.basename(home).lower() in ("bin", "scripts"):
        return os.path.dirname(home)
    return home  # Windows installs keep python.exe in the prefix itself


@dataclass
class PthScan:
    """What the ``.pth`` files of the site folders add, in ``sys.path`` order."""

    paths: list[str] = field(default_factory=list)  # what site.py appends to sys.path
    editable: dict[str, str] = field(default_factory=dict)  # import name -> package folder/file
    seen: set[str] = field(default_factory=set)


def scan_pth_files(site_dir: str, scan: PthScan, notes: list[str]) -> None:
    """Add the paths and editable mappings of one site folder's ``.pth`` files (sorted by name,
    hidden ones skipped, as ``site.addsitedir`` does)."""
    try:
        with os.scandir(site_dir) as entries:
            names = sorted(e.name for e in entries if e.name.endswith(".pth"))
    except (OSError, ValueError) as exc:
        notes.append(f"cannot list {site_dir}: {reason(exc)}")
        return
    for name in names:
        if not name.startswith("."):
            _read_pth(site_dir, name, scan, notes)


def _read_pth(site_dir: str, name: str, scan: PthScan, notes: list[str]) -> None:
    path = os.path.join(site_dir, name)
    data = read_small(path, notes, what=".pth file")
    if data is None:
        return
    undecodable = 0
    for raw in data.removeprefix(b"\xef\xbb\xbf").splitlines():
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:
            undecodable += 1
            continue
        if line.startswith("#") or not line.strip():
            continue
        if line.startswith(("import ", "import\t")):
            for module in _IMPORTED.findall(line):  # never executed: editable finders are read
                if "editable" in module.lower():
                    _read_finder(site_dir, module, scan, notes)
            continue
        if not _add_path(os.path.join(site_dir, line.rstrip()), scan) and name.startswith(
            "__editable__."
        ):
            notes.append(f"{path}: the editable install's folder {line.rstrip()} does not exist")
    if undecodable:
        notes.append(f"{path}: skipped {undecodable} line(s) that are not UTF-8")


def _add_path(path: str, scan: PthScan) -> bool:
    """Add an existing path once (``site.py`` skips missing ones); False when it is missing."""
    try:
        if not os.path.exists(path):
            return False
    except (OSError, ValueError):
        return False
    resolved = real(path)
    if resolved not in scan.seen:
        scan.seen.add(resolved)
        scan.paths.append(resolved)
    return True


def _read_finder(site_dir: str, module: str, scan: PthScan, notes: list[str]) -> None:
    path = os.path.join(site_dir, module + ".py")
    data = read_small(path, notes, what="editable finder")
    if data is None:
        return
    try:
        tree = ast.parse(data)  # no file name: CPython may read it back to word an error
    except PARSE_ERRORS as exc:
        notes.append(f"cannot parse the editable finder {path}: {type(exc).__name__}")
        return
    mapping = finder_mapping(tree)
    if not mapping:
        notes.append(f"the editable finder {path} maps no package")
    for import_name, target in mapping.items():
        if not os.path.isabs(target):
            notes.append(f"{path}: ignored the relative target {target!r} of {import_name!r}")
            continue
        if os.path.basename(target) == "__init__.py":
            target = os.path.dirname(target)
        resolved = real(target)
        if not os.path.exists(resolved) and not os.path.exists(resolved + ".py"):
            notes.append(f"{path}: the folder of {import_name!r}, {target}, no longer exists")
        scan.editable.setdefault(import_name, resolved)


def finder_mapping(tree: ast.Module) -> dict[str, str]:
    """``MAPPING = {...}`` (setuptools) and ``F.map_module(name, path)`` calls (editables)."""
    found: dict[str, str] = {}
    for node in ast.walk(tree):
        value: ast.expr | None = None
        if (
            isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "MAPPING" for t in node.targets)
        ) or (
            isinstance(node, ast.AnnAssign)
            and isinstance(node.target, ast.Name)
            and node.target.id == "MAPPING"
        ):
            value = node.value
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "map_module"
            and len(node.args) == 2
        ):
            value = ast.Dict(keys=[node.args[0]], values=[node.args[1]])
        if value is None:
            continue
        try:
            literal = ast.literal_eval(value)
        except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
            continue
        if isinstance(literal, dict):
            for key, target in literal.items():
                if isinstance(key, str) and isinstance(target, str) and key.isidentifier():
                    found.setdefault(key, target)
    return found
