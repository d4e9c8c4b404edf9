"""Finding the user's Python environment and the framework installed in it, statically
(catalog_core.sources, issue 13).

The tests build what they read: real venvs (``python -m venv --without-pip``), a framework-like
package ``fakecursus`` packaged as a wheel by hand and installed with pip (``pip --python``) or
unpacked as pip would, editable installs written exactly as setuptools >= 64, hatchling and the
``editables`` redirector write them, conda-, pyenv-, Debian- and Windows-shaped prefixes (their
"interpreters" are files that are never run), and a project folder outside all of them. Nothing
but the explicit-interpreter tests may start a process, and the installed package writes a
marker file if anything ever imports it.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from catalog_core.sources.environment import (
    Environment,
    InstalledPackage,
    Interpreter,
    environment_of_interpreter,
    find_environment,
    find_package,
    packages_with_step_catalog,
)

pytestmark = pytest.mark.skipif(os.name == "nt", reason="builds POSIX venvs, FIFOs and shims")
VERSION = f"{sys.version_info[0]}.{sys.version_info[1]}"
FAKE_BINARY = b"\x7fELF\x02\x01\x01" + b"\0" * 57  # an "interpreter" that is never run
INTERFACE = """\
step_type: AStep
node_type: internal
registry:
  sagemaker_step_type: Processing
  description: a step of the fake framework
contract:
  entry_point: a.py
  inputs: {DATA: {path: /opt/ml/processing/input/data}}
  outputs: {}
"""
CONFIG = """\
from pydantic import BaseModel


class AStepConfig(BaseModel):
    instance_type: str = "ml.m5.xlarge"
"""


# ---------------------------------------------------------------- helpers: building environments


def framework_files(marker: Path, name: str = "fakecursus") -> dict[str, str]:
    """The framework-like package; importing it writes ``marker`` (nothing may import it)."""
    return {
        f"{name}/__init__.py": f"open({str(marker)!r}, 'w').close()\n__version__ = '1.2.3'\n",
        f"{name}/steps/__init__.py": "",
        f"{name}/steps/interfaces/__init__.py": "",
        f"{name}/steps/interfaces/a.step.yaml": INTERFACE,
        f"{name}/steps/configs/__init__.py": "",
        f"{name}/steps/configs/config_a_step.py": CONFIG,
    }


def _record_hash(data: bytes) -> str:
    digest = hashlib.sha256(data).digest()
    return "sha256=" + base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def dist_info_files(
    dist: str, version: str, top_level: str | None, tag: str, folder: str | None = None
) -> dict[str, str]:
    folder = folder or f"{dist.replace('-', '_')}-{version}.dist-info"
    files = {
        f"{folder}/METADATA": (
            f"Metadata-Version: 2.1\nName: {dist}\nVersion: {version}\n"
            "Summary: a framework-like package for stepcat's tests\n\nLong description.\n"
        ),
        f"{folder}/WHEEL": f"Wheel-Version: 1.0\nGenerator: {tag}\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    }
    if top_level is not None:
        files[f"{folder}/top_level.txt"] = top_level + "\n"
    return files


def with_record(files: dict[str, str], dist_info: str) -> dict[str, str]:
    rows = [f"{p},{_record_hash(c.encode())},{len(c.encode())}" for p, c in files.items()]
    return {**files, f"{dist_info}/RECORD": "\n".join([*rows, f"{dist_info}/RECORD,,"]) + "\n"}


def build_wheel(folder: Path, marker: Path) -> Path:
    """``fakecursus-1.2.3-py3-none-any.whl``, written with zipfile (no build backend)."""
    files = {
        **framework_files(marker),
        **dist_info_files("fakecursus", "1.2.3", "fakecursus", "hand"),
    }
    files = with_record(files, "fakecursus-1.2.3.dist-info")
    wheel = folder / "fakecursus-1.2.3-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, content in files.items():
            archive.writestr(path, content)
    return wheel


def make_venv(path: Path, *extra: str) -> Path:
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", *extra, str(path)], check=True)
    return path


def site_of(prefix: Path) -> Path:
    return prefix / "lib" / f"python{VERSION}" / "site-packages"


def install_wheel(venv: Path, wheel: Path) -> str:
    """Install with pip into the venv (``pip --python``), else unpack it as pip would."""
    command = [sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install"]
    command += ["--no-deps", "--no-index", "--no-cache-dir", "--disable-pip-version-check"]
    done = subprocess.run([*command, str(wheel)], capture_output=True, check=False)
    if done.returncode == 0:
        return "pip"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site_of(venv))
    (site_of(venv) / "fakecursus-1.2.3.dist-info" / "INSTALLER").write_text("stepcat-tests\n")
    return "unpacked"


def write(root: Path, files: dict[str, str]) -> None:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content)


def fake_prefix(prefix: Path, *, conda: bool = False, exe: str = "python3.11") -> Path:
    """A base installation's shape: ``bin/python`` -> ``bin/<exe>`` (a fake binary) and
    ``lib/<exe>/site-packages``; with ``conda-meta/`` when ``conda``."""
    (prefix / "bin").mkdir(parents=True)
    (prefix / "bin" / exe).write_bytes(FAKE_BINARY)
    (prefix / "bin" / exe).chmod(0o755)
    (prefix / "bin" / "python").symlink_to(exe)
    (prefix / "lib" / exe / "site-packages").mkdir(parents=True)
    if conda:
        (prefix / "conda-meta").mkdir()
        (prefix / "conda-meta" / "history").write_text("==> 2026-01-01 <==\n")
    return prefix


FINDER = """\
from __future__ import annotations
import sys
from importlib.machinery import ModuleSpec, PathFinder
from importlib.machinery import all_suffixes as module_suffixes
from importlib.util import spec_from_file_location
from itertools import chain
from pathlib import Path

