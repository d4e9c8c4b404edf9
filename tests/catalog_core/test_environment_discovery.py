"""Which environment is found, and in which order (catalog_core.sources, issue 13): the project's
.venv or venv, VIRTUAL_ENV, CONDA_PREFIX and the interpreter setting's forms, and the notes when
they point nowhere. Nothing is run. How the environments are built: ``environment_support.py``.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from environment_support import (
    fake_prefix,
    make_venv_static,
    pytestmark,  # noqa: F401 (this module's tests are POSIX only)
)

from catalog_core.sources.environment import (
    find_environment,
)


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
