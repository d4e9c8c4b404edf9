"""The fuzz campaign (issue 10, section 4): mutated fixture catalogs through the library, the
command line and the language server, until a time budget runs out.

One campaign = one case (a fixture tree copied to a temporary folder, 1-4 file mutations and
sometimes a tree operation, see ``mutate.py``), then:

(a) in a forked child (so a hang or a crash is contained and timed): ``StepCatalog(root)``,
    ``.problems()``, ``.check_syntax()``, ``list_available_steps()``, ``list_workspaces()``,
    ``get_step_info`` on every step, ``search_steps``, ``problems(path)`` of each mutated file,
    ``set_document`` with each mutated text, then ``catalog_core.cli.main(["check", root,
    "--format", "json"])`` and the text format, stdout and stderr captured as strict UTF-8 (as
    a terminal would);
(b) one ``python -m stepcat_server`` over stdio (``lsp_wire.py``) on the same tree: each mutated
    file and a few in-memory document mutations are opened and changed, then definition, hover,
    completion, references, code actions, code lenses, workspace symbols, pulled diagnostics and
    ``stepcat.status`` are requested at random positions, plus a few invalid requests.

A failure is an exception escaping the public API or a handler, a broken invariant (a problem
without a path or rule, an ``internal-error`` problem, unparsable ``--format json`` output, exit
code 2), a request without a response within its timeout, a server that dies, or an operation
slower than ``baseline + 0.5 s + 1 s per MB`` of mutated input. Failures are deduplicated by a
signature (channel, exception type and innermost frame in ``catalog_core``/``stepcat_server``, or
the kind of hang), the first of each is minimised and saved under ``findings/<kind>-<hash>/``
with its files, a ``repro.py`` and the traceback.

Only the public API is used: ``catalog_core.StepCatalog``, ``catalog_core.cli.main`` and the
server over stdio.

    python tests/fuzz/campaign.py --minutes 10 [--seed S] [--no-server] [--no-minimise]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import faulthandler
import gzip
import hashlib
import io
import json
import multiprocessing
import os
import random
import re
import resource
import shutil
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
for _p in (str(REPO / "server"), str(REPO), str(HERE)):  # this checkout's code, not an install
    if _p in sys.path:
        sys.path.remove(_p)
    sys.path.insert(0, _p)

import mutate  # noqa: E402
from lsp_wire import ABSENT, MEMORY_LIMIT, LspProcess  # noqa: E402
from mutate import Case, Mutation  # noqa: E402

FINDINGS = HERE / "findings"
OUR_CODE = ("catalog_core/", "stepcat_server/")
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
LIB_OPS = (
    "build",
    "problems",
    "check_syntax",
    "list",
    "info",
    "search",
    "file_problems",
    "document",
    "cli_json",
    "cli_text",
)
SEVERITIES = {"error", "warning", "information", "hint"}
CHECKED = [0]  # problems whose invariants were checked (in the library child)
HARNESS = [0.0]  # seconds the child spent checking answers (not counted as the op's time)
REQUEST_TIMEOUT = 10.0
INVALID_TIMEOUT = 2.0

# -- failures ----------------------------------------------------------------------------------


@dataclass
class Failure:
    channel: str  # library, cli, server
    what: str  # exception, invariant, timeout, slow, crash, hang, died, no-response, error-response
    signature: str
    detail: str  # traceback or explanation
    op: str = ""  # library op, or the server phase / method
    doc: dict[str, Any] | None = None  # the server document (rel, kind, label)
    request: dict[str, Any] | None = None  # the server request that failed
    minimal_ops: bool = True  # reproduces with build + its own op only (library)

    @property
    def key(self) -> str:
        return hashlib.sha1(self.signature.encode("utf-8", "surrogatepass")).hexdigest()[:8]


def our_frame(frames: list[tuple[str, int, str]]) -> str | None:
    """The innermost frame in catalog_core or stepcat_server, as ``path:line in function``."""
    for filename, lineno, func in reversed(frames):
        norm = filename.replace("\\", "/")
        for marker in OUR_CODE:
            i = norm.rfind("/" + marker)
            if i >= 0:
                return f"{norm[i + 1 :]}:{lineno} in {func}"
    return None


def _exc_record(exc: BaseException) -> dict[str, Any]:
    frames = [(f.filename, f.lineno or 0, f.name) for f in traceback.extract_tb(exc.__traceback__)]
    text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    return {
        "type": type(exc).__name__,
        "message": _short(str(exc)),
        "frames": frames,
        "frame": our_frame(frames),
        "traceback": text[-20_000:],
    }


def _short(text: str, limit: int = 300) -> str:
    text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text if len(text) <= limit else text[:limit] + f"... ({len(text)} chars)"


# -- (a) library and command line, in a forked child ---------------------------------------------


def search_queries(steps: list[str]) -> list[str]:
    """What ``search`` is asked: every step's prefix and node name, and odd strings."""
    queries = [
        "",
        " ",
        "_",
        "__",
        "\ud800",
        "a" * 1000,
        "xgb train",
        "pakage",
        "\x00",
        "*",
        "[",
        "(?",
    ]
    for s in steps[:20]:  # each query scans every step: a few are enough
        queries += [s[:4], s.lower(), f"{s}_training", s + "_" * 3]
    return queries


def _check_problems(problems: list[Any], where: str) -> list[str]:
    """Invariants every problem keeps: a path, a rule, a severity, a sane span; no
    ``internal-error`` (the guard caught an exception: still a bug for the campaign)."""
    broken: list[str] = []
    start = time.perf_counter()
    try:
        _check_each(problems, where, broken)
    finally:
        HARNESS[0] += time.perf_counter() - start
    return broken


def _check_each(problems: list[Any], where: str, broken: list[str]) -> None:
    CHECKED[0] += len(problems)
    for p in problems:
        span = p.span
        if p.path is None:
            broken.append(f"{where}: problem without a path: [{p.rule}] {_short(p.message, 120)}")
        if not p.rule or not isinstance(p.rule, str):
            broken.append(f"{where}: problem without a rule: {_short(p.message, 120)}")
        if str(getattr(p.severity, "value", p.severity)) not in SEVERITIES:
            broken.append(f"{where}: problem severity {p.severity!r} [{p.rule}]")
        if min(span.start_line, span.start_character, span.end_line, span.end_character) < 0 or (
            span.end_line,
            span.end_character,
        ) < (span.start_line, span.start_character):
            broken.append(f"{where}: problem span {span} [{p.rule}]")
        if p.rule == "internal-error":
            broken.append(f"{where}: internal-error problem: {_short(p.message, 200)}")


def _run_cli(argv: list[str]) -> tuple[int | None, str, str]:
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="strict", newline="")
    err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="strict", newline="")
    from catalog_core import cli

    code: int | None
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = cli.main(argv)
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 2
        finally:
            with contextlib.suppress(Exception):
                out.flush()
                err.flush()
    stdout = out.buffer.getvalue().decode("utf-8", "replace")  # type: ignore[attr-defined]
    stderr = err.buffer.getvalue().decode("utf-8", "replace")  # type: ignore[attr-defined]
    return code, stdout, stderr


