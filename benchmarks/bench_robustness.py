"""Robustness benchmark (issue 10): every reader is linear, and real trees nobody here wrote
index without a crash, a hang or an error-level problem.

    python benchmarks/bench_robustness.py [--json out.json]

1. One generated file of each kind (2 MB and 10 MB: a builder of class lines, a config of
   classes, a contract and a spec of constants, a registry, a DAG module, a pipeline config,
   and a one-line file of each pattern), dropped into a small catalog; the time to index the
   catalog beside the time to index it without the file, and beside reading the file (the floor).
   Bars: 2 MB in <= 1 s, 10 MB in <= 5 s.
2. ``stepcat check`` (in process, syntax check included) and the language server (initialize
   -> ``stepcat.status`` answered) on this Python's standard library and site-packages.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import statistics
import sys
import sysconfig
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from harness import HERE, median_time, report

from catalog_core import Severity, StepCatalog

REPO = HERE.parent
DEMO = REPO / "examples" / "demo"
MB = 1024 * 1024
BARS = {2: 1.0, 10: 5.0}  # seconds per size in MB

Maker = Callable[[int], bytes]


def _repeat(unit: Callable[[int], bytes], size: int) -> bytes:
    parts, total, i = [], 0, 0
    while total < size:
        piece = unit(i)
        parts.append(piece)
        total += len(piece)
        i += 1
    return b"".join(parts)[:size]


KINDS: dict[str, tuple[str, Maker]] = {
    "builder (class lines)": (
        "src/cursus/steps/builders/builder_generated_step.py",
        lambda n: _repeat(lambda i: b"class C%d(Base):\n    pass\n" % i, n),
    ),
    "config (classes)": (
        "src/cursus/steps/configs/config_generated_step.py",
        lambda n: _repeat(
            lambda i: b"class GeneratedConfig%d(BaseModel):\n    x: int = 1\n" % i, n
        ),
    ),
    "contract (constants)": (
        "src/cursus/steps/contracts/generated_contract.py",
        lambda n: _repeat(lambda i: b"C%d = ScriptContract(entry_point='g.py')\n" % i, n),
    ),
    "spec (constants)": (
        "src/cursus/steps/specs/generated_spec.py",
        lambda n: _repeat(
            lambda i: (
                b"S%d = StepSpecification(step_type='X')\nfrom ..contracts import a_contract\n" % i
            ),
            n,
        ),
    ),
    "spec (one line)": (
        "src/cursus/steps/specs/oneline_spec.py",
        lambda n: _repeat(lambda i: b"S%d = StepSpecification(step_type='X'); " % i, n),
    ),
    "registry": (
        "src/cursus/registry/generated_step_names.py",
        lambda n: (
            b"STEP_NAMES = {\n"
            + _repeat(
                lambda i: (
                    b'    "Gen%d": {"config_class": "Gen%dConfig", "sagemaker_step_type": "Utility"},\n'
                    % (i, i)
                ),
                n - 20,
            ).rsplit(b"\n", 1)[0]
            + b"\n}\n"
        ),
    ),
    "registry (being typed)": (
        "src/cursus/registry/typed_step_names.py",
        lambda n: (
            b"STEP_NAMES = {\n"
            + _repeat(lambda i: b'    "Gen%d": {"config_class": "Gen%dConfig",\n' % (i, i), n)
        ),
    ),
    "DAG module": (
        "pipelines/generated_dag.py",
        lambda n: (
            b"from cursus.api.dag.base_dag import PipelineDAG\n"
            + _repeat(lambda i: b'dag.add_node("Package_n%d")\n' % i, n)
        ),
    ),
    "DAG module (one line)": (
        "pipelines/oneline_dag.py",
        lambda n: _repeat(lambda i: b'dag.add_node("Package_n%d"); ' % i, n),
    ),
    "pipeline config JSON": (
        "pipeline_configs/generated.json",
        lambda n: (
            b'{"metadata": {"config_types": {"Package": "PackageConfig"}}, "configuration": {"shared": {'
            + _repeat(lambda i: b'"f%d": "%s", ' % (i, b"x" * 40), n)
            + b'"end": 1}}}'
        ),
    ),
}


def index_seconds(root: Path) -> float:
    return median_time(lambda: StepCatalog(root), repeat=3)


def index_cpu_seconds(root: Path) -> float:
    """The build's CPU time (single-threaded): what the wall time is on a quiet machine, and
    much less disturbed than it when other work shares the cores."""
    times = []
    for _ in range(3):
        start = time.process_time()
        StepCatalog(root)
        times.append(time.process_time() - start)
    return statistics.median(times)


def problems_seconds(root: Path) -> tuple[float, int]:
    """Deriving every problem after the build, and how many there are."""
    catalog = StepCatalog(root)
    start = time.perf_counter()
    count = len(catalog.problems())
    return time.perf_counter() - start, count


def read_floor(path: Path) -> float:
    return median_time(path.read_bytes, repeat=3)


def linear_readers(results: dict[str, object]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "demo"
        shutil.copytree(DEMO, root)
        (root / "pyproject.toml").write_text("[tool.stepcat]\nmax_file_size = 20000000\n")
        base = index_seconds(root)
        base_cpu = index_cpu_seconds(root)
        results["demo catalog, index (baseline)_s"] = base
        for size in BARS:
            for kind, (rel, make) in KINDS.items():
                path = root / rel
                path.write_bytes(make(size * MB))
                seconds = index_seconds(root) - base
                cpu = index_cpu_seconds(root) - base_cpu
                floor = read_floor(path)
                problems, count = problems_seconds(root)
                verdict = "met" if min(seconds, cpu) <= BARS[size] else "MISSED"
                results[f"{kind}, {size} MB: index_s"] = seconds
                results[f"{kind}, {size} MB: index cpu_s"] = cpu
                results[f"{kind}, {size} MB: read floor_s"] = floor
                results[f"{kind}, {size} MB: bar {BARS[size]:.0f} s"] = verdict
                results[f"{kind}, {size} MB: every problem derived_s"] = problems
                results[f"{kind}, {size} MB: problems"] = count
                path.unlink()


def check_tree(root: Path) -> dict[str, object]:
    start = time.perf_counter()
    catalog = StepCatalog(root)
    problems = [*catalog.problems(), *catalog.check_syntax()]
    seconds = time.perf_counter() - start
    errors = [p for p in problems if p.severity is Severity.ERROR]
    return {
        "check_s": seconds,
        "python files read": len(catalog.python_files()),
        "steps": len(catalog.list_available_steps()),
        "problems": len(problems),
        "error-level problems": len(errors),
        "internal errors": sum(p.rule == "internal-error" for p in problems),
    }


async def server_ready(root: Path) -> float:
    sys.path.insert(0, str(REPO / "tests" / "fuzz"))
    from lsp_wire import LspProcess

    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        server = await LspProcess.start(Path(tmp))
        try:
            outcome, _, _ = await server.initialize(root, timeout=120)
            assert outcome == "result", outcome
            while True:
                outcome, value, _ = await server.request(
                    "workspace/executeCommand", {"command": "stepcat.status", "arguments": []}, 120
                )
                if outcome != "result" or value.get("state") != "indexing":
                    break
                await asyncio.sleep(0.05)
            assert outcome == "result" and value.get("state") == "ready", (outcome, value)
            return time.perf_counter() - start
        finally:
            await server.close()


def real_trees(results: dict[str, object]) -> None:
    paths = sysconfig.get_paths()
    for name, root in (("stdlib", paths["stdlib"]), ("site-packages", paths["purelib"])):
        for key, value in check_tree(Path(root)).items():
            results[f"{name}: {key}"] = value
        results[f"{name}: server initialize -> status ready_s"] = asyncio.run(
            server_ready(Path(root))
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    results: dict[str, object] = {}
    linear_readers(results)
    real_trees(results)
    report(results, args.json)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
