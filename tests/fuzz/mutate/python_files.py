"""Mutators of Python files by kind: registries (values of the wrong type, literals inside
f-string templates, big or repeated entries), DAG scripts (odd ``add_node``/``add_edge`` calls,
thousands of them) and step components (odd contract and spec code, renamed classes)."""

from __future__ import annotations

import random
import re

from .generic import _insert, _line_start, huge_int, m_fstring_template

REGISTRY_NAMES = (b"STEP_NAMES", b"LOCAL_STEPS", b"STEP_OVERRIDES", b"WORKSPACE_METADATA")
REGISTRY_VALUES = (
    b"{1: 2}",
    b"None",
    b"[]",
    b'"alice"',
    b"{}",
    b'{"developer_id": 5}',
    b'{"developer_id": ""}',
    b'{"developer_id": "../../etc"}',
    b'{"developer_id": "a/b"}',
    b'{"developer_id": "\\ud800"}',
    b'{"X": 5}',
    b'{"": {}}',
    b'{1: {"config_class": "A"}}',
    b'{"Bad Name": {"config_class": None, "sagemaker_step_type": 5}}',
    b'{"X": {"config_class": "XConfig", "builder_step_name": ["a"], "sagemaker_step_type": {}}}',
    b'{"X": {"description": "' + b"d" * 5000 + b'"}}',
    b'{"X": {}, "X": {"config_class": "Y"}}',
    b"{**OTHER}",
    b"dict(X={})",
    b'{"X": {**BASE, "config_class": "XConfig"}}',
    b'{f"{a}": {}}',
    b'{"X": {"config_class": f"{name}Config"}}',
    b"{(1, 2): 3}",
    b"{...: ...}",
    b"{1: 2} if x else {}",
    '{"Ünïcode": {"config_class": "ÜConfig"}}'.encode(),
    b'{"X": {"sagemaker_step_type": "Processing"}}',
)


def m_registry_value(rng: random.Random, data: bytes) -> bytes:
    name = rng.choice(REGISTRY_NAMES)
    value = rng.choice(REGISTRY_VALUES)
    if value == b"HUGE":
        value = huge_int(rng)
    targets = list(re.finditer(rb"^" + name + rb"\s*(:[^=\n]*)?=\s*", data, re.M))
    how = rng.random()
    if targets and how < 0.4:  # a new entry at the head of the existing literal
        m = rng.choice(targets)
        if data[m.end() : m.end() + 1] == b"{":
            entry = (
                value[1:-1] if value.startswith(b"{") and value.endswith(b"}") else b"1: " + value
            )
            return data[: m.end() + 1] + entry + b", " + data[m.end() + 1 :]
    if targets and how < 0.7:  # the literal's name re-bound to something else first
        m = rng.choice(targets)
        return data[: m.start()] + name + b" = " + value + b"\n" + data[m.start() :]
    return (
        data
        + b"\n"
        + name
        + rng.choice((b" = ", b": dict = ", b" += ", b".update("))
        + value
        + b"\n"
    )


def m_registry_template(rng: random.Random, data: bytes) -> bytes:
    """One registry literal inside an f-string template (a code generator's source), braces
    doubled: ``TEMPLATE = f\"\"\"\nWORKSPACE_METADATA = {{...}}\n\"\"\"``."""
    targets = list(
        re.finditer(rb"^(" + b"|".join(REGISTRY_NAMES) + rb")\s*(:[^=\n]*)?=\s*\{", data, re.M)
    )
    if not targets:
        return m_fstring_template(rng, data)
    m = rng.choice(targets)
    depth, end = 0, len(data)
    for k in range(m.end() - 1, len(data)):
        if data[k : k + 1] == b"{":
            depth += 1
        elif data[k : k + 1] == b"}":
            depth -= 1
            if depth == 0:
                end = k + 1
                break
    nl = data.find(b"\n", end)
    end = len(data) if nl < 0 else nl + 1
    body = data[m.start() : end].replace(b"{", b"{{").replace(b"}", b"}}")
    if rng.random() < 0.5:
        body = body.replace(b'"alice"', b'"{developer}"').replace(b'"bob"', b'"{developer}"')
    head = rng.choice((b'TEMPLATE = f"""\n', b'    return f"""\n', b"TEMPLATE = f'''\n"))
    tail = b"'''\n" if head.endswith(b"'''\n") else b'"""\n'
    return data[: m.start()] + head + body + tail + data[end:]


def m_registry_entries(rng: random.Random, data: bytes) -> bytes:
    """Many entries: a big registry, or a key repeated."""
    n = rng.choice((2, 100, 3000))
    same = rng.random() < 0.3
    body = b"".join(
        b'    "Step%d": {"config_class": "Step%dConfig", "builder_step_name": "Step%dStepBuilder", "sagemaker_step_type": "Processing"},\n'
        % ((0, 0, 0) if same else (i, i, i))
        for i in range(n)
    )
    return data + b"\nSTEP_NAMES = {\n" + body + b"}\n"


