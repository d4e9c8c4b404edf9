"""Puts the stepcat language server and its Python libraries into ``bundled/libs`` for the .vsix.

    python scripts/bundle.py [--target linux-x64|linux-arm64|alpine-x64|alpine-arm64|
                                       darwin-x64|darwin-arm64|win32-x64|universal]

The extension runs ``PYTHON -m stepcat_server`` with ``PYTHONPATH=bundled/libs`` (the way
Microsoft's python-tools extension template and ruff's extension ship their Python code), so the
folder holds:

- stepcat's own wheel (``catalog_core``, ``stepcat_server``), built from this checkout;
- the pure-Python dependencies of ``bundled-requirements.txt``, installed once
  (``--implementation py``: the same files serve every interpreter);
- the compiled ones (pydantic-core; PyYAML's optional libyaml binding), one wheel per supported
  Python version for the target platform. Their extension modules carry the version in their
  file name (``_pydantic_core.cpython-312-x86_64-linux-gnu.so``), so the wheels for 3.10 to 3.14
  are unpacked into the same package folders and each interpreter imports its own.

``universal`` is the fallback for platforms without a build: no compiled files. pydantic and
pydantic-core are left out (they must match each other exactly), so the interpreter's own
pydantic is used, and the extension says what to install when it has none; PyYAML runs its
pure-Python reader.

Only the standard library and pip are needed: wheels come from the package index pip is
configured with (PyPI), and the build is the same for the same pins. ``bundled/`` is not
committed; ``bundled/libs/BUNDLE.json`` records what went in.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

EXTENSION = Path(__file__).resolve().parent.parent
REPO = EXTENSION.parent
REQUIREMENTS = EXTENSION / "bundled-requirements.txt"
LIBS = EXTENSION / "bundled" / "libs"

# The Python versions stepcat supports (pyproject.toml's classifiers, plus the newest).
PYTHONS = ["3.10", "3.11", "3.12", "3.13", "3.14"]
# Distributions with compiled parts: installed per target platform and Python version.
COMPILED = {"pydantic-core", "pyyaml"}
# Left out of the universal bundle: pydantic needs exactly its own pydantic-core.
NEEDS_COMPILED = {"pydantic", "pydantic-core"}

# VS Code's target platforms (vsce package --target) -> pip's platform tags.
PLATFORMS: dict[str, list[str]] = {
    "linux-x64": ["manylinux_2_17_x86_64", "manylinux2014_x86_64"],
    "linux-arm64": ["manylinux_2_17_aarch64", "manylinux2014_aarch64"],
    "alpine-x64": ["musllinux_1_1_x86_64", "musllinux_1_2_x86_64"],
    "alpine-arm64": ["musllinux_1_1_aarch64", "musllinux_1_2_aarch64"],
    "darwin-x64": ["macosx_10_12_x86_64", "macosx_10_13_x86_64"],
    "darwin-arm64": ["macosx_11_0_arm64"],
    "win32-x64": ["win_amd64"],
}
TARGETS = [*PLATFORMS, "universal"]
COMPILED_SUFFIXES = (".so", ".pyd", ".dylib", ".dll")


def requirements() -> list[str]:
    lines = (line.split("#")[0].strip() for line in REQUIREMENTS.read_text().splitlines())
    return [line for line in lines if line]


def name_of(requirement: str) -> str:
    return re.split(r"[=<>!~ ;\[]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def pip(*args: str) -> None:
    command = [sys.executable, "-m", "pip", *args, "--disable-pip-version-check", "-q"]
    subprocess.run(command, check=True)


def download(requirements: list[str], dest: Path, *options: str) -> None:
    if requirements:
        pip(
            "download", "--no-deps", "--only-binary=:all:", "-d", str(dest), *options, *requirements
        )


def own_wheel(dest: Path) -> Path:
    """stepcat's wheel, built from this checkout (offline when hatchling is installed)."""
    try:
        import hatchling  # noqa: F401

        isolation = ["--no-build-isolation"]
    except ImportError:
        isolation = []
    pip("wheel", "--no-deps", *isolation, "-w", str(dest), str(REPO))
    return next(dest.glob("stepcat-*.whl"))


