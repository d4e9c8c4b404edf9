"""Hostile cache files: whatever is at the cache file's place (truncated, random, foreign, another
version, corrupt, forged with a valid CRC, empty, a folder, a FIFO, /dev/zero, an unwritable
folder), a start never raises, never hangs and answers exactly as a cold build. And the
``stepcat cache`` command and ``--no-cache``."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from persisted_support import (
    age,
    answers,
    cold,
    join,
    settle,
    split,
    the_cache_file,
)

from catalog_core import StepCatalog
from catalog_core.base import cache_store
from catalog_core.cli import main

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(cache_store.DIR_VARIABLE, str(folder))
    monkeypatch.delenv(cache_store.SWITCH_VARIABLE, raising=False)
    return folder


@pytest.fixture(params=["irregular", "v2"])
def primed(request, workspace_copy, cache_dir) -> tuple[Path, Path, bytes, dict[str, Any]]:
    """(root, its cache file, the file's good bytes, the cold answers), files trusted."""
    root = workspace_copy(request.param)
    age(root)
    settle()
    StepCatalog([root])
    path = the_cache_file()
    return root, path, path.read_bytes(), cold([root])


def _start_answers_cold(root: Path, expected: dict[str, Any]) -> StepCatalog:
    catalog = StepCatalog([root])
    assert answers(catalog) == expected
    return catalog


def test_the_good_file_is_used(primed) -> None:
    root, _, _, expected = primed
    assert _start_answers_cold(root, expected)._db.warm


def test_truncated_files(primed) -> None:
    root, path, good, expected = primed
    end = good.index(b"\n")
    for cut in sorted({0, 1, end // 2, end, end + 1, end + 7, len(good) // 2, len(good) - 1}):
        path.write_bytes(good[:cut])
        assert not _start_answers_cold(root, expected)._db.warm, cut
        path.write_bytes(good[:cut])  # the cold start rewrote it: cut again for the next


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"\n",
        b"{}\n",
        b"[1, 2, 3]\n{}",
        b'{"format": "something else", "answer": 42}\n',
        json.dumps({"roots": ["/"], "steps": {}}).encode(),
        b"\x00" * 4096,
        bytes(random.Random(5).randbytes(100_000)),
        b"\xff\xfe" + "{}".encode("utf-16-le") + b"\n",
        b"[" * 100_000 + b"\n",
    ],
    ids=[
        "empty",
        "newline",
        "empty-object",
        "list",
        "foreign",
        "foreign-json",
        "nuls",
        "random",
        "utf16",
        "deep",
    ],
)
def test_garbage_in_place_of_the_file(primed, content: bytes) -> None:
    root, path, _, expected = primed
    path.write_bytes(content)
    assert not _start_answers_cold(root, expected)._db.warm


@pytest.mark.parametrize("field", ["format", "stamp", "key", "written_ns", "payload", "crc32"])
def test_another_header(primed, field: str) -> None:
    root, path, good, expected = primed
    header, payload, data = split(good)
    for value in ("stepcat index cache 1", None, -1, 2**70, [], {"a": 1}, "x" * 10):
        forged = {**header, field: value}
        head = json.dumps(forged).encode() + b"\n"
        path.write_bytes(head + payload + data)
        warm = _start_answers_cold(root, expected)._db.warm
        # the write time is informational (each file's stamp decides): any count is fine
        assert warm == (field == "written_ns" and type(value) is int and value >= 0), (field, value)


def test_flipped_bytes_are_caught_by_the_crc(primed) -> None:
    root, path, good, expected = primed
    end = good.index(b"\n")
    rng = random.Random(11)
    for _ in range(6):
        raw = bytearray(good)
        at = rng.randrange(end + 1, len(raw))
        raw[at] ^= 1 << rng.randrange(8)
        path.write_bytes(bytes(raw))
        assert not _start_answers_cold(root, expected)._db.warm, at


# -- forged: a valid header and CRC over hostile payload and data --------------------------


def _leaves(value: Any, where: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in _leaves(v, (*where, k))] or [where]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in _leaves(v, (*where, i))] or [where]
    return [where]


def _set(value: Any, where: tuple[Any, ...], new: Any) -> Any:
    if not where:
        return new
    head, rest = where[0], where[1:]
    copy = dict(value) if isinstance(value, dict) else list(value)
    copy[head] = _set(value[head], rest, new)
    return copy


HOSTILE_VALUES = [
    None,
    True,
    -1,
    0,
    1,
    2**31,
    -(2**63),
    2**64,
    1e308,
    "",
    "\x00",
    "x" * 1000,
    "\udcff",
    [],
    [0],
    [-1, -1, -1],
    [2**40, 2**40],
    {},
    {"a": [1, 2]},
    [[[]]],
]


