"""The interface-first layout against the 1.x layout at the same N, in one run (issue 12):
cold index of each (interleaved rounds), the time to read the interfaces alone (the YAML floor),
lookups, and the update of one edited interface.

    python benchmarks/bench_interfaces.py --steps 5000 [--json results/bench_interfaces.json]
"""

from __future__ import annotations

import json
import random
import statistics
import sys
from pathlib import Path

from harness import WORK, arguments, ensure_tree, latencies, median_time, percentile, report

from catalog_core import StepCatalog
from catalog_core.facts.interface_quick import quick_interface
from catalog_core.facts.interface_reader import read_interface


def interface_tree(steps: int) -> Path:
    from synth import generate_interfaces

    root = WORK / f"v2-n{steps}"
    if not (root / "manifest.json").exists():
        generate_interfaces(root, steps)
    return root


def main() -> None:
    args = arguments(__doc__, steps=5000, rounds=3).parse_args()
    v1 = ensure_tree(args.steps)
    v2 = interface_tree(args.steps)
    manifest = json.loads((v2 / "manifest.json").read_text())
    interfaces = [(v2 / s["interface"]) for s in manifest["steps"].values()]
    blobs = [(str(p), p.read_bytes()) for p in interfaces]
    cold_v1, cold_v2, yaml_floor, quick = [], [], [], []
    for _ in range(args.rounds):  # interleaved: the machine's noise hits all alike
        cold_v1.append(median_time(lambda: StepCatalog(v1), repeat=1))
        cold_v2.append(median_time(lambda: StepCatalog(v2), repeat=1))
        yaml_floor.append(median_time(lambda: [read_interface(p, d) for p, d in blobs], repeat=1))
        quick.append(median_time(lambda: [quick_interface(d) for _, d in blobs], repeat=1))
    results: dict[str, object] = {"steps": args.steps, "interfaces": len(interfaces)}
    results["cold_index_1x_s"] = statistics.median(cold_v1)
    results["cold_index_interface_s"] = statistics.median(cold_v2)
    results["interface_over_1x"] = results["cold_index_interface_s"] / results["cold_index_1x_s"]  # type: ignore[operator]
    results["full_reader_all_interfaces_s"] = statistics.median(yaml_floor)
    results["quick_reader_all_interfaces_s"] = statistics.median(quick)
    catalog = StepCatalog(v2)
    rng = random.Random(3)
    names = list(manifest["steps"])
    asked = [rng.choice(names) for _ in range(2000)]
    first = latencies(lambda n: catalog.get_step_info(n), asked)  # type: ignore[arg-type]
    again = latencies(lambda n: catalog.get_step_info(n), asked)  # type: ignore[arg-type]
    results["get_step_info_first_median_s"] = statistics.median(first)
    results["get_step_info_median_s"] = statistics.median(again)
    with_variants = [n for n in names if manifest["steps"][n]["variants"]]
    nodes = [
        f"{n}_{rng.choice(manifest['steps'][n]['variants'])}"
        for n in rng.sample(with_variants, 500)
    ]
    latencies(lambda n: catalog.resolve_pipeline_node(n), nodes)  # type: ignore[arg-type]
    resolved = latencies(lambda n: catalog.resolve_pipeline_node(n), nodes)  # type: ignore[arg-type]
    results["resolve_pipeline_node_median_s"] = statistics.median(resolved)
    times = []
    for path in rng.sample(interfaces, 50):
        original = path.read_bytes()
        path.write_bytes(original + b"# edited\n")
        times.append(median_time(lambda p=path: catalog.update([p]), repeat=1))
        path.write_bytes(original)
        catalog.update([path])
    results["update_one_interface_median_s"] = statistics.median(times)
    results["update_one_interface_p99_s"] = percentile(times, 99)
    print(f"N = {args.steps}: interface-first vs 1.x")
    report(results, args.json)


if __name__ == "__main__":
    sys.exit(main())
