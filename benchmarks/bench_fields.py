"""Config fields benchmark (issue 13, "Speed"): the fields of a step config with everything it
inherits, the first time and once resolved, static reading beside jedi.

    python benchmarks/bench_fields.py [--steps 60] [--json out.json]

The generated package (benchmarks/.work/fields) looks like the real framework: a 15 KB
``BasePipelineConfig``, a ``ProcessingStepConfigBase`` and ``--steps`` step configs of ~15 KB
each (fields with descriptions, properties, validators, a ``model_dump`` override), re-exported by
the configs package ``__init__``; a third of the steps import their base through it. Each step
config has a three-level chain (step -> processing base -> pipeline base -> pydantic).

1. First ``fields_of`` on a step config, static path: a fresh resolver each time (median and
   max over the steps; the process's very first call shown apart). Bar: <= 500 ms.
2. Once resolved: ``fields_of`` + ``valid_keys`` (what a hover or a completion asks), p50/p99
   over repeated lookups of every step; ``did_you_mean`` for a misspelt key. Bar: p99 <= 50 ms.
3. The same base through each path: a step config whose base chain is already resolved and
   whose module is already parsed, so only the step's one base is looked up (static: the import
   map and the roots; jedi: a ``Script`` and ``infer``). And the whole first lookup in jedi mode
   (every base through jedi), cold (jedi's first use in the process) and warm.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from harness import WORK, percentile, report

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # this checkout's catalog_core

from catalog_core.fields import FieldResolver, did_you_mean, key_source, valid_keys

FIRST_BAR_S = 0.5
RESOLVED_P99_BAR_S = 0.05


def _field(i: int, prefix: str) -> str:
    kind = i % 4
    if kind == 0:
        return (
            f"    {prefix}_setting_{i}: str = Field(\n"
            f'        default="value-{i}",\n'
            f'        description="Setting {i} of the {prefix} configuration: what it controls, its '
            f'units and the values the step accepts (see the step documentation).",\n'
            "    )\n"
        )
    if kind == 1:
        return (
            f"    {prefix}_count_{i}: int = Field(default={i}, ge=0, le=100000, "
            f'description="How many {prefix} items of kind {i} are processed per batch.")\n'
        )
    if kind == 2:
        return (
            f"    {prefix}_flag_{i}: Optional[bool] = Field(\n"
            "        default=None,\n"
            f'        description="Override for behaviour {i}. None = decide from the instance '
            'type; True = always; False = never.",\n'
            "    )\n"
        )
    return f'    {prefix}_required_{i}: str = Field(description="A required input number {i}.")\n'


def _property(i: int, prefix: str) -> str:
    return (
        "    @property\n"
        f"    def {prefix}_derived_{i}(self) -> str:\n"
        f'        """Derived value {i}, computed from the {prefix} settings.\n\n'
        "        Resolution order: the explicit override, then the step default, then the\n"
        "        pipeline default. The result is cached in a private attribute.\n"
        '        """\n'
        f"        if self._{prefix}_derived_{i} is None:\n"
        f'            self._{prefix}_derived_{i} = f"{{self.__class__.__name__}}-{i}"\n'
        f"        return self._{prefix}_derived_{i}\n\n"
    )


def _class_body(prefix: str, fields: int, properties: int) -> str:
    parts = [_field(i, prefix) for i in range(fields)]
    parts.append("\n")
    parts.extend(
        f"    _{prefix}_derived_{i}: Optional[str] = PrivateAttr(default=None)\n"
        for i in range(properties)
    )
    parts.append("\n")
    parts.extend(_property(i, prefix) for i in range(properties))
    parts.append(
        f'    @field_validator("{prefix}_setting_0")\n'
        "    @classmethod\n"
        "    def _check_setting(cls, v: str) -> str:\n"
        "        if not v:\n"
        '            raise ValueError("must not be empty")\n'
        "        return v\n\n"
        '    @model_validator(mode="after")\n'
        "    def _initialize(self):\n"
        f"        self._{prefix}_derived_0 = None\n"
        "        return self\n\n"
        "    def model_dump(self, **kwargs: Any) -> Dict[str, Any]:\n"
        "        data = super().model_dump(**kwargs)\n"
        f'        data["{prefix}_derived_0"] = self.{prefix}_derived_0\n'
        "        return data\n"
    )
    return "".join(parts)


HEADER = (
    "from typing import Any, Dict, List, Optional\n\n"
    "from pydantic import BaseModel, Field, PrivateAttr, field_validator, model_validator\n\n"
)