def _mutated_payload(payload: Any, rng: random.Random, count: int) -> Any:
    leaves = _leaves(payload)
    for _ in range(count):
        where = rng.choice(leaves)
        if where and rng.random() < 0.3:  # a container's member, replaced whole
            where = where[: rng.randrange(1, len(where) + 1)]
        payload = _set(payload, where, rng.choice(HOSTILE_VALUES))
        leaves = _leaves(payload)
    return payload


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    seed=st.integers(0, 2**32 - 1), payload_edits=st.integers(0, 4), data_edits=st.integers(0, 6)
)
def test_forged_files_with_a_valid_crc(
    primed, seed: int, payload_edits: int, data_edits: int
) -> None:
    """Type- and range-breaking values in the payload, random bytes in the data, under a valid
    CRC (a forgery: the CRC catches corruption, not a file written to deceive, which the
    user's private cache folder keeps out). The reader's checks turn away what they can; a
    start never raises or hangs and answers every question; a file turned away answers as a
    cold build. (Plausible forged values, a class name spelled otherwise in a fact, are
    believed: no check short of reading the files again could tell.)"""
    root, path, good, expected = primed
    header, payload_raw, data = split(good)
    rng = random.Random(seed)
    payload = _mutated_payload(json.loads(payload_raw), rng, payload_edits)
    raw = bytearray(data)
    for _ in range(data_edits if raw else 0):
        at = rng.randrange(len(raw))
        raw[at : at + rng.randrange(1, 9)] = rng.randbytes(rng.randrange(0, 9))
    text = json.dumps(payload, ensure_ascii=False).encode("utf-8", "surrogatepass")
    path.write_bytes(join(header, text, bytes(raw)))
    catalog = StepCatalog([root])
    got = answers(catalog)
    assert set(got) == set(expected) and got["info"].keys() == set(got["steps"])
    if not catalog._db.warm:
        assert got == expected


def test_every_column_placed_wrong(primed) -> None:
    """Each column's place (``[offset, length(, items)]``) cut short, made long or emptied, one
    column at a time: the start answers as a cold build (a short place once raised
    ``IndexError`` out of the constructor)."""
    root, path, good, expected = primed
    header, payload_raw, data = split(good)
    layout = json.loads(payload_raw)["layout"]
    places = [(kind, name) for kind in ("ints", "texts") for name in layout[kind]]
    assert len(places) > 20
    for kind, name in places:
        for place in ([], [0], [*layout[kind][name], 0]):
            payload = json.loads(payload_raw)
            payload["layout"][kind][name] = place
            path.write_bytes(join(header, json.dumps(payload).encode(), data))
            catalog = StepCatalog([root])
            assert answers(catalog) == expected, (kind, name, place)


def test_a_snapshot_turned_away_lends_nothing(primed) -> None:
    """A plausible forged registry entry (believed while the snapshot is used) in a snapshot
    that does not fit the files (another tree list): the start takes nothing from the file,
    not the registries either, and answers as a cold build (hypothesis found this one)."""
    root, path, good, expected = primed
    header, payload_raw, data = split(good)
    payload = json.loads(payload_raw)
    forged = 0
    for entry in payload["registries"].values():
        for rows in entry["sections"].values():
            for row in rows:
                row[1] = {**row[1], "builder_step_name": "ForgedStepBuilder"}
                forged += 1
    payload["checks"] = [[], [], []]
    path.write_bytes(join(header, json.dumps(payload).encode(), data))
    assert forged and not _start_answers_cold(root, expected)._db.warm


# -- not a regular file, not writable --------------------------------------------------------


def test_a_folder_in_place_of_the_file(primed) -> None:
    root, path, _, expected = primed
    path.unlink()
    path.mkdir()
    (path / "inside").write_text("x")
    assert not _start_answers_cold(root, expected)._db.warm
    assert path.is_dir()


