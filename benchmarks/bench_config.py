"""Config file benchmark: validating (and fixing) a 1 MB pipeline config against a catalog.

    python benchmarks/bench_config.py [--size-mb 1] [--json out.json]

The config maps node names of the synthetic catalog (N = 1,000) to their config classes, with
a ``configuration.specific`` entry of realistic size per node; a quarter of its keys use the
old class-name format so the fixer has work to do.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from pathlib import Path

from harness import ensure_tree, median_time, report

from catalog_core import StepCatalog
from catalog_core.facts.config_document import read_config
from catalog_core.problems.config_fixer import fix_text
from catalog_core.problems.config_rules import validate


def make_config(manifest: dict, size: int, seed: int = 3) -> str:
    rng = random.Random(seed)
    steps = sorted(manifest["steps"])
    config_types: dict[str, str] = {}
    specific: dict[str, dict] = {}
    while len(json.dumps(specific)) < size * 0.97:
        step = rng.choice(steps)
        jobs = list(manifest["steps"][step]["variants"]) or [None]
        job = rng.choice(jobs)
        node = f"{step}_{job}" if job else step
        cls = f"{step}Config"
        fields = {f"field_{i}": "x" * rng.randrange(10, 60) for i in range(40)}
        specific[node] = {"__model_type__": cls, **({"job_type": job} if job else {}), **fields}
        key = cls if rng.random() < 0.25 and cls not in config_types else node
        config_types[key] = cls
    doc = {
        "configuration": {"shared": {"region": "us-east-1"}, "specific": specific},
        "metadata": {"created_at": "2025-01-01T00:00:00", "config_types": config_types},
    }
    return json.dumps(doc, indent=2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=float, default=1.0)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    root = ensure_tree(1000)
    manifest = json.loads((root / "manifest.json").read_text())
    text = make_config(manifest, int(args.size_mb * 1024 * 1024))
    catalog = StepCatalog(root)
    ctx = catalog.config_context()
    path = Path("bench.json")
    validate(read_config(text), path, ctx)  # warm the catalog's own caches (job types, names)
    runs = [
        median_time(lambda: validate(read_config(text), path, ctx), repeat=1) for _ in range(25)
    ]
    problems = validate(read_config(text), path, ctx)
    start = time.perf_counter()
    json.loads(text)
    loads = time.perf_counter() - start
    fix = median_time(lambda: fix_text(text, ctx), repeat=9)
    results = {
        "size_bytes": len(text.encode()),
        "config_types_keys": text.count('"__model_type__"'),
        "problems_found": len(problems),
        "validate_median_s": statistics.median(runs),
        "validate_p90_s": sorted(runs)[int(len(runs) * 0.9)],
        "json_loads_s": loads,
        "fix_median_s": fix,
    }
    report(results, args.json)


if __name__ == "__main__":
    main()