def _library_child(
    conn: Any,
    root: str,
    files: list[str],
    docs: list[tuple[str, str]],
    ops: tuple[str, ...],
    bounds: dict[str, float],
    dump_path: str,
) -> None:
    """Runs in the forked child: every op in order, each reported as it ends."""
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 1000))
    dump = open(dump_path, "w")  # noqa: SIM115 - faulthandler needs a real file for the run
    from catalog_core import StepCatalog

    state: dict[str, Any] = {}

    def op_build() -> list[str]:
        state["catalog"] = StepCatalog(root)
        return []

    def op_problems() -> list[str]:
        return _check_problems(state["catalog"].problems(), "problems()")

    def op_check_syntax() -> list[str]:
        return _check_problems(state["catalog"].check_syntax(), "check_syntax()")

    def op_list() -> list[str]:
        state["steps"] = state["catalog"].list_available_steps()
        state["catalog"].list_workspaces()
        return []

    def op_info() -> list[str]:
        cat = state["catalog"]
        broken = []
        for s in state.get("steps") or cat.list_available_steps():
            if cat.get_step_info(s) is None:
                broken.append(f"get_step_info({s!r}) is None for a listed step")
            cat.get_step_info(f"{s}_training")
            cat.get_step_info(s.lower())
        return broken

    def op_search() -> list[str]:
        cat = state["catalog"]
        for q in search_queries(state.get("steps") or cat.list_available_steps()):
            cat.search_steps(q)
        return []

    def op_file_problems() -> list[str]:
        cat = state["catalog"]
        broken: list[str] = []
        for path in files:
            broken += _check_problems(cat.problems(path), f"problems({Path(path).name!r})")
        return broken

    def op_document() -> list[str]:
        cat = state["catalog"]
        broken: list[str] = []
        for path, text in docs:
            cat.set_document(path, text)
            broken += _check_problems(cat.problems(), f"set_document({Path(path).name!r})")
            cat.close_document(path)
        return broken

    def op_cli(fmt: str) -> list[str]:
        argv = ["check", root, "--format", "json"] if fmt == "json" else ["check", root]
        code, out, err = _run_cli(argv)
        broken = []
        if code not in (0, 1):
            broken.append(
                f"exit code {code}: {_short(err.strip().splitlines()[-1] if err.strip() else '', 300)}"
            )
        if "Traceback" in err or "internal error" in err:
            broken.append(f"stderr: {_short(err, 2000)}")
        checking = time.perf_counter()
        if fmt == "json" and code in (0, 1):
            try:
                rows = json.loads(out)
            except ValueError as exc:
                broken.append(f"--format json output is not JSON: {exc}")
            else:
                rows = rows if isinstance(rows, list) else []
                CHECKED[0] += len(rows)
                state["exit"] = code
                for row in rows:
                    if not row.get("path") or not row.get("rule"):
                        broken.append(f"json problem without path or rule: {_short(str(row), 200)}")
                    if row.get("rule") == "internal-error":
                        broken.append(
                            f"internal-error problem: {_short(row.get('message', ''), 200)}"
                        )
        HARNESS[0] += time.perf_counter() - checking
        return broken

    table: dict[str, Callable[[], list[str]]] = {
        "build": op_build,
        "problems": op_problems,
        "check_syntax": op_check_syntax,
        "list": op_list,
        "info": op_info,
        "search": op_search,
        "file_problems": op_file_problems,
        "document": op_document,
        "cli_json": lambda: op_cli("json"),
        "cli_text": lambda: op_cli("text"),
    }
    for name in ops:
        if name != "build" and not name.startswith("cli") and "catalog" not in state:
            continue  # no catalog to ask
        conn.send(("start", name))
        dump.write(f"=== {name}\n")
        dump.flush()
        faulthandler.dump_traceback_later(bounds.get(name, 30.0), repeat=False, file=dump)
        start = time.perf_counter()
        harness = HARNESS[0]
        checked = CHECKED[0]
        record: dict[str, Any] = {"op": name}
        try:
            record["broken"] = table[name]()
        except BaseException as exc:  # anything escaping is the finding
            record["exception"] = _exc_record(exc)
        finally:
            faulthandler.cancel_dump_traceback_later()
        record["seconds"] = time.perf_counter() - start - (HARNESS[0] - harness)
        record["checked"] = CHECKED[0] - checked
        if name == "list":
            record["steps"] = len(state.get("steps") or [])
        if name == "cli_json":
            record["exit"] = state.get("exit")
        conn.send(("op", record))
    conn.send(("done", None))
    conn.close()
    dump.close()
    os._exit(0)  # skip finalising the forked heap


def _dump_frame(dump_text: str, op: str) -> tuple[str | None, str]:
    """The innermost frame of ours in the main thread's stack faulthandler dumped during ``op``."""
    section = dump_text.split(f"=== {op}\n", 1)[-1].split("\n=== ", 1)[0]
    if "File " not in section:
        return None, ""
    if "in _library_child" in section:  # the harness's frames below it say nothing
        section = section[: section.index("in _library_child")] + "in _library_child"
    frames = []
    for m in re.finditer(r'File "([^"]+)", line (\d+) in (\S+)', section.split("\n\n")[0]):
        frames.append((m.group(1), int(m.group(2)), m.group(3)))
    frames.reverse()  # faulthandler lists the innermost first
    return our_frame(frames), section.strip()


@dataclass
class LibraryRun:
    ops: dict[str, dict[str, Any]] = field(default_factory=dict)
    failures: list[Failure] = field(default_factory=list)


