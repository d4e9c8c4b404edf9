"""The 2.x pure readers (interface YAML, DAG JSON, notebooks) against the expected answers in
``tests/fixtures/expected_v2``, the real tree when present (no false alarms), and random input
(never raises, spans inside the text)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalog_core.facts import interface_schema as schema
from catalog_core.facts.dag_json import read_catalog_index, read_dag_json
from catalog_core.facts.interface_reader import key_at, node_at, read_interface
from catalog_core.facts.notebook import notebook_code
from catalog_core.facts.usages import scan_python_usages

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
EXPECTED = FIXTURES / "expected_v2"
REAL = Path("/work/real/cursus-v2")
INTERFACE_RULES = {
    "yaml-syntax-error",
    "interface-missing-key",
    "interface-invalid-value",
    "interface-unknown-key",
    "interface-port-mismatch",
    "source-with-dependencies",
}
DAG_RULES = {"json-syntax-error", "dag-undeclared-node", "dag-metadata-drift"}
INTERFACES = sorted(
    p for root in ("v2", "v2_project", "mixed") for p in (FIXTURES / root).rglob("*.step.yaml")
)
DAGS = sorted(
    p for root in ("v2", "v2_project", "mixed") for p in (FIXTURES / root).rglob("*.dag.json")
)


def _expected(rules: set[str], suffix: str) -> set[tuple[str, str, str, int]]:
    found = set()
    for name in ("v2.json", "v2_project.json", "mixed.json"):
        for rule, severity, path, line, _message in json.loads((EXPECTED / name).read_text())[
            "problems"
        ]:
            if rule in rules and path.endswith(suffix):
                found.add((rule, severity, path, line))
    return found


def _got(problems: list, path: Path) -> set[tuple[str, str, str, int]]:
    rel = str(path.relative_to(FIXTURES))
    return {(p.rule, p.severity.value, rel, p.span.start_line + 1) for p in problems}


def test_interface_problems_are_the_expected_ones() -> None:
    got: set[tuple[str, str, str, int]] = set()
    for path in INTERFACES:
        got |= _got(read_interface(str(path), path.read_bytes()).problems, path)
    assert got == _expected(INTERFACE_RULES, ".step.yaml")


def test_dag_problems_are_the_expected_ones() -> None:
    got: set[tuple[str, str, str, int]] = set()
    for path in DAGS:
        got |= _got(read_dag_json(str(path), path.read_bytes()).problems, path)
    assert got == _expected(DAG_RULES, ".dag.json")


def test_dag_facts_match_the_expected_dags() -> None:
    dags = json.loads((EXPECTED / "v2.json").read_text())["dags"]
    index_file = next((FIXTURES / "v2").rglob("catalog_index.json"))
    index = read_catalog_index(index_file.read_bytes())
    for name, want in dags.items():
        path = FIXTURES / want["file"]
        facts = read_dag_json(str(path), path.read_bytes())
        assert facts.name == name
        assert facts.flavour == want["flavour"]
        assert len(facts.nodes) == want["node_count"]
        assert len(facts.edges) == want["edge_count"]
        assert (name in index) == want["in_catalog_index"]
        if name in index:
            assert (index_file.parent / index[name]).resolve() == path.resolve()


def test_interface_facts_match_the_expected_steps() -> None:
    for name in ("v2.json", "v2_project.json", "mixed.json"):
        for step, want in json.loads((EXPECTED / name).read_text())["steps"].items():
            if want.get("layout") != "interface":
                continue
            path = FIXTURES / want["interface"]
            facts = read_interface(str(path), path.read_bytes())
            assert facts.step_type == step
            assert facts.sagemaker_step_type == want["sagemaker_step_type"]
            assert facts.node_type == want["node_type"]
            assert sorted(facts.variants) == want["variants"]
            if want["script"] is not None:
                assert facts.entry_point == Path(want["script"]).name


def test_half_typed_file_keeps_what_precedes_the_error() -> None:
    path = next(p for p in INTERFACES if p.name == "broken_half_typed.step.yaml")
    facts = read_interface(str(path), path.read_bytes())
    assert facts.step_type == "MissingValueImputation"
    assert facts.entry_point == "missing_value_imputation.py"
    assert "input_data" in facts.dependencies


def test_notebook_code_cells_feed_the_usage_scanner() -> None:
    want = json.loads((EXPECTED / "v2_project.json").read_text())["dag_nodes"]
    for rel, nodes in want.items():
        if not rel.endswith(".ipynb"):
            continue
        cells = notebook_code((FIXTURES / rel).read_bytes())
        names = {u.name for c in cells for u in scan_python_usages(c.source.encode())}
        assert names == set(nodes)
        assert all(c.source_line is not None for c in cells)


# -- the real tree: no false alarms ----------------------------------------------------------


@pytest.mark.skipif(not REAL.is_dir(), reason="/work/real/cursus-v2 is not present")
def test_real_interfaces_read_without_problems() -> None:
    """MANIFEST.md lists no deliberate interface defect, so every real interface is clean."""
    files = sorted(REAL.rglob("*.step.yaml"))
    assert files
    found = {
        (f.name, p.rule, p.message)
        for f in files
        for p in read_interface(str(f), f.read_bytes()).problems
    }
    assert found == set()


@pytest.mark.skipif(not REAL.is_dir(), reason="/work/real/cursus-v2 is not present")
def test_real_dag_problems_are_the_documented_anomalies() -> None:
    manifest = (REAL.parent / "MANIFEST.md").read_text()
    files = sorted(REAL.rglob("*.dag.json"))
    assert files
    for f in files:
        facts = read_dag_json(str(f), f.read_bytes())
        dag = json.loads(f.read_bytes())["dag"]
        assert [n for n, _ in facts.nodes] == dag["nodes"]
        assert [(a, b) for (a, _), (b, _) in facts.edges] == [tuple(e) for e in dag["edges"]]
        for p in facts.problems:
            named = re.findall(r"'([^']+)'", p.message)
            assert facts.name in manifest and all(n in manifest for n in named), p.message


# -- cursor helpers and the schema -----------------------------------------------------------

HALF_TYPED = """step_type: X
node_type: sou
registry:
  sagemaker_step_type: Proc
  descr
