"""Importable registry benchmark: lookups through the live ``step_names`` mappings against a
plain dict lookup, and the first access on a fresh root against the engine's cold index.

    python benchmarks/bench_registry.py [--steps 1000] [--json out.json]

Lookups are timed in loops over the same keys (the loop's own cost is in both sides); beside
them, the floor of any mapping written in Python: a ``__getitem__`` that only does ``d[key]``.
The first access (``configure`` then ``STEP_NAMES[name]``: index build plus tables) is measured
interleaved with ``StepCatalog(root)`` builds, each the median of several rounds.
"""

from __future__ import annotations

import json
import random
import statistics
import sys
import timeit
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from harness import arguments, ensure_tree, import_time_ms, median_time, report

import catalog_core
from catalog_core.api.catalog import StepCatalog
from catalog_core.step_names import (
    CONFIG_STEP_REGISTRY,
    STEP_NAMES,
    get_config_step_registry,
    get_step_names,
    workspace_context,
)


class PythonFloor(Mapping[str, Any]):
    """The cheapest mapping Python code can define: one dict lookup per ``__getitem__``."""

    def __init__(self, data: dict[str, Any]) -> None:
        self._data = data

    def __getitem__(self, key: str) -> Any:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)


def loops(keys: list[str], dev: str) -> dict[str, tuple[Callable[[], None], str | None]]:
    """name -> (timed loop, the dev workspace to run it in or None)."""
    plain = get_step_names()
    configs = get_config_step_registry()
    config_keys = [plain[k]["config_class"] for k in keys]
    floor = PythonFloor(plain)
    snapshot = STEP_NAMES.snapshot()

    def subscript(mapping: Mapping[str, Any], ks: list[str]) -> Callable[[], None]:
        def run() -> None:
            for k in ks:
                mapping[k]

        return run

    def get(mapping: Mapping[str, Any]) -> Callable[[], None]:
        def run() -> None:
            for k in keys:
                mapping.get(k)

        return run

    def contains(mapping: Mapping[str, Any]) -> Callable[[], None]:
        def run() -> None:
            for k in keys:
                k in mapping  # noqa: B015

        return run

    return {
        "dict_lookup": (subscript(plain, keys), None),
        "python_mapping_floor": (subscript(floor, keys), None),
        "live_lookup": (subscript(STEP_NAMES, keys), None),
        "live_lookup_in_context": (subscript(STEP_NAMES, keys), dev),
        "snapshot_lookup": (subscript(snapshot, keys), None),
        "dict_config_lookup": (subscript(configs, config_keys), None),
        "live_config_lookup": (subscript(CONFIG_STEP_REGISTRY, config_keys), None),
        "dict_get": (get(plain), None),
        "live_get": (get(STEP_NAMES), None),
        "dict_in": (contains(plain), None),
        "live_in": (contains(STEP_NAMES), None),
    }


def bench_lookups(keys: list[str], dev: str, rounds: int) -> dict[str, float]:
    """Per-lookup ns of each loop, rounds interleaved; ratios are medians of per-round ratios."""
    timed = loops(keys, dev)
    with workspace_context(dev):
        STEP_NAMES[keys[0]]  # the dev context's tables built before timing
    samples: dict[str, list[float]] = {name: [] for name in timed}
    for _ in range(rounds):
        for name, (run, workspace) in timed.items():
            with workspace_context(workspace):
                samples[name].append(timeit.timeit(run, number=20) / 20 / len(keys) * 1e9)
    result = {f"{name}_ns": statistics.median(values) for name, values in samples.items()}
    pairs = {
        "live_lookup": "dict_lookup",
        "live_lookup_in_context": "dict_lookup",
        "python_mapping_floor": "dict_lookup",
        "snapshot_lookup": "dict_lookup",
        "live_config_lookup": "dict_config_lookup",
        "live_get": "dict_get",
        "live_in": "dict_in",
    }
    for name, base in pairs.items():
        ratios = [a / b for a, b in zip(samples[name], samples[base], strict=True)]
        result[f"{name}_over_dict"] = statistics.median(ratios)
    return result


def bench_first_access(root: Path, name: str, rounds: int) -> dict[str, float]:
    colds, firsts = [], []
    kept: list[StepCatalog] = []  # freed after timing, as the library's catalog is
    for _ in range(rounds):  # interleaved: the machine's noise hits both alike
        colds.append(median_time(lambda: kept.append(StepCatalog(root)), repeat=1))
        kept.clear()
        catalog_core.configure(roots=[root])  # forgets the built catalog: next use builds
        firsts.append(median_time(lambda: STEP_NAMES[name], repeat=1))
    cold, first = statistics.median(colds), statistics.median(firsts)
    return {"cold_index_s": cold, "first_access_s": first, "first_access_over_cold": first / cold}


def main() -> None:
    args = arguments(__doc__, steps=1000, rounds=7).parse_args()
    root = ensure_tree(args.steps)
    manifest = json.loads((root / "manifest.json").read_text())
    shared = [n for n, s in manifest["steps"].items() if s["workspace"] == "shared"]
    dev = next(s["workspace"] for s in manifest["steps"].values() if s["workspace"] != "shared")
    results: dict[str, float] = {"steps": manifest["step_count"]}
    results.update(bench_first_access(root, shared[0], args.rounds))
    keys = random.Random(3).choices(shared, k=1000)
    results.update(bench_lookups(keys, dev, args.rounds * 3))
    results["import_step_names_ms"] = import_time_ms(
        "from catalog_core.step_names import STEP_NAMES"
    )
    print(f"N = {results['steps']} steps")
    report(results, args.json)


if __name__ == "__main__":
    sys.exit(main())