def run_library(
    root: Path,
    files: list[str],
    docs: list[tuple[str, str]],
    ops: tuple[str, ...] = LIB_OPS,
    bounds: dict[str, float] | None = None,
    slow_key: str = "?",
    margin: float = 1.0,
) -> LibraryRun:
    """Run the library and CLI ops on ``root`` in a forked child; every op is bounded: past
    ``bound`` it is slow (and faulthandler shows where it is), past ``max(15 s, 4 x bound)``
    the child is killed."""
    bounds = bounds or {}
    warm_up()
    ctx = multiprocessing.get_context("fork")
    receiver, sender = ctx.Pipe(duplex=False)
    fd, dump_path = tempfile.mkstemp(prefix="stepcat-fuzz-dump-")
    os.close(fd)
    child = ctx.Process(
        target=_library_child,
        args=(sender, str(root), files, docs, ops, bounds, dump_path),
        daemon=True,
    )
    child.start()
    sender.close()
    run = LibraryRun()
    current: str | None = None
    started = time.perf_counter()
    done = False
    killed = False
    while not done:
        limit = max(15.0, 4 * bounds.get(current or "", 5.0)) if current else 30.0
        remaining = limit - (time.perf_counter() - started)
        try:
            ready = receiver.poll(max(remaining, 0))
        except (EOFError, OSError):
            ready = False
        if not ready:  # the op ran past its limit
            if child.is_alive():
                child.kill()
                killed = True
            break
        try:
            kind, payload = receiver.recv()
        except (EOFError, OSError):
            break
        if kind == "start":
            current, started = payload, time.perf_counter()
        elif kind == "op":
            run.ops[payload["op"]] = payload
            current, started = None, time.perf_counter()
        else:
            done = True
    child.join(5)
    if child.is_alive():
        child.kill()
        child.join(5)
    dump_text = Path(dump_path).read_text(errors="replace")
    os.unlink(dump_path)
    receiver.close()
    if not done:
        op = current or "?"
        frame, stack = _dump_frame(dump_text, op)
        channel = "cli" if op.startswith("cli") else "library"
        if killed:
            run.failures.append(
                Failure(
                    channel,
                    "timeout",
                    f"timeout|library+cli|{slow_key}",
                    f"op {op} never ended (killed after {limit:.0f} s); stack when its bound passed:\n{stack}",
                    op,
                )
            )
        else:
            run.failures.append(
                Failure(
                    channel,
                    "crash",
                    f"{channel}|crash|{op}|exit {child.exitcode}",
                    f"the child died in op {op} with exit code {child.exitcode}\n{stack}",
                    op,
                )
            )
    for name, rec in run.ops.items():
        channel = "cli" if name.startswith("cli") else "library"
        exc = rec.get("exception")
        if exc:
            run.failures.append(
                Failure(
                    channel,
                    "exception",
                    f"exception|{exc['type']}|{exc['frame']}",
                    exc["traceback"],
                    name,
                )
            )
        for broken in rec.get("broken") or []:
            run.failures.append(
                Failure(channel, "invariant", invariant_signature(broken), broken, name)
            )
    # slowness: one failure per run (one big input makes several ops slow), at the worst op
    slow = [
        (rec["seconds"] / bounds[name], name, rec["seconds"])
        for name, rec in run.ops.items()
        if name in bounds and rec["seconds"] > margin * bounds[name] and not rec.get("exception")
    ]
    if slow:
        _, worst, _ = max(slow)
        parts = []
        for _, name, seconds in sorted(slow, key=lambda x: LIB_OPS.index(x[1])):
            frame, stack = _dump_frame(dump_text, name)
            parts.append(
                f"op {name} took {seconds:.2f} s, bound {bounds[name]:.2f} s; where it was when "
                f"the bound passed ({frame}):\n{stack}\n"
            )
        channel = "cli" if worst.startswith("cli") else "library"
        run.failures.append(
            Failure(channel, "slow", f"slow|library+cli|{slow_key}", "\n".join(parts), worst)
        )
    return run


INVARIANTS = (  # (what the message says, category), first match wins
    ("problem span", "bad-span"),
    ("without a path", "no-path"),
    ("without a rule", "no-rule"),
    ("severity", "bad-severity"),
    ("internal-error", "internal-error"),
    ("is None for a listed step", "listed-step-without-info"),
    ("exit code", "cli-exit-code"),
    ("stderr:", "cli-stderr-traceback"),
    ("not JSON", "cli-json-unparsable"),
    ("json problem without", "cli-json-no-path-or-rule"),
)


def invariant_signature(broken: str) -> str:
    """One signature per broken invariant and rule, whichever op or file showed it."""
    category = next((c for text, c in INVARIANTS if text in broken), "other")
    rule = re.search(r"\[([\w-]+)\]\s*$", broken)
    return f"invariant|{category}|{rule.group(1) if rule else '-'}"


def size_kind(case: Case, docs: list[Doc] | tuple[Doc, ...] = ()) -> str:
    """The kind of the case's biggest input (what a slow run is blamed on)."""
    sizes = [
        (len(m.content) if m.content is not None else (m.op or {}).get("size", 0), m.kind)
        for m in case.mutations
    ]
    sizes += [(len(d.text), d.kind) for d in docs if d.origin == "memory"]
    return max(sizes)[1] if sizes else "none"


_BASELINES: dict[str, dict[str, float]] = {}
_WARM = [False]


def warm_up() -> None:
    """Load everything the library and CLI import lazily, once, in this process, so that each
    forked child starts warm (its time is then the input's, not the imports')."""
    if _WARM[0]:
        return
    _WARM[0] = True
    from catalog_core import StepCatalog

    tmp = Path(tempfile.mkdtemp(prefix="stepcat-fuzz-warm-"))
    try:
        root = mutate.materialise(Case("demo", 0), tmp)
        catalog = StepCatalog(root)
        catalog.problems()
        catalog.check_syntax()
        catalog.search_steps("xgb")
        _run_cli(["check", str(root), "--format", "json"])
    finally:
        mutate.remove_tree(tmp)


def baseline(fixture: str) -> dict[str, float]:
    """Seconds per op on the unmutated fixture (the linear bound's offset), measured once."""
    if fixture not in _BASELINES:
        tmp = Path(tempfile.mkdtemp(prefix="stepcat-fuzz-base-"))
        try:
            root = mutate.materialise(Case(fixture, 0), tmp)
            best: dict[str, float] = {}
            for _ in range(2):
                run = run_library(root, [], [])
                for name, rec in run.ops.items():
                    best[name] = min(best.get(name, 1e9), rec["seconds"])
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


# -- (b) the language server -----------------------------------------------------------------


@dataclass
class Doc:
    rel: str
    kind: str
    label: str
    base: str  # text first opened (the disk text before the mutation)
    text: str  # the mutated text sent with didChange
    origin: str  # "disk" (the file is mutated on disk too) or "memory" (only the document)
    # the requests sent for it, "@@URI@@" standing for its URI (recorded, so a replay asks the same)
    requests: list[tuple[str, str]] | None = None

    def to_json(self) -> dict[str, Any]:
        return {"rel": self.rel, "kind": self.kind, "label": self.label, "origin": self.origin}

    def but(self, text: str) -> Doc:
        return Doc(self.rel, self.kind, self.label, self.base, text, self.origin, self.requests)


def _abstract(requests: list[tuple[str, Any]], uri: str) -> list[tuple[str, str]]:
    inner = json.dumps(uri)[1:-1]
    return [(m, json.dumps(p, ensure_ascii=True).replace(inner, "@@URI@@")) for m, p in requests]


def _concrete(recorded: list[tuple[str, str]], uri: str) -> list[tuple[str, Any]]:
    inner = json.dumps(uri)[1:-1]
    return [(m, json.loads(p.replace("@@URI@@", inner))) for m, p in recorded]


LANGUAGE = {".py": "python", ".json": "json", ".toml": "toml", ".yaml": "yaml", ".ipynb": "json"}


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def positions(rng: random.Random, text: str, n: int) -> list[dict[str, int]]:
    """Positions in UTF-16 units: inside string literals, anywhere, and past line ends."""
    lines = text.split("\n") or [""]
    spots = []
    quoted = [m.end() for m in re.finditer(r"[\"']", text[:200_000])]
    for _ in range(n):
        r = rng.random()
        if quoted and r < 0.6:
            offset = rng.choice(quoted) + rng.randint(0, 4)
            before = text[:offset]
            line = before.count("\n")
            col = _utf16(before[before.rfind("\n") + 1 :])
        else:
            line = rng.randrange(len(lines) + 1)
            length = _utf16(lines[line]) if line < len(lines) else 0
            col = rng.randint(0, length + 3) if r < 0.9 else length + 50
        spots.append({"line": line, "character": col})
    return spots


