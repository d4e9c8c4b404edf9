"""Catalog engine benchmark: cold index against the floor of the same tree, query latencies,
one-file update, peak RSS and import time.

    python benchmarks/bench_catalog.py [--steps 5000] [--json out.json]

The floor is measured in the same run, interleaved with the index builds: (1) scandir + stat of
every file, (2) reading every file. Each build and floor is the median of several runs.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
from pathlib import Path

from harness import (
    all_files,
    ensure_tree,
    import_time_ms,
    latencies,
    median_time,
    peak_rss_mb,
    read_all,
    report,
)

from catalog_core import StepCatalog


def bench_cold(root: Path, rounds: int) -> dict[str, float]:
    scans, reads, builds = [], [], []
    files = all_files(root)
    for _ in range(rounds):  # interleaved: the machine's noise hits all three alike
        scans.append(median_time(lambda: all_files(root), repeat=1))
        reads.append(median_time(lambda: read_all(files), repeat=1))
        builds.append(median_time(lambda: StepCatalog(root), repeat=1))
    scan, read, build = (statistics.median(v) for v in (scans, reads, builds))
    return {
        "floor_scan_s": scan,
        "floor_read_s": read,
        "cold_index_s": build,
        "cold_over_read_floor": build / read,
    }


def bench_queries(catalog: StepCatalog, manifest: dict, samples: int) -> dict[str, float]:
    rng = random.Random(1)
    steps = list(manifest["steps"])
    names = [rng.choice(steps) for _ in range(samples)]
    with_variants = [n for n in steps if manifest["steps"][n]["variants"]]
    nodes = []
    for _ in range(samples):
        name = rng.choice(with_variants)
        nodes.append(f"{name}_{rng.choice(list(manifest['steps'][name]['variants']))}")
    files = [
        str(Path(catalog.roots[0]) / rng.choice(list(manifest["steps"][n]["files"].values())))
        for n in names
    ]
    queries = [
        "xgb train",
        "tabular preprocessing",
        "PyTorchModel",
        "riskmapping",
        "lgbm eval",
        "bert token",
        "fraud score calibration",
        "onnx",
    ]
    result: dict[str, float] = {}
    for label, fn, args in (
        ("get_step_info", catalog.get_step_info, names),
        ("resolve_pipeline_node", catalog.resolve_pipeline_node, nodes),
        ("find_step_by_component", catalog.find_step_by_component, files),
        ("get_job_type_variants", catalog.get_job_type_variants, names),
    ):
        first = latencies(fn, args)  # first touch of each name (builds the answer)
        again = latencies(fn, args)  # repeated questions (cached answers)
        result[f"{label}_first_median_s"] = statistics.median(first)
        result[f"{label}_median_s"] = statistics.median(first + again)
    catalog.search_steps("warm up the search index")
    result["search_steps_median_s"] = statistics.median(
        latencies(catalog.search_steps, queries * max(1, samples // 200))
    )
    return result


def bench_update(catalog: StepCatalog, manifest: dict, samples: int) -> dict[str, float]:
    rng = random.Random(2)
    root = catalog.roots[0]
    picks = []
    for _ in range(samples):
        name = rng.choice(list(manifest["steps"]))
        _, rel = rng.choice(sorted(manifest["steps"][name]["files"].items()))
        picks.append(root / rel)
    times = []
    for path in picks:
        original = path.read_bytes()
        path.write_bytes(original + b"\n# edited\n")
        times.append(median_time(lambda p=path: catalog.update([p]), repeat=1))
        path.write_bytes(original)
        catalog.update([path])
    registry = root / "src/cursus/registry/step_names.py"
    original = registry.read_bytes()
    registry.write_bytes(original + b"\n# edited\n")
    registry_time = median_time(lambda: catalog.update([registry]), repeat=1)
    registry.write_bytes(original)
    catalog.update([registry])
    return {
        "update_one_file_median_s": statistics.median(times),
        "update_one_file_p90_s": sorted(times)[int(len(times) * 0.9)],
        "update_registry_s": registry_time,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--samples", type=int, default=2000)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    root = ensure_tree(args.steps)
    manifest = json.loads((root / "manifest.json").read_text())
    results: dict[str, float] = {"steps": manifest["step_count"], "files": len(all_files(root))}
    results.update(bench_cold(root, args.rounds))
    catalog = StepCatalog(root)
    results.update(bench_queries(catalog, manifest, args.samples))
    results.update(bench_update(catalog, manifest, min(args.samples, 100)))
    results["peak_rss_mb"] = peak_rss_mb(
        f"from catalog_core import StepCatalog\nStepCatalog({str(root)!r})"
    )
    results["import_catalog_core_ms"] = import_time_ms("import catalog_core")
    results["import_step_catalog_ms"] = import_time_ms("from catalog_core import StepCatalog")
    print(f"N = {results['steps']} steps, {results['files']} files")
    report(results, args.json)


if __name__ == "__main__":
    sys.exit(main())
