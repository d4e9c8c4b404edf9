"""What the campaign reports: a ``Failure`` (channel, kind, signature, detail) and the helpers
that build signatures: the innermost frame in ``catalog_core``/``stepcat_server`` of an
exception, and one category per broken invariant."""

from __future__ import annotations

import hashlib
import re
import traceback
from dataclasses import dataclass
from typing import Any

OUR_CODE = ("catalog_core/", "stepcat_server/")


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