MAPPING: dict[str, str] = {mapping!r}
NAMESPACES: dict[str, list[str]] = {{}}
PATH_PLACEHOLDER = {placeholder!r} + ".__path_hook__"


class _EditableFinder:  # MetaPathFinder
    @classmethod
    def find_spec(cls, fullname: str, path=None, target=None) -> ModuleSpec | None:  # type: ignore
        if fullname in MAPPING:
            pkg_path = MAPPING[fullname]
            return cls._find_spec(fullname, Path(pkg_path))
        parent, _, child = fullname.rpartition(".")
        if parent and parent in MAPPING:
            return PathFinder.find_spec(fullname, path=[MAPPING[parent]])
        return None

    @classmethod
    def _find_spec(cls, fullname: str, candidate_path: Path) -> ModuleSpec | None:
        init = candidate_path / "__init__.py"
        candidates = (candidate_path.with_suffix(x) for x in module_suffixes())
        for candidate in chain([init], candidates):
            if candidate.exists():
                return spec_from_file_location(fullname, candidate)
        return None


def install():
    if not any(finder == _EditableFinder for finder in sys.meta_path):
        sys.meta_path.append(_EditableFinder)
"""


def editable_install(site: Path, checkout: Path, style: str) -> str:
    """An editable install of ``checkout`` as each tool writes it (shapes copied from real
    installs: ``pip install -e`` with setuptools 84 in flat and src layouts, hatchling, and the
    ``editables`` redirector). Returns the distribution name."""
    url = checkout.as_uri()
    direct = json.dumps({"dir_info": {"editable": True}, "url": url})
    if style == "setuptools-finder":  # flat layout: a finder module with MAPPING
        dist, version, package_root = "Fake_Cursus", "0.9.0", checkout / "fakecursus"
        site_files = {
            "__editable__.fake_cursus-0.9.0.pth": (
                "import __editable___fake_cursus_0_9_0_finder; "
                "__editable___fake_cursus_0_9_0_finder.install()"
            ),
            "__editable___fake_cursus_0_9_0_finder.py": FINDER.format(
                mapping={"fakecursus": str(package_root)},
                placeholder="__editable__.fake_cursus-0.9.0.finder",
            ),
        }
        top_level: str | None = "fakecursus"
    elif style == "setuptools-src":  # src layout: a plain path
        dist, version = "fakecursus", "0.9.0"
        site_files = {"__editable__.fakecursus-0.9.0.pth": f"{checkout / 'src'}\n"}
        top_level = "fakecursus"
    elif style == "hatchling":  # _<name>.pth with the source root; no top_level.txt
        dist, version = "cursus-framework", "0.9.1"
        site_files = {"_cursus_framework.pth": f"{checkout / 'src'}\n"}
        top_level = None
    else:  # the editables redirector (hatchling dev-mode-exact, pdm)
        dist, version = "cursus-framework", "0.9.2"
        init = checkout / "src" / "fakecursus" / "__init__.py"
        site_files = {
            "_cursus_framework.pth": "import _editable_impl_cursus_framework",
            "_editable_impl_cursus_framework.py": (
                "from editables.redirector import RedirectingFinder as F\nF.install()\n"
                f"F.map_module('fakecursus', {str(init)!r})"
            ),
        }
        top_level = None
    folder = f"{dist.replace('-', '_').lower()}-{version}.dist-info"
    files = {**site_files, **dist_info_files(dist, version, top_level, "editable", folder)}
    files[f"{folder}/direct_url.json"] = direct
    files[f"{folder}/INSTALLER"] = "pip\n"
    write(site, with_record(files, folder))
    return dist


# ---------------------------------------------------------------- fixtures


@pytest.fixture
def no_processes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if anything starts a process."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"a process was started: {args!r}")

    monkeypatch.setattr(subprocess, "Popen", refuse)
    for name in ("posix_spawn", "posix_spawnp", "fork", "forkpty", "system", "popen"):
        if hasattr(os, name):
            monkeypatch.setattr(os, name, refuse)
    for name in ("execv", "execve", "execvp", "execvpe", "spawnv", "spawnve", "spawnvp"):
        if hasattr(os, name):
            monkeypatch.setattr(os, name, refuse)
    posix_subprocess = pytest.importorskip("_posixsubprocess")
    monkeypatch.setattr(posix_subprocess, "fork_exec", refuse)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path, str]]:
    """A real venv with the fake framework installed from its wheel: (venv, marker, how)."""
    root = tmp_path_factory.mktemp("installed")
    marker = root / "IMPORTED"
    venv = make_venv(root / "env")
    how = install_wheel(venv, build_wheel(root, marker))
    yield venv, marker, how
    assert not marker.exists(), "something imported the installed package"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "pipeline.dag.json").write_text('{"dag": {"nodes": ["AStep"], "edges": []}}')
    return folder


# ---------------------------------------------------------------- the installed framework


def test_wheel_installed_framework_through_the_interpreter_setting(
    installed: tuple[Path, Path, str], project: Path, no_processes: None
) -> None:
    venv, _, how = installed
    python = str(venv / "bin" / "python")
    environment, notes = find_environment(str(project), python=python, env={})
    assert notes == []
    assert environment is not None
    assert environment.how == "interpreter setting"
    assert environment.interpreter == Interpreter(python, explicit=True)
    assert environment.prefix == os.path.realpath(venv)
    assert environment.version == VERSION
    assert environment.site_packages == (os.path.realpath(site_of(venv)),)
    assert environment.extra_paths == () and environment.editable == ()
    package = find_package(environment, "fakecursus")
    dist_info = os.path.realpath(site_of(venv) / "fakecursus-1.2.3.dist-info")
    assert package == InstalledPackage(
        name="fakecursus",
        version="1.2.3",
        location=os.path.realpath(site_of(venv) / "fakecursus"),
        editable=False,
        dist_info=dist_info,
        distribution="fakecursus",
    )
    installer = Path(dist_info, "INSTALLER").read_text().strip()
    assert installer == ("pip" if how == "pip" else "stepcat-tests")
    assert packages_with_step_catalog(environment) == [package]


def test_virtual_env_variable_and_a_project_outside_the_environment(
    installed: tuple[Path, Path, str], project: Path, no_processes: None
) -> None:
    venv, _, _ = installed
    environment, notes = find_environment(str(project), env={"VIRTUAL_ENV": str(venv)})
    assert notes == []
    assert environment is not None and environment.how == "VIRTUAL_ENV"
    assert environment.interpreter == Interpreter(str(venv / "bin" / "python"), explicit=False)
    assert [p.name for p in packages_with_step_catalog(environment)] == ["fakecursus"]


def test_the_environment_folder_as_the_interpreter_setting(
    installed: tuple[Path, Path, str], project: Path, no_processes: None
) -> None:
    venv, _, _ = installed
    environment, _ = find_environment(str(project), python=str(venv), env={})
    assert environment is not None and environment.prefix == os.path.realpath(venv)
    assert environment.interpreter == Interpreter(str(venv / "bin" / "python"), explicit=True)


def test_nothing_found(project: Path, no_processes: None) -> None:
    environment, notes = find_environment(str(project), env={})
    assert environment is None
    assert notes == [
        "no Python environment found: no interpreter setting, no .venv or venv folder in the "
        "project, VIRTUAL_ENV and CONDA_PREFIX unset"
    ]


# ---------------------------------------------------------------- the search order


def test_project_venv_comes_before_virtual_env(
    tmp_path: Path, project: Path, no_processes: None
) -> None:
    make_venv_static(project / ".venv")
    other = make_venv_static(tmp_path / "other")
    environment, notes = find_environment(str(project), env={"VIRTUAL_ENV": str(other)})
    assert environment is not None
    assert (environment.how, environment.prefix) == (".venv in the project", str(project / ".venv"))
    assert notes == [f"VIRTUAL_ENV is {other}, but the project's .venv comes first"]


def make_venv_static(prefix: Path, **cfg: str) -> Path:
    """A venv's files without running anything (pyvenv.cfg, bin/python, site-packages)."""
    site_of(prefix).mkdir(parents=True)
    (prefix / "bin").mkdir()
    (prefix / "bin" / "python").symlink_to(sys.executable)
    lines = {"home": os.path.dirname(sys.executable), "include-system-site-packages": "false"}
    lines |= {"version": ".".join(map(str, sys.version_info[:3]))} | cfg
    (prefix / "pyvenv.cfg").write_text("".join(f"{k} = {v}\n" for k, v in lines.items()))
    return prefix


