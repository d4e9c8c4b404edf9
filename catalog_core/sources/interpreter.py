"""From an interpreter path to its environment's prefix, statically; and the one exception: asking
an interpreter the user named explicitly, once, when its files cannot tell.

Static first: a ``pyvenv.cfg`` beside the unresolved executable or one folder up (a venv's
``bin/python`` is a symlink to the base interpreter, so it is looked for before resolving), then
the resolved executable's folder layout (``<prefix>/bin/python`` with ``<prefix>/lib/pythonX.Y``,
``<prefix>/python.exe`` with ``<prefix>/Lib``), and pyenv shims from pyenv's own version files.
Only :func:`ask_interpreter` starts a process; :mod:`.environment` calls it for explicit
interpreters alone.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .site_dirs import is_dir, lib_versions, read_small, real, reason

if TYPE_CHECKING:
    import subprocess

PROBE_TIMEOUT = 10.0  # seconds an explicitly named interpreter may take to answer
_PROBE = (
    "import json, sys; print(json.dumps({'prefix': sys.prefix, 'executable': sys.executable,"
    " 'version': '%d.%d' % sys.version_info[:2], 'path': sys.path[1:]}))"
)
_BIN = ("bin", "scripts")
_EXE_VERSION = re.compile(r"python(\d+\.\d+)", re.IGNORECASE)


@dataclass(frozen=True)
class Located:
    """A base installation's prefix, and the version its executable's name says (if it does)."""

    prefix: str
    version: str | None


@dataclass(frozen=True)
class Answer:
    """What an interpreter said about itself (its ``sys.path`` without the script folder)."""

    prefix: str
    executable: str
    version: str
    sys_path: tuple[str, ...]
    via: str  # "jedi" or "subprocess"


def expand(python: str, project: str, env: Mapping[str, str]) -> str:
    """An interpreter setting as an absolute path: ``~`` from ``HOME``, a bare name looked up on
    the ``PATH`` of ``env``, anything else relative to the project (never the working folder)."""
    if python == "~" or python.startswith(("~/", "~\\")):
        home = env.get("HOME") or env.get("USERPROFILE") or os.path.expanduser("~")
        python = os.path.join(home, python[2:])
    if not os.path.isabs(python) and os.sep not in python and "/" not in python:
        import shutil

        found = shutil.which(python, path=env.get("PATH", ""))
        if found:
            return os.path.abspath(found)
    return os.path.normpath(os.path.join(project, python))


def venv_prefix_of(executable: str) -> str | None:
    """The venv an executable belongs to: ``pyvenv.cfg`` beside it or one folder up (unresolved)."""
    folder = os.path.dirname(executable)
    for candidate in (folder, os.path.dirname(folder)):
        try:
            if os.path.isfile(os.path.join(candidate, "pyvenv.cfg")):
                return candidate
        except (OSError, ValueError):
            continue
    return None


def is_script(path: str, notes: list[str]) -> bool:
    """True when the file is a ``#!`` script (a shim or wrapper), not an executable binary."""
    try:
        with open(path, "rb") as handle:
            return handle.read(2) == b"#!"
    except (OSError, ValueError) as exc:
        notes.append(f"cannot read the interpreter {path}: {reason(exc)}")
        return False


def layout_prefix(executable: str) -> Located | None:
    """The prefix of a base installation (pyenv build, system, conda) from its folder layout:
    ``<prefix>/bin/python`` with ``<prefix>/lib/pythonX.Y``, or ``<prefix>/python.exe`` with
    ``<prefix>/Lib/site-packages``."""
    folder = os.path.dirname(executable)
    prefix = os.path.dirname(folder) if os.path.basename(folder).lower() in _BIN else folder
    versions = lib_versions(prefix)
    if not versions and not is_dir(os.path.join(prefix, "Lib", "site-packages")):
        return None
    named = _EXE_VERSION.search(os.path.basename(executable))
    version = named.group(1) if named else (versions[0] if len(versions) == 1 else None)
    return Located(real(prefix), version)


def pyenv_target(shim: str, project: str, env: Mapping[str, str]) -> str | None:
    """The interpreter a pyenv shim would run, from pyenv's own files: ``PYENV_VERSION``, else the
    nearest ``.python-version`` from the project (or ``PYENV_DIR``) up, else ``<root>/version``.
    None for ``system`` or anything pyenv would decide otherwise."""
    shims = os.path.dirname(shim)
    root = os.path.dirname(shims)
    if os.path.basename(shims) != "shims" or not is_dir(os.path.join(root, "versions")):
        return None
    names = env.get("PYENV_VERSION", "").replace(":", " ").split()
    if not names:
        names = _version_file_names(env.get("PYENV_DIR") or project, root)
    versions = os.path.join(root, "versions")
    for name in names:
        if name == "system" or "/" in name or "\\" in name or name.startswith("."):
            return None
        for version in (name, _latest_with_prefix(versions, name)):
            target = os.path.join(versions, version or "", "bin", os.path.basename(shim))
            if version and os.path.isfile(target):
                return target
    return None


