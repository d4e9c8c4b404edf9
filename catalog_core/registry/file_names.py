"""Which registered step a component file name means (``get_canonical_name_from_file_name``):
matched against the registry's names, never converted, so acronyms need no rule
(``lightgbmmt_training`` is ``LightGBMMTTraining`` because that name squashes the same).
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Collection

from catalog_core.base.names import name_core, suffix_splits
from catalog_core.base.text import squash
from catalog_core.models import ComponentType
from catalog_core.registry.live_registry import StepTables, UnknownStepError

_AFFIXED = (ComponentType.CONFIG, ComponentType.BUILDER, ComponentType.CONTRACT, ComponentType.SPEC)


def stem_of(file_name: str) -> str:
    """``a/b/config_x_step.py`` -> ``config_x_step``."""
    base = file_name.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]
    return base[:-3] if base.endswith(".py") else base


def name_cores(stem: str) -> list[str]:
    """The stem itself, then its step-ish parts once component affixes are stripped
    (``config_x_step`` -> ``x``, ``x_contract`` -> ``x``, ``x_training_spec`` -> ``x_training``)."""
    cores = [stem]
    for kind in _AFFIXED:
        core = name_core(kind, stem)
        if core not in cores:
            cores.append(core)
    return cores


def canonical_step(
    file_name: str,
    tables: StepTables,
    job_types: Collection[str],
    indexed_step: Callable[[str], list[str]],
) -> str:
    """The step a file name or stem means in these tables, trying in order: a registered name
    or normalised name (``xgboost_training``); a name followed by a known job type
    (``tabular_preprocessing_training_spec.py``); for a ``.py`` name or a path, the step the
    index links that file to (a contract named unlike its step). Raises UnknownStepError."""
    if not isinstance(file_name, str) or not stem_of(file_name).strip():
        raise ValueError(f"File name cannot be empty (got {file_name!r})")
    cores = name_cores(stem_of(file_name))
    for core in cores:
        if core in tables.step_names:
            return core
        hit = tables.by_squash.get(squash(core))
        if hit is not None:
            return hit
    for core in cores:
        for prefix, job in suffix_splits(core):
            if job.lower() in job_types:
                hit = tables.by_squash.get(squash(prefix))
                if hit is not None:
                    return hit
    if file_name.endswith(".py") or "/" in file_name.replace("\\", "/"):
        for step in indexed_step(file_name):
            if step in tables.step_names:
                return step
    raise UnknownStepError("file name", file_name, tables.workspace, _close(cores, tables))


def _close(cores: list[str], tables: StepTables) -> list[str]:
    found: list[str] = []
    pool = list(tables.by_squash)
    for core in cores:
        for key in difflib.get_close_matches(squash(core), pool, n=3, cutoff=0.75):
            name = tables.by_squash[key]
            if name not in found:
                found.append(name)
    return found[:3]
