"""The documents a campaign sends: each mutated text file, and a few in-memory mutations of
fixture files (``docs_for``); the requests asked about each one at random positions
(``doc_requests``, recorded so that a replay asks the same) and requests a client should never
send (``invalid_requests``)."""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import mutate
from lsp_wire import ABSENT
from mutate import Case, Mutation


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
