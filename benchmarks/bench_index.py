"""Index speed and memory (issues 17 and 10), side by side with a baseline checkout in one run.

    git worktree add --detach /tmp/base19 a3facdf
    python benchmarks/bench_index.py --baseline /tmp/base19 [--steps 5000] [--rounds 5]

(``python tasks.py bench`` runs it without ``--baseline``: this checkout alone.)

Every measurement runs in a fresh interpreter (imports outside the timing), the baseline's and
this checkout's alternately in each round, so the machine's load hits both alike. Wall time
(``_s``) and the process's CPU time (``_cpu_s``, steadier on a shared machine) are reported,
medians over the rounds, with the load average before and after.

- ``cold``: ``StepCatalog(root)`` on the synthetic catalog (``synth.py``, N steps);
- ``peak_rss_mb``: VmHWM after ``get_step_info`` for every step and ``resolve_pipeline_node``
  for every variant node;
- ``get_step_info`` / ``resolve_pipeline_node``: the median per call over that sweep, the first
  time (the answer is built) and again (answered from the index's memo);
- issue 10's three misses: a 2 MB registry of 24,651 rows, the same being typed, a one-line
  DAG module of 70k calls (each dropped into the demo catalog; the demo's own time subtracted),
  the build's CPU time;
- ``warm start`` (this checkout, in each round beside the cold runs, on a copy of the tree):
  a cold build writes the snapshot (timed too: the cold index plus writing the cache), then
  ``StepCatalog(root)`` again with nothing changed, or after 50 random component files were
  edited; every step's answer is then compared with a cold build's of the same tree. Ratios
  are over the baseline's cold index.

The cold index is measured with ``STEPCAT_CACHE=off`` (the index itself, no cache read or
written); the warm runs use a cache folder of their own.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_robustness import DEMO, KINDS, MB
from harness import ensure_tree, report

REPO = Path(__file__).resolve().parents[1]
TEN = ("registry", "registry (being typed)", "DAG module (one line)")

COLD = """
import sys, time, json
from catalog_core import StepCatalog
import catalog_core.api.catalog
t, cpu = time.perf_counter(), time.process_time()
StepCatalog(sys.argv[1])
print(json.dumps({"s": time.perf_counter() - t, "cpu": time.process_time() - cpu}))
"""

ANSWER_ALL = """
import sys, json, time, statistics
from catalog_core import StepCatalog
root = sys.argv[1]
manifest = json.load(open(root + "/manifest.json"))
c = StepCatalog(root)
steps = list(manifest["steps"])
nodes = [n + "_" + v for n, s in manifest["steps"].items() for v in s["variants"]]
perf = time.perf_counter
def sweep(fn, names):
    out = []
    for name in names:
        t = perf(); fn(name); out.append(perf() - t)
    return statistics.median(out)
first_info, first_node = sweep(c.get_step_info, steps), sweep(c.resolve_pipeline_node, nodes)
again_info, again_node = sweep(c.get_step_info, steps), sweep(c.resolve_pipeline_node, nodes)
peak = 0
for line in open("/proc/self/status"):
    if line.startswith("VmHWM:"):
        peak = int(line.split()[1]) / 1024
print(json.dumps({"peak": peak, "first_info": first_info, "first_node": first_node,
                  "again_info": again_info, "again_node": again_node}))
"""

TEN_CPU = """
import sys, time, json
from catalog_core import StepCatalog
import catalog_core.api.catalog
def cpu(root):
    StepCatalog(root)
    runs = []
    for _ in range(3):
        t = time.process_time(); StepCatalog(root); runs.append(time.process_time() - t)
    return sorted(runs)[1]
print(json.dumps({"with": cpu(sys.argv[1]), "without": cpu(sys.argv[2])}))
"""

WARM = """
import hashlib, json, sys, time
from catalog_core import StepCatalog
import catalog_core.api.catalog
root = sys.argv[1]
t, cpu = time.perf_counter(), time.process_time()
c = StepCatalog(root)
s, cpu = time.perf_counter() - t, time.process_time() - cpu
digest = ""
if len(sys.argv) > 2:  # every step's answer, to compare a warm start with a cold build
    manifest = json.load(open(sys.argv[2]))
    text = "".join(c.get_step_info(n).model_dump_json() for n in sorted(manifest["steps"]))
    digest = hashlib.sha256(text.encode()).hexdigest()
