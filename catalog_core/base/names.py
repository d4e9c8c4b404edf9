"""Pipeline node names (``CradleDataLoading_training``): the one rule that splits a node name
into a step and a job type, used by every part that meets one (DAG strings, config keys, spec
``step_type`` values, file names, the importable registry)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from catalog_core.models import ComponentType

Split = tuple[str, "str | None"]  # (step, job type or None)


# No step name is longer: a node name's step part is looked for only among its first
# ``MAX_STEP_NAME`` characters, which keeps splitting a hostile name (thousands of ``_``) linear.
MAX_STEP_NAME = 256


def suffix_splits(name: str) -> Iterator[tuple[str, str]]:
    """(prefix, suffix) at every ``_``, the longest prefix first:
    ``A_B_c`` -> (``A_B``, ``c``), (``A``, ``B_c``). Prefixes longer than ``MAX_STEP_NAME``
    are not tried."""
    cut = name.rfind("_", 0, MAX_STEP_NAME + 1)
    while cut >= 0:
        yield name[:cut], name[cut + 1 :]
        cut = name.rfind("_", 0, cut)


def split_node_name(
    name: str,
    is_step: Callable[[str], bool],
    canonical: Callable[[str], str | None] | None = None,
    *,
    keep_case: bool = False,
) -> Split | None:
    """The step and job type a node name means. Exact step names decide first: the name
    itself, then ``<step>_<job>`` with the longest step; only then the ``canonical`` forms
    (``tabular_preprocessing``), so ``Dummy_training`` is Dummy's training node even when a
    ``DummyTraining`` step exists. Job types are lower case unless ``keep_case``; None: no
    step."""
    fold = (lambda job: job) if keep_case else str.lower
    if is_step(name):
        return name, None
    splits = list(suffix_splits(name))
    for prefix, job in splits:
        if is_step(prefix):
            return prefix, fold(job)
    if canonical is None:
        return None
    step = canonical(name)
    if step is not None:
        return step, None
    for prefix, job in splits:
        step = canonical(prefix)
        if step is not None:
            return step, fold(job)
    return None


def job_head(job: str) -> str:
    """The job type proper of a suffix: ``training`` in ``training_munged``."""
    return job.split("_", 1)[0]


# (prefix, suffixes) stripped from a file stem to get the step-ish part of its name.
_NAME_AFFIXES: dict[ComponentType, tuple[str, tuple[str, ...]]] = {
    ComponentType.CONFIG: ("config_", ("_step", "_config")),
    ComponentType.BUILDER: ("builder_", ("_step", "_builder")),
    ComponentType.CONTRACT: ("", ("_contract",)),
    ComponentType.SPEC: ("", ("_spec",)),
    ComponentType.SCRIPT: ("", ()),
}


def name_core(kind: ComponentType, stem: str) -> str:
    """The step-ish part of a file stem: ``config_x_step`` -> ``x``, ``x_contract`` -> ``x``."""
    prefix, suffixes = _NAME_AFFIXES[kind]
    if prefix and stem.startswith(prefix) and len(stem) > len(prefix):
        stem = stem[len(prefix) :]
    for suffix in suffixes:
        if stem.endswith(suffix) and len(stem) > len(suffix):
            stem = stem[: -len(suffix)]
    return stem