def _latest_with_prefix(versions: str, prefix: str) -> str | None:
    """``3.11`` -> the highest installed ``3.11.x``, as pyenv resolves a version prefix."""
    try:
        with os.scandir(versions) as entries:
            found = [e.name for e in entries if e.name.startswith(prefix + ".")]
    except (OSError, ValueError):
        return None
    numeric = [n for n in found if all(part.isdigit() for part in n.split("."))]
    return max(numeric, key=lambda n: tuple(map(int, n.split("."))), default=None)


def _version_file_names(start: str, root: str) -> list[str]:
    scratch: list[str] = []
    folder = os.path.abspath(start)
    while True:
        data = read_small(os.path.join(folder, ".python-version"), scratch)
        if data is not None:
            return _names(data)
        parent = os.path.dirname(folder)
        if parent == folder:
            break
        folder = parent
    data = read_small(os.path.join(root, "version"), scratch)
    return _names(data) if data is not None else []


def _names(data: bytes) -> list[str]:
    words = data.decode("utf-8", errors="replace").split()
    return [w for w in words if not w.startswith("#")]


def ask_interpreter(
    python: str, project: str, env: Mapping[str, str], notes: list[str], timeout: float
) -> Answer | None:
    """Run the interpreter ONCE and ask for its prefix, version and ``sys.path``: through jedi's
    environment API when jedi is installed (the process jedi keeps is dropped afterwards), else a
    plain ``subprocess`` with a timeout. Only for interpreters the user named explicitly."""
    import threading

    child_env = dict(env)
    child_env.setdefault("PYENV_DIR", project)  # a pyenv shim picks the project's version
    try:
        import jedi  # type: ignore[import-untyped, unused-ignore]  # noqa: F401  (before the thread)
    except ImportError:
        return _ask_subprocess(python, project, child_env, notes, timeout)
    box: list[Answer | BaseException] = []
    worker = threading.Thread(
        target=_ask_jedi, args=(python, child_env, box), name="stepcat-interpreter", daemon=True
    )
    worker.start()
    worker.join(timeout)
    if not box:
        notes.append(f"the interpreter {python} did not answer within {timeout:g} s")
        return None
    result = box[0]
    if isinstance(result, BaseException):
        notes.append(f"could not ask the interpreter {python}: {_first_line(result)}")
        return None
    return result


def _ask_jedi(python: str, env: dict[str, str], box: list[Answer | BaseException]) -> None:
    import jedi  # type: ignore[import-untyped, unused-ignore]

    try:
        environment = jedi.create_environment(python, safe=False, env_vars=env)
        sys_path = environment.get_sys_path()[1:]  # [0] is jedi's own subprocess folder
        major, minor = environment.version_info[:2]
        version = f"{major}.{minor}"
        box.append(
            Answer(environment.path, environment.executable, version, tuple(sys_path), "jedi")
        )
        del environment  # jedi's finaliser stops its process now
    except Exception as exc:
        box.append(exc)


def _ask_subprocess(
    python: str, project: str, env: dict[str, str], notes: list[str], timeout: float
) -> Answer | None:
    import subprocess

    try:
        process = subprocess.Popen(
            [python, "-c", _PROBE],
            cwd=project if is_dir(project) else None,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # its own process group: a timeout stops wrappers' children
        )
    except (OSError, ValueError) as exc:
        notes.append(f"could not ask the interpreter {python}: {_first_line(exc)}")
        return None
    try:
        out, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _stop(process)
        notes.append(f"the interpreter {python} did not answer within {timeout:g} s")
        return None
    import json

    try:
        data = json.loads(out.decode("utf-8", errors="replace").strip().splitlines()[-1])
        return Answer(
            str(data["prefix"]),
            str(data["executable"]),
            str(data["version"]),
            tuple(str(p) for p in data["path"]),
            "subprocess",
        )
    except (ValueError, KeyError, IndexError, TypeError) as exc:
        notes.append(f"could not ask the interpreter {python}: {_first_line(exc)}")
        return None


def _stop(process: subprocess.Popen[bytes]) -> None:
    try:
        if hasattr(os, "killpg"):
            import signal

            os.killpg(process.pid, signal.SIGKILL)
        else:
            process.kill()
    except OSError:
        pass
    process.communicate()


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__
