"""A small JSON-RPC client for driving ``python -m stepcat_server`` over stdio in the fuzz
campaign. It speaks raw JSON (so it can send requests with invalid params), answers the
server's own requests (configuration, registrations, refreshes) and keeps the server's stderr,
so a failing handler's traceback can be matched to the request or document that caused it.

Every wait is bounded: ``request`` returns ``("timeout", None)`` instead of waiting forever, and
``("dead", code)`` when the process has exited.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import resource
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
MEMORY_LIMIT = 4 * 1024**3  # a runaway read (a device file, a huge document) must not take the box


def server_env() -> dict[str, str]:
    """This checkout's code first, whatever is installed."""
    env = dict(os.environ)
    paths = [str(REPO), str(REPO / "server")]
    if env.get("PYTHONPATH"):
        paths.append(env["PYTHONPATH"])
    env["PYTHONPATH"] = os.pathsep.join(paths)
    env["PYTHONUNBUFFERED"] = "1"
    return env


def _limit_memory() -> None:  # pragma: no cover - runs in the child before exec
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


CLIENT_CAPABILITIES: dict[str, Any] = {
    "workspace": {
        "configuration": True,
        "workspaceFolders": True,
        "symbol": {},
        "executeCommand": {},
        "diagnostics": {"refreshSupport": True},
        "codeLens": {"refreshSupport": True},
    },
    "textDocument": {
        "synchronization": {"didSave": True},
        "hover": {"contentFormat": ["markdown", "plaintext"]},
        "completion": {"completionItem": {"documentationFormat": ["markdown"]}},
        "definition": {"linkSupport": True},
        "references": {},
        "codeAction": {},
        "codeLens": {},
        "diagnostic": {},
        "publishDiagnostics": {},
    },
    "window": {"showDocument": {"support": True}},
    "general": {"positionEncodings": ["utf-16"]},
}


