"""(b) One ``python -m stepcat_server`` over stdio (``lsp_wire.py``) on a case's tree: each
document opened, changed and queried, plus a few invalid requests; a handler's traceback in the
server's stderr, an error response, a request without a response, a dead server or a slow first
answer is a ``Failure``. The server is restarted after it hangs or dies."""

from __future__ import annotations

import asyncio
import json
import random
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bounds import MB, PER_MB, SLACK
from documents import (
    LANGUAGE,
    Doc,
    _abstract,
    _concrete,
    doc_requests,
    invalid_requests,
)
from failures import Failure, _short, our_frame
from lsp_wire import ABSENT, LspProcess

REQUEST_TIMEOUT = 10.0
INVALID_TIMEOUT = 2.0


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
