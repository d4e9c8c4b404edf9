"""The installed framework end to end (issue 13): start-up with the environment found and its
framework indexed, and config-field hover and completion through ``StepCatalog``.

    python benchmarks/bench_installed.py [--packages 300] [--steps 40] [--rounds 15] [--json out]

A real venv in the project's ``.venv`` (``bench_environment.build``: N generated packages with
dist-info, ``.pth`` files, editable finders, two small step-catalog packages) plus ``bfw``: a
framework package with a registry and ``--steps`` step configs of ~15 KB, each inheriting 3
levels of fields (``bench_fields.generate``). The project holds a pipeline config with every step
as a node. Each figure beside its floor or baseline, measured in the same run, interleaved:

1. Start-up: ``find_framework`` alone (bar: <= 100 ms), beside the floor (one ``scandir`` of
   site-packages); the same search with 0 packages installed (N must not matter); the catalog
   built over the project without and with the framework (what indexing the package adds).
2. Field hover, first time: a fresh catalog, ``field_key_at`` + ``field_card`` on one node's
   key (the class chain read and resolved; bar <= 500 ms), beside a step-name hover on the same
   fresh catalog (the existing feature, baseline: it computes every problem, the config's
   field checks included); the config file's problems on a fresh catalog (every node's chain).
3. Once resolved: hover and completion on keys of every node, p50 / p99 (bar p99 <= 50 ms).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # this checkout's catalog_core

from bench_environment import build as build_venv
from bench_environment import dist_info, interleaved, write
from bench_fields import generate
from harness import percentile, report

from catalog_core.api import StepCatalog, find_framework

BARS = {"discovery": 0.100, "first": 0.500, "resolved_p99": 0.050}


def add_framework(site: Path, scratch: Path, steps: int) -> list[str]:
    """``bfw`` in site-packages: registry, specs folder, step configs. Returns the step names."""
    generate(scratch, steps)
    shutil.move(str(scratch / "src" / "bfw"), str(site / "bfw"))
    names = [f"Step{n:03d}" for n in range(steps)]
    rows = "".join(
        f'    "{s}": {{"config_class": "{s}Config", "builder_step_name": "{s}StepBuilder", '
        f'"spec_type": "{s}", "sagemaker_step_type": "Processing", "description": "step"}},\n'
        for s in names
    )
    write(
        site,
        {
            "bfw/registry/__init__.py": "",
            "bfw/registry/step_names.py": f"STEP_NAMES = {{\n{rows}}}\n",
        },
    )
    write(site, {"bfw/steps/specs/__init__.py": "", "bfw/steps/__init__.py": ""})
    write(site, dist_info("bfw", "3.0.0", "bfw"))
    return names


def write_config(project: Path, names: list[str]) -> Path:
    specific = {n: {f"step{int(n[4:])}_setting_0": "x", "processing_setting_0": "y"} for n in names}
    config = {
        "configuration": {"shared": {"pipeline_setting_0": "v"}, "specific": specific},
        "metadata": {"config_types": {n: f"{n}Config" for n in names}},
    }
    path = project / "pipeline_config" / "config.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(config, indent=2))
    return path


def cursor(text: str, needle: str) -> tuple[int, int]:
    for number, line in enumerate(text.split("\n")):
        if needle in line:
            return number, line.index(needle) + 2
    raise AssertionError(needle)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--packages", type=int, default=300)
    parser.add_argument("--steps", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="bench-installed-"))
    try:
        run(root, args)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def run(root: Path, args: argparse.Namespace) -> None:
    (root / "big").mkdir()
    (root / "small").mkdir()
    _, project, site = build_venv(root / "big", args.packages)
    names = add_framework(site, root / "scratch", args.steps)
    config = write_config(project, names)
    _, empty_project, _ = build_venv(root / "small", 0)
    env: dict[str, str] = {}
    results: dict[str, object] = {"packages": args.packages, "steps": args.steps}

    def scandir_floor() -> None:
        with os.scandir(site) as entries:
            for _ in entries:
                pass

    medians = interleaved(
        {
            "floor_scandir_s": scandir_floor,
            "find_framework_s": lambda: find_framework(project, env=env),
            "find_framework_0_packages_s": lambda: find_framework(empty_project, env=env),
            "catalog_without_framework_s": lambda: StepCatalog([project]),
            "catalog_with_framework_s": lambda: StepCatalog(
                [project], framework=find_framework(project, env=env)
            ),
        },
        rounds=args.rounds,
    )
    results.update(medians)
    framework = find_framework(project, env=env)
    results["packages_with_step_catalog"] = len(framework.packages)
    text = config.read_text()
    dag_text = 'dag.add_node("Step001")\n'
    dag = project / "dag.py"
    dag.write_text(dag_text)

    first_field: list[float] = []
    first_step: list[float] = []
    for r in range(args.rounds):
        catalog = StepCatalog([project], framework=framework)
        name = names[r % len(names)]
        line, col = cursor(text, f'"step{int(name[4:])}_setting_0"')
        start = time.perf_counter()
        at = catalog.field_key_at(str(config), text, line, col)
        assert at is not None and catalog.field_card(str(config), text, at, None) is not None
        first_field.append(time.perf_counter() - start)
        start = time.perf_counter()
        ref = catalog.name_at(str(dag), dag_text, 0, 15)
        assert ref is not None and catalog.step_card(ref.name, None) is not None
        first_step.append(time.perf_counter() - start)
    first_problems: list[float] = []
    for _ in range(max(args.rounds // 3, 3)):
        catalog = StepCatalog([project], framework=framework)
        start = time.perf_counter()
        catalog.problems(config)
        first_problems.append(time.perf_counter() - start)
    results["config_problems_first_median_s"] = statistics.median(first_problems)
    results["field_hover_first_median_s"] = statistics.median(first_field)
    results["field_hover_first_max_s"] = max(first_field)
    results["step_hover_first_median_s"] = statistics.median(first_step)

    catalog = StepCatalog([project], framework=framework)
    hovers: list[float] = []
    completions: list[float] = []
    cursors = [cursor(text, f'"step{int(n[4:])}_setting_0"') for n in names]
    for line, col in cursors:  # resolve once
        at = catalog.field_key_at(str(config), text, line, col)
        assert at is not None
        catalog.field_card(str(config), text, at, None)
    typed_lines = text.split("\n")
    for _ in range(max(args.rounds // 3, 3)):
        for line, col in cursors:
            start = time.perf_counter()
            at = catalog.field_key_at(str(config), text, line, col)
            assert at is not None and catalog.field_card(str(config), text, at, None)
            hovers.append(time.perf_counter() - start)
            typed = "\n".join([*typed_lines[: line + 1], '        "proc', *typed_lines[line + 1 :]])
            start = time.perf_counter()
            result = catalog.complete_fields(str(config), typed, line + 1, 13, None)
            assert result is not None and result.items
            completions.append(time.perf_counter() - start)
    results["field_hover_resolved_p50_s"] = percentile(hovers, 50)
    results["field_hover_resolved_p99_s"] = percentile(hovers, 99)
    results["field_completion_resolved_p50_s"] = percentile(completions, 50)
    results["field_completion_resolved_p99_s"] = percentile(completions, 99)
    results["config_bytes"] = len(text)
    results["bars"] = {
        "discovery (find_framework)": medians["find_framework_s"] <= BARS["discovery"],
        "first field hover": max(first_field) <= BARS["first"],
        "resolved hover p99": percentile(hovers, 99) <= BARS["resolved_p99"],
        "resolved completion p99": percentile(completions, 99) <= BARS["resolved_p99"],
    }
    report(results, args.json)


if __name__ == "__main__":
    main()
