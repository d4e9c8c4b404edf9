"""Synthetic step catalogs of N steps, with a manifest that is the ground truth.

Realistic on purpose: acronym names (XGBoost, PyTorch, LightGBMMT, MIMS), one-word-ish tokens,
0-4 job-type variant specs, some steps with only variants, contracts whose file name differs
from their step (found through the spec's import), scripts named differently from their step
(found through ``entry_point``), helper files beside the components, developer workspaces, and
real-world file sizes (configurable).

    python benchmarks/synth.py OUT_DIR --steps 5000
"""

from __future__ import annotations

import argparse
import json
import random
from dataclasses import dataclass, field
from pathlib import Path

PREFIXES = [
    ("XGBoost", "xgboost"),
    ("PyTorch", "pytorch"),
    ("LightGBM", "lightgbm"),
    ("LightGBMMT", "lightgbmmt"),
    ("MIMS", "mims"),
    ("Tabular", "tabular"),
    ("Cradle", "cradle"),
    ("Risk", "risk"),
    ("Currency", "currency"),
    ("Bedrock", "bedrock"),
    ("Dummy", "dummy"),
    ("Stratified", "stratified"),
    ("Temporal", "temporal"),
    ("Percentile", "percentile"),
    ("Label", "label"),
    ("Feature", "feature"),
    ("Batch", "batch"),
    ("Missing", "missing"),
    ("Sequence", "sequence"),
    ("Graph", "graph"),
    ("Text", "text"),
    ("Image", "image"),
    ("Fraud", "fraud"),
    ("Buyer", "buyer"),
    ("Seller", "seller"),
    ("Payment", "payment"),
    ("Order", "order"),
    ("Address", "address"),
    ("Device", "device"),
    ("Session", "session"),
    ("BERT", "bert"),
    ("GNN", "gnn"),
    ("LLM", "llm"),
    ("SQL", "sql"),
    ("ONNX", "onnx"),
]
MIDDLES = [
    ("Data", "data"),
    ("Model", "model"),
    ("Value", "value"),
    ("Table", "table"),
    ("Score", "score"),
    ("Embedding", "embedding"),
    ("Signal", "signal"),
    ("Window", "window"),
    ("Token", "token"),
    ("Field", "field"),
    ("Metric", "metric"),
    ("Bucket", "bucket"),
    ("Sample", "sample"),
    ("Query", "query"),
    ("Cluster", "cluster"),
    ("Rule", "rule"),
    ("Weight", "weight"),
    ("Vector", "vector"),
    ("Schema", "schema"),
    ("Index", "index"),
    ("Stream", "stream"),
    ("Entity", "entity"),
    ("Event", "event"),
    ("Record", "record"),
    ("Snapshot", "snapshot"),
]
SUFFIXES = [
    ("Preprocessing", "preprocessing"),
    ("Training", "training"),
    ("Eval", "eval"),
    ("Inference", "inference"),
    ("Calibration", "calibration"),
    ("Registration", "registration"),
    ("Selection", "selection"),
    ("Mapping", "mapping"),
    ("Conversion", "conversion"),
    ("Packaging", "packaging"),
    ("Loading", "loading"),
    ("Sampling", "sampling"),
]
JOB_TYPES = ["training", "calibration", "validation", "testing", "evaluation", "inference"]
STEP_TYPES = (
    ["Processing"] * 12
    + ["Training"] * 3
    + ["CreateModel"] * 2
    + ["Transform", "RegisterModel"]
    + ["Custom"] * 2
)
SIZES = {"contract": 6_000, "spec": 3_000, "config": 14_000, "builder": 15_000, "script": 50_000}


@dataclass
class Step:
    name: str
    snake: str
    sagemaker_step_type: str
    workspace: str = "shared"
    files: dict[str, str] = field(default_factory=dict)  # component -> path relative to root
    variants: dict[str, str] = field(default_factory=dict)
    contract_stem: str = ""
    script_stem: str = ""