def test_venv_at_the_repository_root_and_not_above_it(tmp_path: Path, no_processes: None) -> None:
    repo = tmp_path / "repo"
    sub = repo / "pipelines" / "fraud"
    sub.mkdir(parents=True)
    (repo / ".git").mkdir()
    make_venv_static(repo / "venv")
    environment, _ = find_environment(str(sub), env={})
    assert environment is not None
    assert (environment.how, environment.prefix) == ("venv in the project", str(repo / "venv"))
    # No repository around: the project folder alone is searched.
    shutil.rmtree(repo / ".git")
    assert find_environment(str(sub), env={})[0] is None
    # A repository below the venv's folder is a boundary.
    (repo / "pipelines" / ".git").write_text("gitdir: elsewhere\n")
    assert find_environment(str(sub), env={})[0] is None


def test_a_venv_folder_that_is_not_an_environment_is_ignored(
    project: Path, no_processes: None
) -> None:
    (project / "venv" / "lib").mkdir(parents=True)
    environment, notes = find_environment(str(project), env={})
    assert environment is None
    assert notes[0] == f"ignored {project / 'venv'}: neither pyvenv.cfg nor conda-meta in it"


def test_conda_prefix_and_virtual_env_first(
    tmp_path: Path, project: Path, no_processes: None
) -> None:
    conda = fake_prefix(tmp_path / "miniconda3" / "envs" / "ml", conda=True)
    environment, notes = find_environment(str(project), env={"CONDA_PREFIX": str(conda)})
    assert notes == []
    assert environment is not None
    assert (environment.how, environment.prefix, environment.version) == (
        "CONDA_PREFIX",
        str(conda),
        "3.11",
    )
    assert environment.site_packages == (str(conda / "lib" / "python3.11" / "site-packages"),)
    venv = make_venv_static(tmp_path / "venv")
    both = {"CONDA_PREFIX": str(conda), "VIRTUAL_ENV": str(venv)}
    assert find_environment(str(project), env=both)[0].how == "VIRTUAL_ENV"  # type: ignore[union-attr]
    # The conda env's interpreter named explicitly: its folder layout tells the prefix.
    explicit, _ = find_environment(str(project), python=str(conda / "bin" / "python"), env={})
    assert (
        explicit is not None
        and explicit.prefix == str(conda)
        and explicit.how == "interpreter setting"
    )


