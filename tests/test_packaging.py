"""The distribution: metadata (SPDX licence, classifiers, URLs), exactly the files meant for
the wheel and the sdist, typed packages, only dependencies the code imports, pinned dev tools
(the `test` extra and the `dev` dependency group agree), and the pre-commit hook."""

from __future__ import annotations

import re
import subprocess
import sys
import tarfile
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

REPO = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text())
SDIST_ROOTS = PYPROJECT["tool"]["hatch"]["build"]["targets"]["sdist"]["only-include"]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    pytest.importorskip("hatchling", reason="hatchling builds the artifacts (the `test` extra)")
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-d", str(out)],
        cwd=REPO,
        check=True,
        capture_output=True,
    )
    (wheel,) = out.glob("*.whl")
    (sdist,) = out.glob("*.tar.gz")
    return wheel, sdist


def test_wheel_holds_the_two_typed_packages_and_nothing_else(built) -> None:
    names = zipfile.ZipFile(built[0]).namelist()
    tops = {n.split("/")[0] for n in names}
    assert tops == {"catalog_core", "stepcat_server", "stepcat-0.1.0.dist-info"}
    assert {"catalog_core/py.typed", "stepcat_server/py.typed"} <= set(names)
    assert "stepcat-0.1.0.dist-info/licenses/LICENSE" in names
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]
    sources = {
        p.relative_to(REPO / ("server" if p.is_relative_to(REPO / "server") else "")).as_posix()
        for folder in (REPO / "catalog_core", REPO / "server" / "stepcat_server")
        for p in folder.rglob("*.py")
    }
    assert sources <= set(names)


def test_wheel_metadata(built) -> None:
    with zipfile.ZipFile(built[0]) as wheel:
        meta = Parser().parsestr(wheel.read("stepcat-0.1.0.dist-info/METADATA").decode())
    assert meta["License-Expression"] == "MIT"
    assert meta.get_all("License-File") == ["LICENSE"]
    classifiers = set(meta.get_all("Classifier"))
    for prefix in ("Development Status ::", "Environment ::", "Intended Audience ::", "Topic ::"):
        assert any(c.startswith(prefix) for c in classifiers), prefix
    assert {"Typing :: Typed", "Operating System :: OS Independent"} <= classifiers
    assert not any(c.startswith("License ::") for c in classifiers)  # PEP 639: the SPDX field
    urls = dict(u.split(", ", 1) for u in meta.get_all("Project-URL"))
    assert {"Homepage", "Repository", "Issues", "Documentation", "Rules"} <= set(urls)
    runtime = [r for r in meta.get_all("Requires-Dist") if "extra ==" not in r]
    assert sorted(re.split(r"[<>=;\[ ]", r)[0] for r in runtime) == [
        "jedi", "lsprotocol", "platformdirs", "pydantic", "pygls", "pyyaml", "tomli"
    ]  # fmt: skip


def test_every_runtime_dependency_is_imported() -> None:
    code = "\n".join(
        p.read_text() for d in ("catalog_core", "server") for p in (REPO / d).rglob("*.py")
    )
    import_names = {"PyYAML": "yaml"}  # distributions imported under another name
    for requirement in PYPROJECT["project"]["dependencies"]:
        name = re.split(r"[<>=;\[ ]", requirement)[0]
        name = import_names.get(name, name)
        assert re.search(rf"^\s*(import|from) {name}\b", code, re.M), f"{name} is never imported"


def _tracked(paths: list[str]) -> set[str] | None:
    if not (REPO / ".git").exists():
        return None
    out = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", *paths],
        cwd=REPO,
        capture_output=True,
        check=False,
    )
    if out.returncode != 0:
        return None
    return {f for f in out.stdout.decode().split("\0") if f and (REPO / f).is_file()}


def test_sdist_is_exactly_the_listed_paths(built) -> None:
    with tarfile.open(built[1]) as sdist:
        names = {n.split("/", 1)[1] for n in sdist.getnames() if "/" in n}
        files = {m.name.split("/", 1)[1] for m in sdist.getmembers() if m.isfile()}
    tops = {n.split("/")[0] for n in files}
    assert tops == {*(p.split("/")[0] for p in SDIST_ROOTS), "PKG-INFO", ".gitignore"}
    assert "server/stepcat_server/main.py" in files and "server/README.md" not in names
    assert not [n for n in files if "__pycache__" in n or n.startswith(("vscode-extension", ".ci"))]
    # the whole test suite or none of it: every file git knows (and does not ignore) is there
    tracked = _tracked(SDIST_ROOTS)
    if tracked is None:
        pytest.skip("not a git checkout: cannot compare with the tracked files")
    assert files - {"PKG-INFO", ".gitignore"} == tracked


def test_dev_tools_are_pinned_and_the_extra_equals_the_group() -> None:
    extra = PYPROJECT["project"]["optional-dependencies"]["test"]
    group = PYPROJECT["dependency-groups"]["dev"]
    assert extra == group
    assert all(re.fullmatch(r"[A-Za-z0-9_.-]+==[0-9][0-9A-Za-z.]*", r) for r in extra), extra
    assert {r.split("==")[0] for r in extra} >= {
        "pytest", "pytest-lsp", "pytest-asyncio", "hypothesis", "ruff", "mypy"
    }  # fmt: skip


def test_build_backend_supports_the_spdx_licence() -> None:
    requires = PYPROJECT["build-system"]["requires"]
    assert requires == ["hatchling>=1.27"]  # PEP 639 `license-files` (hatchling 1.27)
    assert PYPROJECT["project"]["license"] == "MIT"
    assert (REPO / "LICENSE").read_text().startswith("MIT License\n\nCopyright (c) ")


def test_pre_commit_hook_runs_stepcat_check_on_catalog_files() -> None:
    text = (REPO / ".pre-commit-hooks.yaml").read_text()
    fields = dict(re.findall(r"^\s*-?\s*(\w+): (.+)$", text, re.M))
    assert fields["id"] == "stepcat-check"
    assert fields["entry"] == "stepcat check" and fields["language"] == "python"
    pattern = re.compile(fields["files"].strip("'"))
    for name in ("a/b.py", "c.json", "p/x.dag.json", "n.ipynb", "i/batch.step.yaml"):
        assert pattern.search(name), name
    for name in ("README.md", "x.yaml", "notes.txt"):
        assert not pattern.search(name), name


def test_no_websocket_option_without_its_dependency() -> None:
    from catalog_core.cli import build_parser

    with pytest.raises(SystemExit):
        build_parser().parse_args(["serve", "--ws", "127.0.0.1:8080"])
