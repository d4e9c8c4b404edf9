"""The linear time bound of every library op: twice the unmutated fixture's time (measured once
per fixture) + 0.5 s + 1 s per MB of mutated input (more for ops that report every problem or
do several things), and the kind of input a slow run is blamed on."""

from __future__ import annotations

import tempfile
from pathlib import Path

import mutate
from checkout import private_cache
from documents import Doc
from library_run import LIB_OPS, run_library
from mutate import Case

MB = 1024 * 1024
SLACK = 0.5  # seconds, the linear bound's constant
PER_MB = 1.0  # seconds per MB of mutated input: indexing (issue 10's bar: 2 MB in 1 s)
# Ops that report on everything they find (a problem per bad name, a full parse) or do several
# ops in one (the CLI) get more per MB; they must still be linear.
OP_PER_MB = {
    "problems": 3.0,
    "file_problems": 3.0,
    "document": 3.0,
    "check_syntax": 3.0,
    "cli_json": 6.0,
    "cli_text": 6.0,
}


def size_kind(case: Case, docs: list[Doc] | tuple[Doc, ...] = ()) -> str:
    """The kind of the case's biggest input (what a slow run is blamed on)."""
    sizes = [
        (len(m.content) if m.content is not None else (m.op or {}).get("size", 0), m.kind)
        for m in case.mutations
    ]
    sizes += [(len(d.text), d.kind) for d in docs if d.origin == "memory"]
    return max(sizes)[1] if sizes else "none"


_BASELINES: dict[str, dict[str, float]] = {}


def baseline(fixture: str) -> dict[str, float]:
    """Seconds per op on the unmutated fixture (the linear bound's offset), measured once."""
    if fixture not in _BASELINES:
        tmp = Path(tempfile.mkdtemp(prefix="stepcat-fuzz-base-"))
        try:
            root = mutate.materialise(Case(fixture, 0), tmp)
            best: dict[str, float] = {}
            for i in range(2):  # each a cold start writing its snapshot, as a campaign's is
                with private_cache(tmp / f".stepcat-cache-{i}"):
                    run = run_library(root, [], [])
                for name, rec in run.ops.items():
                    best[name] = min(best.get(name, 1e9), rec["seconds"])
            if not best:  # an unmeasured offset would silently judge with another bound
                raise RuntimeError(f"the unmutated {fixture!r} fixture's baseline measured no op")
            _BASELINES[fixture] = best
        finally:
            mutate.remove_tree(tmp)
    return _BASELINES[fixture]


def bounds_for(case: Case, docs: list[Doc] | tuple[Doc, ...] = ()) -> dict[str, float]:
    """Per op: twice the unmutated fixture's time + 0.5 s + 1 s (more for ops that report every
    problem or do several things, ``OP_PER_MB``) per MB of mutated input (files and in-memory
    documents); the "document" op once per document."""
    extra = sum(len(d.text.encode("utf-8", "surrogatepass")) for d in docs if d.origin == "memory")
    size = (case.mutated_bytes() + extra) / MB
    base = baseline(case.fixture)
    bounds = {
        op: 2 * base.get(op, 0.2) + SLACK + OP_PER_MB.get(op, PER_MB) * size for op in LIB_OPS
    }
    # "document" sets each document in turn and asks for every problem each time: one pass
    # over the whole (mutated) tree per document
    bounds["document"] = max(1, len(docs)) * (bounds["document"] - SLACK) + SLACK
    return bounds