@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "dangling"])
def test_special_files_in_place_of_the_file(primed, kind: str) -> None:
    """Read in a child process with a time limit: a reader that blocks on a FIFO or reads
    /dev/zero forever fails the test instead of hanging the suite."""
    root, path, _, expected = primed
    path.unlink()
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "dev-zero":
        os.symlink("/dev/zero", path)
    else:
        os.symlink(path.parent / "nowhere", path)
    code = (
        "import sys, json\n"
        "from catalog_core import StepCatalog\n"
        "from catalog_core.base import cache_store\n"
        "from persisted_support import answers\n"
        "rows = cache_store.describe()\n"  # what ``stepcat cache info`` reads
        "c = StepCatalog([sys.argv[1]])\n"
        "print(json.dumps({'warm': c._db.warm, 'answers': answers(c), 'rows': rows},"
        " sort_keys=True, default=str))\n"
    )
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(
            [str(REPO), str(REPO / "server"), str(Path(__file__).parent)]
        ),
    }
    done = subprocess.run(
        [sys.executable, "-c", code, str(root)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert not result["warm"]
    assert [(r["roots"], r["files"]) for r in result["rows"]] == [(None, None)]
    assert result["answers"] == json.loads(json.dumps(expected, sort_keys=True, default=str))


def test_an_unwritable_cache_folder(workspace_copy, cache_dir) -> None:
    root = workspace_copy("irregular")
    cache_dir.mkdir()
    cache_dir.chmod(0o500)
    try:
        probe = cache_dir / "probe"
        try:
            probe.write_text("x")
        except OSError:
            pass
        else:
            probe.unlink()
            pytest.skip("the folder stays writable (running as root)")
        expected = cold([root])
        for _ in range(2):
            catalog = StepCatalog([root])
            assert not catalog._db.warm and answers(catalog) == expected
        assert os.listdir(cache_dir) == []
    finally:
        cache_dir.chmod(0o700)


def test_a_file_in_place_of_the_cache_folder(workspace_copy, cache_dir) -> None:
    root = workspace_copy("irregular")
    cache_dir.write_text("not a folder")
    expected = cold([root])
    for _ in range(2):
        catalog = StepCatalog([root])
        assert not catalog._db.warm and answers(catalog) == expected
    assert cache_dir.read_text() == "not a folder"


# -- the command line ----------------------------------------------------------------------


def _cli(capsys, *args: str) -> tuple[int, str]:
    code = main(list(args))
    return code, capsys.readouterr().out


def test_cache_info_and_clear(workspace_copy, cache_dir, capsys, monkeypatch) -> None:
    root = workspace_copy("irregular")
    code, out = _cli(capsys, "cache", "info")
    assert code == 0 and f"folder: {cache_dir}" in out and "enabled: yes" in out
    assert "no cache files" in out
    StepCatalog([root])
    path = the_cache_file()
    code, out = _cli(capsys, "cache", "info", "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["folder"] == str(cache_dir) and data["enabled"] is True
    (row,) = data["files"]
    assert row["path"] == str(path) and row["bytes"] == path.stat().st_size
    assert row["roots"] == [str(root.resolve())] and row["files"] > 0
    code, out = _cli(capsys, "cache", "info")
    assert (
        f"{path}: {path.stat().st_size:,} bytes, {row['files']:,} files, roots: {root.resolve()}"
        in out
    )
    path.with_name("index-bad.cache").write_bytes(b"\xff\n")  # unreadable header: listed
    code, out = _cli(capsys, "cache", "info", "--format", "json")
    bad = [r for r in json.loads(out)["files"] if r["path"].endswith("index-bad.cache")]
    assert bad == [
        {"path": str(path.with_name("index-bad.cache")), "bytes": 2, "roots": None, "files": None}
    ]
    code, out = _cli(capsys, "cache", "clear", "--format", "json")
    assert code == 0 and json.loads(out) == {"folder": str(cache_dir), "removed": 2}
    assert cache_store.cache_files() == []
    StepCatalog([root])
    code, out = _cli(capsys, "cache", "clear")
    assert code == 0 and out.strip() == f"removed 1 cache file(s) from {cache_dir}"
    monkeypatch.setenv(cache_store.SWITCH_VARIABLE, "off")
    code, out = _cli(capsys, "cache", "info", "--format", "json")
    assert json.loads(out)["enabled"] is False
    code, out = _cli(capsys, "cache", "info")
    assert "enabled: no (STEPCAT_CACHE)" in out


@pytest.mark.parametrize("where", ["before", "after"])
def test_no_cache_flag(workspace_copy, cache_dir, where: str) -> None:
    root = workspace_copy("irregular")
    command = ["list", "--root", str(root), "--format", "json"]
    args = ["--no-cache", *command] if where == "before" else [*command, "--no-cache"]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), str(REPO / "server")])}
    run = [sys.executable, "-m", "catalog_core.cli"]
    done = subprocess.run([*run, *args], env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert not cache_dir.exists() or os.listdir(cache_dir) == []
    info = subprocess.run(
        [
            *run,
            *(
                ["--no-cache", "cache", "info"]
                if where == "before"
                else ["cache", "info", "--no-cache"]
            ),
            "--format",
            "json",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert json.loads(info.stdout)["enabled"] is False  # the process's STEPCAT_CACHE is off
    plain = subprocess.run([*run, *command], env=env, capture_output=True, text=True, check=False)
    assert plain.stdout == done.stdout
    assert len(cache_store.cache_files()) == 1  # without the flag: written


def test_the_user_cache_folder(monkeypatch, tmp_path: Path) -> None:
    """The platform's user cache folder (platformdirs), unless STEPCAT_CACHE_DIR says where."""
    monkeypatch.delenv(cache_store.DIR_VARIABLE)
    if sys.platform.startswith("linux"):
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
        assert cache_store.cache_dir() == str(tmp_path / "stepcat")
    monkeypatch.setenv(cache_store.DIR_VARIABLE, str(tmp_path / "elsewhere"))
    assert cache_store.cache_dir() == str(tmp_path / "elsewhere")
