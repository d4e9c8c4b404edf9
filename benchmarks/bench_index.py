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
- ``floor``: what restoring a persisted *linked* index would at least cost in this checkout
  (JSON of records, facts, links and claims decoded, the objects rebuilt, every file stat'ed),
  beside this checkout's cold index in the same process: the argument of benchmarks/README.md
  "Persisted index".
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
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

FLOOR = """
import gc, json, os, sys, time
from catalog_core import StepCatalog
from catalog_core.facts.pyfacts import ContractImport, PyFacts, StepTypeRef
from catalog_core.index.linker import Link
from catalog_core.index.records import ComponentRecord
from catalog_core.models import ComponentType
root = sys.argv[1]
StepCatalog(root)
t = time.process_time(); db = StepCatalog(root)._db; cold = time.process_time() - t
def facts(f):
    if f is None:
        return None
    st = f.step_type
    return [f.classes, f.constants, f.entry_point,
            [st.name, st.job_type, st.literal, st.span] if st else None,
            [[i.module, i.span] for i in f.contract_imports]]
text = json.dumps({
    "records": [[r.path, r.kind.value, r.workspace, r.tree, r.rel, r.mtime_ns, facts(r.facts)]
                for r in db.table.records.values()],
    "links": [[k, l.step, {a.value: b for a, b in l.components.items()}, l.variants,
               [[a.value, b, c] for a, b, c in l.duplicates], sorted(l.deps)]
              for k, l in db.graph.links.items()],
    "claims": [[p, c] for p, c in db.graph.claim_by_path.items()],
}, separators=(",", ":"))
gc.disable()
K = {k.value: k for k in ComponentType}
t = time.process_time()
data = json.loads(text)
decoded = time.process_time() - t
records = {}
for path, kind, ws, tree, rel, mtime, f in data["records"]:
    r = ComponentRecord(path, K[kind], ws, tree, rel, mtime)
    if f is not None:
        st = f[3]
        r.facts = PyFacts(
            [tuple(x) for x in f[0]], [tuple(x) for x in f[1]],
            tuple(f[2]) if f[2] else None,
            StepTypeRef(st[0], st[1], st[2], tuple(st[3])) if st else None,
            [ContractImport(m, tuple(s)) for m, s in f[4]])
    records[path] = r
provides = {}
for r in records.values():
    r.provided = tuple(r.keys())
    for k in r.provided:
        provides.setdefault(k, []).append(r.path)
links, deps = {}, {}
for key, step, comps, variants, dups, ds in data["links"]:
    link = Link(step, key[0])
    link.components = {K[a]: b for a, b in comps.items()}
    link.variants = variants
    link.duplicates = [(K[a], b, c) for a, b, c in dups]
    link.deps = {tuple(d) for d in ds}
    links[tuple(key)] = link
    for d in link.deps:
        deps.setdefault(d, []).append(tuple(key))
rebuilt = time.process_time() - t - decoded
t = time.process_time()
for p in records:
    os.stat(p)
stats = time.process_time() - t
print(json.dumps({"cold": cold, "mb": len(text) / 1e6, "decode": decoded, "objects": rebuilt,
                  "stat": stats}))
"""


def run(code: str, checkout: Path, *args: str) -> dict:
    env = {**os.environ, "PYTHONPATH": f"{checkout}{os.pathsep}{checkout / 'server'}"}
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
        for _ in range(args.rounds):
            for side, checkout in sides.items():
                cold = run(COLD, checkout, str(root))
                keep(f"{side}: cold index_s", cold["s"])
                keep(f"{side}: cold index_cpu_s", cold["cpu"])
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
        floor = run(FLOOR, REPO, str(root))
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
    results["floor: cold index (same process)_cpu_s"] = floor["cold"]
    results["floor: persisted linked index, JSON_mb"] = floor["mb"]
    results["floor: json.loads_cpu_s"] = floor["decode"]
    results["floor: records, facts, key table, links rebuilt_cpu_s"] = floor["objects"]
    results["floor: stat of every component file_cpu_s"] = floor["stat"]
    total = floor["decode"] + floor["objects"] + floor["stat"]
    results["floor: total over cold"] = f"{total / floor['cold']:.2f}"
    results["load average after (1, 5, 15 min)"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"N = {args.steps} steps, baseline {args.baseline}")
    report(results, args.json)


if __name__ == "__main__":
    sys.exit(main())