def doc_requests(
    rng: random.Random, uri: str, text: str, caps: dict[str, Any]
) -> list[tuple[str, Any]]:
    td = {"uri": uri}
    requests: list[tuple[str, Any]] = []
    for pos in positions(rng, text, 3):
        at = {"textDocument": td, "position": pos}
        requests += [
            ("textDocument/definition", at),
            ("textDocument/hover", at),
            (
                "textDocument/completion",
                {**at, "context": {"triggerKind": 2, "triggerCharacter": '"'}},
            ),
            ("textDocument/references", {**at, "context": {"includeDeclaration": True}}),
        ]
        requests.append(
            (
                rng.choice(
                    (
                        "textDocument/declaration",
                        "textDocument/implementation",
                        "textDocument/typeDefinition",
                    )
                ),
                at,
            )
        )
        if rng.random() < 0.3:
            requests.append(
                (
                    "workspace/executeCommand",
                    {
                        "command": "stepcat.componentsAt",
                        "arguments": [uri, pos["line"], pos["character"]],
                    },
                )
            )
    last = max(text.count("\n"), 0)
    requests += [
        (
            "textDocument/codeAction",
            {
                "textDocument": td,
                "range": {
                    "start": {"line": 0, "character": 0},
                    "end": {"line": last, "character": 0},
                },
                "context": {"diagnostics": []},
            },
        ),
        ("textDocument/codeLens", {"textDocument": td}),
        (
            "workspace/symbol",
            {"query": rng.choice(("", "tabprep", "Cradle", "\ud800", "x" * 300, "_"))},
        ),
        ("workspace/executeCommand", {"command": "stepcat.status", "arguments": []}),
    ]
    if caps.get("diagnosticProvider"):
        requests.append(("textDocument/diagnostic", {"textDocument": td}))
    if rng.random() < 0.2:
        requests.append(
            ("workspace/executeCommand", {"command": "stepcat.listSteps", "arguments": []})
        )
    return requests


def invalid_requests(uri: str) -> list[tuple[str, str, Any]]:
    """(variant, method, params) of requests a client should never send, and some it may."""
    td = {"uri": uri}
    return [
        (
            "negative-position",
            "textDocument/definition",
            {"textDocument": td, "position": {"line": -1, "character": -1}},
        ),
        (
            "huge-line",
            "textDocument/definition",
            {"textDocument": td, "position": {"line": 10**9, "character": 0}},
        ),
        (
            "huge-character",
            "textDocument/hover",
            {"textDocument": td, "position": {"line": 0, "character": 10**9}},
        ),
        ("null-position", "textDocument/definition", {"textDocument": td, "position": None}),
        (
            "references-without-context",
            "textDocument/references",
            {"textDocument": td, "position": {"line": 0, "character": 0}},
        ),
        ("completion-without-params", "textDocument/completion", ABSENT),
        (
            "relative-file-uri",
            "textDocument/definition",
            {"textDocument": {"uri": "file:relative.py"}, "position": {"line": 0, "character": 0}},
        ),
        (
            "nul-in-uri",
            "textDocument/hover",
            {
                "textDocument": {"uri": "file:///tmp/%00bad.py"},
                "position": {"line": 0, "character": 0},
            },
        ),
        (
            "untitled-uri",
            "textDocument/hover",
            {
                "textDocument": {"uri": "untitled:Untitled-1"},
                "position": {"line": 0, "character": 0},
            },
        ),
        ("unknown-method", "stepcat/nonsense", {}),
        (
            "unknown-command",
            "workspace/executeCommand",
            {"command": "stepcat.nonsense", "arguments": []},
        ),
        (
            "openComponent-bad-args",
            "workspace/executeCommand",
            {"command": "stepcat.openComponent", "arguments": [5, "x"]},
        ),
        (
            "componentsAt-bad-args",
            "workspace/executeCommand",
            {"command": "stepcat.componentsAt", "arguments": ["file:///x.py", -1, None]},
        ),
        ("codeLens-no-document", "textDocument/codeLens", {}),
    ]


def parse_tracebacks(lines: list[str]) -> list[dict[str, Any]]:
    """Tracebacks in the server's stderr: type, message, frames, our innermost frame, text."""
    found = []
    i = 0
    while i < len(lines):
        if lines[i].startswith("Traceback (most recent call last):"):
            j = i + 1
            frames = []
            while j < len(lines) and (lines[j].startswith(" ") or not lines[j].strip()):
                m = re.match(r'\s+File "([^"]+)", line (\d+), in (.+)', lines[j])
                if m:
                    frames.append((m.group(1), int(m.group(2)), m.group(3)))
                j += 1
            last = lines[j] if j < len(lines) else ""
            etype = last.split(":", 1)[0].strip().rsplit(".", 1)[-1] or "?"
            found.append(
                {
                    "type": etype,
                    "message": _short(last),
                    "frames": frames,
                    "frame": our_frame(frames),
                    "text": "\n".join(lines[max(0, i - 1) : j + 1]),
                }
            )
            i = j
        else:
            i += 1
    return found


@dataclass
class ServerRun:
    failures: list[Failure] = field(default_factory=list)
    requests: int = 0
    answered: int = 0
    docs: int = 0
    invalid: dict[str, str] = field(default_factory=dict)  # variant -> outcome
    seconds: float = 0.0


