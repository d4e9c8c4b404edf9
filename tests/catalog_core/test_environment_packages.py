"""The packages of an environment (catalog_core.sources, issue 13): the ones with a step catalog
among many, and ``find_package`` on each shape of a module or package. Nothing is run.
"""

from __future__ import annotations

from pathlib import Path

from environment_support import (
    dist_info_files,
    framework_files,
    make_venv_static,
    pytestmark,  # noqa: F401 (this module's tests are POSIX only)
    site_of,
    write,
)

from catalog_core.sources.environment import (
    Environment,
    find_environment,
    find_package,
    packages_with_step_catalog,
)

# ---------------------------------------------------------------- packages


def environment_of(venv: Path) -> Environment:
    environment, _ = find_environment(str(venv.parent), env={"VIRTUAL_ENV": str(venv)})
    assert environment is not None
    return environment


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