def test_variables_that_point_nowhere(tmp_path: Path, project: Path, no_processes: None) -> None:
    env = {"VIRTUAL_ENV": str(tmp_path / "gone"), "CONDA_PREFIX": "relative/env"}
    environment, notes = find_environment(str(project), env=env)
    assert environment is None
    assert notes[:2] == [
        f"ignored VIRTUAL_ENV={tmp_path / 'gone'}: no such folder",
        "ignored CONDA_PREFIX=relative/env: not an absolute path",
    ]
    conda = fake_prefix(tmp_path / "conda", conda=True)
    env = {"VIRTUAL_ENV": str(project), "CONDA_PREFIX": str(conda)}
    environment, notes = find_environment(str(project), env=env)
    assert environment is not None and environment.how == "CONDA_PREFIX"
    assert notes == [f"ignored VIRTUAL_ENV={project}: not a Python environment"]


def test_explicit_interpreter_that_does_not_exist(
    tmp_path: Path, project: Path, no_processes: None
) -> None:
    venv = make_venv_static(tmp_path / "venv")
    missing = tmp_path / "nowhere" / "bin" / "python"
    environment, notes = find_environment(
        str(project), python=str(missing), env={"VIRTUAL_ENV": str(venv)}
    )
    assert environment is not None and environment.how == "VIRTUAL_ENV"
    assert notes == [
        f"the interpreter {missing} does not exist",
        f"the interpreter setting {str(missing)!r} gave no environment",
    ]
    broken = tmp_path / "broken-python"
    broken.symlink_to(tmp_path / "missing-target")
    _, notes = find_environment(str(project), python=str(broken), env={})
    assert notes[0] == f"the interpreter {broken} is a symbolic link to nothing (gone, or a loop)"
    fifo = tmp_path / "fifo-python"
    os.mkfifo(fifo)  # opening it to look for "#!" would block: it is never opened
    _, notes = find_environment(str(project), python=str(fifo), env={})
    assert notes[0] == f"the interpreter {fifo} is not a regular file"
    _, notes = find_environment(str(project), python=str(project), env={})
    assert notes[0] == f"{project} is a folder but not a Python environment"


def test_interpreter_setting_forms(tmp_path: Path, project: Path, no_processes: None) -> None:
    """Relative to the project (never the working folder), a bare name on PATH, ``~``."""
    make_venv_static(project / "envs" / "dev")
    relative, _ = find_environment(str(project), python="envs/dev/bin/python", env={})
    assert relative is not None and relative.prefix == str(project / "envs" / "dev")
    tools = tmp_path / "tools"
    fake_prefix(tools)
    on_path, _ = find_environment(
        str(project), python="python3.11", env={"PATH": str(tools / "bin")}
    )
    assert on_path is not None and on_path.prefix == str(tools)
    home, _ = find_environment(
        str(project), python="~/envs/dev/bin/python", env={"HOME": str(project)}
    )
    assert home is not None and home.prefix == str(project / "envs" / "dev")


# ---------------------------------------------------------------- layouts


