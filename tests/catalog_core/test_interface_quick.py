"""The quick interface reader (indexing's fast path) answers exactly as the full reader for the
facts indexing uses, or gives up: on every fixture, the real tree, a synthetic catalog and
random mutations of the fixtures."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalog_core.facts.interface_quick import quick_interface, step_type_and_config_class
from catalog_core.facts.interface_reader import read_interface

TESTS = Path(__file__).resolve().parents[1]
REAL = Path("/work/real/cursus-v2")  # a reconstruction of the framework's tree, not committed
INDEXED = (
    "step_type",
    "step_type_span",
    "node_type",
    "sagemaker_step_type",
    "description",
    "config_class",
    "config_class_span",
    "builder_step_name",
    "registry_span",
    "entry_point",
    "entry_point_span",
    "entry_point_declared",
    "variants",
)
FIXTURES = sorted((TESTS / "fixtures").rglob("*.step.yaml"))
SAMPLES = [p.read_bytes() for p in FIXTURES]


def _agrees(data: bytes) -> None:
    quick = quick_interface(data)
    if quick is None:
        return  # gave up: the index uses the full reader
    full = read_interface("x.step.yaml", data)
    if any(p.rule == "yaml-syntax-error" for p in full.problems):
        return  # YAML rejects the file; the framework cannot load it either
    assert {k: getattr(quick, k) for k in INDEXED} == {k: getattr(full, k) for k in INDEXED}


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_fixtures(path: Path) -> None:
    _agrees(path.read_bytes())


def test_most_fixtures_take_the_fast_path() -> None:
    read = [p.name for p, data in zip(FIXTURES, SAMPLES, strict=True) if quick_interface(data)]
    assert len(read) >= len(FIXTURES) - 3  # flow-style registry blocks go to the full reader


@pytest.mark.skipif(not REAL.is_dir(), reason="the real tree is not on this machine")
def test_real_tree() -> None:
    paths = sorted(REAL.rglob("*.step.yaml"))
    for path in paths:
        _agrees(path.read_bytes())
    fast = sum(quick_interface(p.read_bytes()) is not None for p in paths)
    assert fast >= len(paths) - 2


def test_synthetic_catalog(tmp_path: Path) -> None:
    sys.path.insert(0, str(TESTS.parent / "benchmarks"))
    from synth import generate_interfaces

    generate_interfaces(tmp_path, 60)
    for path in sorted(tmp_path.rglob("*.step.yaml")):
        data = path.read_bytes()
        assert quick_interface(data) is not None, path.name
        _agrees(data)


_EDITS = st.sampled_from(
    [
        "",
        " ",
        "  ",
        "- ",
        "# c",
        ": ",
        "'",
        '"',
        "{",
        "}",
        "[",
        "]",
        "\t",
        "&a ",
        "*a",
        "!t ",
        ">",
        "|",
        "null",
        "~",
        "---",
        "\\",
        "x: y",
        "\n",
        "  k: v\n",
        "variants:\n  a: {}\n",
    ]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    sample=st.sampled_from(SAMPLES),
    edits=st.lists(st.tuples(st.floats(0, 1), _EDITS, st.integers(0, 3)), max_size=4),
)
def test_mutations(sample: bytes, edits: list[tuple[float, str, int]]) -> None:
    text = sample.decode("utf-8")
    for where, insert, drop in edits:
        at = int(where * len(text))
        text = text[:at] + insert + text[at + drop :]
    _agrees(text.encode("utf-8", "surrogatepass"))


_HEAD = "step_type: ModelTraining\nregistry:\n  sagemaker_step_type: Training\n"


@pytest.mark.parametrize(
    "text",
    [
        _HEAD + "  config_class: 'ModelTrainingStepConfig'\ncontract:\nhalf typed [\n",
        _HEAD + "  config_class: ModelTrainingStepConfig  # declared\n  descr\n",
        _HEAD + "  config_class: ModelTrainingStepConfig\ncontract:\n\tentry_point: x.py\n",
        _HEAD + "half typed\n  config_class: ModelTrainingStepConfig\n",
        (_HEAD + "  config_class: ModelTrainingStepConfig\n  x: [\n").replace("\n", "\r\n"),
    ],
)
def test_step_type_and_config_class_of_a_half_typed_file(text: str) -> None:
    """Read line by line where the fast path gives up on the file."""
    assert quick_interface(text.encode()) is None
    assert step_type_and_config_class(text) == ("ModelTraining", "ModelTrainingStepConfig")


@pytest.mark.parametrize(
    "text",
    [
        "registry:\n  config_class:\n",
        "step_type: 'Model\nregistry:\n  config_class: {a: 1}\n",
        "step_type:\n  ModelTraining\ncompute:\n  config_class: NotTheRegistrys\n",
    ],
)
def test_step_type_and_config_class_missing_or_not_plain(text: str) -> None:
    assert step_type_and_config_class(text) == (None, None)


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_step_type_and_config_class_agree_with_the_full_reader(path: Path) -> None:
    data = path.read_bytes()
    full = read_interface("x.step.yaml", data)
    if any(p.rule == "yaml-syntax-error" for p in full.problems):
        return
    step_type, config_class = step_type_and_config_class(data.decode("utf-8"))
    assert step_type in (None, full.step_type) and config_class in (None, full.config_class)
