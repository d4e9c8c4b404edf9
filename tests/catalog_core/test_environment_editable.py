"""Editable installs resolved to their checkouts, statically (catalog_core.sources, issue 13): as
setuptools >= 64 (a finder module or a plain path), hatchling and the ``editables`` redirector
write them; a moved checkout gives notes; no import line is ever executed.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from environment_support import (
    dist_info_files,
    framework_files,
    make_venv_static,
    pytestmark,  # noqa: F401 (this module's tests are POSIX only)
    site_of,
    with_record,
    write,
)

from catalog_core.sources.environment import (
    find_environment,
    find_package,
    packages_with_step_catalog,
)

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