def generate(root: Path, steps: int) -> list[tuple[str, str]]:
    """The package under ``root``/src; returns (module path, class name) of every step."""
    src = root / "src" / "bfw"
    configs = src / "steps" / "configs"
    base = src / "core" / "base"
    for folder in (configs, base):
        folder.mkdir(parents=True, exist_ok=True)
    for package in (src, src / "core", src / "steps"):
        (package / "__init__.py").write_text("")
    (base / "__init__.py").write_text("from .config_base import BasePipelineConfig\n")
    (base / "config_base.py").write_text(
        HEADER
        + "from abc import ABC\n\n\nclass BasePipelineConfig(BaseModel, ABC):\n"
        + '    """Shared pipeline attributes."""\n\n'
        + _class_body("pipeline", 48, 14)
    )
    (configs / "config_processing_step_base.py").write_text(
        HEADER
        + "from ...core.base.config_base import BasePipelineConfig\n\n\n"
        + "class ProcessingStepConfigBase(BasePipelineConfig):\n"
        + '    """Processing steps."""\n\n'
        + _class_body("processing", 48, 14)
    )
    init = ["from .config_processing_step_base import ProcessingStepConfigBase\n"]
    out: list[tuple[str, str]] = []
    for n in range(steps):
        name = f"Step{n:03d}Config"
        module = configs / f"config_step_{n:03d}.py"
        via = "from . import" if n % 3 == 0 else "from .config_processing_step_base import"
        module.write_text(
            HEADER
            + f"{via} ProcessingStepConfigBase\n\n\n"
            + f"class {name}(ProcessingStepConfigBase):\n"
            + f'    """Step {n}."""\n\n'
            + _class_body(f"step{n}", 48, 14)
        )
        init.append(f"from .config_step_{n:03d} import {name}\n")
        out.append((str(module), name))
    (configs / "__init__.py").write_text("".join(init))
    return out


def _timed(fn: object, *args: object) -> float:
    start = time.perf_counter()
    fn(*args)  # type: ignore[operator]
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=60)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    root = WORK / f"fields{args.steps}"
    steps = generate(root, args.steps)
    roots = [str(root / "src")]
    sizes = [Path(p).stat().st_size for p, _ in steps]
    base_module = str(root / "src/bfw/steps/configs/config_processing_step_base.py")

    # 1. first lookup, static path (jedi not even imported)
    very_first = _timed(FieldResolver(roots, mode="static").fields_of, *steps[0])
    firsts = [_timed(FieldResolver(roots, mode="static").fields_of, *step) for step in steps]
    check = FieldResolver(roots, mode="static").fields_of(*steps[-1])
    assert check is not None and check.complete and len(check.chain) == 3
    assert "jedi" not in sys.modules

    # 2. once resolved: what a hover or a completion asks
    resolver = FieldResolver(roots)
    for step in steps:
        resolver.fields_of(*step)
    lookups = []
    misspelt = []
    for _ in range(50):
        for path, name in steps:
            start = time.perf_counter()
            resolved = resolver.fields_of(path, name)
            assert resolved is not None
            key_source(resolved, "pipeline_setting_0")  # hover
            valid_keys(resolved)  # completion
            lookups.append(time.perf_counter() - start)
    for path, name in steps:
        resolved = resolver.fields_of(path, name)
        assert resolved is not None
        misspelt.append(_timed(did_you_mean, resolved, "processing_cuont_1"))

    # 3. static vs jedi for one base (the step's), everything else cached
    one_base: dict[str, list[float]] = {"static": [], "jedi": []}
    first_base: dict[str, float] = {}
    for mode in ("static", "jedi"):
        warm = FieldResolver(roots, mode=mode)
        for path, _ in steps:
            warm.module_facts(path)
        warm.module_facts(base_module)
        # ProcessingStepConfigBase's one base; for jedi, its first use in this process
        first_base[mode] = _timed(warm.fields_of, base_module, "ProcessingStepConfigBase")
        one_base[mode] = [_timed(warm.fields_of, *step) for step in steps]
        assert warm.counts["jedi"] == (len(steps) + 1 if mode == "jedi" else 0)
    jedi_firsts = [
        _timed(FieldResolver(roots, mode="jedi").fields_of, *step) for step in steps[:20]
    ]
    jedi_check = FieldResolver(roots, mode="jedi").fields_of(*steps[-1])
    assert jedi_check is not None and [link.via for link in jedi_check.chain] == [
        "self",
        "jedi",
        "jedi",
    ]

    first_median = statistics.median(firsts)
    p99 = percentile(lookups, 99)
    results: dict[str, object] = {
        "config_modules": len(steps) + 2,
        "module_size_kb_median": statistics.median(sizes) / 1024,
        "chain_levels": len(check.chain),
        "fields_in_answer": len(check.fields),
        "first_static_process_first_s": very_first,
        "first_static_median_s": first_median,
        "first_static_max_s": max(firsts),
        "first_bar_s": FIRST_BAR_S,
        "first_bar_met": max(firsts) <= FIRST_BAR_S and very_first <= FIRST_BAR_S,
        "resolved_lookup_p50_s": percentile(lookups, 50),
        "resolved_lookup_p99_s": p99,
        "resolved_p99_bar_s": RESOLVED_P99_BAR_S,
        "resolved_bar_met": p99 <= RESOLVED_P99_BAR_S,
        "did_you_mean_median_s": statistics.median(misspelt),
        "one_base_static_median_s": statistics.median(one_base["static"]),
        "one_base_jedi_median_s": statistics.median(one_base["jedi"]),
        "one_base_static_process_first_s": first_base["static"],
        "one_base_jedi_process_first_s": first_base["jedi"],
        "first_jedi_mode_median_s": statistics.median(jedi_firsts),
        "first_jedi_mode_max_s": max(jedi_firsts),
    }
    report(results, args.json)


if __name__ == "__main__":
    main()