class ServerSession:
    """One server over a root, restarted after it hangs or dies."""

    def __init__(self, root: Path, run: ServerRun, timeout: float, rebuild: float = 0.0) -> None:
        self.root = root
        self.run = run
        self.timeout = timeout
        self.rebuild = rebuild  # a settings document's change re-indexes the tree: its bound
        self.proc: LspProcess | None = None
        self.seen_tracebacks = 0
        self.versions: dict[str, int] = {}

    async def start(self, ready_bound: float) -> bool:
        self.proc = await LspProcess.start(self.root.parent)
        self.seen_tracebacks = 0
        self.versions = {}
        outcome, value, _ = await self.proc.initialize(self.root, timeout=max(20.0, ready_bound))
        if outcome != "result":
            self._fail_hang("initialize", outcome, value, None, None)
            return False
        deadline = time.perf_counter() + ready_bound
        while time.perf_counter() < deadline:
            outcome, value, _ = await self.proc.request(
                "workspace/executeCommand",
                {"command": "stepcat.status", "arguments": []},
                self.timeout,
            )
            self.run.requests += 1
            if outcome != "result":
                self._fail_hang("initial-index", outcome, value, None, {"method": "stepcat.status"})
                return False
            self.run.answered += 1
            if isinstance(value, dict) and value.get("state") == "ready":
                self.collect_tracebacks(None, "initial-index")
                return True
            await asyncio.sleep(0.1)
        self._fail_hang(
            "initial-index",
            "timeout",
            "stepcat.status never said ready",
            None,
            {"method": "stepcat.status"},
        )
        return False

    def new_tracebacks(self) -> list[dict[str, Any]]:
        assert self.proc is not None
        found = parse_tracebacks(self.proc.stderr)
        fresh = found[self.seen_tracebacks :]
        self.seen_tracebacks = len(found)
        return [t for t in fresh if t["frame"]]

    def last_cause(self) -> str:
        assert self.proc is not None
        fresh = parse_tracebacks(self.proc.stderr)[self.seen_tracebacks :]  # this input's only
        ours = [t for t in fresh if t["frame"]]
        return f"{ours[-1]['type']}@{ours[-1]['frame']}" if ours else "no traceback"

    def collect_tracebacks(
        self, doc: Doc | None, phase: str, request: dict[str, Any] | None = None
    ) -> None:
        for tb in self.new_tracebacks():
            self.run.failures.append(
                Failure(
                    "server",
                    "exception",
                    f"exception|{tb['type']}|{tb['frame']}",
                    tb["text"][-20_000:],
                    phase,
                    doc.to_json() if doc else None,
                    request,
                )
            )

    def _fail_hang(
        self, phase: str, outcome: str, value: Any, doc: Doc | None, request: dict[str, Any] | None
    ) -> None:
        what = "died" if outcome == "dead" else "hang"
        cause = self.last_cause()
        stderr = "\n".join(self.proc.stderr[-80:]) if self.proc else ""
        self.collect_tracebacks(doc, phase)
        self.run.failures.append(
            Failure(
                "server",
                what,
                f"server|{what}|{phase}|{cause}",
                f"{phase}: {outcome} {_short(repr(value))} (request {_short(json.dumps(request, default=str))})\nlast stderr lines:\n{stderr}",
                phase,
                doc.to_json() if doc else None,
                request,
            )
        )

    async def request(
        self, method: str, params: Any, doc: Doc | None, phase: str
    ) -> tuple[str, Any, float]:
        assert self.proc is not None
        outcome, value, seconds = await self.proc.request(method, params, self.timeout)
        self.run.requests += 1
        request = {"method": method, "params": params}
        if outcome in ("timeout", "dead"):
            self._fail_hang(phase, outcome, value, doc, request)
        else:
            self.run.answered += 1
            if outcome == "error" and value.get("code") not in (-32800, -32602, -32601):
                self.collect_tracebacks(doc, phase)
                if not any(
                    f.doc == (doc.to_json() if doc else None) and f.what == "exception"
                    for f in self.run.failures
                ):
                    self.run.failures.append(
                        Failure(
                            "server",
                            "error-response",
                            f"server|error{value.get('code')}|{method}",
                            _short(json.dumps(value), 4000),
                            phase,
                            doc.to_json() if doc else None,
                            request,
                        )
                    )
        return outcome, value, seconds

    async def send_doc(self, doc: Doc, rng: random.Random, base_latency: float) -> bool:
        """Open, change and query one document; False when the server must be restarted."""
        assert self.proc is not None
        path = self.root / doc.rel
        uri = path.as_uri()
        language = LANGUAGE.get(path.suffix, "plaintext")
        version = self.versions.get(uri, 0) + 1
        if version == 1:
            await self.proc.notify(
                "textDocument/didOpen",
                {
                    "textDocument": {
                        "uri": uri,
                        "languageId": language,
                        "version": version,
                        "text": doc.base,
                    }
                },
            )
            version += 1
        await self.proc.notify(
            "textDocument/didChange",
            {
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{"text": doc.text}],
            },
        )
        self.versions[uri] = version
        self.run.docs += 1
        if doc.requests is None:
            requests = doc_requests(rng, uri, doc.text, self.proc.capabilities)
            doc.requests = _abstract(requests, uri)
        else:
            requests = _concrete(doc.requests, uri)
        first = True
        size = len(doc.text.encode("utf-8", "surrogatepass")) / MB
        bound = base_latency + SLACK + PER_MB * size
        if doc.kind == "settings":  # new settings: the whole (mutated) tree is indexed again
            bound += self.rebuild
        for method, params in requests:
            outcome, _, seconds = await self.request(method, params, doc, "document")
            if outcome in ("timeout", "dead"):
                return False
            if first and seconds > bound:
                self.run.failures.append(
                    Failure(
                        "server",
                        "slow",
                        f"server|slow|document|{doc.kind}",
                        f"first request after didChange of {doc.rel} ({size:.2f} MB) answered in {seconds:.2f} s, bound {bound:.2f} s",
                        "document",
                        doc.to_json(),
                        {"method": method, "params": params},
                    )
                )
            first = False
        if doc.origin == "memory":
            await self.proc.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
            self.versions.pop(uri, None)
        self.collect_tracebacks(doc, "document")
        return True

    async def send_invalid(self, rng: random.Random, uri: str, k: int) -> bool:
        assert self.proc is not None
        chosen = rng.sample(invalid_requests(uri), k)
        results = await asyncio.gather(
            *(self.proc.request(m, p, INVALID_TIMEOUT) for _, m, p in chosen)
        )
        alive = True
        for (variant, method, params), (outcome, value, _) in zip(chosen, results, strict=True):
            self.run.requests += 1
            shown = outcome if outcome != "error" else f"error {value.get('code')}"
            self.run.invalid[variant] = shown
            request = {"method": method, "params": None if params is ABSENT else params}
            if outcome == "timeout":
                self.run.failures.append(
                    Failure(
                        "server",
                        "no-response",
                        f"server|no-response|{variant}",
                        f"{method} {json.dumps(request['params'], default=str)[:300]}: no response in {INVALID_TIMEOUT} s",
                        f"invalid:{variant}",
                        None,
                        request,
                    )
                )
            elif outcome == "dead":
                alive = False
                self._fail_hang(f"invalid:{variant}", outcome, value, None, request)
            else:
                self.run.answered += 1
                if outcome == "error" and value.get("code") == -32603:
                    self.collect_tracebacks(None, f"invalid:{variant}", request)
        if alive:  # the server still answers after them
            outcome, value, _ = await self.request(
                "workspace/executeCommand",
                {"command": "stepcat.status", "arguments": []},
                None,
                "after-invalid",
            )
            alive = outcome == "result"
        self.collect_tracebacks(None, "invalid")
        return alive

    async def close(self) -> None:
        if self.proc is None:
            return
        proc = self.proc
        was_alive = proc.alive
        code = await proc.close()
        self.collect_tracebacks(None, "shutdown")
        if (
            was_alive
            and code not in (0, None)
            and not any(f.what in ("hang", "died") for f in self.run.failures)
        ):
            self.run.failures.append(
                Failure(
                    "server",
                    "died",
                    f"server|exit-code|{code}",
                    "\n".join(proc.stderr[-40:]),
                    "shutdown",
                )
            )
        self.proc = None