def test_pyenv_build_with_the_user_site_first(
    tmp_path: Path, project: Path, no_processes: None
) -> None:
    build = fake_prefix(tmp_path / ".pyenv" / "versions" / "3.11.7")
    user = tmp_path / "home" / ".local" / "lib" / "python3.11" / "site-packages"
    user.mkdir(parents=True)
    python = str(build / "bin" / "python")
    environment, notes = find_environment(
        str(project), python=python, env={"HOME": str(tmp_path / "home")}
    )
    assert notes == []
    assert environment is not None
    assert (environment.prefix, environment.version) == (str(build), "3.11")
    assert environment.site_packages == (
        str(user),
        str(build / "lib" / "python3.11" / "site-packages"),
    )
    assert environment.python == python  # kept as named; the prefix comes from the resolved file
    no_user = {"HOME": str(tmp_path / "home"), "PYTHONNOUSERSITE": "1"}
    environment, _ = find_environment(str(project), python=python, env=no_user)
    assert environment is not None and len(environment.site_packages) == 1


def test_pyenv_shim_resolved_from_pyenv_files(
    tmp_path: Path, project: Path, no_processes: None
) -> None:
    root = tmp_path / ".pyenv"
    for version in ("3.11.7", "3.12.1"):
        fake_prefix(root / "versions" / version, exe=f"python{version[:4]}")
    (root / "shims").mkdir()
    shim = root / "shims" / "python"
    shim.write_text(
        '#!/usr/bin/env bash\nset -e\nexec "/usr/local/bin/pyenv" exec "$program" "$@"\n'
    )
    (root / "version").write_text("3.11.7\n")

    def prefix(env: dict[str, str]) -> str | None:
        environment, _ = find_environment(str(project), python=str(shim), env=env)
        return environment.prefix if environment else None

    assert prefix({}) == str(root / "versions" / "3.11.7")  # the global version file
    (project / ".python-version").write_text("3.12.1\n")
    assert prefix({}) == str(root / "versions" / "3.12.1")  # the project's version file
    assert prefix({"PYENV_VERSION": "3.11.7"}) == str(root / "versions" / "3.11.7")
    assert prefix({"PYENV_VERSION": "3.12"}) == str(root / "versions" / "3.12.1")  # a prefix
    # "system" cannot be decided from files, and the static tests may not run anything:
    (project / ".python-version").write_text("system\n")
    notes: list[str] = []
    implicit = Interpreter(str(shim), explicit=False)
    assert environment_of_interpreter(implicit, str(project), env={}, notes=notes) is None
    assert notes[-1] == f"{shim} was not run: only an interpreter named explicitly is ever run"


def test_system_site_packages_come_after_the_venv(
    tmp_path: Path, project: Path, no_processes: None
) -> None:
    base = fake_prefix(tmp_path / "base")
    venv = tmp_path / "venv"
    (venv / "lib" / "python3.11" / "site-packages").mkdir(parents=True)
    (venv / "pyvenv.cfg").write_text(
        f"home = {base / 'bin'}\ninclude-system-site-packages = true\nversion = 3.11.4\n"
    )
    environment, _ = find_environment(str(project), env={"VIRTUAL_ENV": str(venv)})
    assert environment is not None
    assert environment.site_packages == (
        str(venv / "lib" / "python3.11" / "site-packages"),
        str(base / "lib" / "python3.11" / "site-packages"),
    )
    # The same name in both: the venv's shadows the base's.
    for prefix in (venv, base):
        write(prefix / "lib" / "python3.11" / "site-packages", framework_files(tmp_path / "m"))
    found = packages_with_step_catalog(environment)
    assert [p.location for p in found] == [
        str(venv / "lib" / "python3.11" / "site-packages" / "fakecursus")
    ]


def test_windows_layouts(tmp_path: Path, project: Path, no_processes: None) -> None:
    venv = tmp_path / "winvenv"
    (venv / "Scripts").mkdir(parents=True)
    (venv / "Scripts" / "python.exe").write_bytes(b"MZ\x90\x00")
    (venv / "Lib" / "site-packages").mkdir(parents=True)
    (venv / "pyvenv.cfg").write_text("home = C:\\Python311\r\nversion_info = 3.11.9.final.0\r\n")
    environment, _ = find_environment(
        str(project), python=str(venv / "Scripts" / "python.exe"), env={}
    )
    assert environment is not None
    assert (environment.prefix, environment.version) == (str(venv), "3.11")
    assert environment.site_packages == (str(venv / "Lib" / "site-packages"),)
    base = tmp_path / "Python311"
    (base / "Lib" / "site-packages").mkdir(parents=True)
    (base / "python.exe").write_bytes(b"MZ\x90\x00")
    environment, _ = find_environment(str(project), python=str(base / "python.exe"), env={})
    assert environment is not None and environment.site_packages == (
        str(base / "Lib" / "site-packages"),
    )


def test_debian_dist_packages(tmp_path: Path, project: Path, no_processes: None) -> None:
    usr = fake_prefix(tmp_path / "usr")
    shutil.rmtree(usr / "lib" / "python3.11" / "site-packages")
    (usr / "lib" / "python3" / "dist-packages").mkdir(parents=True)
    (usr / "local" / "lib" / "python3.11" / "dist-packages").mkdir(parents=True)
    environment, _ = find_environment(str(project), python=str(usr / "bin" / "python3.11"), env={})
    assert environment is not None
    assert environment.site_packages == (
        str(usr / "local" / "lib" / "python3.11" / "dist-packages"),
        str(usr / "lib" / "python3" / "dist-packages"),
    )


