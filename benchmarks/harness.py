"""Small timing helpers shared by the benchmarks: their common options, medians, percentiles,
floors, peak RSS, and the report every benchmark prints (and writes as JSON)."""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORK = HERE / ".work"


def arguments(doc: str, *, steps: int, rounds: int) -> argparse.ArgumentParser:
    """The options of a benchmark over a synthetic catalog: ``--steps`` (its size), ``--rounds``
    and ``--json`` (where to write the results); described by the first line of ``doc``."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--steps", type=int, default=steps)
    parser.add_argument("--rounds", type=int, default=rounds)
    parser.add_argument("--json", type=Path)
    return parser


def median_time(fn: Callable[[], object], repeat: int = 5) -> float:
    """Median wall time of ``fn`` in seconds (garbage collected before each run)."""
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def latencies(fn: Callable[[object], object], args: list[object]) -> list[float]:
    """Per-call wall times of ``fn(arg)`` for each arg, in seconds."""
    out = []
    perf = time.perf_counter
    for arg in args:
        start = perf()
        fn(arg)
        out.append(perf() - start)
    return out


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]


def all_files(root: Path) -> list[str]:
    files: list[str] = []
    stack = [str(root)]
    while stack:
        with os.scandir(stack.pop()) as it:
            for entry in it:
                if entry.is_dir(follow_symlinks=False):
                    stack.append(entry.path)
                elif entry.name != "manifest.json":
                    entry.stat()
                    files.append(entry.path)
    return files


def read_all(files: list[str]) -> int:
    total = 0
    for path in files:
        with open(path, "rb") as handle:
            total += len(handle.read())
    return total


def peak_rss_mb(code: str) -> float:
    """Peak resident set size (MB) of a fresh interpreter running ``code``.

    Read from VmHWM in /proc/self/status: ``ru_maxrss`` survives ``execve`` on Linux, so a child
    spawned by a large benchmark process would report the parent's peak instead of its own."""
    probe = (
        f"{code}\n"
        "for line in open('/proc/self/status'):\n"
        "    if line.startswith('VmHWM:'):\n"
        "        print(int(line.split()[1]))\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return int(out.stdout.strip().splitlines()[-1]) / 1024


def import_time_ms(statement: str, repeat: int = 7) -> float:
    """Median time of ``statement`` in a fresh interpreter (interpreter start excluded)."""
    code = f"import time\nt = time.perf_counter()\n{statement}\nprint(time.perf_counter() - t)\n"
    runs = []
    for _ in range(repeat):
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        runs.append(float(out.stdout.strip()) * 1000)
    return statistics.median(runs)


def ensure_tree(steps: int, **kwargs: object) -> Path:
    """The synthetic tree of ``steps`` steps under benchmarks/.work (generated once)."""
    sys.path.insert(0, str(HERE))
    from synth import generate

    root = WORK / f"n{steps}"
    if not (root / "manifest.json").exists():
        generate(root, steps, **kwargs)  # type: ignore[arg-type]
    return root


def fmt_us(seconds: float) -> str:
    return f"{seconds * 1e6:.1f} µs"


def fmt_ms(seconds: float) -> str:
    return f"{seconds * 1e3:.1f} ms"


def _shown(key: str, value: object) -> str:
    """A result by its key's unit suffix: ``_s`` seconds, ``_ns`` nanoseconds, else as is."""
    if key.endswith("_s") and isinstance(value, float):
        return fmt_us(value) if value < 1e-3 else fmt_ms(value)
    if key.endswith("_ns") and isinstance(value, float):
        return f"{value:.1f} ns"
    return f"{value:.2f}" if isinstance(value, float) else str(value)


def report(results: dict[str, object], json_path: Path | None) -> None:
    """Print every result, one a line, and write them all as JSON when asked."""
    width = max(map(len, results), default=0) + 2
    for key, value in results.items():
        print(f"  {key:{width}} {_shown(key, value)}")
    if json_path is not None:
        json_path.write_text(json.dumps(results, indent=2))