async def run_server(
    root: Path,
    docs: list[Doc],
    rng: random.Random,
    ready_bound: float,
    deadline: float,
    invalid: int = 3,
    timeout: float = REQUEST_TIMEOUT,
    rebuild: float = 0.0,
) -> ServerRun:
    run = ServerRun()
    start = time.perf_counter()
    session = ServerSession(root, run, timeout, rebuild)
    try:
        ok = await session.start(ready_bound)
        base_latency = 0.0
        if ok and docs:
            probe = docs[0]
            t = time.perf_counter()
            await session.request(
                "workspace/executeCommand",
                {"command": "stepcat.status", "arguments": []},
                None,
                "baseline",
            )
            base_latency = time.perf_counter() - t
            if invalid:
                ok = await session.send_invalid(rng, (root / probe.rel).as_uri(), invalid)
        for doc in docs:
            if time.perf_counter() > deadline:
                break
            if not ok:  # hung or died: a new server for the remaining documents
                await session.close()
                ok = await session.start(ready_bound)
                if not ok:
                    break
            ok = await session.send_doc(doc, rng, base_latency)
    finally:
        await session.close()
    run.seconds = time.perf_counter() - start
    return run


# -- one campaign ------------------------------------------------------------------------------


def docs_for(case: Case, rng: random.Random, extra: int) -> list[Doc]:
    """The case's mutated text files, then ``extra`` in-memory mutations of fixture files."""
    files = mutate.fixture_files(case.fixture)
    latest: dict[str, Mutation] = {}
    for m in case.mutations:
        if m.content is not None:
            latest[m.path] = m
    docs = []
    for rel, m in latest.items():
        if len(m.content or b"") > mutate.MAX_CONTENT:
            continue
        base = files[rel][1] if rel in files else b""
        docs.append(
            Doc(
                rel,
                m.kind,
                m.label,
                mutate.document_text(base),
                mutate.document_text(m.content or b""),
                "disk",
            )
        )
    by_kind: dict[str, list[str]] = {}
    for r, (k, _) in sorted(files.items()):
        if k != "settings" and r not in latest:
            by_kind.setdefault(k, []).append(r)
    for _ in range(extra):
        if not by_kind:
            break
        rel = rng.choice(by_kind[rng.choice(sorted(by_kind))])  # a kind, then one of its files
        kind, data = files[rel]
        base = mutate.document_text(data)
        text, label = mutate.mutate_text(rng, kind, base)
        docs.append(Doc(rel, kind, label, base, text, "memory"))
    return docs


def library_docs(root: Path, docs: list[Doc]) -> list[tuple[str, str]]:
    return [(str(root / d.rel), d.text) for d in docs if not d.rel.endswith(".toml")]


@dataclass
class CampaignResult:
    case: Case
    docs: list[Doc]
    failures: list[Failure]
    seconds: float
    library_seconds: float
    server_seconds: float
    server: ServerRun | None


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
                run_server(root, docs, rng, ready_bound, deadline, invalid, rebuild=bounds["build"])
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


# -- minimising --------------------------------------------------------------------------------


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


# -- findings ----------------------------------------------------------------------------------

GZIP_OVER = 64 * 1024


def _write_blob(folder: Path, name: str, data: bytes) -> str:
    """Store bytes under ``folder/files`` (gzipped when big); return the relative name."""
    target = folder / "files" / name
    target.parent.mkdir(parents=True, exist_ok=True)
    if len(data) > GZIP_OVER:
        target = target.with_name(target.name + ".gz")
        target.write_bytes(gzip.compress(data, mtime=0))
    else:
        target.write_bytes(data)
    return target.relative_to(folder).as_posix()


def _read_blob(folder: Path, name: str) -> bytes:
    data = (folder / name).read_bytes()
    return gzip.decompress(data) if name.endswith(".gz") else data


def existing_finding(key: str, findings: Path = FINDINGS) -> Path | None:
    found = sorted(findings.glob(f"*-{key}")) if findings.exists() else []
    return found[0] if found else None


def _input_kind(case: Case, failure: Failure) -> str:
    if failure.op.startswith("invalid"):
        return "request"  # an invalid request: the input is the request, not a file
    if failure.doc:
        return failure.doc["kind"]
    return "+".join(sorted({m.kind for m in case.mutations})) or "none"


def _kind_of(case: Case, failure: Failure, docs: list[Doc]) -> str:
    """The input kinds of a minimised case, for its folder name."""
    if failure.op.startswith("invalid"):
        return "request"
    kinds = [failure.doc["kind"]] if failure.doc else []
    if failure.op == "document" or not case.mutations:
        kinds += [d.kind for d in docs]
    kinds += sorted({m.kind for m in case.mutations})
    return "+".join(dict.fromkeys(kinds)) or "tree"


LIB_SNIPPETS = {
    "build": "catalog = StepCatalog(root)",
    "problems": "broken += campaign._check_problems(catalog.problems(), 'problems()')",
    "check_syntax": "broken += campaign._check_problems(catalog.check_syntax(), 'check_syntax()')",
    "list": "steps = catalog.list_available_steps()\ncatalog.list_workspaces()",
    "info": (
        "for s in catalog.list_available_steps():\n"
        "    if catalog.get_step_info(s) is None:\n"
        "        broken.append(f'get_step_info({s!r}) is None for a listed step')\n"
        "    catalog.get_step_info(f'{s}_training')\n"
        "    catalog.get_step_info(s.lower())"
    ),
    "search": "for q in campaign.search_queries(catalog.list_available_steps()):\n    catalog.search_steps(q)",
    "file_problems": "for path in files:\n    broken += campaign._check_problems(catalog.problems(path), path)",
    "document": (
        "for path, text in docs:\n"
        "    catalog.set_document(path, text)\n"
        "    broken += campaign._check_problems(catalog.problems(), f'set_document({path!r})')\n"
        "    catalog.close_document(path)"
    ),
}


