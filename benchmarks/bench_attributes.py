"""What ``interface-unknown-config-attribute`` costs (issue 13): every interface's
``compute.*_field`` and ``job_arguments[].source`` checked against its config class chain. The
whole catalog's problems after an edit, and one edited interface's problems (what an editor
pulls), with and without the check, in interleaved rounds on the same catalog; CPU time.

    python benchmarks/bench_attributes.py --steps 5000 [--json results/bench_attributes.json]
"""

from __future__ import annotations

import random
import statistics
import sys
import time

from bench_interfaces import interface_tree
from harness import arguments, report

import catalog_core.features.checking as checking
from catalog_core import StepCatalog


def _cpu(fn: object) -> float:
    start = time.process_time()
    fn()  # type: ignore[operator]
    return time.process_time() - start


def main() -> None:
    args = arguments(__doc__, steps=5000, rounds=5).parse_args()
    root = interface_tree(args.steps)
    interfaces = sorted(root.rglob("*.step.yaml"))
    catalog = StepCatalog(root)
    catalog.problems()  # classes read once, as a running server has
    check = checking._attributes
    variants = {"with": check, "without": lambda db, path: []}
    whole: dict[str, list[float]] = {k: [] for k in variants}
    one: dict[str, list[float]] = {k: [] for k in variants}
    rng = random.Random(5)
    for _ in range(args.rounds):
        for name, fn in variants.items():  # interleaved: the machine's noise hits both alike
            checking._attributes = fn  # type: ignore[assignment]
            path = rng.choice(interfaces)
            text = path.read_text()
            catalog.set_document(path, text + "# edited\n")
            one[name].append(_cpu(lambda p=path: catalog.problems(p)))
            whole[name].append(_cpu(catalog.problems))
            catalog.close_document(path)
    checking._attributes = check  # type: ignore[assignment]
    db = catalog._db
    alone = [_cpu(lambda: [check(db, p) for p in list(db.interfaces)]) for _ in range(args.rounds)]
    results_alone = statistics.median(alone)
    found = [p for p in catalog.problems() if p.rule == "interface-unknown-config-attribute"]
    results: dict[str, object] = {"steps": args.steps, "interfaces": len(interfaces)}
    for name in variants:
        results[f"all_problems_{name}_check_cpu_s"] = statistics.median(whole[name])
        results[f"one_interface_problems_{name}_check_cpu_s"] = statistics.median(one[name])
    results["the_check_alone_all_interfaces_cpu_s"] = results_alone
    results["unknown_attribute_problems"] = len(found)
    print(f"N = {args.steps}: the config attribute check")
    report(results, args.json)


if __name__ == "__main__":
    sys.exit(main())
