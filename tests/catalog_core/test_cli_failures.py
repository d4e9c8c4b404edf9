"""The command line when things go wrong: an internal error is one line and exit 2, a closed
pipe is quiet, output never fails to encode, and ``fix-config-types --write`` keeps links,
permissions and every file of a run intact (all or nothing)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from catalog_core.base.atomic import WriteError, restore_backups, write_files
from catalog_core.cli import main

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo"
CLASS_KEYS = FIXTURES / "configs/pipeline_configs/class_name_keys.json"


@pytest.fixture
def configs(tmp_path: Path) -> Path:
    root = tmp_path / "configs"
    shutil.copytree(FIXTURES / "configs", root)
    return root


def test_internal_error_is_one_line_and_exit_2(monkeypatch, capsys) -> None:
    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("planted\nsecond line")

    monkeypatch.setattr("catalog_core.cli.common.StepCatalog", broken)
    assert main(["check", str(DEMO)]) == 2
    err = capsys.readouterr().err
    assert err == "stepcat: internal error: RuntimeError: planted (--debug for the traceback)\n"
    assert main(["check", str(DEMO), "--debug"]) == 2
    assert "Traceback" in capsys.readouterr().err


def test_a_closed_pipe_is_quiet() -> None:
    proc = subprocess.run(
        f"{sys.executable} -m catalog_core check {DEMO} --format json | head -c 10",
        shell=True,
        capture_output=True,
        text=True,
    )
    assert len(proc.stdout) == 10
    assert proc.stderr.strip() == "" or "Traceback" not in proc.stderr


def test_undecodable_file_names_are_escaped_in_output(tmp_path: Path) -> None:
    root = tmp_path / "demo"
    shutil.copytree(DEMO, root)
    scripts = os.fsencode(root / "src/cursus/steps/scripts")
    with open(os.path.join(scripts, b"caf\xe9_loader.py"), "w") as handle:
        handle.write("x = 1\n")
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    proc = subprocess.run(
        [sys.executable, "-m", "catalog_core", "check", str(root)], capture_output=True, env=env
    )
    assert proc.returncode == 0, proc.stderr
    assert b"caf\\udce9_loader.py" in proc.stdout


def test_fix_writes_through_a_symlink_and_keeps_it(configs: Path, tmp_path: Path) -> None:
    target = configs / "pipeline_configs/class_name_keys.json"
    link = tmp_path / "link.json"
    link.symlink_to(target)
    before = target.read_bytes()
    assert main(["fix-config-types", str(link), "--write", "--root", str(configs)]) == 0
    assert link.is_symlink() and link.resolve() == target
    assert target.read_bytes() != before
    assert (configs / "pipeline_configs/class_name_keys.json.bak").read_bytes() == before
    assert not (tmp_path / "link.json.bak").exists()


def test_fix_keeps_hard_links_and_mode(configs: Path) -> None:
    target = configs / "pipeline_configs/class_name_keys.json"
    twin = configs / "twin.json"
    os.link(target, twin)
    target.chmod(0o640)
    assert main(["fix-config-types", str(target), "--write", "--root", str(configs)]) == 0
    assert twin.read_bytes() == target.read_bytes()
    assert os.stat(target).st_ino == os.stat(twin).st_ino
    assert oct(os.stat(target).st_mode & 0o777) == "0o640"


def test_a_dangling_backup_link_is_never_written_through(configs: Path, tmp_path: Path) -> None:
    target = configs / "pipeline_configs/class_name_keys.json"
    elsewhere = tmp_path / "elsewhere.txt"
    (configs / "pipeline_configs/class_name_keys.json.bak").symlink_to(elsewhere)
    before = target.read_bytes()
    assert main(["fix-config-types", str(target), "--write", "--root", str(configs)]) == 0
    assert not elsewhere.exists()
    assert (configs / "pipeline_configs/class_name_keys.json.bak.1").read_bytes() == before


def test_a_read_only_file_is_refused_with_a_message(configs: Path, capsys) -> None:
    if os.geteuid() == 0:
        pytest.skip("root writes read-only files")
    target = configs / "pipeline_configs/class_name_keys.json"
    target.chmod(0o444)
    assert main(["fix-config-types", str(target), "--write", "--root", str(configs)]) == 2
    assert "read-only" in capsys.readouterr().err


def test_a_run_over_several_files_is_all_or_nothing(tmp_path: Path, monkeypatch) -> None:
    files = {tmp_path / f"f{i}.json": f"old {i}".encode() for i in range(3)}
    for path, data in files.items():
        path.write_bytes(data)
    real_replace = os.replace
    calls = []

    def failing_replace(src, dst):  # type: ignore[no-untyped-def]
        calls.append(dst)
        if len(calls) == 3:  # the third rename fails: the first two must be put back
            raise OSError(28, "No space left on device", str(dst))
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(WriteError, match="nothing was changed"):
        write_files({p: b"new" for p in files})
    monkeypatch.setattr(os, "replace", real_replace)
    assert {p: p.read_bytes() for p in files} == files
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f0.json", "f1.json", "f2.json"]


def test_a_run_can_be_undone_from_its_backups(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_bytes(b"old")
    written = write_files({path: b"new"})
    assert path.read_bytes() == b"new"
    restore_backups(written)
    assert path.read_bytes() == b"old"


def test_a_refused_staging_leaves_nothing_behind(tmp_path: Path, monkeypatch, capsys) -> None:
    from catalog_core.integration import staging_area

    root = tmp_path / "multi"
    shutil.copytree(FIXTURES / "multi", root)

    def refuse(path, data, *args):  # type: ignore[no-untyped-def]
        if str(path).endswith("manifest.json"):
            raise OSError(28, "No space left on device", str(path))
        return real(path, data, *args)

    real = staging_area.atomic_write
    monkeypatch.setattr(staging_area, "atomic_write", refuse)
    code = main(["integrate", "stage", "FeatureSelection", "--from", "alice", "--root", str(root)])
    assert code != 0
    assert "nothing was staged" in capsys.readouterr().err
    staging = root / ".stepcat/staging"
    assert not staging.exists() or list(staging.iterdir()) == []
