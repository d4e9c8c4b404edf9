"""Helpers of the environment tests, ``test_environment_*.py`` (catalog_core.sources, issue
13): the framework-like package's files, dist-info folders, and environments written without
running anything. The fixtures (``no_processes``, ``project``) are in ``conftest.py``.

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
import os
import sys
from pathlib import Path

import pytest

# The tests' modules import it as their own ``pytestmark``.
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


def site_of(prefix: Path) -> Path:
    return prefix / "lib" / f"python{VERSION}" / "site-packages"


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


def make_venv_static(prefix: Path, **cfg: str) -> Path:
    """A venv's files without running anything (pyvenv.cfg, bin/python, site-packages)."""
    site_of(prefix).mkdir(parents=True)
    (prefix / "bin").mkdir()
    (prefix / "bin" / "python").symlink_to(sys.executable)
    lines = {"home": os.path.dirname(sys.executable), "include-system-site-packages": "false"}
    lines |= {"version": ".".join(map(str, sys.version_info[:3]))} | cfg
    (prefix / "pyvenv.cfg").write_text("".join(f"{k} = {v}\n" for k, v in lines.items()))
    return prefix
