"""The site-packages folders of each layout (catalog_core.sources, issue 13): pyenv builds and
shims, the user site, system site packages, Windows and Debian layouts, version sources, and odd
or missing site-packages folders (notes, never exceptions). Nothing is run. How the
environments are built: ``environment_support.py``.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from environment_support import (
    fake_prefix,
    framework_files,
    make_venv_static,
    pytestmark,  # noqa: F401 (this module's tests are POSIX only)
    site_of,
    write,
)

from catalog_core.sources.environment import (
    Interpreter,
    environment_of_interpreter,
    find_environment,
    find_package,
    packages_with_step_catalog,
)

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