print(json.dumps({"s": s, "cpu": cpu, "warm": c._db.warm, "digest": digest}))
"""


def warm_runs(root: Path, cache: Path, changed: int, seed: int) -> dict[str, float | bool]:
    """A snapshot written for ``root`` (its files older than the racy window), then ``changed``
    component files edited, then a warm start timed; its answers compared with a cold build."""
    shutil.rmtree(cache, ignore_errors=True)
    time.sleep(2.1)  # the tree's files leave the racy window
    on = {"STEPCAT_CACHE_DIR": str(cache), "STEPCAT_CACHE": "on"}
    first = run(WARM, REPO, str(root), env=on)  # cold: writes the snapshot
    manifest = str(root / "manifest.json")
    edited = []
    if changed:
        files = sorted(p for p in root.rglob("*.py") if "/scripts/" not in str(p))
        for path in random.Random(seed).sample(files, changed):
            path.write_text(path.read_text() + f"\n# edited {seed}\n")
            edited.append(path)
    warm = run(WARM, REPO, str(root), env=on)
    check = run(WARM, REPO, str(root), manifest, env=on)
    cold = run(WARM, REPO, str(root), manifest, env={"STEPCAT_CACHE": "off"})
    for path in edited:  # undo the edits (a comment line at the end)
        text = path.read_text()
        path.write_text(text[: text.rindex(f"\n# edited {seed}\n")])
    return {
        "first_s": first["s"],
        "first_cpu": first["cpu"],
        "s": warm["s"],
        "cpu": warm["cpu"],
        "warm": bool(warm["warm"]),
        "equal": check["digest"] == cold["digest"],
    }


def run(code: str, checkout: Path, *args: str, env: dict[str, str] | None = None) -> dict:
    env = {
        **os.environ,
        "PYTHONPATH": f"{checkout}{os.pathsep}{checkout / 'server'}",
        "STEPCAT_CACHE": "off",  # the cold index (the warm runs turn the cache on)
        **(env or {}),
    }
    out = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        check=True,
        env=env,
        cwd=checkout,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def ten_catalogs(tmp: Path) -> dict[str, tuple[Path, Path]]:
    """Per issue-10 kind: (demo catalog with the 2 MB file, the demo catalog alone)."""
    bare = tmp / "demo"
    shutil.copytree(DEMO, bare)
    (bare / "pyproject.toml").write_text("[tool.stepcat]\nmax_file_size = 20000000\n")
    out = {}
    for i, kind in enumerate(TEN):
        root = tmp / f"ten{i}"
        shutil.copytree(bare, root)
        rel, make = KINDS[kind]
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(make(2 * MB))
        out[kind] = (root, bare)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--baseline", type=Path, help="a checkout to compare with (without: this one alone)"
    )
    parser.add_argument("--steps", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--root", type=Path, help="a synth.py catalog (default: generated)")
    parser.add_argument("--json", type=Path, default=REPO / "benchmarks/results/bench_index.json")
    args = parser.parse_args()
    root = args.root or ensure_tree(args.steps)
    sides = {"this": REPO}
    if args.baseline is not None:
        sides = {"today": args.baseline.resolve(), "this": REPO}
    runs: dict[str, list[float]] = {}
    load_before = os.getloadavg()

    def keep(label: str, value: float) -> None:
        runs.setdefault(label, []).append(value)

    with tempfile.TemporaryDirectory() as tmp:
        ten = ten_catalogs(Path(tmp))
        tree = root.parent / f"{root.name}-warm"  # beside the tree: same depth, same disk
        shutil.rmtree(tree, ignore_errors=True)
        shutil.copytree(root, tree, symlinks=True)
        for r in range(args.rounds):
            for side, checkout in sides.items():
                cold = run(COLD, checkout, str(root))
                keep(f"{side}: cold index_s", cold["s"])
                keep(f"{side}: cold index_cpu_s", cold["cpu"])
            for label, changed in (("nothing changed", 0), ("50 files changed", 50)):
                warm = warm_runs(tree, Path(tmp) / "cache", changed, r)
                if not changed:
                    keep("this: cold index, writing the cache_s", float(warm["first_s"]))
                    keep("this: cold index, writing the cache_cpu_s", float(warm["first_cpu"]))
                keep(f"this: warm start, {label}_s", float(warm["s"]))
                keep(f"this: warm start, {label}_cpu_s", float(warm["cpu"]))
                keep(f"this: warm start, {label}: restored", float(warm["warm"]))
                keep(f"this: warm start, {label}: answers equal a cold build", float(warm["equal"]))
            for side, checkout in sides.items():
                answers = run(ANSWER_ALL, checkout, str(root))
                keep(f"{side}: peak RSS, every step and node answered_mb", answers["peak"])
                keep(f"{side}: get_step_info, first time, median_s", answers["first_info"])
                keep(f"{side}: get_step_info, again, median_s", answers["again_info"])
                keep(f"{side}: resolve_pipeline_node, first time, median_s", answers["first_node"])
                keep(f"{side}: resolve_pipeline_node, again, median_s", answers["again_node"])
            for kind, (with_file, bare) in ten.items():
                for side, checkout in sides.items():
                    cpu = run(TEN_CPU, checkout, str(with_file), str(bare))
                    keep(f"{side}: {kind}, 2 MB, build_cpu_s", cpu["with"] - cpu["without"])
    shutil.rmtree(tree, ignore_errors=True)
    results: dict[str, object] = {"steps": args.steps, "rounds": args.rounds}
    results["load average before (1, 5, 15 min)"] = " ".join(f"{x:.2f}" for x in load_before)
    for label, values in runs.items():
        results[label] = statistics.median(values)
    for label in list(results):
        if label.startswith("this: "):
            base = results.get("today: " + label[len("this: ") :])
            if isinstance(base, float) and base > 0:
                results["ratio this/today: " + label[len("this: ") :]] = (
                    f"{results[label] / base:.2f}"  # type: ignore[operator]
                )
    for label in list(results):
        if label.startswith(("this: warm start", "this: cold index, writing")) and label.endswith(
            "_s"
        ):
            unit = "_cpu_s" if label.endswith("_cpu_s") else "_s"
            base = results.get(f"today: cold index{unit}")
            if isinstance(base, float) and base > 0:
                results[f"ratio this warm/today cold: {label[6:]}"] = f"{results[label] / base:.2f}"  # type: ignore[operator]
    results["load average after (1, 5, 15 min)"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"N = {args.steps} steps, baseline {args.baseline}")
    report(results, args.json)


if __name__ == "__main__":
    sys.exit(main())
