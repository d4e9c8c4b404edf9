"""A ``Case`` (a fixture and its ``Mutation``s, plain data that a reproducer can replay), made from
a seed (``make_case``), materialised in a temporary folder and removed again."""

from __future__ import annotations

import base64
import contextlib
import os
import random
import shutil
import stat
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .file_mutations import mutate_bytes
from .fixtures import FIXTURES, fixture_files, workspace_roots
from .trees import apply_tree_op, tree_ops


@dataclass
class Mutation:
    kind: str  # an input kind (KINDS)
    path: str  # relative to the root
    label: str
    content: bytes | None = None  # the file's new bytes (content mutations)
    op: dict[str, Any] | None = None  # a tree operation

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        d["content"] = None if self.content is None else base64.b64encode(self.content).decode()
        return d

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Mutation:
        content = None if d.get("content") is None else base64.b64decode(d["content"])
        return cls(d["kind"], d["path"], d["label"], content, d.get("op"))


@dataclass
class Case:
    fixture: str
    seed: int
    mutations: list[Mutation] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "fixture": self.fixture,
            "seed": self.seed,
            "mutations": [m.to_json() for m in self.mutations],
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Case:
        return cls(d["fixture"], d["seed"], [Mutation.from_json(m) for m in d["mutations"]])

    def mutated_bytes(self) -> int:
        """Bytes this case adds or changes (the linear time bound's size)."""
        sizes: dict[str, int] = {}
        for m in self.mutations:
            if m.content is not None:
                sizes[m.path] = len(m.content)
            elif m.op and m.op["op"] == "big":
                sizes[m.path] = m.op["size"]
        return sum(sizes.values())


NEW_FILES = {
    "settings": b"[tool.stepcat]\n",
    "config-json": (
        FIXTURES["demo"] / "pipeline_configs/config_xgboost_pipeline.json"
    ).read_bytes(),
}


def make_case(seed: int, fixture: str | None = None, n_files: int | None = None) -> Case:
    """A fixture and 1-4 mutations (a tree operation in about a third of the cases)."""
    rng = random.Random(seed)
    fixture = fixture or rng.choice(sorted(FIXTURES))
    files = fixture_files(fixture)
    case = Case(fixture, seed)
    by_kind: dict[str, list[str]] = {}
    for rel, (kind, _) in files.items():
        by_kind.setdefault(kind, []).append(rel)
    # settings files a root or workspace may have, even when the fixture has none
    for ws in workspace_roots(fixture):
        for name in ("pyproject.toml", "stepcat.toml"):
            rel = f"{ws}/{name}".lstrip("/")
            if rel not in files:
                by_kind.setdefault("settings", []).append(rel)
    if "config-json" not in by_kind:  # every fixture gets a pipeline config to break
        by_kind["config-json"] = ["pipeline_configs/config_fuzz.json"]
    n = n_files if n_files is not None else rng.choice((1, 1, 2, 2, 3, 4))
    contents: dict[str, bytes] = {}
    kinds = sorted(by_kind)
    for _ in range(n):
        kind = rng.choice(kinds)
        rel = rng.choice(sorted(by_kind[kind]))
        base = contents.get(rel, files[rel][1] if rel in files else NEW_FILES[kind])
        data, label = mutate_bytes(rng, kind, base)
        contents[rel] = data
        case.mutations.append(Mutation(kind, rel, f"{kind}:{label}", data))
    if rng.random() < 0.35:
        op = tree_ops(rng, fixture, files)
        case.mutations.append(Mutation("tree", op.get("path", ""), f"tree:{op['op']}", None, op))
    return case


def materialise(case: Case, dest: Path) -> Path:
    """Copy the case's fixture to ``dest/<fixture>`` and apply its mutations; return the root."""
    root = dest / case.fixture
    shutil.copytree(
        FIXTURES[case.fixture],
        root,
        symlinks=True,
        ignore=shutil.ignore_patterns("__pycache__", ".stepcat"),
    )
    for m in case.mutations:
        if m.content is not None:
            path = root / m.path
            path.parent.mkdir(parents=True, exist_ok=True)
            if path.is_symlink() or (path.exists() and not path.is_file()):
                with contextlib.suppress(OSError):
                    path.unlink()
            path.write_bytes(m.content)
        elif m.op is not None:
            apply_tree_op(root, m.op)
    return root


def remove_tree(path: Path) -> None:
    """Delete a case's tree, iteratively (1,200 nested folders overflow ``os.walk`` and
    ``shutil.rmtree`` on Python 3.11), first giving unreadable folders their permissions back."""
    top = os.fsencode(path)
    if not os.path.lexists(top):
        return
    stack: list[tuple[bytes, bool]] = [(top, False)]
    while stack:
        current, visited = stack.pop()
        if os.path.islink(current) or not os.path.isdir(current):
            with contextlib.suppress(OSError):
                os.unlink(current)
            continue
        if visited:
            with contextlib.suppress(OSError):
                os.rmdir(current)
            continue
        with contextlib.suppress(OSError):
            os.chmod(current, stat.S_IRWXU)
        stack.append((current, True))
        with contextlib.suppress(OSError), os.scandir(current) as entries:
            for entry in entries:
                stack.append((os.path.join(current, entry.name), False))
