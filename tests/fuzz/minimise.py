"""Minimising a failure: the same signature from fewer mutations and documents, then from
fewer lines and bytes of what is left, then from smaller generated files, within a budget."""

from __future__ import annotations

import asyncio
import random
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import mutate
from bounds import bounds_for, size_kind
from documents import Doc, library_docs
from failures import Failure
from library_run import LIB_OPS, run_library
from mutate import Case, Mutation
from server_run import run_server


def ops_for(failure: Failure, minimal: bool | None = None) -> tuple[str, ...]:
    """The library ops a reproduction runs: the failing op after ``build`` (minimal), or every
    op before it too (when the failure needs their caches)."""
    if failure.channel == "cli":
        return (failure.op,) if failure.op in LIB_OPS else ("cli_json",)
    if failure.op not in LIB_OPS:
        return tuple(o for o in LIB_OPS if not o.startswith("cli"))
    minimal = failure.minimal_ops if minimal is None else minimal
    if minimal:
        return tuple(dict.fromkeys(("build", failure.op)))
    return tuple(o for o in LIB_OPS[: LIB_OPS.index(failure.op) + 1] if not o.startswith("cli"))


def reproduces(
    case: Case, failure: Failure, docs: list[Doc] | None = None, timeout: float = 5.0
) -> bool:
    """Whether ``case`` (and, for the server, its document) still fails with this signature."""
    tmp = Path(tempfile.mkdtemp(prefix="stepcat-fuzz-min-"))
    try:
        root = mutate.materialise(case, tmp)
        if failure.channel in ("library", "cli"):
            ops = ops_for(failure)
            files = [str(root / m.path) for m in case.mutations if m.content is not None]
            run = run_library(
                root,
                files,
                library_docs(root, docs or []),
                ops,
                bounds_for(case, docs or []),
                size_kind(case, docs or []),
                2.0 if failure.what == "slow" else 1.0,  # a minimised input stays clearly slow
            )
            return any(f.signature == failure.signature for f in run.failures)
        rng = random.Random(0)
        server_docs = docs or []
        srv = asyncio.run(
            run_server(
                root,
                server_docs,
                rng,
                10.0 + bounds_for(case)["build"] * 2,
                time.perf_counter() + 120,
                invalid=0,
                timeout=timeout,
                rebuild=bounds_for(case, server_docs)["build"],
            )
        )
        if failure.op.startswith("invalid:"):
            return True  # invalid requests do not depend on the input
        return any(f.signature == failure.signature for f in srv.failures)
    finally:
        mutate.remove_tree(tmp)


def _with(case: Case, mutations: list[Mutation]) -> Case:
    return Case(case.fixture, case.seed, mutations)


def minimise(
    case: Case, failure: Failure, docs: list[Doc], budget: float = 90.0
) -> tuple[Case, list[Doc], int]:
    """Smaller inputs that still fail the same way: drop mutations and documents, then delete
    line chunks (halving), then byte chunks of what is left, then halve big tree files. Bounded
    by ``budget`` seconds. Returns the case, its documents and the number of trials."""
    end = time.perf_counter() + budget
    trials = 0

    def check(c: Case, d: list[Doc]) -> bool:
        nonlocal trials
        trials += 1
        return reproduces(c, failure, d)

    if failure.channel == "server" and failure.doc is not None:
        docs = [d for d in docs if d.to_json() == failure.doc] or docs
    elif failure.channel == "server":
        docs = []
    muts = list(case.mutations)
    i = 0
    while i < len(muts) and time.perf_counter() < end:  # 1. drop whole mutations
        trial = muts[:i] + muts[i + 1 :]
        trial_docs = [
            d for d in docs if d.origin == "memory" or any(m.path == d.rel for m in trial)
        ]
        if check(_with(case, trial), trial_docs):
            muts, docs = trial, trial_docs
        else:
            i += 1
    if failure.channel in ("library", "cli"):  # in-memory documents matter only if they fail
        i = 0
        while i < len(docs) and time.perf_counter() < end:
            trial_docs = docs[:i] + docs[i + 1 :]
            if check(_with(case, muts), trial_docs):
                docs = trial_docs
            else:
                i += 1
    # later mutations of a path override earlier ones: keep the last of each
    last: dict[str, int] = {}
    for idx, m in enumerate(muts):
        if m.content is not None:
            last[m.path] = idx
    muts = [m for idx, m in enumerate(muts) if m.content is None or last[m.path] == idx]

    def shrink(
        data: bytes, rebuild: Callable[[bytes], tuple[Case, list[Doc]]], by_lines: bool
    ) -> bytes:
        units: list[bytes] = (
            data.splitlines(keepends=True)
            if by_lines
            else [data[k : k + 1] for k in range(len(data))]
        )
        if not by_lines and len(units) > 4096:
            step = len(units) // 4096 + 1  # byte chunks, at most 4,096 of them
            units = [data[k : k + step] for k in range(0, len(data), step)]
        chunk = max(1, len(units) // 2)
        while chunk >= 1 and time.perf_counter() < end:
            j = 0
            while j < len(units) and time.perf_counter() < end:
                trial_units = units[:j] + units[j + chunk :]
                if trial_units != units and check(*rebuild(b"".join(trial_units))):
                    units = trial_units
                else:
                    j += chunk
            if chunk == 1 or (not by_lines and chunk * 64 < len(units)):
                break
            chunk //= 2
        return b"".join(units)

    for idx in range(len(muts)):  # 2. shrink each file's content
        m = muts[idx]
        if m.content is None:
            continue

        def rebuild(
            content: bytes,
            idx: int = idx,
            muts: list[Mutation] = muts,
            docs: list[Doc] = docs,
            m: Mutation = m,
        ) -> tuple[Case, list[Doc]]:
            trial = list(muts)
            trial[idx] = Mutation(trial[idx].kind, trial[idx].path, trial[idx].label, content, None)
            trial_docs = [
                d.but(mutate.document_text(content))
                if d.rel == m.path and d.origin == "disk"
                else d
                for d in docs
            ]
            return _with(case, trial), trial_docs

        for by_lines in (True, False):
            content = shrink(muts[idx].content or b"", rebuild, by_lines)
            new_case, new_docs = rebuild(content)
            muts, docs = new_case.mutations, new_docs
    for idx in range(len(docs)):  # 3. shrink in-memory documents
        d = docs[idx]
        if d.origin != "memory":
            continue

        def rebuild_doc(
            content: bytes, idx: int = idx, docs: list[Doc] = docs
        ) -> tuple[Case, list[Doc]]:
            trial_docs = list(docs)
            old = trial_docs[idx]
            trial_docs[idx] = old.but(mutate.document_text(content))
            return _with(case, muts), trial_docs

        for by_lines in (True, False):
            encoded = docs[idx].text.encode("utf-8", "surrogatepass")
            docs = rebuild_doc(shrink(encoded, rebuild_doc, by_lines))[1]
    for idx, m in enumerate(muts):  # 4. smaller generated files
        if m.op and "size" in m.op:
            while m.op["size"] > 4096 and time.perf_counter() < end:
                op = {**m.op, "size": m.op["size"] // 2}
                trial = list(muts)
                trial[idx] = Mutation(m.kind, m.path, m.label, None, op)
                if not check(_with(case, trial), docs):
                    break
                muts, m = trial, trial[idx]
    return _with(case, muts), docs, trials
