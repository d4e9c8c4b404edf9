"""(a) The library and the command line in a forked child (so a hang or a crash is contained
and timed): ``StepCatalog(root)``, ``.problems()``, ``.check_syntax()``, the step lists,
``get_step_info`` on every step, ``search_steps``, ``problems(path)`` of each mutated file,
``set_document`` with each mutated text, then ``catalog_core.cli.main(["check", root, ...])``
in both formats, stdout and stderr captured as strict UTF-8. Every op is bounded (``bounds.py``);
past its bound ``faulthandler`` shows where it is, far past it the child is killed."""

from __future__ import annotations

import contextlib
import faulthandler
import io
import json
import multiprocessing
import os
import re
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import checkout  # noqa: F401  (this checkout's catalog_core, imported lazily below)
import mutate
from failures import Failure, _exc_record, _short, invariant_signature, our_frame
from lsp_wire import MEMORY_LIMIT
from mutate import Case

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