def _pad(text: str, size: int, rng: random.Random) -> str:
    """Grow a module to about ``size`` bytes with realistic, inert Python."""
    chunks = [text]
    total = len(text)
    i = 0
    while total < size:
        i += 1
        block = (
            f"\n\ndef _helper_{i}(frame, columns=None, threshold={rng.random():.3f}):\n"
            f'    """Helper {i}: filters rows above a threshold and returns a summary."""\n'
            "    columns = columns or []\n"
            "    summary = {}\n"
            "    for column in columns:\n"
            "        values = [v for v in frame.get(column, []) if v is not None]\n"
            "        summary[column] = {\n"
            '            "count": len(values),\n'
            '            "mean": sum(values) / len(values) if values else 0.0,\n'
            '            "above": sum(1 for v in values if v > threshold),\n'
            "        }\n"
            "    return summary\n"
        )
        chunks.append(block)
        total += len(block)
    return "".join(chunks)


def _names(count: int, rng: random.Random) -> list[tuple[str, str]]:
    combos = [(p, m, s) for p in PREFIXES for m in MIDDLES for s in SUFFIXES]
    rng.shuffle(combos)
    seen: set[str] = set()
    names: list[tuple[str, str]] = []
    for parts in combos:
        name = "".join(p[0] for p in parts)
        key = name.lower()
        if key in seen:
            continue
        seen.add(key)
        names.append((name, "_".join(p[1] for p in parts)))
        if len(names) == count:
            return names
    raise ValueError(f"at most {len(names)} distinct names")


