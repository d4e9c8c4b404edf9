"""catalog_core.fields never imports or runs the code it reads: audit hooks in a fresh interpreter
watch the fixture tree (``fields_support.py``) resolved in every mode, and a project's
extension modules; and why jedi_bridge passes its own environment.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from fields_support import EXPECTED, FIXTURE, MODES, REPO, ROOTS

# ---- never imported, never run ---------------------------------------------------------------

_AUDIT = textwrap.dedent(
    """
    import json, sys
    seen = []
    watching = [False]
    RUNS = ("subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.fork", "os.spawn")
    def hook(event, args):
        if watching[0] and (event == "import" or event in RUNS):
            seen.append([event, str(args[0]) if args else ""])
    sys.addaudithook(hook)
    from catalog_core.fields import FieldResolver
    import jedi, jedi.inference.finder  # jedi's own lazy modules are not what we look for
    roots, targets, mode = json.loads(sys.argv[1])
    resolver = FieldResolver(roots, mode=mode)
    watching[0] = True
    answers = [resolver.fields_of(path, name) for path, name in targets]
    watching[0] = False
    print(json.dumps({"seen": seen, "found": [a is not None for a in answers],
                      "counts": resolver.counts}))
    """
)


def _audit(roots: list[str], targets: list[list[str]], mode: str) -> dict:
    env = dict(os.environ, PYTHONPATH=str(REPO), PYTHONDONTWRITEBYTECODE="1")
    out = subprocess.run(
        [sys.executable, "-c", _AUDIT, json.dumps([roots, targets, mode])],
        capture_output=True,
        text=True,
        check=True,
        env=env,
        cwd=str(FIXTURE / "src"),  # the project's folder as the working directory
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("mode", MODES)
def test_no_fixture_module_is_ever_imported_or_run(mode: str) -> None:
    for marker in FIXTURE.rglob("*.imported"):
        marker.unlink()
    targets = [[str(FIXTURE / s["module"]), n] for n, s in EXPECTED["classes"].items()]
    result = _audit(ROOTS, targets, mode)
    assert all(result["found"])
    assert result["seen"] == []  # no import, no subprocess, not even of stdlib modules
    assert list(FIXTURE.rglob("*.imported")) == []
    if mode != "static":
        assert result["counts"]["jedi_found"] > 0


def test_jedi_never_loads_a_project_extension_module(tmp_path: Path) -> None:
    """jedi imports compiled modules in-process: never from the project's folders."""
    package = tmp_path / "extpkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "native.cpython-311-x86_64-linux-gnu.so").write_bytes(b"\x7fELF not really")
    (package / "native.abi3.so").write_bytes(b"\x7fELF not really")
    (tmp_path / "user.py").write_text(
        "from extpkg.native import NativeBase\n\nclass C(NativeBase):\n    x: int = 1\n"
    )
    result = _audit([str(tmp_path)], [[str(tmp_path / "user.py"), "C"]], "jedi")
    assert result["counts"]["jedi"] == 1
    assert [e for e in result["seen"] if "extpkg" in e[1]] == []
    assert result["seen"] == []


def test_jedi_default_environment_would_run_an_interpreter() -> None:
    """Why jedi_bridge passes its own environment: jedi's default starts a subprocess."""
    code = textwrap.dedent(
        """
        import sys
        runs = []
        sys.addaudithook(lambda e, a: runs.append(e) if e == "subprocess.Popen" else None)
        import jedi
        jedi.Script("import os\\nos.path", path="x.py").infer(2, 4)
        print(len(runs))
        """
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert int(out.stdout.strip()) >= 1