contract:
  inputs:
    DATA: {path: /opt, requ
  job_arguments:
  - flag: --x
    sou
spec:
  dependencies:
    DATA:
      type: proc
      compatible_sources:
      - Crad
      semantic_keywords: [a, b
variants:
  training:
    spec: {outputs: {DATA: {sem
    \n"""

KEY_AT_CASES = [
    (1, ("node_type",), "value", "sou"),
    (3, ("registry", "sagemaker_step_type"), "value", "Proc"),
    (4, ("registry",), "key", "descr"),
    (7, ("contract", "inputs", "DATA"), "key", "requ"),
    (9, ("contract", "job_arguments", "flag"), "value", "--x"),
    (10, ("contract", "job_arguments"), "key", "sou"),
    (14, ("spec", "dependencies", "DATA", "type"), "value", "proc"),
    (16, ("spec", "dependencies", "DATA", "compatible_sources"), "value", "Crad"),
    (17, ("spec", "dependencies", "DATA", "semantic_keywords"), "value", "b"),
    (20, ("variants", "training", "spec", "outputs", "DATA"), "key", "sem"),
    (21, ("variants", "training"), "key", ""),
]


@pytest.mark.parametrize(("line", "path", "kind", "typed"), KEY_AT_CASES)
def test_key_at_on_half_typed_yaml(line: int, path: tuple[str, ...], kind: str, typed: str) -> None:
    text = HALF_TYPED.split("\n")[line]
    assert key_at(HALF_TYPED.encode(), line, len(text)) == (path, kind, typed)
    # what completion would offer there is known to the schema
    assert (
        schema.keys_at(path)
        or schema.values_at(path)
        or kind == "value"
        or path[-1:] == ("training",)
    )


def test_key_at_paths_complete_from_the_schema() -> None:
    assert "source" in schema.values_at(key_at(HALF_TYPED.encode(), 1, 14)[0])
    assert "required" in dict(schema.keys_at(key_at(HALF_TYPED.encode(), 7, 27)[0]))
    assert "description" in dict(schema.keys_at(("registry",)))
    assert key_at(b"", 5, 3) == ((), "key", "")


def test_node_at_finds_names_in_a_fixture() -> None:
    path = next(
        p for p in INTERFACES if p.name == "tabular_preprocessing.step.yaml" and "v2/" in str(p)
    )
    facts = read_interface(str(path), path.read_bytes())
    lines = path.read_text().split("\n")
    probes = [
        ("step_type", "TabularPreprocessing", "step_type:"),
        ("compatible_source", "DataLoad", "- DataLoad"),
        ("variant", "training", "training:"),
        ("config_attribute", "job_type", "source: job_type"),
        ("dependency", "SIGNATURE", "SIGNATURE:"),
    ]
    for kind, name, anchor in probes:
        line = next(
            i for i, t in enumerate(lines) if anchor in t and (kind != "dependency" or i > 35)
        )
        node = node_at(facts, line, lines[line].index(name) + 1)
        assert node is not None and (node.kind, node.name) == (kind, name)


def test_schema_answers() -> None:
    assert schema.values_at(("registry", "sagemaker_step_type")) == schema.SAGEMAKER_STEP_TYPES
    assert schema.values_at(("spec", "outputs", "DATA", "type")) == schema.PORT_TYPES
    assert schema.values_at(("variants", "training", "spec", "dependencies", "<port>", "type"))
    assert schema.is_known(("contract", "env_vars", "optional", "ANY_NAME"))
    assert not schema.is_known(("spec", "dependancies"))
    assert schema.did_you_mean("dependancies", ("spec",)) == "dependencies"
    assert schema.did_you_mean("framework_requirements", ()) == "contract.framework_requirements"
    assert schema.describe(("contract", "entry_point"))
    assert schema.describe(("nope",)) is None


# -- robustness ----------------------------------------------------------------------------


def _inside(span: tuple[int, int, int, int], lines: list[str]) -> bool:
    return (
        0 <= span[0] <= span[2] < len(lines)
        and 0 <= span[1] <= len(lines[span[0]]) + 1
        and 0 <= span[3] <= len(lines[span[2]]) + 1
    )


def _check_interface(data: bytes) -> None:
    facts = read_interface("x.step.yaml", data)
    lines = data.decode("utf-8", "replace").removeprefix("\ufeff").split("\n")
    spans = [p.span for p in facts.problems]
    raw = [(s.start_line, s.start_character, s.end_line, s.end_character) for s in spans]
    raw += list(facts.contract_inputs.values()) + list(facts.dependencies.values())
    raw += [s for _, s in facts.compatible_sources] + list(facts.variants.values())
    assert all(_inside(s, lines) for s in raw), raw
    line = len(lines) // 2
    key_at(data, line, len(lines[line]) // 2)


def _check_dag(data: bytes) -> None:
    facts = read_dag_json("x.dag.json", data)
    lines = data.decode("utf-8", "replace").split("\n")
    raw = [s for _, s in facts.nodes] + [s for pair in facts.edges for _, s in pair]
    raw += [
        (p.span.start_line, p.span.start_character, p.span.end_line, p.span.end_character)
        for p in facts.problems
    ]
    assert all(_inside(s, lines) for s in raw), raw
    notebook_code(data)
    read_catalog_index(data)


SAMPLES = [p.read_bytes() for p in INTERFACES] + [p.read_bytes() for p in DAGS]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_random_bytes_never_raise(data: bytes) -> None:
    _check_interface(data)
    _check_dag(data)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(SAMPLES),
    st.integers(min_value=0, max_value=10_000),
    st.lists(st.tuples(st.integers(0, 10_000), st.binary(max_size=4)), max_size=4),
)
def test_truncated_and_mutated_fixtures_never_raise(
    sample: bytes, cut: int, edits: list[tuple[int, bytes]]
) -> None:
    data = bytearray(sample[: cut % (len(sample) + 1)])
    for at, piece in edits:
        pos = at % (len(data) + 1)
        data[pos : pos + len(piece)] = piece
    _check_interface(bytes(data))
    _check_dag(bytes(data))


def test_a_large_interface_nested_too_deep_is_reported_where_it_passes_the_limit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Fuzz finding: 100,000 ``{`` on one line of a 0.19 MB interface went to PyYAML's
    pure-Python loader (~5 µs a character: 1.2 s, 50 s at the size limit). A large text that
    may nest deeper than libyaml's limit is now reported at the bracket that passes it,
    without that loader; the lines before it are still read."""
    import yaml

    def no_python_loader(*args: object, **kwargs: object) -> None:
        raise AssertionError("the pure-Python loader was used")

    monkeypatch.setattr(yaml.SafeLoader, "__init__", no_python_loader)
    head = b"step_type: Deep\ncontract:\n  entry_point: deep.py\n"
    facts = read_interface("x", head + b"X: " + b"{" * 100_000 + b"}" * 100_000 + b"\n")
    assert facts.step_type == "Deep"
    (problem,) = facts.problems
    assert problem.rule == "yaml-syntax-error"
    assert "nested deeper than 1000 levels" in problem.message
    # on the line of the brackets, at the one that passes the bound (indentation counts too)
    assert problem.span.start_line == 3
    assert 3 + 900 < problem.span.start_character <= 3 + 1000
    # small ones too (fuzz finding: 485 levels in 10 KB took PyYAML's scanner 1.3 s, it is
    # quadratic in the depth)
    small = read_interface("x", head + b"X: " + b"[" * 1_200 + b"]" * 1_200 + b"\n")
    assert small.step_type == "Deep"
    assert "nested deeper than 1000 levels" in small.problems[0].message


def test_pathological_inputs_are_bounded() -> None:
    deep = b"[" * 200_000 + b"]" * 200_000
    assert read_interface("x", deep).problems  # no C stack overflow: the Python loader stops
    assert read_interface("x", b"a: " + b"- " * 50_000 + b"x\n").problems is not None
    laughs = b"a: &a [x, x, x, x, x, x, x, x, x]\n" + b"".join(
        b"%c: &%c [*%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c]\n" % ((98 + i, 98 + i) + (97 + i,) * 8)
        for i in range(20)
    )
    read_interface("x", laughs)  # aliases are walked once: linear
    assert read_interface("x", b"").problems[0].rule == "interface-missing-key"
    assert read_interface("x", b"- a\n- b\n").problems[0].rule == "interface-invalid-value"
    assert read_interface("x", b"a: 1\n---\nb: 2\n").problems[0].rule == "yaml-syntax-error"
    assert read_dag_json("x", b"[" * 200_000).problems
