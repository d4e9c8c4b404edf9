"""Build the installed-framework test environments from ``tests/fixtures/installed``.

- ``framework/cursus``: a framework-like package (1.x five-file layout, registry, config classes
  with inherited pydantic fields), packaged by hand as the wheel ``cursus_framework-2.4.0``
  and installed into a real venv (``python -m venv --without-pip``; ``pip --python`` when pip
  can, else unpacked as pip would);
- the same package as an editable install (version 2.5.0): a checkout with ``src/cursus`` and a
  ``.pth`` path plus ``direct_url.json``, as setuptools writes it for a src layout;
- ``project``: a DAG and a pipeline config, copied outside both environments.

Every module of the framework writes a marker file when imported: the tests check none is.
"""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

FIXTURE = Path(__file__).parent / "fixtures" / "installed"
VERSION = f"{sys.version_info[0]}.{sys.version_info[1]}"
DIST = "cursus-framework"


@dataclass(frozen=True)
class Built:
    project: Path  # the project folder, outside the environments
    venv: Path  # the wheel-installed environment
    editable_venv: Path  # the environment with the editable install
    checkout: Path  # the editable install's checkout
    how: str  # "pip" or "unpacked"

    @property
    def site(self) -> Path:
        return site_of(self.venv)


def site_of(prefix: Path) -> Path:
    return prefix / "lib" / f"python{VERSION}" / "site-packages"


def framework_files() -> dict[str, bytes]:
    root = FIXTURE / "framework"
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts and not p.name.endswith(".imported")
    }


def _hash(data: bytes) -> str:
    digest = hashlib.sha256(data).digest()
    return "sha256=" + base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def dist_info(version: str, extra: dict[str, str] | None = None) -> dict[str, bytes]:
    folder = f"cursus_framework-{version}.dist-info"
    files = {
        f"{folder}/METADATA": (
            f"Metadata-Version: 2.1\nName: {DIST}\nVersion: {version}\n"
            "Summary: a framework-like package for stepcat's tests\n\nLong description.\n"
        ),
        f"{folder}/WHEEL": "Wheel-Version: 1.0\nGenerator: hand\nRoot-Is-Purelib: true\n"
        "Tag: py3-none-any\n",
        f"{folder}/top_level.txt": "cursus\n",
        **(extra or {}),
    }
    return {k: v.encode() for k, v in files.items()}


def with_record(files: dict[str, bytes], version: str) -> dict[str, bytes]:
    folder = f"cursus_framework-{version}.dist-info"
    rows = [f"{p},{_hash(c)},{len(c)}" for p, c in files.items()]
    record = "\n".join([*rows, f"{folder}/RECORD,,"]) + "\n"
    return {**files, f"{folder}/RECORD": record.encode()}


def build_wheel(folder: Path) -> Path:
    files = with_record({**framework_files(), **dist_info("2.4.0")}, "2.4.0")
    wheel = folder / "cursus_framework-2.4.0-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, content in files.items():
            archive.writestr(path, content)
    return wheel


def make_venv(path: Path) -> Path:
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(path)], check=True)
    return path


def install_wheel(venv: Path, wheel: Path) -> str:
    command = [sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install"]
    command += ["--no-deps", "--no-index", "--no-cache-dir", "--disable-pip-version-check"]
    done = subprocess.run([*command, str(wheel)], capture_output=True, check=False)
    if done.returncode == 0:
        return "pip"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site_of(venv))
    return "unpacked"


def install_editable(venv: Path, checkout: Path) -> None:
    """``pip install -e`` of a src-layout checkout with setuptools: a ``.pth`` path."""
    for rel, content in framework_files().items():
        target = checkout / "src" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    direct = json.dumps({"dir_info": {"editable": True}, "url": checkout.as_uri()})
    folder = "cursus_framework-2.5.0.dist-info"
    files = dist_info(
        "2.5.0", {f"{folder}/direct_url.json": direct, f"{folder}/INSTALLER": "pip\n"}
    )
    files["__editable__.cursus_framework-2.5.0.pth"] = f"{checkout / 'src'}\n".encode()
    for rel, content in with_record(files, "2.5.0").items():
        target = site_of(venv) / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)


def build(tmp: Path) -> Built:
    project = tmp / "project"
    shutil.copytree(FIXTURE / "project", project)
    venv = make_venv(tmp / "env")
    how = install_wheel(venv, build_wheel(tmp))
    editable = make_venv(tmp / "dev-env")
    checkout = tmp / "checkout"
    install_editable(editable, checkout)
    return Built(project, venv, editable, checkout, how)


def imported_markers(*folders: Path) -> list[Path]:
    """Marker files the framework's modules write when imported (there must be none)."""
    return [p for f in folders for p in f.rglob("*.imported")]
