"""Every rule a problem can carry, as data: its one-line summary, default severity, explanation
and fix. ``stepcat rule``, ``docs/rules.md`` (``rule_docs``), SARIF rule descriptions and the
server's ``codeDescription`` links are all generated from this table; a test checks that every
rule id the code emits is here."""

from __future__ import annotations

from dataclasses import replace

from catalog_core.problems.rule import (  # noqa: F401 - re-exported: rules.REPOSITORY_URL ...
    INFO,
    REPOSITORY_URL,
    REPOSITORY_URL_IS_PLACEHOLDER,
    RULES_PAGE_URL,
    E,
    H,
    Rule,
    W,
)
from catalog_core.problems.rules_interfaces import INTERFACE_RULES


def _missing(kind: str, needed_by: str, fix: str) -> Rule:
    return Rule(
        f"missing-{kind}",
        W,
        f"a registered step has no {kind}",
        f"The step's SageMaker step type needs a {kind} ({needed_by}) and no {kind} file of the "
        f"step was found in its workspace or the shared tree. Reported on the registry entry.",
        fix,
    )


_ALL_FIVE = "Processing and Training steps need all five components"
_SPEC_BUILDER_CONFIG = (
    "Processing/Training: all five; CreateModel, RegisterModel, Transform: spec, builder, config; "
    "Base, Utility and custom types: builder, config"
)

