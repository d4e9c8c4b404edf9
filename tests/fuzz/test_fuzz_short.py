"""A short, fixed-seed run of the fuzz campaign (the long one is ``python tasks.py fuzz``):
mutated fixture catalogs through the library, the command line and one language server, in
about 25 seconds. Nothing may raise, hang or break an invariant; every request is answered."""

from __future__ import annotations

import asyncio
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import campaign
import mutate

SEED = 20_261_127
LIBRARY_BUDGET = 11.0  # seconds of library + CLI cases
SERVER_DOCS = 10
SMALL = 1024 * 1024  # big generated files are for the long run


def _small_cases(first: int, count: int) -> list[mutate.Case]:
    cases = []
    seed = first
    while len(cases) < count:
        case = mutate.make_case(seed)
        seed += 1
        if case.mutated_bytes() <= SMALL:
            cases.append(case)
    return cases


def _report(failures: list[campaign.Failure]) -> str:
    by_sig = Counter(f.signature for f in failures)
    examples = {f.signature: f for f in failures}
    return "\n".join(
        f"[{n}] {sig}\n{examples[sig].detail[-1500:]}" for sig, n in by_sig.most_common()
    )


def test_mutations_are_deterministic() -> None:
    for seed in (SEED, SEED + 1, SEED + 2):
        assert mutate.make_case(seed).to_json() == mutate.make_case(seed).to_json()
    kinds = {m.kind for s in range(SEED, SEED + 60) for m in mutate.make_case(s).mutations}
    assert kinds >= {"component", "registry", "dag", "config-json", "settings", "tree"}


def test_library_and_cli_survive_mutated_catalogs() -> None:
    start = time.perf_counter()
    failures: list[campaign.Failure] = []
    kinds: Counter[str] = Counter()
    checked = steps = cases = 0
    exits: Counter[object] = Counter()
    for case in _small_cases(SEED, 40):
        if time.perf_counter() - start > LIBRARY_BUDGET:
            break
        rng = random.Random(case.seed)
        docs = campaign.docs_for(case, rng, 1)
        tmp = Path(tempfile.mkdtemp(prefix="stepcat-fuzz-test-"))
        try:
            root = mutate.materialise(case, tmp)
            files = [str(root / m.path) for m in case.mutations if m.content is not None]
            run = campaign.run_library(
                root,
                files,
                campaign.library_docs(root, docs),
                campaign.LIB_OPS,
                campaign.bounds_for(case, docs),
                campaign.size_kind(case, docs),
                margin=3.0,  # timing is judged by the long run; here only gross slowness fails
            )
        finally:
            mutate.remove_tree(tmp)
        cases += 1
        kinds.update(m.kind for m in case.mutations)
        failures += run.failures
        # every op ran to its end (none was skipped for want of a catalog, none was killed)
        assert not run.failures or run.ops, _report(run.failures)
        if not run.failures:
            assert set(run.ops) == set(campaign.LIB_OPS)
        checked += sum(rec.get("checked", 0) for rec in run.ops.values())
        steps += run.ops.get("list", {}).get("steps", 0)
        exits[run.ops.get("cli_json", {}).get("exit")] += 1
    print(
        f"\nlibrary + CLI: {cases} cases in {time.perf_counter() - start:.1f} s; inputs per kind "
        f"{dict(sorted(kinds.items()))}; {checked} problems checked (path, rule, severity, span); "
        f"{steps} steps listed; check exit codes {dict(exits)}; {len(failures)} failures"
    )
    assert not failures, _report(failures)
    assert cases >= 8
    assert checked > 0 and steps > 0  # the invariants were checked on real answers
    assert set(exits) <= {0, 1}


def test_one_server_answers_every_request_on_mutated_documents() -> None:
    start = time.perf_counter()
    case = _small_cases(SEED + 1000, 1)[0]
    rng = random.Random(SEED)
    docs = campaign.docs_for(case, rng, SERVER_DOCS)
    tmp = Path(tempfile.mkdtemp(prefix="stepcat-fuzz-test-"))
    try:
        root = mutate.materialise(case, tmp)
        run = asyncio.run(
            campaign.run_server(
                root,
                docs,
                rng,
                ready_bound=15.0,
                deadline=time.perf_counter() + 20,
                invalid=len(campaign.invalid_requests("file:///x.py")),
                timeout=8.0,
            )
        )
    finally:
        mutate.remove_tree(tmp)
    kinds = Counter(d.kind for d in docs[: run.docs])
    print(
        f"\nserver: {run.docs} documents {dict(sorted(kinds.items()))} in "
        f"{time.perf_counter() - start:.1f} s; {run.requests} requests, {run.answered} answered; "
        f"invalid requests: {run.invalid}; {len(run.failures)} failures"
    )
    assert not run.failures, _report(run.failures)
    assert run.docs == len(docs) >= SERVER_DOCS
    assert run.requests > 10 * run.docs
    assert run.answered == run.requests  # every request, invalid ones included, got a response
    # requests a client should never send are refused with "invalid params", not dropped
    for variant in ("negative-position", "null-position", "references-without-context"):
        assert run.invalid[variant] == "error -32602", (variant, run.invalid[variant])