def _write(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def _contract(step: Step, size: int, rng: random.Random) -> str:
    const = step.contract_stem.upper()
    return _pad(
        f'"""Contract of {step.name}."""\n\nfrom cursus.core.base.contract_base import ScriptContract\n\n'
        f"{const} = ScriptContract(\n"
        f'    entry_point="{step.script_stem}.py",\n'
        '    expected_input_paths={"input_data": "/opt/ml/processing/input/data"},\n'
        '    expected_output_paths={"output": "/opt/ml/processing/output"},\n'
        '    required_env_vars=["LABEL_FIELD"],\n'
        f'    description="Contract for {step.name}",\n)\n',
        size,
        rng,
    )


def _spec(step: Step, job: str | None, size: int, rng: random.Random, with_contract: bool) -> str:
    call = (
        f'get_spec_step_type_with_job_type("{step.name}", "{job}")'
        if job
        else f'get_spec_step_type("{step.name}")'
    )
    imp = (
        f"from ..contracts.{step.contract_stem} import {step.contract_stem.upper()}\n"
        if with_contract
        else ""
    )
    const = f"{step.snake.upper()}{'_' + job.upper() if job else ''}_SPEC"
    contract_arg = f"    script_contract={step.contract_stem.upper()},\n" if with_contract else ""
    return _pad(
        f'"""Specification of {step.name}{" (" + job + ")" if job else ""}."""\n\n'
        "from cursus.core.base.specification_base import NodeType, StepSpecification\n"
        "from cursus.registry.step_names import get_spec_step_type, get_spec_step_type_with_job_type\n"
        f"{imp}\n{const} = StepSpecification(\n    step_type={call},\n"
        f"    node_type=NodeType.INTERNAL,\n{contract_arg}    dependencies=[],\n    outputs=[],\n)\n",
        size,
        rng,
    )


def _class_module(doc: str, cls: str, base: str, size: int, rng: random.Random) -> str:
    return _pad(
        f'"""{doc}"""\n\nfrom cursus.core.base import {base}\n\n\nclass {cls}({base}):\n'
        f'    """{doc}"""\n\n    job_type: str = "training"\n',
        size,
        rng,
    )


def generate(
    out: Path,
    steps: int,
    *,
    seed: int = 7,
    dev_workspaces: int = 2,
    dev_steps: int = 10,
    sizes: dict[str, int] | None = None,
) -> dict:
    """Write a catalog of ``steps`` shared steps (+ developer workspaces); return the manifest."""
    rng = random.Random(seed)
    sizes = {**SIZES, **(sizes or {})}
    names = _names(steps + dev_workspaces * dev_steps, rng)
    shared = "src/cursus/steps"
    all_steps: list[Step] = []
    for i, (name, snake) in enumerate(names):
        kind = rng.choice(STEP_TYPES)
        sm_type = name if kind == "Custom" else kind
        ws = "shared" if i < steps else f"dev{(i - steps) // dev_steps + 1}"
        all_steps.append(Step(name, snake, sm_type, ws))
    for step in all_steps:
        base = (
            shared
            if step.workspace == "shared"
            else (f"development/projects/{step.workspace}/src/cursus_dev/steps")
        )
        needs_script = step.sagemaker_step_type in ("Processing", "Training") or rng.random() < 0.3
        step.contract_stem = (
            f"{step.snake}_contract"
            if rng.random() > 0.1
            else f"{step.snake.split('_')[0]}_{rng.randrange(10**6)}_contract"
        )
        step.script_stem = step.snake if rng.random() > 0.05 else f"run_{step.snake}"
        step.files["config"] = f"{base}/configs/config_{step.snake}_step.py"
        step.files["builder"] = f"{base}/builders/builder_{step.snake}_step.py"
        if needs_script:
            step.files["contract"] = f"{base}/contracts/{step.contract_stem}.py"
            step.files["script"] = f"{base}/scripts/{step.script_stem}.py"
        jobs = rng.sample(JOB_TYPES, rng.choice([0, 0, 1, 2, 3, 4]))
        has_base = not jobs or rng.random() > 0.05
        if has_base:
            step.files["spec"] = f"{base}/specs/{step.snake}_spec.py"
        for job in sorted(jobs):
            step.variants[job] = f"{base}/specs/{step.snake}_{job}_spec.py"
    root = out
    for step in all_steps:
        f = step.files
        _write(
            root,
            f["config"],
            _class_module(
                f"Config of {step.name}.",
                f"{step.name}Config",
                "BasePipelineConfig",
                sizes["config"],
                rng,
            ),
        )
        _write(
            root,
            f["builder"],
            _class_module(
                f"Builder of {step.name}.",
                f"{step.name}StepBuilder",
                "StepBuilderBase",
                sizes["builder"],
                rng,
            ),
        )
        if "contract" in f:
            _write(root, f["contract"], _contract(step, sizes["contract"], rng))
            _write(
                root,
                f["script"],
                _pad(f'"""Entry point of {step.name}."""\n', sizes["script"], rng),
            )
        if "spec" in f:
            _write(root, f["spec"], _spec(step, None, sizes["spec"], rng, "contract" in f))
        for job, rel in step.variants.items():
            _write(root, rel, _spec(step, job, sizes["spec"], rng, "contract" in f))
    for base in {s.files["config"].rsplit("/configs/", 1)[0] for s in all_steps}:
        _write(
            root,
            f"{base}/configs/config_processing_step_base.py",
            _class_module(
                "Base config.", "ProcessingStepConfigBase", "BasePipelineConfig", 2000, rng
            ),
        )
        _write(
            root,
            f"{base}/contracts/contract_validator.py",
            '"""Helper."""\n\ndef check():\n    return []\n',
        )
        _write(root, f"{base}/scripts/utils/io_helpers.py", '"""Script utilities."""\n')
    _write_registries(root, all_steps)
    manifest = {
        "steps": {
            s.name: {
                "workspace": s.workspace,
                "sagemaker_step_type": s.sagemaker_step_type,
                "files": s.files,
                "variants": s.variants,
            }
            for s in all_steps
        },
        "step_count": len(all_steps),
    }
    (root / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True))
    return manifest


def _entry(step: Step) -> str:
    return (
        f'    "{step.name}": {{\n'
        f'        "config_class": "{step.name}Config",\n'
        f'        "builder_step_name": "{step.name}StepBuilder",\n'
        f'        "spec_type": "{step.name}",\n'
        f'        "sagemaker_step_type": "{step.sagemaker_step_type}",\n'
        f'        "description": "{step.name} step ({step.sagemaker_step_type})",\n    }},\n'
    )


def _write_registries(root: Path, steps: list[Step]) -> None:
    shared = [s for s in steps if s.workspace == "shared"]
    _write(
        root,
        "src/cursus/registry/step_names.py",
        '"""Core registry."""\n\nSTEP_NAMES = {\n' + "".join(_entry(s) for s in shared) + "}\n",
    )
    for ws in sorted({s.workspace for s in steps} - {"shared"}):
        own = [s for s in steps if s.workspace == ws]
        _write(
            root,
            f"development/projects/{ws}/src/cursus_dev/registry/workspace_registry.py",
            f'WORKSPACE_METADATA = {{"developer_id": "{ws}"}}\n\nLOCAL_STEPS = {{\n'
            + "".join(_entry(s) for s in own)
            + "}\n\nSTEP_OVERRIDES = {}\n",
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--steps", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--dev-workspaces", type=int, default=2)
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every file size")
    args = parser.parse_args()
    sizes = {k: int(v * args.scale) for k, v in SIZES.items()}
    manifest = generate(
        args.out, args.steps, seed=args.seed, dev_workspaces=args.dev_workspaces, sizes=sizes
    )
    print(f"wrote {manifest['step_count']} steps to {args.out}")


