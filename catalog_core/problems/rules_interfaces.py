"""The rules of step interfaces (``*.step.yaml``, the interface-first layout), a part of the
rule table (``rules``)."""

from __future__ import annotations

from catalog_core.problems.rule import INFO, E, Rule, W

INTERFACE_RULES: tuple[Rule, ...] = (
    Rule(
        "yaml-syntax-error",
        E,
        "a `.step.yaml` interface does not parse",
        "Reported at the parser's position. The step is registered from what could be read "
        "before the error and no other check runs on the file.",
        "Fix the YAML (often a `:` inside an unquoted value, or bad indentation).",
    ),
    Rule(
        "interface-missing-key",
        E,
        "an interface lacks a required key",
        "`step_type`, `contract` and `registry.sagemaker_step_type` are required. Reported on "
        "the parent key's line (for example `registry:`).",
        "Add the key where the message says (`sagemaker_step_type: Processing` under `registry:`).",
    ),
    Rule(
        "interface-invalid-value",
        E,
        "an interface value is outside its allowed set or form",
        "Closed sets: `sagemaker_step_type`, `node_type`, dependency and output `type`, "
        "`patterns.step_assembly`. Forms: `entry_point` ends in `.py` (or is null), container "
        "paths start with a SageMaker prefix (`/opt/ml/processing/`, `/opt/ml/input/data`, "
        "`/opt/ml/model`, ...).",
        "Use the value the message suggests (`Procesing` → `Processing`).",
    ),
    Rule(
        "interface-unknown-key",
        W,
        "an interface has a key the framework does not read",
        "Usually a misspelling (`dependancies`) or a key at the wrong level "
        "(`framework_requirements` belongs under `contract:`); the framework ignores it.",
        "Rename or move the key as the message suggests.",
    ),
    Rule(
        "interface-port-mismatch",
        E,
        "a contract input or output has no matching spec dependency or output",
        "After the variant merge, every contract input must be a spec dependency and every "
        "contract output a spec output; the framework refuses the step otherwise.",
        "Add the missing dependency or output to the spec, or remove the contract's path.",
    ),
    Rule(
        "source-with-dependencies",
        W,
        "a step with `node_type: source` declares dependencies",
        "A source node has no inputs by definition. Reported on `node_type:`.",
        "Remove the dependencies or change `node_type` (for example to `internal`).",
    ),
    Rule(
        "compatible-source-case",
        INFO,
        "a `compatible_sources` entry differs from a step name only in case",
        "Names in `compatible_sources` are compared exactly at run time; this one matches a "
        "step only without case.",
        "Use the step's exact name (`tabularPreprocessing` → `TabularPreprocessing`).",
    ),
    Rule(
        "interface-unknown-config-attribute",
        W,
        "a `compute.*_field` or `job_arguments[].source` names no attribute of the config class",
        "These values name an attribute the framework reads from the step's config (`getattr`): "
        "one the config class (`registry.config_class`, else `<StepType>Config`) and its bases "
        "neither declare, inherit nor derive (`@property`, `computed_field`, validator-filled "
        "keys, methods, class variables) fails when the step is built. Said only when every "
        "base was resolved, the chain is a pydantic model and none allows extra keys.",
        "Correct the value (the message names the closest attribute) or add the field to the "
        "config class.",
    ),
)