# jedi's stubs of third-party packages (about 4,800 files): the server asks jedi only about
# config classes' bases (the project's and the framework's own code, pydantic), so they are
# left out; jedi's standard-library stubs stay (jedi needs them for builtins).
SKIPPED = ("jedi/third_party/typeshed/stubs/", "jedi/third_party/django-stubs/")


def unpack(wheel: Path, libs: Path) -> None:
    """A wheel's files into libs (what pip --target does, without scripts or byte code)."""
    with zipfile.ZipFile(wheel) as archive:
        for member in archive.namelist():
            top = member.split("/", 1)[0]
            if top.endswith(".data") or "__pycache__" in member or member.endswith("/"):
                continue
            if member.startswith(SKIPPED):
                continue
            target = libs / member
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(archive.read(member))


def version_of(wheel: Path) -> tuple[str, str]:
    name, version = wheel.name.split("-")[:2]
    return name.lower().replace("_", "-"), version


def bundle(target: str, libs: Path = LIBS) -> dict[str, object]:
    if target not in TARGETS:
        raise SystemExit(f"unknown target {target!r}: one of {', '.join(TARGETS)}")
    reqs = requirements()
    compiled = [r for r in reqs if name_of(r) in COMPILED]
    pure = [r for r in reqs if name_of(r) not in COMPILED]
    if target == "universal":
        pure = [r for r in pure if name_of(r) not in NEEDS_COMPILED]
        compiled = [r for r in compiled if name_of(r) not in NEEDS_COMPILED]
    if libs.exists():
        shutil.rmtree(libs)
    libs.mkdir(parents=True)
    wheels: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="stepcat-bundle-") as tmp:
        work = Path(tmp)
        wheels.append(own_wheel(work / "own"))
        download(pure, work / "pure", "--implementation", "py", "--abi", "none")
        wheels += sorted((work / "pure").glob("*.whl"))
        # universal: the pure part of the compiled distributions, from any one platform's wheel
        platforms = PLATFORMS.get(target, PLATFORMS["linux-x64"])
        pythons = PYTHONS if target != "universal" else PYTHONS[:1]
        for python in pythons:
            dest = work / f"cp{python.replace('.', '')}"
            tags = [option for platform in platforms for option in ("--platform", platform)]
            download(compiled, dest, *tags, "--python-version", python, "--implementation", "cp")
            wheels += sorted(dest.glob("*.whl"))
        for wheel in wheels:
            unpack(wheel, libs)
    if target == "universal":
        for path in list(libs.rglob("*")):
            if path.suffix in COMPILED_SUFFIXES:
                path.unlink()
    versions = dict(sorted({version_of(w) for w in wheels}))
    manifest: dict[str, object] = {
        "target": target,
        "pythons": PYTHONS if target != "universal" else [f"{PYTHONS[0]}+"],
        "stepcat": versions["stepcat"],
        "packages": versions,
        "needsFromEnvironment": sorted(NEEDS_COMPILED) if target == "universal" else [],
    }
    (libs / "BUNDLE.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest


def host_target() -> str:
    import platform

    machine = platform.machine().lower()
    arch = "arm64" if machine in ("arm64", "aarch64") else "x64"
    system = {"linux": "linux", "darwin": "darwin", "win32": "win32"}.get(sys.platform, "")
    if system == "linux" and Path("/etc/alpine-release").exists():
        system = "alpine"
    target = f"{system}-{arch}"
    return target if target in PLATFORMS else "universal"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", default=None, help="default: this machine's platform")
    parser.add_argument("--print-host-target", action="store_true")
    parser.add_argument("--list-targets", action="store_true")
    args = parser.parse_args()
    if args.print_host_target:
        print(host_target())
        return
    if args.list_targets:
        print(" ".join(TARGETS))
        return
    manifest = bundle(args.target or host_target())
    size = sum(p.stat().st_size for p in LIBS.rglob("*") if p.is_file())
    print(
        f"bundled/libs for {manifest['target']}: stepcat {manifest['stepcat']}, "
        f"{len(manifest['packages'])} distributions, {size / 1e6:.1f} MB unpacked"  # type: ignore[arg-type]
    )


if __name__ == "__main__":
    main()
