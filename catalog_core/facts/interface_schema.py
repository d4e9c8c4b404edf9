"""The key tree of a 2.x interface file (``steps/interfaces/<stem>.step.yaml``) as data.

One table serves the reader (unknown keys, closed value sets), hover (a line per key) and
completion (the keys and values allowed at a place). The key set is the framework's own
(DOMAIN_V2.md) plus every key real trees use and the framework accepts, so a correct file
never gets an "unknown key" warning. Levels whose keys are names chosen by the author (ports,
job types) are wildcards; sections whose keys are free data (``env_vars.optional``,
``arguments``, ``framework_requirements`` ...) are *open*: any key is fine there.

Paths are tuples of keys. At a wildcard level a path may hold the real name (``DATA``) or the
wildcard's label (``<port>``). Items of a sequence of mappings (``job_arguments``) are
transparent: ``("contract", "job_arguments", "flag")``.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

SAGEMAKER_STEP_TYPES = (
    "Base",
    "CradleDataLoading",
    "CreateModel",
    "Lambda",
    "MimsModelRegistrationProcessing",
    "Processing",
    "RedshiftDataLoading",
    "RegisterModel",
    "Training",
    "Transform",
    "Tuning",
    "Utility",
)
NODE_TYPES = ("source", "internal", "sink", "singular")
PORT_TYPES = (
    "model_artifacts",
    "processing_output",
    "training_data",
    "hyperparameters",
    "payload_samples",
    "custom_property",
)
STEP_ASSEMBLIES = ("code", "step_args", "delegation")
#: Where SageMaker mounts inputs and collects outputs inside a container.
CONTAINER_PREFIXES = (
    "/opt/ml/processing/",
    "/opt/ml/input/data",
    "/opt/ml/input/config",
    "/opt/ml/model",
    "/opt/ml/output",
    "/opt/ml/code",
    "/opt/ml/checkpoints",
)


@dataclass(slots=True)
class Key:
    """One key of the tree: its hover line, its children (None: a leaf), a wildcard child
    (ports, job types), a closed value set, and whether any key is allowed below (open)."""

    doc: str
    children: dict[str, Key] | None = None
    wildcard: tuple[str, Key] | None = None  # (label, schema of every child)
    values: tuple[str, ...] = ()
    open: bool = False
    sequence: bool = False  # a list of mappings whose items have ``children``


def _leaf(doc: str, values: tuple[str, ...] = ()) -> Key:
    return Key(doc, values=values)


def _map(doc: str, children: dict[str, Key]) -> Key:
    return Key(doc, children)


def _open(doc: str) -> Key:
    return Key(doc, open=True)


def _spec(doc: str) -> Key:
    dependency = _map(
        "A dependency (input port) of the step.",
        {
            "type": _leaf("What kind of output this dependency takes.", PORT_TYPES),
            "required": _leaf("Whether the step needs this input (default true)."),
            "compatible_sources": _leaf(
                "Step names (or generic producer names) whose outputs may feed this input."
            ),
            "compatible_output_types": _leaf("Output types accepted besides `type`."),
            "semantic_keywords": _leaf("Words used to match this input to upstream outputs."),
            "data_type": _leaf("The value's data type (usually S3Uri)."),
            "description": _leaf("What this input is."),
        },
    )
    output = _map(
        "An output port of the step.",
        {
            "type": _leaf("What kind of output this is.", PORT_TYPES),
            "property_path": _leaf("Where the SageMaker step exposes this output at run time."),
            "semantic_keywords": _leaf("Words used to match this output to downstream inputs."),
            "aliases": _leaf("Other names this output answers to."),
            "data_type": _leaf("The value's data type (usually S3Uri)."),
            "description": _leaf("What this output is."),
        },
    )
    return _map(
        doc,
        {
            "dependencies": Key(
                "Input ports: name -> dependency specification.",
                {},
                wildcard=("<port>", dependency),
            ),
            "outputs": Key(
                "Output ports: name -> output specification.", {}, wildcard=("<port>", output)
            ),
        },
    )


def _contract(doc: str) -> Key:
    contract_input = _map(
        "A container input (logical name -> path).",
        {
            "path": _leaf("Container path SageMaker mounts the input at (or null)."),
            "required": _leaf("Whether the script needs this input."),
            "channels": _leaf("Training channels this input is given as."),
        },
    )
    contract_output = _map(
        "A container output (logical name -> path).",
        {"path": _leaf("Container path SageMaker uploads the output from (or null).")},
    )
    job_arguments = _map(
        "Command-line arguments built from config attributes: a list of {flag, source}.",
        {
            "flag": _leaf("The command-line flag (e.g. --job_type)."),
            "source": _leaf("The config attribute whose value is passed."),
        },
    )
    job_arguments.sequence = True
    return _map(
        doc,
        {
            "entry_point": _leaf("The script in steps/scripts/ (ends in .py), or null."),
            "inputs": Key(
                "Container inputs: logical name -> {path, required}.",
                {},
                wildcard=("<port>", contract_input),
            ),
            "outputs": Key(
                "Container outputs: logical name -> {path}.",
                {},
                wildcard=("<port>", contract_output),
            ),
            "arguments": _open("Script arguments: name -> value."),
            "env_vars": _map(
                "Environment variables the script reads.",
                {
                    "required": _leaf("Variables that must be set."),
                    "optional": _open("Variables with their defaults."),
                },
            ),
            "job_arguments": job_arguments,
            "description": _leaf("What the script does."),
            "framework_requirements": _open("Python packages the script needs: name -> version."),
            "source_dir": _leaf("Folder shipped with the entry point (or null)."),
            "include_job_type_in_path": _leaf("Whether output paths include the job type."),
            "input_source_overrides": _open("Input name -> config method giving its source."),
            "computed_env_paths": _open("Environment variables computed from paths."),
            "circular_ref_check": _leaf("Whether the builder checks circular references."),
            "output_path_token": _leaf("Token used in output paths."),
            "runtime_requires": _leaf("Packages needed in the container at run time only."),
            "sink": _leaf("Whether the step writes nothing downstream steps consume."),
            "skip_inputs": _leaf("Inputs the builder does not wire."),
        },
    )


def _compute() -> Key:
    return _map(
        "How the step runs: processor/estimator kind and the config fields it reads.",
        {
            "kind": _leaf("The processor or estimator kind (sklearn, framework, estimator, ...)."),
            "sdk_class": _leaf("The SageMaker SDK class used."),
            "framework_version_field": _leaf("Config attribute holding the framework version."),
            "py_version_field": _leaf("Config attribute holding the Python version."),
            "image_uri_field": _leaf("Config attribute holding the container image URI."),
            "subnets_field": _leaf("Config attribute holding the VPC subnets."),
            "security_group_ids_field": _leaf("Config attribute holding the security groups."),
            "container_entrypoint": _leaf("Entrypoint command of a bring-your-own container."),
            "framework_name": _leaf("Framework name for image retrieval."),
            "framework_version_default": _leaf("Framework version when the config sets none."),
            "lock_training_region": _leaf("Whether the training region is fixed."),
            "network_mode": _leaf("Network isolation mode."),
            "kms_network": _leaf("KMS/network settings."),
            "requires": _leaf("Package the compute kind needs."),
            "retrieve_image": _leaf("Whether the image URI is retrieved from the SDK."),
        },
    )


def _build() -> Key:
    variant = _map(
        "A job-type variant: its spec is deep-merged over the base spec.",
        {
            "step_type": _leaf("Leftover variant step name (the framework ignores it)."),
            "spec": _spec("Spec sections merged over the base spec for this job type."),
            "contract": _contract("Contract sections merged over the base contract."),
        },
    )
    return _map(
        "A step interface.",
        {
            "step_type": _leaf("The step name (the registry key)."),
            "node_type": _leaf("The step's place in a DAG.", NODE_TYPES),
            "registry": _map(
                "The registry row derived from this interface.",
                {
                    "sagemaker_step_type": _leaf(
                        "The SageMaker step type the builder is routed by (required).",
                        SAGEMAKER_STEP_TYPES,
                    ),
                    "description": _leaf("One-line description of the step."),
                    "requires": _leaf("Package the step needs (optional)."),
                    "config_class": _leaf("Config class when not <StepType>Config."),
                    "builder_step_name": _leaf("Builder name when not <StepType>StepBuilder."),
                },
            ),
            "patterns": _map(
                "How the synthesised builder assembles the step.",
                {
                    "step_assembly": _leaf("How a Processing step is built.", STEP_ASSEMBLIES),
                    "direct_input_keys": _leaf("Inputs passed straight to the step."),
                    "include_job_type_in_path": _leaf("Whether output paths include the job type."),
                },
            ),
            "compute": _compute(),
            "contract": _contract("The script contract: entry point, container paths, env vars."),
            "spec": _spec("The step specification: dependencies and outputs."),
            "variants": Key(
                "Job-type variants: job type -> overrides.", {}, ("<job_type>", variant)
            ),
        },
    )


ROOT = _build()


def _node(path: tuple[str, ...]) -> Key | None:
    """The schema node at ``path`` (None: unknown, or below an open section)."""
    node = ROOT
    for part in path:
        if node.children is not None and part in node.children:
            node = node.children[part]
        elif node.wildcard is not None:
            node = node.wildcard[1]
        else:
            return None
    return node


def describe(path: tuple[str, ...]) -> str | None:
    """The one-line description of the key at ``path`` (hover)."""
    node = _node(path) if path else None
    return node.doc if node is not None else None


def keys_at(path: tuple[str, ...]) -> list[tuple[str, str]]:
    """The keys a mapping at ``path`` may hold, with their descriptions (completion)."""
    node = _node(path)
    if node is None or node.children is None:
        return []
    return [(key, child.doc) for key, child in node.children.items()]


def values_at(path: tuple[str, ...]) -> tuple[str, ...]:
    """The closed value set of the key at ``path``, or () when any value goes."""
    node = _node(path)
    return node.values if node is not None else ()


def is_known(path: tuple[str, ...]) -> bool:
    """Whether the framework reads the key at ``path`` (keys below open sections count)."""
    node = ROOT
    for part in path:
        if node.open:
            return True
        if node.children is not None and part in node.children:
            node = node.children[part]
        elif node.wildcard is not None:
            node = node.wildcard[1]
        else:
            return False
    return True


def is_open(path: tuple[str, ...]) -> bool:
    """Whether any key is allowed in the mapping at ``path`` (free data, or no schema)."""
    node = _node(path)
    return node is None or node.open


def _paths() -> dict[str, list[tuple[str, ...]]]:
    """Every concrete key -> the paths it is known at (for suggestions across levels)."""
    found: dict[str, list[tuple[str, ...]]] = {}

    def walk(node: Key, path: tuple[str, ...]) -> None:
        for key, child in (node.children or {}).items():
            found.setdefault(key, []).append((*path, key))
            walk(child, (*path, key))
        if node.wildcard is not None:
            walk(node.wildcard[1], (*path, node.wildcard[0]))

    walk(ROOT, ())
    return found


_WHERE = _paths()


def did_you_mean(key: str, path: tuple[str, ...]) -> str | None:
    """A suggestion for an unknown ``key`` in the mapping at ``path``: a close key of that
    mapping (``dependancies`` -> ``dependencies``), else the dotted path where ``key`` is
    known (top-level ``framework_requirements`` -> ``contract.framework_requirements``)."""
    candidates = [k for k, _ in keys_at(path)]
    close = difflib.get_close_matches(key, candidates, n=1, cutoff=0.75)
    if close:
        return close[0]
    elsewhere: list[tuple[str, ...]] = [p for p in _WHERE.get(key, []) if "<job_type>" not in p]
    if elsewhere:
        return ".".join(min((len(p), p) for p in elsewhere)[1])
    lowered = {k.lower(): k for k in candidates}
    return lowered.get(key.lower())
