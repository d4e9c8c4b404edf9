"""A finding's folder, ``findings/<kind>-<hash>/``: saved (``case.json``, ``files/``,
``traceback.txt`` and a generated ``repro.py``), loaded back, verified by running its
``repro.py`` in a fresh interpreter, and listed in ``findings/README.md``. ``build_tree``,
``finding_inputs`` and ``replay_server`` are what a ``repro.py`` calls (through ``campaign``)."""

from __future__ import annotations

import gzip
import json
import os
import random
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

import mutate
from bounds import bounds_for
from checkout import HERE, REPO
from documents import Doc, library_docs
from failures import Failure, _short
from library_run import LIB_OPS
from lsp_wire import ABSENT
from minimise import ops_for
from mutate import Case, Mutation
from report import Summary
from server_run import REQUEST_TIMEOUT, ServerRun, ServerSession

FINDINGS = HERE / "findings"

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
import signal
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
FUZZ = HERE.parents[1] if (HERE.parents[1] / "campaign.py").exists() else Path({fuzz!r})
sys.path.insert(0, str(FUZZ))  # tests/fuzz
import campaign  # noqa: E402  (puts this checkout's catalog_core and stepcat_server first)

# A hang prints where it is, then exits. An alarm, not faulthandler's watchdog thread: a
# child forked while that thread is armed blocks at its own first dump_traceback_later.
faulthandler.register(signal.SIGALRM, all_threads=True, chain=True)
signal.alarm(120)
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
