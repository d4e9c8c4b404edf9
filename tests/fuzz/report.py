"""What one campaign produced (``CampaignResult``) and what a run adds up to (``Summary``:
inputs and documents per kind, requests, failures by signature with their channels and input
kinds, invalid requests' outcomes), printed at the end of ``python tasks.py fuzz``."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import mutate
from documents import Doc
from failures import Failure
from mutate import Case
from server_run import ServerRun


@dataclass
class CampaignResult:
    case: Case
    docs: list[Doc]
    failures: list[Failure]
    seconds: float
    library_seconds: float
    server_seconds: float
    server: ServerRun | None


def _input_kind(case: Case, failure: Failure) -> str:
    if failure.op.startswith("invalid"):
        return "request"  # an invalid request: the input is the request, not a file
    if failure.doc:
        return failure.doc["kind"]
    return "+".join(sorted({m.kind for m in case.mutations})) or "none"


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
