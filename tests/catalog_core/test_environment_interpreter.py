"""The only tests that start processes (catalog_core.sources, issue 13): a real venv with the
fake framework installed from its wheel (found through the interpreter setting, VIRTUAL_ENV and
the environment folder, without running it), and the explicit interpreter asked about its
environment (shims, failures, a hang). How the environments are built:
``environment_support.py`` and ``tests/envbuild.py`` (the venv and the install).
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from environment_support import (
    VERSION,
    dist_info_files,
    framework_files,
    pytestmark,  # noqa: F401 (this module's tests are POSIX only)
    site_of,
    with_record,
)

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/: envbuild

import envbuild

from catalog_core.sources.environment import (
    InstalledPackage,
    Interpreter,
    environment_of_interpreter,
    find_environment,
    find_package,
    packages_with_step_catalog,
)


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


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path, str]]:
    """A real venv with the fake framework installed from its wheel: (venv, marker, how).
    Installed as ``envbuild`` installs (with pip, else unpacked as pip would; the unpacked one
    gets an INSTALLER of its own)."""
    root = tmp_path_factory.mktemp("installed")
    marker = root / "IMPORTED"
    venv = envbuild.make_venv(root / "env")
    how = envbuild.install_wheel(venv, build_wheel(root, marker))
    if how == "unpacked":
        (site_of(venv) / "fakecursus-1.2.3.dist-info" / "INSTALLER").write_text("stepcat-tests\n")
    yield venv, marker, how
    assert not marker.exists(), "something imported the installed package"


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