def _repro_source(folder: Path, failure: Failure, case: Case) -> str:
    rel = folder.relative_to(REPO).as_posix() if folder.is_relative_to(REPO) else str(folder)
    labels = ", ".join(m.label for m in case.mutations) or "(no file mutation)"
    fuzz = str(HERE)
    head = f'''"""Fuzz finding: {failure.what} in the {failure.channel} ({failure.op}).

signature: {failure.signature}
input: fixture {case.fixture!r}, {labels}
Run: python {rel}/repro.py   (exits 1 while it reproduces; see traceback.txt)
"""

import faulthandler
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
FUZZ = HERE.parents[1] if (HERE.parents[1] / "campaign.py").exists() else Path({fuzz!r})
sys.path.insert(0, str(FUZZ))  # tests/fuzz
import campaign  # noqa: E402  (puts this checkout's catalog_core and stepcat_server first)

faulthandler.dump_traceback_later(120, exit=True)  # a hang prints where it is, then exits
root = campaign.build_tree(HERE)  # the fixture with this folder's files and tree operations
files, docs = campaign.finding_inputs(HERE, root)  # mutated paths; (path, text) documents
print("tree:", root)
'''
    if failure.channel == "cli":  # a terminal with a UTF-8 locale, not C.UTF-8's surrogateescape
        head += 'sys.stdout.reconfigure(errors="strict")  # type: ignore[union-attr]\n'
    if failure.channel == "server":
        return (
            head
            + "\nimport asyncio  # noqa: E402\n\nsys.exit(asyncio.run(campaign.replay_server(HERE, root)))\n"
        )
    body = [
        "import catalog_core.cli  # noqa: E402",
        "from catalog_core import StepCatalog  # noqa: E402",
        "",
        "broken: list[str] = []",
        "start = time.perf_counter()",
    ]
    if failure.channel == "cli":
        argv = (
            ["check", "ROOT", "--format", "json"] if failure.op == "cli_json" else ["check", "ROOT"]
        )
        body.append(
            f"code = catalog_core.cli.main({argv!r}[:1] + [str(root)] + {argv[2:]!r})".replace(
                "'ROOT', ", ""
            )
        )
        body.append("print('exit code', code)")
        body.append("if code not in (0, 1):\n    broken.append(f'exit code {code}')")
    else:
        for op in ops_for(failure):
            if op in LIB_SNIPPETS:
                body.append(LIB_SNIPPETS[op])
    if failure.what in ("slow", "timeout") and failure.op in LIB_OPS:
        body += [
            "seconds = time.perf_counter() - start",
            "case = campaign.load_case(HERE)",
            f"bound = campaign.bounds_for(case, campaign.load_docs(HERE))[{failure.op!r}]",
            "print(f'{seconds:.2f} s, bound {bound:.2f} s')",
            "if seconds > bound:\n    broken.append('slower than the linear bound')",
        ]
    body += ["for line in broken:\n    print('BROKEN:', line)", "sys.exit(1 if broken else 0)"]
    return head + "\n" + "\n".join(b for b in body if b) + "\n"


def save_finding(
    failure: Failure, case: Case, docs: list[Doc], trials: int, findings: Path = FINDINGS
) -> Path:
    folder = findings / f"{_kind_of(case, failure, docs)}-{failure.key}"
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    mutations = []
    for n, m in enumerate(case.mutations):
        entry: dict[str, Any] = {"kind": m.kind, "path": m.path, "label": m.label}
        if m.content is not None:
            entry["file"] = _write_blob(folder, f"{n:02d}-{Path(m.path).name}", m.content)
        else:
            entry["op"] = m.op
        mutations.append(entry)
    doc_entries = []
    on_disk = {e["path"]: e["file"] for e in mutations if "file" in e}
    for n, d in enumerate(docs):
        entry = d.to_json()
        entry["failing"] = failure.doc is not None and entry == failure.doc
        data = d.text.encode("utf-8", "surrogatepass")
        same = on_disk.get(d.rel) if d.origin == "disk" else None
        if same is not None and _read_blob(folder, same) == data:
            entry["text_file"] = same  # the document holds the file's bytes: stored once
        else:
            entry["text_file"] = _write_blob(folder, f"doc{n:02d}-{Path(d.rel).name}.txt", data)
        entry["requests"] = d.requests
        doc_entries.append(entry)
    meta = {
        "signature": failure.signature,
        "channel": failure.channel,
        "what": failure.what,
        "op": failure.op,
        "fixture": case.fixture,
        "seed": case.seed,
        "mutations": mutations,
        "docs": doc_entries,
        "request": failure.request,
        "minimise_trials": trials,
        "minimal_ops": failure.minimal_ops,
    }
    (folder / "case.json").write_text(
        json.dumps(meta, indent=2, ensure_ascii=True, default=str) + "\n"
    )
    (folder / "traceback.txt").write_text(
        f"signature: {failure.signature}\n{failure.what} in {failure.channel} ({failure.op})\n\n{failure.detail}\n",
        errors="backslashreplace",
    )
    (folder / "repro.py").write_text(_repro_source(folder, failure, case))
    return folder


def verify(folder: Path, timeout: float = 240.0) -> bool:
    """Run a finding's repro.py in a fresh interpreter: True when it still fails (exit 1)."""
    import subprocess

    try:
        done = subprocess.run(
            [sys.executable, str(folder / "repro.py")],
            capture_output=True,
            timeout=timeout,
            env={**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), str(REPO / "server")])},
        )
    except subprocess.TimeoutExpired:
        return True  # hangs count (repro.py exits 1 itself after 120 s)
    return done.returncode == 1


def failure_of(folder: Path) -> Failure:
    """The Failure a saved finding records (to regenerate its repro.py)."""
    meta = json.loads((folder / "case.json").read_text())
    detail = (folder / "traceback.txt").read_text().split("\n\n", 1)[-1].strip()
    doc = next((d for d in meta["docs"] if d.get("failing")), None)
    return Failure(
        meta["channel"],
        meta["what"],
        meta["signature"],
        detail,
        meta["op"],
        {k: doc[k] for k in ("rel", "kind", "label", "origin")} if doc else None,
        meta.get("request"),
        meta.get("minimal_ops", True),
    )


def refresh(folder: Path) -> bool:
    """Rewrite a finding's repro.py with this harness's generator; True if it reproduces."""
    failure = failure_of(folder)
    (folder / "repro.py").write_text(_repro_source(folder, failure, load_case(folder)))
    ok = verify(folder)
    meta = json.loads((folder / "case.json").read_text())
    meta["verified"] = ok
    (folder / "case.json").write_text(json.dumps(meta, indent=2, ensure_ascii=True) + "\n")
    return ok


def load_case(folder: Path) -> Case:
    meta = json.loads((folder / "case.json").read_text())
    mutations = []
    for e in meta["mutations"]:
        content = _read_blob(folder, e["file"]) if "file" in e else None
        mutations.append(Mutation(e["kind"], e["path"], e["label"], content, e.get("op")))
    return Case(meta["fixture"], meta["seed"], mutations)


def load_docs(folder: Path) -> list[Doc]:
    meta = json.loads((folder / "case.json").read_text())
    files = mutate.fixture_files(meta["fixture"])
    docs = []
    for e in meta["docs"]:
        text = _read_blob(folder, e["text_file"]).decode("utf-8", "surrogatepass")
        base = mutate.document_text(files[e["rel"]][1]) if e["rel"] in files else ""
        requests = [tuple(r) for r in e["requests"]] if e.get("requests") else None
        docs.append(Doc(e["rel"], e["kind"], e["label"], base, text, e["origin"], requests))  # type: ignore[arg-type]
    return docs


def build_tree(folder: Path) -> Path:
    """Materialise a finding's case in a fresh temporary folder (left for inspection)."""
    return mutate.materialise(load_case(folder), Path(tempfile.mkdtemp(prefix="stepcat-repro-")))


def finding_inputs(folder: Path, root: Path) -> tuple[list[str], list[tuple[str, str]]]:
    case = load_case(folder)
    files = [str(root / m.path) for m in case.mutations if m.content is not None]
    return files, library_docs(root, load_docs(folder))


