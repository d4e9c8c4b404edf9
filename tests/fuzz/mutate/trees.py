"""Tree operations: symlink loops, an unreadable folder, 1,200 nested folders, FIFOs, a
non-UTF-8 file name, empty files, files of 0.6-12 MB (a size and a pattern, never the bytes),
links to ``/dev/zero`` and out of the root."""

from __future__ import annotations

import contextlib
import os
import random
from pathlib import Path
from typing import Any

from .fixtures import component_folders


def _big_bytes(style: str, size: int) -> bytes:
    """Deterministic big content: many class lines, DAG lines, comments or garbage."""
    if style == "classes":
        unit = b"class Generated%08d(StepBuilderBase):\n    pass\n"
        n = size // len(unit % 0) + 1
        return b"".join(unit % i for i in range(n))[:size]
    if style == "dag":
        unit = b'dag.add_node("CradleDataLoading_training")  # %08d\n'
        return b"".join(unit % i for i in range(size // len(unit % 0) + 1))[:size]
    if style == "comment":
        return (b"# " + b"x" * 78 + b"\n") * (size // 81 + 1)
    return random.Random(size).randbytes(size)


def apply_tree_op(root: Path, op: dict[str, Any]) -> None:
    """Apply one tree operation under ``root`` (see ``tree_ops``)."""
    kind = op["op"]
    target = root / op.get("path", "")
    if kind == "symlink_loop":
        target.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileExistsError):
            os.symlink(".", target / "loop_self")
            os.symlink("..", target / "loop_parent")
            os.symlink("loop_b", target / "loop_a")
            os.symlink("loop_a", target / "loop_b")
            os.symlink("self_contract.py", target / "self_contract.py")
    elif kind == "unreadable":
        target.mkdir(parents=True, exist_ok=True)
        (target / "hidden_contract.py").write_bytes(
            b'X_CONTRACT = ScriptContract(entry_point="x.py")\n'
        )
        os.chmod(target, 0)
    elif kind == "nested":
        target.mkdir(parents=True, exist_ok=True)
        path = str(target)
        for _ in range(op["depth"]):  # one level at a time (os.makedirs recurses per level)
            path += "/d"
            with contextlib.suppress(FileExistsError):
                os.mkdir(path)
        path = Path(path)
        (path / "deep_contract.py").write_bytes(
            b'DEEP_CONTRACT = ScriptContract(entry_point="deep.py")\n'
        )
    elif kind == "fifo":
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists() or target.is_symlink():
            target.unlink()
        os.mkfifo(target)
    elif kind == "bad_name":
        folder = os.fsencode(target)
        os.makedirs(folder, exist_ok=True)
        name = bytes.fromhex(op["name_hex"])
        with open(os.path.join(folder, name), "wb") as f:
            f.write(b'BAD_CONTRACT = ScriptContract(entry_point="bad.py")\n')
    elif kind == "empty":
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(b"")
    elif kind == "big":
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(_big_bytes(op["style"], op["size"]))
    elif kind == "symlink_to":
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists() or target.is_symlink():
            target.unlink()
        os.symlink(op["target"], target)
    else:
        raise ValueError(f"unknown tree op {kind!r}")


def tree_ops(
    rng: random.Random, fixture: str, files: dict[str, tuple[str, bytes]]
) -> dict[str, Any]:
    folders = component_folders(fixture) or [""]
    folder = rng.choice(folders)
    existing = [r for r in files if r.endswith(".py")]
    kind = rng.choice(
        (
            "symlink_loop",
            "unreadable",
            "nested",
            "fifo",
            "fifo",
            "bad_name",
            "empty",
            "big",
            "big",
            "symlink_to",
        )
    )
    if kind == "nested":
        return {"op": kind, "path": folder, "depth": rng.choice((1200, 1200, 1001, 300))}
    if kind == "fifo":
        name = rng.choice(("fifo_contract.py", "builder_fifo_step.py", "fifo.json"))
        if existing and rng.random() < 0.3:
            return {"op": kind, "path": rng.choice(existing)}
        return {"op": kind, "path": f"{folder}/{name}".lstrip("/")}
    if kind == "bad_name":
        return {
            "op": kind,
            "path": folder,
            "name_hex": rng.choice(
                (b"\xffbad_contract.py", b"caf\xe9_contract.py", b"\xed\xa0\x80_contract.py")
            ).hex(),
        }
    if kind == "empty":
        if existing and rng.random() < 0.6:
            return {"op": kind, "path": rng.choice(existing)}
        return {"op": kind, "path": f"{folder}/empty_contract.py".lstrip("/")}
    if kind == "big":
        style = rng.choice(("classes", "classes", "dag", "comment", "garbage"))
        size = rng.choice((12 * 2**20, 10 * 2**20 + 1, 2 * 2**20, 1 * 2**20, 600_000))
        name = rng.choice(
            ("builder_big_step.py", "big_contract.py", "big_dag.py", "registry/step_names.py")
        )
        if existing and rng.random() < 0.3:
            return {"op": kind, "path": rng.choice(existing), "style": style, "size": size}
        return {"op": kind, "path": f"{folder}/{name}".lstrip("/"), "style": style, "size": size}
    if kind == "symlink_to":
        return {
            "op": kind,
            "path": f"{folder}/{rng.choice(('link_contract.py', 'builder_link_step.py', 'link.json'))}".lstrip(
                "/"
            ),
            "target": rng.choice(
                (
                    "/dev/zero",
                    "/dev/null",
                    "/nonexistent/x.py",
                    "../../../../../../../etc/hostname",
                    "/proc/self/status",
                )
            ),
        }
    return {"op": kind, "path": folder}