class LspProcess:
    """One server process. Use ``await LspProcess.start(root)``, then ``request``/``notify``."""

    def __init__(self, proc: asyncio.subprocess.Process) -> None:
        self.proc = proc
        self.next_id = 0
        self.pending: dict[int, asyncio.Future[tuple[str, Any]]] = {}
        self.notifications: list[tuple[str, Any]] = []
        self.server_requests: list[str] = []
        self.stderr: list[str] = []  # every line the server wrote to stderr
        self.capabilities: dict[str, Any] = {}
        self._tasks = [
            asyncio.create_task(self._read_stdout()),
            asyncio.create_task(self._read_stderr()),
        ]

    @classmethod
    async def start(cls, cwd: Path) -> LspProcess:
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "stepcat_server",
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            cwd=str(cwd),
            env=server_env(),
            preexec_fn=_limit_memory,
            limit=2**26,
        )
        return cls(proc)

    # -- wire --------------------------------------------------------------------------------

    @property
    def alive(self) -> bool:
        return self.proc.returncode is None

    def _send(self, message: dict[str, Any]) -> bool:
        body = json.dumps(message, ensure_ascii=True).encode("ascii")  # lone surrogates as \ud800
        assert self.proc.stdin is not None
        if not self.alive or self.proc.stdin.is_closing():
            return False
        try:
            self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        except (BrokenPipeError, ConnectionResetError, RuntimeError):
            return False
        return True

    async def _drain(self) -> None:
        assert self.proc.stdin is not None
        with contextlib.suppress(BrokenPipeError, ConnectionResetError, RuntimeError):
            await self.proc.stdin.drain()

    async def _read_stdout(self) -> None:
        out = self.proc.stdout
        assert out is not None
        try:
            while True:
                length = None
                while True:
                    line = await out.readline()
                    if not line:
                        return
                    line = line.strip()
                    if not line:
                        break
                    name, _, value = line.partition(b":")
                    if name.lower() == b"content-length":
                        length = int(value)
                if length is None:
                    continue
                body = await out.readexactly(length)
                self._dispatch(json.loads(body))
        except (asyncio.IncompleteReadError, ConnectionResetError, ValueError):
            return
        finally:
            for future in self.pending.values():
                if not future.done():
                    future.set_result(("dead", None))

    async def _read_stderr(self) -> None:
        err = self.proc.stderr
        assert err is not None
        with contextlib.suppress(ValueError, ConnectionResetError):
            while True:
                line = await err.readline()
                if not line:
                    return
                self.stderr.append(line.decode("utf-8", "replace").rstrip("\n"))

    def _dispatch(self, message: dict[str, Any]) -> None:
        if "method" in message and "id" in message:  # the server asks something
            method = message["method"]
            self.server_requests.append(method)
            result: Any = None
            if method == "workspace/configuration":
                items = (message.get("params") or {}).get("items") or []
                result = [None for _ in items]
            elif method == "window/showDocument":
                result = {"success": False}
            self._send({"jsonrpc": "2.0", "id": message["id"], "result": result})
        elif "method" in message:
            self.notifications.append((message["method"], message.get("params")))
        elif "id" in message:
            future = self.pending.pop(message["id"], None)
            if future is not None and not future.done():
                if "error" in message:
                    future.set_result(("error", message["error"]))
                else:
                    future.set_result(("result", message.get("result")))

    # -- API ---------------------------------------------------------------------------------

    async def request(
        self, method: str, params: Any, timeout: float = 10.0
    ) -> tuple[str, Any, float]:
        """``(outcome, value, seconds)``; outcome is result, error, timeout or dead."""
        self.next_id += 1
        rid = self.next_id
        future: asyncio.Future[tuple[str, Any]] = asyncio.get_running_loop().create_future()
        self.pending[rid] = future
        start = time.perf_counter()
        message: dict[str, Any] = {"jsonrpc": "2.0", "id": rid, "method": method}
        if params is not _ABSENT:
            message["params"] = params
        if not self._send(message):
            self.pending.pop(rid, None)
            return "dead", self.proc.returncode, 0.0
        await self._drain()
        try:
            outcome, value = await asyncio.wait_for(future, timeout)
        except asyncio.TimeoutError:
            self.pending.pop(rid, None)
            if not self.alive:
                return "dead", self.proc.returncode, time.perf_counter() - start
            # tell the server we gave up, as an editor would
            self._send({"jsonrpc": "2.0", "method": "$/cancelRequest", "params": {"id": rid}})
            return "timeout", None, time.perf_counter() - start
        if outcome == "dead":
            await asyncio.sleep(0.05)
            return "dead", self.proc.returncode, time.perf_counter() - start
        return outcome, value, time.perf_counter() - start

    async def notify(self, method: str, params: Any) -> bool:
        ok = self._send({"jsonrpc": "2.0", "method": method, "params": params})
        await self._drain()
        return ok

    async def initialize(self, root: Path, timeout: float = 20.0) -> tuple[str, Any, float]:
        uri = root.as_uri()
        outcome = await self.request(
            "initialize",
            {
                "processId": os.getpid(),
                "rootUri": uri,
                "capabilities": CLIENT_CAPABILITIES,
                "workspaceFolders": [{"uri": uri, "name": root.name}],
                "initializationOptions": {"stepcat": {"checkSyntax": True}},
            },
            timeout,
        )
        if outcome[0] == "result" and isinstance(outcome[1], dict):
            self.capabilities = outcome[1].get("capabilities") or {}
        await self.notify("initialized", {})
        return outcome

    async def close(self, timeout: float = 5.0) -> int | None:
        """shutdown + exit, then kill this process if it does not end."""
        if self.alive:
            await self.request("shutdown", None, timeout)
            await self.notify("exit", None)
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self.proc.wait(), timeout)
        if self.alive:
            with contextlib.suppress(ProcessLookupError):
                self.proc.kill()
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self.proc.wait(), timeout)
        for task in self._tasks:
            with contextlib.suppress(asyncio.TimeoutError, asyncio.CancelledError):
                await asyncio.wait_for(task, 2.0)
        return self.proc.returncode


class _Absent:
    def __repr__(self) -> str:
        return "<no params>"


_ABSENT: Any = _Absent()
ABSENT = _ABSENT  # pass as params to send a request without a "params" member