async def replay_server(folder: Path, root: Path) -> int:
    """Replay a server finding: the documents of ``case.json`` and its failing request."""
    meta = json.loads((folder / "case.json").read_text())
    docs = load_docs(folder)
    rebuild = bounds_for(load_case(folder), docs)["build"]
    session = ServerSession(root, ServerRun(), REQUEST_TIMEOUT, rebuild)
    failures = session.run.failures
    try:
        if await session.start(30.0):
            print("indexed; status answered")
            rng = random.Random(0)  # the positions the minimiser checked
            for d in docs:
                ok = await session.send_doc(d, rng, 0.5)
                print(f"document {d.rel} ({d.label}): {'answered' if ok else 'NOT answered'}")
                if not ok:
                    break
            request = meta.get("request")
            if request and "method" in request and session.proc is not None and session.proc.alive:
                params = request["params"] if request.get("params") is not None else ABSENT
                outcome, value, seconds = await session.proc.request(
                    request["method"], params, REQUEST_TIMEOUT
                )
                print(f"{request['method']}: {outcome} {_short(repr(value))} in {seconds:.2f} s")
                if outcome in ("timeout", "dead"):
                    session._fail_hang("replay", outcome, value, None, request)
                elif outcome == "error" and value.get("code") == -32603:
                    session.collect_tracebacks(None, "replay")
    finally:
        await session.close()
    for f in failures:
        print(f"FAILURE {f.signature}\n{f.detail[-3000:]}\n")
    return 1 if failures else 0


# -- the loop ----------------------------------------------------------------------------------


@dataclass
class Summary:
    seed: int
    campaigns: int = 0
    seconds: float = 0.0
    campaign_seconds: list[float] = field(default_factory=list)
    library_seconds: list[float] = field(default_factory=list)
    server_seconds: list[float] = field(default_factory=list)
    inputs: Counter[str] = field(default_factory=Counter)  # disk mutations per kind
    documents: Counter[str] = field(default_factory=Counter)  # server documents per kind
    requests: int = 0
    answered: int = 0
    failures: Counter[str] = field(default_factory=Counter)  # signature -> occurrences
    failure_kinds: dict[str, Counter[str]] = field(default_factory=dict)  # signature -> input kinds
    channels: dict[str, Counter[str]] = field(
        default_factory=dict
    )  # signature -> library/cli/server
    examples: dict[str, Failure] = field(default_factory=dict)
    findings: dict[str, str] = field(default_factory=dict)  # signature -> folder
    flaky: set[str] = field(default_factory=set)
    invalid: dict[str, Counter[str]] = field(default_factory=dict)
    unreadable_skipped: int = 0
    harness_errors: int = 0
    minimise_seconds: float = 0.0

    def add(self, result: CampaignResult) -> list[Failure]:
        self.campaigns += 1
        self.campaign_seconds.append(result.seconds)
        self.library_seconds.append(result.library_seconds)
        self.server_seconds.append(result.server_seconds)
        for m in result.case.mutations:
            self.inputs[m.kind] += 1
            if m.op and m.op.get("op") == "unreadable" and mutate.RUNNING_AS_ROOT:
                self.unreadable_skipped += 1
        if result.server is not None:
            self.requests += result.server.requests
            self.answered += result.server.answered
            for variant, outcome in result.server.invalid.items():
                self.invalid.setdefault(variant, Counter())[outcome] += 1
            for d in result.docs[: result.server.docs]:
                self.documents[d.kind] += 1
        new = []
        seen_here: set[str] = set()
        for f in result.failures:
            self.failures[f.signature] += 1
            kinds = self.failure_kinds.setdefault(f.signature, Counter())
            kinds[_input_kind(result.case, f)] += 1
            self.channels.setdefault(f.signature, Counter())[f.channel] += 1
            if f.signature not in self.examples and f.signature not in seen_here:
                self.examples[f.signature] = f
                new.append(f)
            seen_here.add(f.signature)
        return new

    def text(self) -> str:
        def avg(xs: list[float]) -> float:
            return sum(xs) / len(xs) if xs else 0.0

        lines = [
            f"stepcat fuzz: {self.campaigns} campaigns in {self.seconds:.0f} s (seed {self.seed}); "
            f"per campaign {avg(self.campaign_seconds):.1f} s on average, {max(self.campaign_seconds, default=0):.1f} s at most "
            f"(library + CLI {avg(self.library_seconds):.1f} s, server {avg(self.server_seconds):.1f} s); minimising {self.minimise_seconds:.0f} s",
            "inputs tried per kind (mutated files and tree operations, each through library, CLI and server): "
            + ", ".join(f"{k} {self.inputs[k]}" for k in sorted(self.inputs)),
            "server documents per kind (opened and changed, then queried): "
            + ", ".join(f"{k} {self.documents[k]}" for k in sorted(self.documents)),
            f"server requests: {self.requests} sent, {self.answered} answered",
        ]
        if self.unreadable_skipped:
            lines.append(
                f"note: running as root, chmod 000 does not hide a folder ({self.unreadable_skipped} unreadable-folder operations were no-ops)"
            )
        if self.harness_errors:
            lines.append(f"harness errors (bugs of the fuzzer, see the log): {self.harness_errors}")
        total = sum(self.failures.values())
        lines.append(f"failures: {len(self.failures)} distinct, {total} in all")
        for sig, count in self.failures.most_common():
            where = self.findings.get(sig, "")
            flaky = " (did not reproduce when minimising)" if sig in self.flaky else ""
            kinds = ", ".join(
                f"{k} {n}" for k, n in self.failure_kinds.get(sig, Counter()).most_common()
            )
            channels = ", ".join(
                f"{k} {n}" for k, n in self.channels.get(sig, Counter()).most_common()
            )
            lines.append(
                f"  [{count:4d}] {sig}{flaky}\n         via: {channels}; inputs: {kinds}"
                + (f"\n         -> {where}" if where else "")
            )
        if self.invalid:
            lines.append("invalid requests (variant: outcomes):")
            for variant in sorted(self.invalid):
                lines.append(
                    f"  {variant}: "
                    + ", ".join(f"{o} x{n}" for o, n in self.invalid[variant].most_common())
                )
        return "\n".join(lines)


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


def _write_index(summary: Summary, findings: Path) -> None:
    """findings/README.md: one row per saved finding (from each folder's case.json)."""
    rows = []
    for folder in sorted(p for p in findings.iterdir() if (p / "case.json").is_file()):
        meta = json.loads((folder / "case.json").read_text())
        sig = meta["signature"]
        count = summary.failures.get(sig)
        seen = f" ({count} in the last run)" if count else ""
        rows.append(
            f"| [`{folder.name}`]({folder.name}/) | {meta['what']} ({meta['channel']}, "
            f"{meta['op']}){seen} | `{sig.replace('|', ' / ')}` |"
        )
    text = (
        "# Fuzz findings\n\nMinimised reproducers saved by `python tasks.py fuzz` (see "
        "`tests/fuzz/campaign.py`). Each folder has `case.json` (fixture, mutations, documents "
        "and the requests sent), `files/`, `traceback.txt` and `repro.py` (`python "
        "tests/fuzz/findings/<folder>/repro.py` exits 1 while it reproduces). Delete a folder "
        "once its failure is fixed and has a regression test.\n\n"
        "| finding | failure | signature |\n|---|---|---|\n"
    )
    (findings / "README.md").write_text(text + "\n".join(rows) + "\n")


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