if __name__ == "__main__":
    main()


# -- the interface-first layout (issue 12) -------------------------------------------------------

_INTERFACE = """\
step_type: {name}                 # {name}: generated for the benchmark
node_type: internal
registry:
  sagemaker_step_type: {sm}
  description: >
    {name} step of the synthetic catalog, folded over
    two lines as people write it.
patterns: {{step_assembly: step_args, direct_input_keys: [DATA]}}
compute:
  kind: sklearn
  framework_version_field: processing_framework_version
contract:
  entry_point: {snake}.py
  inputs:
    DATA: {{path: /opt/ml/processing/input/data, required: true}}
    SIGNATURE:
      path: /opt/ml/processing/input/signature
      required: false
  outputs:
    processed_data:
      path: /opt/ml/processing/output
  arguments: {{}}
  job_arguments:
  - flag: --job_type
    source: job_type
  env_vars:
    required: [LABEL_FIELD, TRAIN_RATIO]
    optional:
      OUTPUT_FORMAT: CSV    # CSV | TSV | PARQUET
spec:
  dependencies:
    DATA:
      type: processing_output
      required: true
      compatible_sources: [{source}, DataLoad]
      semantic_keywords: [data, input, raw, dataset, training, validation]
    SIGNATURE:
      type: processing_output
      required: false
      compatible_sources:
      - {source}
      semantic_keywords: [signature, schema, columns]
  outputs:
    processed_data:
      type: processing_output
      property_path: "properties.ProcessingOutputConfig.Outputs['processed_data'].S3Output.S3Uri"
      semantic_keywords: [processed, features]
      aliases: [input_path, model_input_data]
      data_type: S3Uri
{variants}"""


def generate_interfaces(out: Path, steps: int, *, seed: int = 7) -> dict:
    """The same N steps as ``generate`` in the interface-first layout: one ``*.step.yaml``
    (about 2 KB, 0-4 variants), one config module and one script each; a registry module whose
    ``_EXTRAS`` holds two rows. Returns the manifest (step -> interface, variants)."""
    rng = random.Random(seed)
    names = _names(steps, rng)
    base = "src/cursus/steps"
    manifest: dict = {"layout": "interface", "step_count": steps, "steps": {}}
    for i, (name, snake) in enumerate(names):
        jobs = rng.sample(["training", "calibration", "validation", "testing"], rng.randint(0, 4))
        variants = ""
        if jobs:
            variants = "variants:\n" + "".join(
                f"  {job}:\n    spec:\n      outputs:\n        processed_data:\n"
                f"          semantic_keywords: [processed, {job}]\n"
                for job in jobs
            )
        source = names[i - 1][0] if i else name
        text = _INTERFACE.format(
            name=name, snake=snake, sm="Processing", source=source, variants=variants
        )
        interface = f"{base}/interfaces/{snake}.step.yaml"
        _write(out, interface, text)
        config = _class_module(
            f"Config of {name}.", f"{name}Config", "ProcessingStepConfigBase", SIZES["config"], rng
        )
        _write(out, f"{base}/configs/config_{snake}_step.py", config)
        _write(
            out,
            f"{base}/scripts/{snake}.py",
            f'"""Script of {name}."""\n\n\ndef main():\n    pass\n',
        )
        manifest["steps"][name] = {"interface": interface, "variants": sorted(jobs)}
    _write(
        out,
        "src/cursus/registry/interface_registry_loader.py",
        '_EXTRAS = {\n    "Base": {"config_class": "BasePipelineConfig", "builder_step_name": '
        '"StepBuilderBase", "spec_type": "Base", "sagemaker_step_type": "Base", '
        '"description": "Base"},\n}\n',
    )
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1))
    return manifest