def test_version_sources(tmp_path: Path, project: Path, no_processes: None) -> None:
    uv = make_venv_static(tmp_path / "uv", version="", version_info="3.12.1")
    assert find_environment(str(project), python=str(uv), env={})[0].version == "3.12"  # type: ignore[union-attr]
    garbage = tmp_path / "garbage"
    (garbage / "lib" / "python3.10" / "site-packages").mkdir(parents=True)
    (garbage / "pyvenv.cfg").write_bytes(b"\xff\xfe\x00\n version = banana\n\x00\x01")
    environment, notes = find_environment(str(project), python=str(garbage), env={})
    assert environment is not None and environment.version == "3.10"
    assert f"{garbage}: pyvenv.cfg has an unreadable version 'banana'" in notes


# ---------------------------------------------------------------- editable installs


@pytest.mark.parametrize("style", ["setuptools-finder", "setuptools-src", "hatchling", "editables"])
def test_editable_install_resolves_to_the_checkout(
    tmp_path: Path, project: Path, style: str, no_processes: None
) -> None:
    checkout = tmp_path / "checkout"
    package_root = checkout / ("fakecursus" if style == "setuptools-finder" else "src/fakecursus")
    marker = tmp_path / "IMPORTED"
    write(package_root.parent, framework_files(marker))
    # The checkout's own test data mirrors a catalog; it is not importable, so not reported.
    write(checkout, {"testdata/steps/scripts/x.py": "", "testdata/steps/configs/c.py": ""})
    venv = make_venv_static(tmp_path / "venv")
    dist = editable_install(site_of(venv), checkout, style)
    environment, notes = find_environment(str(project), env={"VIRTUAL_ENV": str(venv)})
    assert notes == []
    assert environment is not None
    if style in ("setuptools-src", "hatchling"):  # a plain path in the .pth file
        assert (environment.extra_paths, environment.editable) == ((str(package_root.parent),), ())
    else:  # a finder: only its mapped names are importable, the checkout is not on sys.path
        assert environment.extra_paths == ()
        assert environment.editable == (("fakecursus", str(package_root)),)
    assert environment.sys_path == (str(site_of(venv)), str(package_root.parent))
    package = find_package(environment, "fakecursus")
    assert package is not None
    assert (package.location, package.editable, package.distribution) == (
        str(package_root),
        True,
        dist,
    )
    assert package.version == {"hatchling": "0.9.1", "editables": "0.9.2"}.get(style, "0.9.0")
    assert package.dist_info is not None and package.dist_info.endswith(".dist-info")
    assert packages_with_step_catalog(environment) == [package]
    assert not marker.exists()


def test_a_moved_checkout_gives_notes(tmp_path: Path, project: Path, no_processes: None) -> None:
    venv = make_venv_static(tmp_path / "venv")
    site = site_of(venv)
    editable_install(site, tmp_path / "moved", "setuptools-finder")
    (site / "__editable__.other-1.0.pth").write_text(f"{tmp_path / 'gone' / 'src'}\n")
    environment, notes = find_environment(str(project), env={"VIRTUAL_ENV": str(venv)})
    assert environment is not None
    assert notes == [
        f"{site / '__editable___fake_cursus_0_9_0_finder.py'}: the folder of 'fakecursus', "
        f"{tmp_path / 'moved' / 'fakecursus'}, no longer exists",
        f"{site / '__editable__.other-1.0.pth'}: the editable install's folder "
        f"{tmp_path / 'gone' / 'src'} does not exist",
    ]
    assert find_package(environment, "fakecursus") is None
    assert packages_with_step_catalog(environment) == []


def test_import_lines_are_never_executed(tmp_path: Path, project: Path, no_processes: None) -> None:
    venv = make_venv_static(tmp_path / "venv")
    marker = tmp_path / "EXECUTED"
    site = site_of(venv)
    (site / "evil.pth").write_text(f"import os; open({str(marker)!r}, 'w')\n")
    (site / "__editable___evil_finder.py").write_text(
        f"open({str(marker)!r}, 'w')\nMAPPING = {{}}\n"
    )
    (site / "__editable__.evil-1.pth").write_text(
        "import __editable___evil_finder; __editable___evil_finder.install()\n"
    )
    environment, notes = find_environment(str(project), env={"VIRTUAL_ENV": str(venv)})
    assert environment is not None and environment.editable == ()
    assert notes == [f"the editable finder {site / '__editable___evil_finder.py'} maps no package"]
    assert not marker.exists()


# ---------------------------------------------------------------- robustness


