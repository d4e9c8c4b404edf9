"""The user's Python environment, found and read without running it (issue 13).

Search order, first found wins:

1. the interpreter the user named (editor selection, ``python`` setting, ``--python``): a file,
   an environment folder, a bare name looked up on the ``PATH`` of ``env``, ``~/...``, or a path
   relative to the project (never the working folder); when it is missing, broken or not an
   environment, a note, and the next sources are tried;
2. ``.venv`` then ``venv`` (folders holding ``pyvenv.cfg`` or ``conda-meta``) in the project
   folder, then in each parent up to and including the repository root (the nearest folder
   holding ``.git``); with no repository around, the project folder alone. It wins over an
   active ``VIRTUAL_ENV`` of another environment (with a note);
3. ``VIRTUAL_ENV``; 4. ``CONDA_PREFIX`` (from the ``env`` mapping given): absolute paths of
   existing environments only, else a note and the next one.

Nothing found: ``None`` and a note; the server's own interpreter is never a fallback. Only an
interpreter the user named explicitly is ever run, once, and only when its files cannot tell
its environment (a wrapper script that is not a resolvable pyenv shim, an unknown layout).

Site folders come in ``site.py``'s order: for a base installation (conda, pyenv build, system)
the user site first, then the prefix's; for a venv its own, and with
``include-system-site-packages = true`` the user site first and the base prefix's (from
``home``) after its own. Folder paths are real paths; the interpreter path is kept as named,
since a venv's ``bin/python`` is a symlink to the base interpreter.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from .interpreter import (
    PROBE_TIMEOUT,
    Answer,
    ask_interpreter,
    expand,
    is_script,
    layout_prefix,
    pyenv_target,
    venv_prefix_of,
)
from .packages import InstalledPackage, find_package, packages_with_step_catalog
from .site_dirs import (
    PthScan,
    base_prefix_from_home,
    existing_unique,
    is_dir,
    lib_versions,
    major_minor,
    prefix_site_dirs,
    read_pyvenv_cfg,
    real,
    scan_pth_files,
    user_site,
)

__all__ = [
    "Environment",
    "InstalledPackage",
    "Interpreter",
    "environment_at",
    "environment_of_interpreter",
    "find_environment",
    "find_package",
    "packages_with_step_catalog",
]

HOW_SETTING = "interpreter setting"
HOW_JEDI = "jedi (explicit interpreter)"
HOW_ASKED = "asked the explicit interpreter"
PROJECT_VENVS = (".venv", "venv")
MAX_NOTES = 40


@dataclass(frozen=True)
class Interpreter:
    path: str
    explicit: bool  # the user named it: the only kind that may ever be run


@dataclass(frozen=True)
class Environment:
    prefix: str  # the venv / conda / base prefix
    interpreter: Interpreter | None
    version: str | None  # "3.11"
    site_packages: tuple[str, ...]  # existing site folders, in sys.path order
    extra_paths: tuple[str, ...]  # the paths .pth files add (plain-path editables' source roots)
    editable: tuple[tuple[str, str], ...]  # (import name, package folder) of editable finders
    how: str  # "interpreter setting", ".venv in the project", "VIRTUAL_ENV", ...

    @property
    def python(self) -> str | None:
        return self.interpreter.path if self.interpreter else None

    @property
    def sys_path(self) -> tuple[str, ...]:
        """The folders a static resolver (jedi's ``added_sys_path``) should search, in order:
        the site folders, the ``.pth`` paths, then the folders holding the editable finders'
        packages (at run time a finder on ``sys.meta_path`` serves those)."""
        paths = self.site_packages + self.extra_paths
        roots = dict.fromkeys(os.path.dirname(target) for _, target in self.editable)
        return paths + tuple(root for root in roots if root not in paths)


def find_environment(
    project: str,
    *,
    python: str | None = None,
    env: Mapping[str, str] = os.environ,
    timeout: float = PROBE_TIMEOUT,
) -> tuple[Environment | None, list[str]]:
    """The project's environment (see the module docstring for the order) and notes on the way."""
    notes: list[str] = []
    project = os.path.abspath(project)
    found: Environment | None = None
    if python:
        path = expand(python, project, env)
        found = environment_of_interpreter(
            Interpreter(path, explicit=True), project, env=env, notes=notes, timeout=timeout
        )
        if found is None:
            notes.append(f"the interpreter setting {python!r} gave no environment")
    found = found or _project_venv(project, env, notes) or _from_variables(env, notes)
    if found is None:
        notes.append(
            "no Python environment found: no interpreter setting, no .venv or venv folder in "
            "the project, VIRTUAL_ENV and CONDA_PREFIX unset"
        )
    if len(notes) > MAX_NOTES:
        notes[MAX_NOTES:] = [f"... and {len(notes) - MAX_NOTES} more notes"]
    return found, notes


def environment_of_interpreter(
    interpreter: Interpreter,
    project: str,
    *,
    env: Mapping[str, str] = os.environ,
    notes: list[str],
    timeout: float = PROBE_TIMEOUT,
) -> Environment | None:
    """The environment of an interpreter path (absolute), statically; when its files cannot
    tell and ``interpreter.explicit`` is True, by asking it once; never run otherwise."""
    path = interpreter.path
    if not os.path.lexists(path):
        notes.append(f"the interpreter {path} does not exist")
        return None
    if is_dir(path):  # an environment folder: its own interpreter counts as named too
        if not _is_environment(path):
            notes.append(f"{path} is a folder but not a Python environment")
            return None
        inside = _interpreter_in(real(path), notes)
        named = Interpreter(inside.path, interpreter.explicit) if inside else None
        return environment_at(real(path), HOW_SETTING, env=env, notes=notes, python=named)
    if not os.path.exists(path):
        notes.append(f"the interpreter {path} is a symbolic link to nothing (gone, or a loop)")
        return None
    if not os.path.isfile(path):
        notes.append(f"the interpreter {path} is not a regular file")
        return None
    prefix = venv_prefix_of(path)
    if prefix is not None:
        return environment_at(real(prefix), HOW_SETTING, env=env, notes=notes, python=interpreter)
    resolved = real(path)
    if is_script(resolved, notes):
        target = pyenv_target(resolved, project, env)
        if target is not None:
            notes.append(f"{path} is a pyenv shim; its version files select {target}")
            inner = venv_prefix_of(target)
            if inner is not None:
                return environment_at(
                    real(inner), HOW_SETTING, env=env, notes=notes, python=interpreter
                )
            located = layout_prefix(real(target))
            if located is not None:
                return environment_at(
                    located.prefix,
                    HOW_SETTING,
                    env=env,
                    notes=notes,
                    python=interpreter,
                    version=located.version,
                )
        notes.append(
            f"{path} is a script (a shim or wrapper): its files do not tell its environment"
        )
    else:
        located = layout_prefix(resolved)
        if located is not None:
            return environment_at(
                located.prefix,
                HOW_SETTING,
                env=env,
                notes=notes,
                python=interpreter,
                version=located.version,
            )
        notes.append(f"cannot tell the environment of {path} from its folders")
    if not interpreter.explicit:
        notes.append(f"{path} was not run: only an interpreter named explicitly is ever run")
        return None
    answer = ask_interpreter(path, project, env, notes, timeout)
    return None if answer is None else _from_answer(answer, interpreter, notes)


def environment_at(
    prefix: str,
    how: str,
    *,
    env: Mapping[str, str] = os.environ,
    notes: list[str],
    python: Interpreter | None = None,
    version: str | None = None,
) -> Environment:
    """Read an environment prefix: ``pyvenv.cfg``, its version, site folders and ``.pth`` files."""
    cfg = read_pyvenv_cfg(prefix, notes)
    if cfg is not None:
        said = cfg.get("version") or cfg.get("version_info")
        version = major_minor(said) or version
        if said and major_minor(said) is None:
            notes.append(f"{prefix}: pyvenv.cfg has an unreadable version {said!r}")
    if version is None:
        found = lib_versions(prefix)
        version = found[0] if found else None
        if len(found) > 1:
            notes.append(f"{prefix} has lib folders for {', '.join(found)}; using {version}")
    candidates: list[str | None]
    if cfg is None:  # conda, pyenv build, system: the user site first, as site.py orders them
        candidates = [user_site(version, env), *prefix_site_dirs(prefix, version)]
    elif cfg.get("include-system-site-packages", "").lower() == "true":
        base = base_prefix_from_home(cfg["home"]) if cfg.get("home") else None
        if base is None:
            notes.append(f"{prefix}: pyvenv.cfg includes system site-packages but names no home")
        base_dirs = prefix_site_dirs(base, version) if base else []
        candidates = [user_site(version, env), *prefix_site_dirs(prefix, version), *base_dirs]
    else:
        candidates = list(prefix_site_dirs(prefix, version))
    site = existing_unique([c for c in candidates if c])
    if not site:
        notes.append(f"no site-packages folder found in {prefix}")
    scan = PthScan(seen=set(site))
    for folder in site:
        scan_pth_files(folder, scan, notes)
    return Environment(
        prefix=prefix,
        interpreter=python or _interpreter_in(prefix, notes),
        version=version,
        site_packages=tuple(site),
        extra_paths=tuple(scan.paths),
        editable=tuple(scan.editable.items()),
        how=how,
    )


def _from_answer(answer: Answer, interpreter: Interpreter, notes: list[str]) -> Environment:
    site = existing_unique(
        [p for p in answer.sys_path if os.path.basename(p) in ("site-packages", "dist-packages")]
    )
    scan = PthScan(seen=set(site))
    for folder in site:
        scan_pth_files(folder, scan, notes)
    return Environment(
        prefix=real(answer.prefix),
        interpreter=interpreter,
        version=major_minor(answer.version),
        site_packages=tuple(site),
        extra_paths=tuple(scan.paths),
        editable=tuple(scan.editable.items()),
        how=HOW_JEDI if answer.via == "jedi" else HOW_ASKED,
    )


def _interpreter_in(prefix: str, notes: list[str]) -> Interpreter | None:
    for parts in (
        ("bin", "python"),
        ("bin", "python3"),
        ("Scripts", "python.exe"),
        ("python.exe",),
    ):
        path = os.path.join(prefix, *parts)
        if os.path.lexists(path):
            if not os.path.exists(path):
                notes.append(f"{path} is a broken symbolic link (its base installation is gone?)")
            return Interpreter(path, explicit=False)
    return None


def _is_environment(folder: str, *, layout: bool = True) -> bool:
    """A venv (``pyvenv.cfg``), a conda environment (``conda-meta``) or, with ``layout``, any
    prefix with ``lib/pythonX.Y`` or ``Lib/site-packages``."""
    if os.path.isfile(os.path.join(folder, "pyvenv.cfg")):
        return True
    if is_dir(os.path.join(folder, "conda-meta")):
        return True
    return layout and (
        bool(lib_versions(folder)) or is_dir(os.path.join(folder, "Lib", "site-packages"))
    )


def _project_venv(project: str, env: Mapping[str, str], notes: list[str]) -> Environment | None:
    for folder in _project_folders(project):
        for name in PROJECT_VENVS:
            candidate = os.path.join(folder, name)
            if not is_dir(candidate):
                continue
            if not _is_environment(candidate, layout=False):
                notes.append(f"ignored {candidate}: neither pyvenv.cfg nor conda-meta in it")
                continue
            prefix = real(candidate)
            active = env.get("VIRTUAL_ENV")
            if active and real(active) != prefix:
                notes.append(f"VIRTUAL_ENV is {active}, but the project's {name} comes first")
            return environment_at(prefix, f"{name} in the project", env=env, notes=notes)
    return None


def _project_folders(project: str) -> list[str]:
    """The project folder and its parents up to the repository root (``.git``), if there is one."""
    folders = [project]
    folder = project
    while True:
        try:
            if os.path.lexists(os.path.join(folder, ".git")):
                return folders
        except (OSError, ValueError):
            pass
        parent = os.path.dirname(folder)
        if parent == folder:
            return [project]
        folder = parent
        folders.append(folder)


def _from_variables(env: Mapping[str, str], notes: list[str]) -> Environment | None:
    for variable in ("VIRTUAL_ENV", "CONDA_PREFIX"):
        value = env.get(variable)
        if not value:
            continue
        if not os.path.isabs(value):
            notes.append(f"ignored {variable}={value}: not an absolute path")
        elif not is_dir(value):
            notes.append(f"ignored {variable}={value}: no such folder")
        elif not _is_environment(value):
            notes.append(f"ignored {variable}={value}: not a Python environment")
        else:
            return environment_at(real(value), variable, env=env, notes=notes)
    return None
