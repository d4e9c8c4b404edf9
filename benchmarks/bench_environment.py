"""Environment discovery benchmark (issue 13): finding the project's Python environment at
start-up, and the packages in it that hold a step catalog, without running anything.

    python benchmarks/bench_environment.py [--packages 500] [--json out.json]

A real venv (``python -m venv --without-pip``) is filled with N generated packages, each with a
``*.dist-info`` (METADATA, RECORD, top_level.txt) and a module beside it, 20 ``.pth`` files (plain
paths, ``import`` lines, two setuptools editable finders), and a framework-like package with a
step catalog; the project folder is outside it. Measured, each a median of several runs:

1. ``find_environment`` through each source (interpreter setting, ``.venv`` in the project,
   ``VIRTUAL_ENV``). Bar: <= 100 ms added to start-up. Floor: what any static reader must do,
   read ``pyvenv.cfg``, one ``scandir`` of site-packages, read every ``.pth`` file.
2. ``packages_with_step_catalog`` over the N packages. Bar: a few milliseconds (<= 10 ms).
   Floor: one ``os.scandir`` of site-packages.
3. ``find_package`` of the framework (import name = distribution name) and of a package found
   only through ``top_level.txt``; importing the module in a fresh interpreter.
4. For reference, the one case that runs something: an explicitly named wrapper script asked
   through jedi's environment API (a process start, jedi imported).
"""

from __future__ import annotations

import argparse
import compileall
import gc
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from harness import import_time_ms, report

from catalog_core.sources.environment import (
    find_environment,
    find_package,
    packages_with_step_catalog,
)

BARS = {"discovery": 0.100, "catalogs": 0.010}  # seconds


def write(root: Path, files: dict[str, str]) -> None:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content)