DAG_LINES = (
    b"dag.add_node()",
    b"dag.add_node(1)",
    b'dag.add_node("")',
    b'dag.add_node("_")',
    b'dag.add_node("__training")',
    b'dag.add_node("A_b_c_d_e_f")',
    b'dag.add_node(f"{base}_training")',
    b'dag.add_edge("A")',
    b'dag.add_edge("A", "B", "C")',
    b"dag.add_edge(*edges)",
    b'dag.add_node(name="X")',
    b'dag . add_node ( "X" )',
    b'dag.add_node("Tab\\x00")',
    b'dag.add_node("\\ud800_training")',
    b'dag.add_node("\xed\xa0\x80_training")',
    b'dag.add_node("\xc3\x9cnicode_training")',
    b"dag.add_node('''CradleDataLoading_training''')",
    b'dag.add_node(r"CradleDataLoading_training")',
    b'dag.add_node(b"CradleDataLoading_training")',
    b'dag.add_node("CradleDataLoading_training"',
    b'dag.add_node("CradleDataLoading_',
    b'>>> dag.add_node("data_load")',
    b'"""dag.add_node("data_load")"""',
    b'dag.add_node("CradleDataLoading_' + b"x" * 10_000 + b'")',
    b'dag.add_node("' + b"_" * 5000 + b'")',
    b'dag.add_node("CradleDataLoading_training" "_suffix")',
    b'dag.add_node("CradleDataLoading_training")  # "unterminated',
    b'dag.add_node(("CradleDataLoading_training"))',
    b'x = {"CradleDataLoading_training": dag.add_node("XGBoostTraining")}',
)


def m_dag_calls(rng: random.Random, data: bytes) -> bytes:
    out = data
    for _ in range(rng.randint(1, 4)):
        line = rng.choice(DAG_LINES)
        out = _insert(out, _line_start(rng, out), line + rng.choice((b"\n", b"\r\n", b"")))
    return out


def m_dag_many(rng: random.Random, data: bytes) -> bytes:
    """Thousands of DAG calls (names cycle, so a saved reproducer compresses to a few KB)."""
    n = rng.choice((1000, 5000, 20000))
    body = b"".join(
        b'dag.add_node("Node%d_training")\ndag.add_edge("Node%d_training", "Node%d_training")\n'
        % (i % 97, i % 97, (i + 1) % 97)
        for i in range(n)
    )
    return data + b"\n" + body


COMPONENT_SNIPPETS = (
    b"entry_point = 5",
    b'entry_point="../../../../etc/passwd"',
    b'entry_point="/abs/script.py"',
    b'entry_point=""',
    b'entry_point="x\\x00.py"',
    b'entry_point="\xed\xa0\x80.py"',
    b"step_type=get_spec_step_type_with_job_type()",
    b"step_type=get_spec_step_type_with_job_type(5, None)",
    b'step_type=get_spec_step_type_with_job_type("X", "")',
    b'step_type=get_spec_step_type_with_job_type("", "training")',
    b'step_type=get_spec_step_type_with_job_type("A_b", "c_d", "e")',
    b"step_type=get_spec_step_type(*args)",
    b"class \xc3\x89t\xc3\xa9Config(BaseConfig): pass",
    b"class (BaseConfig): pass",
    b"class X(" + b"A, " * 1000 + b"B): pass",
    b"from " + b"." * 1000 + b"contracts import X",
    b"from . import *",
    b"import " + b"a." * 3000 + b"b",
    b"from ..contracts.missing_contract import MISSING_CONTRACT",
    b"from ...contracts import (",
    b"if TYPE_CHECKING:\n    from ..contracts.alpha_contract import ALPHA_CONTRACT",
    b"def f():\n    from ..contracts import " + b"X, " * 500 + b"Y",
    b"X_SPEC = StepSpecification(step_type=" + b"(" * 500 + b'"X"' + b")" * 500 + b")",
    b'@decorator\nclass Builder(StepBuilderBase):\n    """' + b"doc " * 2000 + b'"""',
)


def m_component_snippet(rng: random.Random, data: bytes) -> bytes:
    snippet = rng.choice(COMPONENT_SNIPPETS)
    m = re.search(rb"entry_point\s*=\s*[^,\n]*|step_type\s*=\s*[^\n]*", data)
    if m and snippet.startswith((b"entry_point", b"step_type")) and rng.random() < 0.7:
        return data[: m.start()] + snippet + data[m.end() :]
    return _insert(data, _line_start(rng, data), snippet + b"\n")


def m_rename_class(rng: random.Random, data: bytes) -> bytes:
    names = list(re.finditer(rb"\b(class|def)\s+(\w+)|^([A-Z_]+)\s*=", data, re.M))
    if not names:
        return data
    m = rng.choice(names)
    group = 2 if m.group(2) else 3
    new = rng.choice((b"", b"_", b"X" * 3000, b"\xc3\x89", b"\xff", b"A\x00B", m.group(group) * 2))
    return data[: m.start(group)] + new + data[m.end(group) :]