_TABLE: tuple[Rule, ...] = (
    # -- steps and their components ------------------------------------------------------------
    _missing(
        "script",
        _ALL_FIVE,
        "Add the script under `scripts/` and point the contract's `entry_point` at it "
        '(`entry_point="xgboost_training.py"`).',
    ),
    _missing(
        "contract",
        _ALL_FIVE,
        "Add a `ScriptContract` under `contracts/` and import it from the step's spec "
        "(the *Create ... contract* code action writes one from the siblings' template).",
    ),
    _missing(
        "spec",
        _SPEC_BUILDER_CONFIG,
        "Add a `StepSpecification` under `specs/` whose `step_type` names the step "
        "(the *Create ... spec* code action writes one).",
    ),
    _missing(
        "builder",
        _SPEC_BUILDER_CONFIG,
        "Define the class the registry names in `builder_step_name` under `builders/`.",
    ),
    _missing(
        "config",
        _SPEC_BUILDER_CONFIG,
        "Define the class the registry names in `config_class` under `configs/`.",
    ),
    Rule(
        "missing-class",
        E,
        "the registry's `config_class` / `builder_step_name` is defined by no file",
        "Builders and configs are found by the class names the registry declares, whatever their "
        "file is called. No indexed file defines this class, so the framework would fail to "
        "import it at run time.",
        "Define the class, or correct the name in the registry entry (the message names the "
        "closest class found).",
    ),
    Rule(
        "duplicate-component",
        W,
        "two files compete for the same component of a step in one workspace",
        "Two files in one workspace would each be the step's script, contract, spec, builder or "
        "config; the index picks one (the one the code references, else the first by path) and "
        "reports the other.",
        "Delete or rename the stale copy, or make the references (spec import, `entry_point`) "
        "point at the one you mean.",
    ),
    Rule(
        "unlinked-component",
        W,
        "a component file belongs to no registered step",
        "A file in a component folder (scripts, contracts, specs, builders, configs) is linked "
        "to no step: no registry entry, class name, `step_type`, import or `entry_point` leads "
        "to it. Helpers, base classes and `__init__.py` are exempt. Scripts are reported as "
        "*information*, other components as *warning*.",
        "Register the step, link the file (for a script: point a contract's `entry_point` at "
        'it), or move helpers out of the component folder. `unlinked-component = "off"` in '
        "`severity` silences the rule.",
    ),
    Rule(
        "entry-point-not-found",
        E,
        "a contract's `entry_point` names a script that does not exist",
        "The contract (or, in the interface-first layout, the interface's `entry_point`) names a "
        "script file that is in no scripts folder of the catalog. Reported at the `entry_point`.",
        'Fix the name (`entry_point="tabular_preprocessing.py"`) or add the script.',
    ),
    Rule(
        "contract-import-not-found",
        E,
        "a spec imports a contract module that does not exist",
        "A spec links to its contract through its import; the imported module is no contract "
        "file of the catalog.",
        "Correct the import (`from ..contracts.xgboost_training_contract import "
        "XGBOOST_TRAINING_CONTRACT`) or add the contract.",
    ),
    Rule(
        "unknown-step-reference",
        W,
        "a spec's `step_type` names a step no registry defines",
        'The spec says which step it belongs to (`step_type="..."` or '
        '`get_spec_step_type_with_job_type("X", "training")`), but no registry of the '
        "workspace or the shared tree registers that step.",
        "Register the step, or correct the name in the spec.",
    ),
    # -- registries ----------------------------------------------------------------------------
    Rule(
        "duplicate-step",
        E,
        "a step is registered twice in one workspace",
        "Two entries (in one registry dict, or in two registry files of one workspace) register "
        "the same step name; only one can win at run time.",
        "Remove one entry. A developer workspace changes a shared step with `STEP_OVERRIDES`, "
        "not a second registration.",
    ),
    Rule(
        "invalid-registry-entry",
        W,
        "a registry entry lacks `sagemaker_step_type` or is not a dict",
        "Every `STEP_NAMES` entry needs at least `sagemaker_step_type`: it decides which "
        "components the step needs. An entry whose value is not a dict literal is an error.",
        'Add the field: `"XGBoostTraining": {"sagemaker_step_type": "Training", ...}`.',
    ),
    Rule(
        "override-unknown-step",
        W,
        "a workspace registry overrides a step the core registry lacks",
        "`STEP_OVERRIDES` changes a shared step for one developer workspace; this name is not "
        "registered in the shared tree, so the override changes nothing.",
        "Move the entry to `LOCAL_STEPS` (a new step of this workspace) or fix its name.",
    ),
    Rule(
        "local-shadows-core",
        INFO,
        "a workspace's `LOCAL_STEPS` redefines a core step",
        "A step in `LOCAL_STEPS` has the name of a shared step. In this workspace's context the "
        "local definition wins; elsewhere the shared one does.",
        "Use `STEP_OVERRIDES` to say that this is a deliberate change of the shared step, or "
        "rename the local step.",
    ),
    Rule(
        "step-in-both-layouts",
        W,
        "a step is defined both by a registry entry and by an interface file",
        "In a repository migrating to the interface-first layout, the same step is defined by "
        "a `STEP_NAMES` entry (1.x) and by a `.step.yaml` interface (2.x). The interface wins; "
        "the registry entry is stale.",
        "Delete the registry entry once the interface is complete.",
    ),
    Rule(
        "pack-shadows-package",
        W,
        "a step pack's step shadows the installed framework's step of the same name",
        "A project's step pack defines a step the framework (another root) already defines; in "
        "this project the pack's interface, config and script are the step's.",
        "Rename the pack's step if the shadowing is not deliberate.",
    ),
    # -- step interfaces (interface-first layout) -----------------------------------------------
    *INTERFACE_RULES,
    # -- pipeline config JSON ------------------------------------------------------------------
    Rule(
        "config-key-is-class-name",
        E,
        "a `config_types` key is a config class name",
        "`metadata.config_types` maps node names (`XGBoostTraining`, "
        "`CradleDataLoading_training`) to config classes. A key that is a class name "
        "(`XGBoostTrainingConfig`) matches no node. When the fix is certain it is in the "
        'message and in `Problem.data["fix"]`.',
        '`"XGBoostTrainingConfig": "XGBoostTrainingConfig"` → '
        '`"XGBoostTraining": "XGBoostTrainingConfig"`; `stepcat fix-config-types --write FILE` '
        "rewrites every such key.",
    ),
    Rule(
        "config-unknown-step",
        E,
        "a `config_types` key starts with no registered step",
        "The key is neither a step name nor `{Step}_{job_type}` of a registered step.",
        "Correct the key (the message names the closest step) or register the step.",
    ),
    Rule(
        "config-unknown-job-type",
        W,
        "a `config_types` key uses a job type that looks like a misspelling",
        "Job types are an open set; only one that is close to a known job type and used "
        "nowhere else is reported.",
        "`CradleDataLoading_calibraton` → `CradleDataLoading_calibration`.",
    ),
    Rule(
        "config-unknown-field",
        W,
        "a config field no class of the node declares",
        "The key under `configuration.shared` or `.specific.<node>` is no field of the node's "
        "config class or its bases (properties and computed fields the framework writes count), "
        "so the framework drops it. Said only when every base was resolved and none allows extra keys.",
        "Correct the key (the message names the closest field) or add the field to the class.",
    ),
    Rule(
        "config-shared-field-unused",
        INFO,
        "a shared config field no node's class declares",
        "A `configuration.shared` key no config class of the file's nodes has: nothing reads it.",
        "Remove it, or move it to the step that needs it.",
    ),
    Rule(
        "config-class-mismatch",
        E,
        "a `config_types` value is not the step's config class",
        "The registry says which config class a step uses; the value names another class.",
        "Use the registry's `config_class` for the step.",
    ),
    Rule(
        "config-value-not-class",
        E,
        "a `config_types` value is not a string",
        "Each value must be a config class name.",
        '`"XGBoostTraining": "XGBoostTrainingConfig"`.',
    ),
    Rule(
        "config-missing-specific",
        W,
        "a `config_types` key has no `configuration.specific` entry",
        "The node is typed but has no step-specific settings, so it gets only the shared ones.",
        "Add `configuration.specific.<key>` or remove the key.",
    ),
    Rule(
        "config-orphan-specific",
        W,
        "a `configuration.specific` entry that no `config_types` key maps",
        "The entry's settings are never used: no `config_types` key names this node.",
        "Add the `config_types` key or remove the entry.",
    ),
    Rule(
        "config-duplicate-key",
        E,
        "a key appears twice in one JSON object",
        "JSON readers keep the last value silently; the first is lost.",
        "Remove or rename one of the keys.",
    ),
    Rule(
        "config-types-not-object",
        E,
        "`metadata.config_types` is not a JSON object",
        "It must map node names to config class names.",
        '`"config_types": {"XGBoostTraining": "XGBoostTrainingConfig"}`.',
    ),
    Rule(
        "config-entry-without-node",
        W,
        "a configured node is a node of no DAG of the project",
        "The config types a node no pipeline DAG of the project builds; reported once, on its "
        "`config_types` key.",
        "Remove the entry, or add the node to the DAG.",
    ),
    Rule(
        "json-syntax-error",
        E,
        "a JSON file does not parse",
        "Reported at the parser's position; the file's other checks are skipped.",
        "Fix the JSON (trailing commas and unquoted keys are the usual causes).",
    ),
    # -- DAGs ----------------------------------------------------------------------------------
    Rule(
        "dag-unknown-step",
        E,
        "a DAG node names no registered step",
        "In Python, a string in `add_node` / `add_edge` on a DAG (`dag.add_node(...)`, or any "
        "call in a module that uses `PipelineDAG`; not other graphs, docstrings or comments); "
        "in `.dag.json`, a name in `nodes` or `edges`.",
        "Correct the name (the message names the closest step) or register the step.",
    ),
    Rule(
        "dag-unknown-job-type",
        W,
        "a DAG node uses a job type that looks like a misspelling",
        "An unusual job type (`tagging`) is fine: the base spec is used. Only one close to a "
        "known job type is reported.",
        "`TabularPreprocessing_trainng` → `TabularPreprocessing_training`.",
    ),
    Rule(
        "dag-undeclared-node",
        E,
        "an edge of a `.dag.json` names a node that is not in its `nodes`",
        "The framework builds only the declared nodes; the edge would fail.",
        "Add the node to `dag.nodes` or fix the edge.",
    ),
    Rule(
        "dag-metadata-drift",
        H,
        "a `.dag.json` file's metadata disagrees with its nodes and edges",
        "`node_count`, `entry_points` and `sink_nodes` are informational copies of what the "
        "graph says, and have drifted from it.",
        "Update the metadata to the graph (or regenerate the file).",
    ),
    Rule(
        "dag-variant-fallback",
        INFO,
        "a DAG node's job type has no variant; the base definition is used",
        "`X_<job>` resolves to `variants.<job>` when declared, else to the base. The framework "
        "allows this with a run-time warning.",
        "Declare the variant if the node needs job-type-specific settings.",
    ),
    Rule(
        "dag-node-without-config",
        W,
        "a DAG node has no config entry",
        "No pipeline config of the project types this node, so the pipeline cannot be built "
        "from the config. Reported once per DAG file, at the node's first mention.",
        "Add the node to the config's `metadata.config_types` and `configuration.specific`.",
    ),
    # -- input ---------------------------------------------------------------------------------
    Rule(
        "syntax-error",
        E,
        "a Python file does not parse",
        "Reported at the first error. The index keeps what it could read; `stepcat check` "
        "parses every Python file fully (`--no-syntax` skips that), the editor checks open "
        "files when `checkSyntax` is on.",
        "Fix the syntax error.",
    ),
    Rule(
        "not-utf8",
        W,
        "a file is not valid UTF-8",
        "Reported at the first invalid byte; the file is read with replacement characters.",
        "Re-save the file as UTF-8.",
    ),
    Rule(
        "binary-file",
        W,
        "a catalog file is binary (contains NUL bytes)",
        "The file is not indexed.",
        "Move binary files out of the component and registry folders.",
    ),
    Rule(
        "file-too-large",
        W,
        "a file is larger than `max_file_size`",
        "Larger files are reported, not read (default 10 MB).",
        "Raise `max_file_size` in `[tool.stepcat]`, or `exclude` the file.",
    ),
    Rule(
        "unreadable-file",
        E,
        "a file cannot be read",
        "Permission denied, vanished while reading, or not a regular file (a FIFO or device "
        "named like a source file: reported as a warning and skipped).",
        "Fix the permissions, or `exclude` the path.",
    ),
    Rule(
        "unreadable-folder",
        W,
        "a folder cannot be listed",
        "Its files are not indexed.",
        "Fix the permissions, or `exclude` the folder.",
    ),
    Rule(
        "symlink-loop",
        INFO,
        "a symbolic link leads back into a folder being walked",
        "The loop is walked once.",
        "Remove the link, or `exclude` it.",
    ),
    Rule(
        "missing-root",
        E,
        "a root to index does not exist",
        "A configured or given root folder is missing; the other roots are indexed.",
        "Fix the path.",
    ),
    Rule(
        "invalid-settings",
        W,
        "a `stepcat.toml` / `[tool.stepcat]` setting is invalid",
        "Reported at the key's line; its default is used.",
        "Fix the value as the message says (see README, *Configuration*).",
    ),
    Rule(
        "internal-error",
        E,
        "stepcat itself failed on this file or step",
        "A bug in stepcat: everything else was indexed. Never silenced by settings or "
        "`# stepcat: ignore`.",
        "Please report it with the traceback that `stepcat --debug check` prints.",
    ),
)

# the group (a section of the rules page) each run of the table starts
_GROUPS = {
    "missing-script": "Steps",
    "duplicate-step": "Registries",
    "yaml-syntax-error": "Interfaces",
    "config-key-is-class-name": "Pipeline configs",
    "dag-unknown-step": "DAGs",
    "syntax-error": "Input",
}


def _grouped(table: tuple[Rule, ...]) -> tuple[Rule, ...]:
    group = ""
    out = []
    for r in table:
        group = _GROUPS.get(r.id, group)
        out.append(replace(r, group=group))
    return tuple(out)


RULES = _grouped(_TABLE)
BY_ID: dict[str, Rule] = {rule.id: rule for rule in RULES}