def dist_info(name: str, version: str, top_level: str) -> dict[str, str]:
    folder = f"{name}-{version}.dist-info"
    record = "".join(f"{top_level}/{f},sha256=x,10\n" for f in ("__init__.py", "core.py"))
    return {
        f"{folder}/METADATA": f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n\nText\n",
        f"{folder}/RECORD": record + f"{folder}/RECORD,,\n",
        f"{folder}/top_level.txt": top_level + "\n",
        f"{folder}/INSTALLER": "pip\n",
        f"{folder}/WHEEL": "Wheel-Version: 1.0\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    }


def build(root: Path, packages: int) -> tuple[Path, Path, Path]:
    """The venv (inside the project as ``.venv``, and the same venv named elsewhere), the project
    folder, and its site-packages."""
    project = root / "project"
    project.mkdir()
    venv = project / ".venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    site = next((venv / "lib").glob("python*/site-packages"))
    for i in range(packages):
        name = f"package_{i:04}"
        write(site, {f"{name}/__init__.py": "", f"{name}/core.py": "X = 1\n"})
        write(site, dist_info(name, "1.0.0", name))
        (site / f"module_{i:04}.py").write_text("")
    write(site, {"cursus_fw/__init__.py": "", "cursus_fw/steps/interfaces/a.step.yaml": "x: 1\n"})
    write(site, {"cursus_fw/steps/configs/config_a_step.py": "class AConfig: ...\n"})
    write(site, dist_info("cursus_fw", "2.1.0", "cursus_fw"))
    write(site, {"oldfw/__init__.py": "", "oldfw/registry/step_names.py": "STEP_NAMES = {}\n"})
    write(site, dist_info("old_framework", "1.9.0", "oldfw"))
    extra = root / "extra"
    for i in range(16):
        (extra / f"path{i}").mkdir(parents=True)
        (site / f"paths_{i:02}.pth").write_text(f"{extra / f'path{i}'}\n# comment\n")
    (site / "distutils-precedence.pth").write_text("import os; var = 'X'; enabled = False\n")
    (site / "zz_import.pth").write_text("import sys\n")
    for i in range(2):
        checkout = root / f"checkout{i}"
        write(checkout, {f"editable{i}/__init__.py": ""})
        finder = f"__editable___editable{i}_0_1_finder"
        (site / f"__editable__.editable{i}-0.1.pth").write_text(
            f"import {finder}; {finder}.install()"
        )
        (site / f"{finder}.py").write_text(
            f"MAPPING: dict[str, str] = {{'editable{i}': {str(checkout / f'editable{i}')!r}}}\n"
        )
    return venv, project, site


def floor_discovery(venv: Path, site: Path) -> None:
    (venv / "pyvenv.cfg").read_bytes()
    with os.scandir(site) as entries:
        pth = [e.path for e in entries if e.name.endswith(".pth")]
    for path in pth:
        with open(path, "rb") as handle:
            handle.read()


def floor_scandir(site: Path) -> None:
    with os.scandir(site) as entries:
        for _ in entries:
            pass


def floor_two_stats(site: Path) -> None:
    """One scandir, then what the method asks of each package folder: two failed stats."""
    with os.scandir(site) as entries:
        folders = [e.path for e in entries if "." not in e.name and e.is_dir()]
    for folder in folders:
        os.path.isdir(os.path.join(folder, "steps"))
        os.path.isfile(os.path.join(folder, "registry", "step_names.py"))


def interleaved(fns: dict[str, Callable[[], object]], rounds: int = 31) -> dict[str, float]:
    """Median wall time of each function, the functions run in turn in every round (so a busy
    machine slows them alike)."""
    times: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(rounds):
        for name, fn in fns.items():
            gc.collect()
            start = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--packages", type=int, default=500)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    results: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as tmp:
        venv, project, site = build(Path(tmp), args.packages)
        outside = Path(tmp) / "elsewhere"
        outside.mkdir()
        python = str(venv / "bin" / "python")
        sources = {
            "interpreter setting": (str(outside), {"python": python, "env": {}}),
            ".venv in the project": (str(project), {"env": {}}),
            "VIRTUAL_ENV": (str(outside), {"env": {"VIRTUAL_ENV": str(venv)}}),
        }
        results["site-packages entries"] = sum(1 for _ in os.scandir(site))
        for label, (where, kwargs) in sources.items():
            found, notes = find_environment(where, **kwargs)  # type: ignore[arg-type]
            assert found is not None and found.how == label and not notes, (label, found, notes)
        fns: dict[str, Callable[[], object]] = {"floor": lambda: floor_discovery(venv, site)}
        for label, (where, kwargs) in sources.items():
            fns[label] = lambda w=where, k=kwargs: find_environment(w, **k)  # type: ignore[misc]
        timed = interleaved(fns)
        results["floor: pyvenv.cfg + scandir + read the .pth files_s"] = timed.pop("floor")
        for label, seconds in timed.items():
            results[f"find_environment, {label}_s"] = seconds
        slowest = max(timed.values())
        verdict = "met" if slowest <= BARS["discovery"] else "MISSED"
        floor = results["floor: pyvenv.cfg + scandir + read the .pth files_s"]
        results["find_environment: bar 100 ms"] = f"{verdict} ({slowest / floor:.1f}x floor)"  # type: ignore[operator]

        environment, _ = find_environment(str(project), env={})
        assert environment is not None
        found_packages = packages_with_step_catalog(environment)
        names = sorted(p.name for p in found_packages)
        assert names == ["cursus_fw", "oldfw"], names
        results["packages with a step catalog"] = ", ".join(
            f"{p.name} {p.version}" for p in found_packages
        )
        timed = interleaved(
            {
                "scandir": lambda: floor_scandir(site),
                "two stats": lambda: floor_two_stats(site),
                "catalogs": lambda: packages_with_step_catalog(environment),
                "by name": lambda: find_package(environment, "cursus_fw"),
                "top_level": lambda: find_package(environment, "oldfw"),
            }
        )
        n = args.packages
        results[f"floor: one os.scandir of site-packages ({n} packages)_s"] = timed["scandir"]
        results["floor: + 2 failed stats per package folder_s"] = timed["two stats"]
        results[f"packages_with_step_catalog, {n} packages_s"] = timed["catalogs"]
        verdict = "met" if timed["catalogs"] <= BARS["catalogs"] else "MISSED"
        results["packages_with_step_catalog: bar 10 ms"] = (
            f"{verdict} ({timed['catalogs'] / timed['scandir']:.1f}x the scandir floor, "
            f"{timed['catalogs'] / timed['two stats']:.1f}x the stats floor)"
        )
        results["find_package, distribution named like the package_s"] = timed["by name"]
        results["find_package, distribution found through top_level.txt_s"] = timed["top_level"]

        shim = Path(tmp) / "python-wrapper"
        shim.write_text(f'#!/bin/sh\nexec "{python}" "$@"\n')
        shim.chmod(0o755)
        start = time.perf_counter()
        asked, _ = find_environment(str(outside), python=str(shim), env=dict(os.environ))
        results["explicit wrapper script, asked once (jedi import + process)_s"] = (
            time.perf_counter() - start
        )
        assert asked is not None, "the wrapper script gave no environment"
    import catalog_core.sources

    package = Path(catalog_core.sources.__file__).parent  # bytecode as an installed copy has it
    compileall.compile_dir(package.parent, quiet=1)
    results["import catalog_core.sources.environment (fresh interpreter)_ms"] = import_time_ms(
        "import catalog_core.sources.environment"
    )
    report(results, args.json)


if __name__ == "__main__":
    main()