def test_odd_site_packages_give_notes_not_exceptions(
    tmp_path: Path, project: Path, no_processes: None
) -> None:
    venv = make_venv_static(tmp_path / "venv")
    site = site_of(venv)
    good = tmp_path / "good"
    good.mkdir()
    (site / "a_latin1.pth").write_bytes(b"caf\xe9/not-utf8\n" + str(good).encode() + b"\n")
    os.mkfifo(site / "b_fifo.pth")
    (site / "c_dir.pth").mkdir()
    (site / "d_loop.pth").symlink_to(site / "d_loop.pth")
    (site / "e_dangling.pth").symlink_to(tmp_path / "nothing")
    (site / "f_huge.pth").write_bytes(b"#" * (2 * 1024 * 1024))
    (site / "g_nul.pth").write_bytes(b"bad\x00path\n../../..\n# comment\n\n   \n")
    (site / ".hidden.pth").write_text(str(tmp_path) + "\n")
    (site / "h_bad_finder.pth").write_text(
        "import __editable___broken_finder\nimport __editable___odd_finder\n"
    )
    (site / "__editable___broken_finder.py").write_bytes(b"MAPPING = {'x': \n\xff")
    (site / "__editable___odd_finder.py").write_text(
        "MAPPING = dict(x='/y')\nMAPPING = {'rel': 'relative/x'}\n"
    )
    (site / "loopdir").symlink_to(site / "loopdir")
    (site / "steps_file").mkdir()
    (site / "steps_file" / "steps").write_text("not a folder")
    environment, notes = find_environment(str(project), env={"VIRTUAL_ENV": str(venv)})
    assert environment is not None
    assert environment.extra_paths == (str(good), str(venv))
    assert notes == [
        f"{site / 'a_latin1.pth'}: skipped 1 line(s) that are not UTF-8",
        f"skipped the .pth file {site / 'b_fifo.pth'}: not a regular file",
        f"skipped the .pth file {site / 'c_dir.pth'}: not a regular file",
        f"cannot read the .pth file {site / 'd_loop.pth'}: Too many levels of symbolic links",
        f"skipped the .pth file {site / 'f_huge.pth'}: 2097152 bytes is too large",
        f"cannot parse the editable finder {site / '__editable___broken_finder.py'}: SyntaxError",
        f"{site / '__editable___odd_finder.py'}: ignored the relative target 'relative/x' of 'rel'",
    ]
    assert packages_with_step_catalog(environment) == []
    assert find_package(environment, "loopdir") is None
    assert find_package(environment, "not-an-identifier") is None


def test_missing_and_looping_site_packages(
    tmp_path: Path, project: Path, no_processes: None
) -> None:
    venv = tmp_path / "venv"
    (venv / "lib" / "python3.11").mkdir(parents=True)
    (venv / "lib" / "python3.11" / "site-packages").symlink_to(
        venv / "lib" / "python3.11" / "site-packages"
    )
    (venv / "pyvenv.cfg").write_text("version = 3.11.2\n")
    environment, notes = find_environment(str(project), env={"VIRTUAL_ENV": str(venv)})
    assert environment is not None and environment.site_packages == ()
    assert notes == [f"no site-packages folder found in {venv}"]
    assert packages_with_step_catalog(environment) == [] and find_package(environment, "x") is None


# ---------------------------------------------------------------- packages


def test_step_catalogs_among_300_packages(
    tmp_path: Path, project: Path, no_processes: None
) -> None:
    venv = make_venv_static(tmp_path / "venv")
    site = site_of(venv)
    for i in range(300):
        write(site, {f"pkg{i:03}/__init__.py": "", f"pkg{i:03}/util.py": "X = 1\n"})
        write(site, dist_info_files(f"pkg{i:03}", "1.0", f"pkg{i:03}", "hand"))
        (site / f"mod{i:03}.py").write_text("")
    write(site, framework_files(tmp_path / "m"))
    write(site, dist_info_files("fakecursus", "1.2.3", "fakecursus", "hand"))
    # The 1.x layout, under a distribution named unlike it (found through top_level.txt):
    write(
        site,
        {
            "oldcursus/__init__.py": "",
            "oldcursus/steps/builders/b.py": "",
            "oldcursus/steps/specs/s.py": "",
        },
    )
    write(site, dist_info_files("Old-Cursus-Framework", "0.3.0", "oldcursus", "hand"))
    write(site, {"regonly/registry/step_names.py": "STEP_NAMES = {}\n"})  # found, no dist-info
    # Near misses: one component folder, interfaces without YAML, steps as a file, a module.
    write(site, {"onefolder/steps/scripts/x.py": "", "noyaml/steps/interfaces/readme.md": ""})
    write(site, {"stepfile/steps": "", "loose.py": ""})
    found = {p.name: p for p in packages_with_step_catalog(environment_of(venv))}
    assert sorted(found) == ["fakecursus", "oldcursus", "regonly"]
    assert found["oldcursus"].version == "0.3.0"
    assert found["oldcursus"].distribution == "Old-Cursus-Framework"
    assert found["regonly"].dist_info is None and found["regonly"].version is None
    assert found["fakecursus"] == find_package(environment_of(venv), "fakecursus")


