"""The fuzz campaign (issue 10, section 4): mutated fixture catalogs through the library, the
command line and the language server, until a time budget runs out.

One campaign = one case (a fixture tree copied to a temporary folder, 1-4 file mutations and
sometimes a tree operation, see ``mutate/``), then:

(a) in a forked child (``library_run.py``; a hang or a crash is contained and timed):
    ``StepCatalog(root)``, ``.problems()``, ``.check_syntax()``, ``list_available_steps()``,
    ``list_workspaces()``, ``get_step_info`` on every step, ``search_steps``, ``problems(path)``
    of each mutated file, ``set_document`` with each mutated text, then
    ``catalog_core.cli.main(["check", root, "--format", "json"])`` and the text format, stdout
    and stderr captured as strict UTF-8 (as a terminal would);
(b) one ``python -m stepcat_server`` over stdio (``server_run.py``, ``lsp_wire.py``) on the
    same tree: each mutated file and a few in-memory document mutations (``documents.py``) are
    opened and changed, then definition, hover, completion, references, code actions, code
    lenses, workspace symbols, pulled diagnostics and ``stepcat.status`` are requested at random
    positions, plus a few invalid requests.

A failure (``failures.py``) is an exception escaping the public API or a handler, a broken
invariant (a problem without a path or rule, an ``internal-error`` problem, unparsable
``--format json`` output, exit code 2), a request without a response within its timeout, a
server that dies, or an operation slower than ``baseline + 0.5 s + 1 s per MB`` of mutated input
(``bounds.py``). Failures are deduplicated by a signature (channel, exception type and innermost
frame in ``catalog_core``/``stepcat_server``, or the kind of hang), the first of each is
minimised (``minimise.py``) and saved under ``findings/<kind>-<hash>/`` with its files, a
``repro.py`` and the traceback (``finding_folders.py``); the run's summary is ``report.py``.

This module is the entry point: one campaign (``run_campaign``), the loop (``fuzz``) and the
command line. It re-exports every name the harness had before it was split into modules, so
that saved ``repro.py`` files (``campaign.build_tree``, ``campaign.finding_inputs``,
``campaign.replay_server``, ``campaign.bounds_for``...) and tests keep working.

Only the public API is used: ``catalog_core.StepCatalog``, ``catalog_core.cli.main`` and the
server over stdio.

    python tests/fuzz/campaign.py --minutes 10 [--seed S] [--no-server] [--no-minimise]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path

import checkout  # noqa: F401  (first: this checkout's catalog_core and stepcat_server)
import mutate
from bounds import (
    _BASELINES,
    MB,
    OP_PER_MB,
    PER_MB,
    SLACK,
    baseline,
    bounds_for,
    size_kind,
)
from checkout import HERE, REPO, private_cache
from documents import (
    LANGUAGE,
    Doc,
    _abstract,
    _concrete,
    _utf16,
    doc_requests,
    docs_for,
    invalid_requests,
    library_docs,
    positions,
)
from failures import (
    INVARIANTS,
    OUR_CODE,
    Failure,
    _exc_record,
    _short,
    invariant_signature,
    our_frame,
)
from finding_folders import (
    FINDINGS,
    GZIP_OVER,
    LIB_SNIPPETS,
    _kind_of,
    _read_blob,
    _repro_source,
    _write_blob,
    _write_index,
    build_tree,
    existing_finding,
    failure_of,
    finding_inputs,
    load_case,
    load_docs,
    refresh,
    replay_server,
    save_finding,
    verify,
)
from library_run import (
    _WARM,
    CHECKED,
    HARNESS,
    LIB_OPS,
    SEVERITIES,
    LibraryRun,
    _check_each,
    _check_problems,
    _dump_frame,
    _library_child,
    _run_cli,
    run_library,
    search_queries,
    warm_up,
)
from lsp_wire import ABSENT, MEMORY_LIMIT, LspProcess
from minimise import _with, minimise, ops_for, reproduces
from mutate import Case, Mutation
from report import CampaignResult, Summary, _input_kind
from server_run import (
    INVALID_TIMEOUT,
    REQUEST_TIMEOUT,
    ServerRun,
    ServerSession,
    parse_tracebacks,
    run_server,
)

# the names saved repro.py files (and tests) use as ``campaign.<name>``
__all__ = [
    "ABSENT",
    "CHECKED",
    "FINDINGS",
    "GZIP_OVER",
    "HARNESS",
    "HERE",
    "INVALID_TIMEOUT",
    "INVARIANTS",
    "LANGUAGE",
    "LIB_OPS",
    "LIB_SNIPPETS",
    "MB",
    "MEMORY_LIMIT",
    "OP_PER_MB",
    "OUR_CODE",
    "PER_MB",
    "REPO",
    "REQUEST_TIMEOUT",
    "SEVERITIES",
    "SLACK",
    "_BASELINES",
    "_WARM",
    "CampaignResult",
    "Case",
    "Doc",
    "Failure",
    "LibraryRun",
    "LspProcess",
    "Mutation",
    "ServerRun",
    "ServerSession",
    "Summary",
    "_abstract",
    "_check_each",
    "_check_problems",
    "_concrete",
    "_dump_frame",
    "_exc_record",
    "_input_kind",
    "_kind_of",
    "_library_child",
    "_read_blob",
    "_repro_source",
    "_run_cli",
    "_short",
    "_utf16",
    "_with",
    "_write_blob",
    "_write_index",
    "baseline",
    "bounds_for",
    "build_tree",
    "doc_requests",
    "docs_for",
    "existing_finding",
    "failure_of",
    "finding_inputs",
    "fuzz",
    "invalid_requests",
    "invariant_signature",
    "library_docs",
    "load_case",
    "load_docs",
    "main",
    "minimise",
    "mutate",
    "ops_for",
    "our_frame",
    "parse_tracebacks",
    "positions",
    "refresh",
    "replay_server",
    "reproduces",
    "run_campaign",
    "run_library",
    "run_server",
    "save_finding",
    "search_queries",
    "size_kind",
    "verify",
    "warm_up",
]


def run_campaign(
    seed: int,
    *,
    server: bool = True,
    deadline: float | None = None,
    extra_docs: int = 2,
    invalid: int = 3,
) -> CampaignResult:
    start = time.perf_counter()
    deadline = deadline or (start + 3600)
    case = mutate.make_case(seed)
    rng = random.Random(seed ^ 0x5EED)
    docs = docs_for(case, rng, extra_docs)
    tmp = Path(tempfile.mkdtemp(prefix="stepcat-fuzz-"))
    try:
        with private_cache(tmp / ".stepcat-cache"):  # the library run writes it, the server reads
            root = mutate.materialise(case, tmp)
            bounds = bounds_for(case, docs)
            files = [str(root / m.path) for m in case.mutations if m.content is not None]
            lib = run_library(
                root, files, library_docs(root, docs), LIB_OPS, bounds, size_kind(case, docs)
            )
            lib_seconds = time.perf_counter() - start
            srv = None
            if server and time.perf_counter() < deadline:
                ready_bound = 10.0 + bounds["build"] * 2
                srv = asyncio.run(
                    run_server(
                        root, docs, rng, ready_bound, deadline, invalid, rebuild=bounds["build"]
                    )
                )
        failures = lib.failures + (srv.failures if srv else [])
    finally:
        mutate.remove_tree(tmp)
    return CampaignResult(
        case,
        docs,
        failures,
        time.perf_counter() - start,
        lib_seconds,
        srv.seconds if srv else 0.0,
        srv,
    )


def fuzz(
    minutes: float,
    seed: int = 1,
    *,
    server: bool = True,
    minimise_new: bool = True,
    findings: Path | None = FINDINGS,
    extra_docs: int = 2,
    invalid: int = 3,
    max_campaigns: int | None = None,
    log: Callable[[str], None] = print,
) -> Summary:
    """Campaigns until ``minutes`` have passed (or ``max_campaigns`` ran)."""
    import catalog_core

    log(f"catalog_core from {Path(catalog_core.__file__).parent}")
    start = time.perf_counter()
    deadline = start + minutes * 60
    summary = Summary(seed)
    for fixture in sorted(mutate.FIXTURES):
        baseline(fixture)
    i = 0
    while time.perf_counter() < deadline and (max_campaigns is None or i < max_campaigns):
        case_seed = seed * 1_000_003 + i
        i += 1
        # invalid requests in about a third of the campaigns (those pygls drops cost a timeout)
        sends_invalid = invalid if random.Random(case_seed).random() < 0.35 or i == 1 else 0
        try:
            result = run_campaign(
                case_seed,
                server=server,
                deadline=deadline,
                extra_docs=extra_docs,
                invalid=sends_invalid,
            )
        except Exception:  # a bug of the harness itself: say so and go on
            summary.harness_errors += 1
            log(f"[{i:4d}] HARNESS ERROR (seed {case_seed}):\n{traceback.format_exc()}")
            continue
        new = summary.add(result)
        labels = "; ".join(m.label for m in result.case.mutations)
        log(
            f"[{i:4d}] {result.seconds:5.1f} s {result.case.fixture:9s} {labels[:110]}"
            + (f"  FAIL x{len(result.failures)}" if result.failures else "")
        )
        for f in new:
            log(f"       new: {f.signature}")
            if findings is None:
                continue
            done = existing_finding(f.key, findings)
            if done is not None:
                summary.findings[f.signature] = (
                    done.relative_to(REPO).as_posix() if done.is_relative_to(REPO) else str(done)
                )
                continue
            if f.op.startswith("invalid"):  # the request is the input: the unmutated fixture
                folder = save_finding(
                    f, Case(result.case.fixture, result.case.seed), [], 0, findings
                )
            elif not minimise_new:
                folder = save_finding(f, result.case, result.docs, 0, findings)
            else:
                t = time.perf_counter()
                docs = result.docs
                if f.channel == "library" and not reproduces(result.case, f, docs):
                    f.minimal_ops = False  # needs the ops before it
                if not reproduces(result.case, f, docs):
                    summary.flaky.add(f.signature)
                    if f.what == "slow":  # not clearly slow a second time: timing noise
                        log("       (not clearly slow again; not saved)")
                        summary.minimise_seconds += time.perf_counter() - t
                        continue
                    log("       (did not reproduce; saved unminimised)")
                    folder = save_finding(f, result.case, docs, 0, findings)
                else:
                    budget = 45.0 if f.channel == "server" else 60.0
                    try:
                        small, docs, trials = minimise(result.case, f, docs, budget)
                    except Exception:
                        summary.harness_errors += 1
                        log(f"       HARNESS ERROR while minimising:\n{traceback.format_exc()}")
                        small, docs, trials = result.case, result.docs, 0
                    folder = save_finding(f, small, docs, trials, findings)
                    if not refresh(folder):  # repro.py in a fresh interpreter must fail too
                        log("       (the minimised repro.py passes: saved unminimised)")
                        folder = save_finding(f, result.case, result.docs, 0, findings)
                        refresh(folder)
                summary.minimise_seconds += time.perf_counter() - t
            summary.findings[f.signature] = (
                folder.relative_to(REPO).as_posix() if folder.is_relative_to(REPO) else str(folder)
            )
            log(f"       saved {summary.findings[f.signature]}")
    summary.seconds = time.perf_counter() - start
    if findings is not None and summary.findings:
        _write_index(summary, findings)
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python tests/fuzz/campaign.py", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--seed", type=int, default=None, help="default: from the clock (printed)")
    parser.add_argument("--no-server", action="store_true")
    parser.add_argument("--no-minimise", action="store_true")
    parser.add_argument("--no-save", action="store_true", help="do not write findings/")
    parser.add_argument("--campaigns", type=int, default=None, help="stop after this many")
    args = parser.parse_args(argv)
    seed = args.seed if args.seed is not None else int(time.time()) % 100_000
    summary = fuzz(
        args.minutes,
        seed,
        server=not args.no_server,
        minimise_new=not args.no_minimise,
        findings=None if args.no_save else FINDINGS,
        max_campaigns=args.campaigns,
        log=lambda s: print(s, flush=True),
    )
    print()
    print(summary.text())
    return 1 if summary.failures else 0


if __name__ == "__main__":
    sys.exit(main())