def environment_of(venv: Path) -> Environment:
    environment, _ = find_environment(str(venv.parent), env={"VIRTUAL_ENV": str(venv)})
    assert environment is not None
    return environment


def test_find_package_shapes(tmp_path: Path, no_processes: None) -> None:
    venv = make_venv_static(tmp_path / "venv")
    site = site_of(venv)
    write(site, {"single.py": "", "nspace/part/__init__.py": "", "recorded/__init__.py": ""})
    write(site, {"odd_dist-2.0.dist-info/METADATA": "Name: odd-dist\nVersion: 2.0\n"})
    (site / "odd_dist-2.0.dist-info" / "RECORD").write_text("recorded/__init__.py,,\n")
    environment = environment_of(venv)
    single = find_package(environment, "single")
    assert single is not None and single.location == str(site / "single.py")
    nspace = find_package(environment, "nspace")
    assert nspace is not None and nspace.location == str(site / "nspace")
    recorded = find_package(environment, "recorded")
    assert recorded is not None and (recorded.distribution, recorded.version) == ("odd-dist", "2.0")
    assert find_package(environment, "absent") is None


# ---------------------------------------------------------------- running an explicit interpreter


def shim_script(path: Path, target: Path) -> Path:
    path.write_text(f'#!/bin/sh\nexec "{target}" "$@"\n')
    path.chmod(0o755)
    return path


def test_explicit_shim_is_run_once_through_jedi(
    installed: tuple[Path, Path, str],
    tmp_path: Path,
    project: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pytest.importorskip("jedi")
    venv, _, _ = installed
    shim = shim_script(tmp_path / "python-wrapper", venv / "bin" / "python")
    launched: list[object] = []
    real_popen = subprocess.Popen

    def counting(*args: object, **kwargs: object) -> object:
        launched.append(args[0])
        return real_popen(*args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(subprocess, "Popen", counting)
    environment, notes = find_environment(str(project), python=str(shim), env=dict(os.environ))
    assert len(launched) == 1 and launched[0][0] == str(shim)  # type: ignore[index]
    assert notes == [
        f"{shim} is a script (a shim or wrapper): its files do not tell its environment"
    ]
    assert environment is not None
    assert environment.how == "jedi (explicit interpreter)"
    assert environment.interpreter == Interpreter(str(shim), explicit=True)
    assert (environment.prefix, environment.version) == (os.path.realpath(venv), VERSION)
    assert environment.site_packages == (os.path.realpath(site_of(venv)),)
    assert [p.name for p in packages_with_step_catalog(environment)] == ["fakecursus"]


def test_explicit_shim_without_jedi_uses_one_subprocess(
    installed: tuple[Path, Path, str],
    tmp_path: Path,
    project: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    venv, _, _ = installed
    shim = shim_script(tmp_path / "python-wrapper", venv / "bin" / "python")
    monkeypatch.setitem(sys.modules, "jedi", None)  # import jedi -> ImportError
    environment, _ = find_environment(str(project), python=str(shim), env=dict(os.environ))
    assert environment is not None and environment.how == "asked the explicit interpreter"
    assert environment.site_packages == (os.path.realpath(site_of(venv)),)


def test_shim_not_named_explicitly_is_never_run(
    tmp_path: Path, project: Path, no_processes: None
) -> None:
    shim = shim_script(tmp_path / "python-wrapper", Path(sys.executable))
    notes: list[str] = []
    implicit = Interpreter(str(shim), explicit=False)
    assert environment_of_interpreter(implicit, str(project), env={}, notes=notes) is None
    assert notes == [
        f"{shim} is a script (a shim or wrapper): its files do not tell its environment",
        f"{shim} was not run: only an interpreter named explicitly is ever run",
    ]


@pytest.mark.parametrize("through", ["jedi", "subprocess"])
def test_explicit_interpreter_that_fails(
    tmp_path: Path, project: Path, monkeypatch: pytest.MonkeyPatch, through: str
) -> None:
    if through == "subprocess":
        monkeypatch.setitem(sys.modules, "jedi", None)
    failing = tmp_path / "failing"
    failing.write_text("#!/bin/sh\necho not json\nexit 3\n")
    failing.chmod(0o755)
    env = {"PATH": os.environ.get("PATH", "")}
    environment, notes = find_environment(str(project), python=str(failing), env=env)
    assert environment is None
    assert notes[1].startswith(f"could not ask the interpreter {failing}: ")


def test_explicit_interpreter_that_hangs_is_stopped(
    tmp_path: Path, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without jedi (whose environment API has no timeout), the process group is killed."""
    monkeypatch.setitem(sys.modules, "jedi", None)
    hanging = tmp_path / "hanging"
    hanging.write_text("#!/bin/sh\nsleep 30 &\nsleep 30\n")  # a grandchild holds the pipes too
    hanging.chmod(0o755)
    env = {"PATH": os.environ.get("PATH", "")}
    environment, notes = find_environment(str(project), python=str(hanging), env=env, timeout=0.5)
    assert environment is None
    assert notes[1] == f"the interpreter {hanging} did not answer within 0.5 s"
