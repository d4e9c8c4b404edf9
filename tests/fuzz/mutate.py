"""Structure-aware mutations of the fixture catalogs, deterministic from a seed.

A ``Case`` is a fixture tree plus a list of ``Mutation``s: new bytes for one file (a content
mutation of a component, registry, DAG, config JSON or settings file) or a tree operation
(symlink loop, FIFO, unreadable folder, 1,200 nested folders, a non-UTF-8 file name, a 12 MB
file...). Everything is chosen with one ``random.Random(seed)``, so ``make_case(seed)`` always
builds the same case, and a case is plain data (JSON) that a reproducer can replay.

Tree operations that make big files store a size and a pattern, never the bytes.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import random
import re
import shutil
import stat
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
FIXTURES = {
    "broken": REPO / "tests/fixtures/broken",
    "configs": REPO / "tests/fixtures/configs",
    "irregular": REPO / "tests/fixtures/irregular",
    "multi": REPO / "tests/fixtures/multi",
    "demo": REPO / "examples/demo",
    "v2": REPO / "tests/fixtures/v2",
    "v2_project": REPO / "tests/fixtures/v2_project",
    "mixed": REPO / "tests/fixtures/mixed",
}
COMPONENT_DIRS = ("scripts", "contracts", "specs", "builders", "configs")
KINDS = (
    "component",
    "registry",
    "dag",
    "python",
    "config-json",
    "settings",
    "interface",
    "dag-json",
    "notebook",
    "tree",
)
RUNNING_AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0

# -- the files of a fixture ---------------------------------------------------------------------

_REGISTRY_RE = re.compile(
    rb"^\s*(STEP_NAMES|LOCAL_STEPS|STEP_OVERRIDES|WORKSPACE_METADATA)\b", re.M
)


def classify(rel: str, data: bytes) -> str | None:
    """The input kind of a fixture file, or None for files the catalog does not read."""
    name = rel.rsplit("/", 1)[-1]
    if name in ("pyproject.toml", "stepcat.toml"):
        return "settings"
    if name.endswith(".step.yaml"):
        return "interface"
    if name.endswith(".dag.json"):
        return "dag-json"
    if name.endswith(".ipynb"):
        return "notebook"
    if name.endswith(".json"):
        return "config-json"
    if not name.endswith(".py"):
        return None
    if _REGISTRY_RE.search(data):
        return "registry"
    if b"add_node" in data or b"add_edge" in data:
        return "dag"
    parts = rel.split("/")
    if len(parts) >= 3 and parts[-2] in COMPONENT_DIRS and parts[-3] == "steps":
        return "component"
    return "python"


def fixture_files(fixture: str) -> dict[str, tuple[str, bytes]]:
    """relative path -> (kind, bytes) for every file of a fixture the catalog reads."""
    root = FIXTURES[fixture]
    found: dict[str, tuple[str, bytes]] = {}
    for path in sorted(root.rglob("*")):
        if not path.is_file() or "__pycache__" in path.parts or ".stepcat" in path.parts:
            continue
        rel = path.relative_to(root).as_posix()
        data = path.read_bytes()
        kind = classify(rel, data)
        if kind is not None:
            found[rel] = (kind, data)
    return found


def component_folders(fixture: str) -> list[str]:
    root = FIXTURES[fixture]
    return sorted(
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if p.is_dir() and p.name in COMPONENT_DIRS and p.parent.name == "steps"
    )


def workspace_roots(fixture: str) -> list[str]:
    """Folders where a settings file can go: the root and each developer workspace."""
    root = FIXTURES[fixture]
    found = [""]
    for p in sorted(root.rglob("*")):
        if p.is_dir() and (
            p.parent.name == "projects" or (p.parent == root and p.name in ("alice", "shared"))
        ):
            found.append(p.relative_to(root).as_posix())
    return found


# -- byte-level helpers ------------------------------------------------------------------------

LONE_SURROGATE = b"\xed\xa0\x80"  # '\ud800' as (invalid) UTF-8
BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf\xef\xbb\xbf")


def _lines(data: bytes) -> list[bytes]:
    return data.splitlines(keepends=True) or [b""]


def _pos(rng: random.Random, data: bytes) -> int:
    """A random offset, often just inside a string literal (where names live)."""
    quotes = [m.end() for m in re.finditer(rb"[\"']", data)]
    if quotes and rng.random() < 0.5:
        return rng.choice(quotes)
    return rng.randrange(len(data) + 1)


def _insert(data: bytes, at: int, piece: bytes) -> bytes:
    return data[:at] + piece + data[at:]


def _line_start(rng: random.Random, data: bytes) -> int:
    starts = [0] + [m.end() for m in re.finditer(rb"\n", data)]
    return rng.choice(starts)


def huge_int(rng: random.Random, digits: int = 5000) -> bytes:
    return str(rng.randrange(1, 10)).encode() + bytes(
        rng.choice(b"0123456789") for _ in range(digits - 1)
    )


# -- generic mutators (every kind) -------------------------------------------------------------

Mutator = Callable[[random.Random, bytes], bytes]


def m_truncate(rng: random.Random, data: bytes) -> bytes:
    return data[: rng.randrange(len(data) + 1)]


def m_delete_lines(rng: random.Random, data: bytes) -> bytes:
    lines = _lines(data)
    i = rng.randrange(len(lines))
    del lines[i : i + rng.randint(1, 4)]
    return b"".join(lines)


def m_duplicate_lines(rng: random.Random, data: bytes) -> bytes:
    lines = _lines(data)
    i = rng.randrange(len(lines))
    run = lines[i : i + rng.randint(1, 6)]
    lines[i:i] = run * rng.choice((1, 1, 2, 50))
    return b"".join(lines)


def m_swap_lines(rng: random.Random, data: bytes) -> bytes:
    lines = _lines(data)
    i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
    lines[i], lines[j] = lines[j], lines[i]
    return b"".join(lines)


def m_nul(rng: random.Random, data: bytes) -> bytes:
    for _ in range(rng.randint(1, 4)):
        data = _insert(data, _pos(rng, data), b"\x00")
    return data


def m_lone_surrogate(rng: random.Random, data: bytes) -> bytes:
    return _insert(data, _pos(rng, data), LONE_SURROGATE)


def m_braces(rng: random.Random, data: bytes) -> bytes:
    piece = rng.choice((b"{{", b"}}", b"{{ }}", b"{", b"}"))
    if b"{" in data and rng.random() < 0.5:
        spots = [m.start() for m in re.finditer(rb"[{}]", data)]
        at = rng.choice(spots)
        return data[:at] + data[at : at + 1] * 2 + data[at + 1 :]
    return _insert(data, _pos(rng, data), piece)


def m_triple_quote(rng: random.Random, data: bytes) -> bytes:
    piece = rng.choice((b'"""', b"'''", b'"""\n', b'r"""', b'f"""'))
    at = _line_start(rng, data) if rng.random() < 0.5 else _pos(rng, data)
    return _insert(data, at, piece)


def m_fstring_template(rng: random.Random, data: bytes) -> bytes:
    """Wrap some lines in an f-string template, braces doubled (a code generator's source)."""
    lines = _lines(data)
    i = rng.randrange(len(lines))
    j = min(len(lines), i + rng.randint(1, 12))
    body = b"".join(lines[i:j]).replace(b"{", b"{{").replace(b"}", b"}}")
    if rng.random() < 0.5:
        body += b"    {name}\n"
    head = rng.choice((b'TEMPLATE = f"""\n', b'    return f"""\n', b'f"""\n', b"TEMPLATE = f'''\n"))
    tail = b"'''\n" if head.endswith(b"'''\n") else b'"""\n'
    return b"".join(lines[:i]) + head + body + tail + b"".join(lines[j:])


def m_huge_int(rng: random.Random, data: bytes) -> bytes:
    number = huge_int(rng)
    nums = list(re.finditer(rb"(?<![\w.])\d+(?![\w.])", data))
    if nums and rng.random() < 0.5:
        m = rng.choice(nums)
        return data[: m.start()] + number + data[m.end() :]
    return _insert(data, _line_start(rng, data), b"X = " + number + b"\n")


def m_deep_nesting(rng: random.Random, data: bytes) -> bytes:
    depth = rng.choice((10_000, 10_000, 1_000, 100_000))
    opener, closer = rng.choice(((b"[", b"]"), (b"{", b"}"), (b"(", b")")))
    closed = rng.random() < 0.7
    piece = opener * depth + (closer * depth if closed else b"")
    if rng.random() < 0.5:
        return _insert(data, _line_start(rng, data), b"X = " + piece + b"\n")
    return _insert(data, _pos(rng, data), piece)


def m_long_line(rng: random.Random, data: bytes) -> bytes:
    n = rng.choice((100_000, 300_000, 1_000_000))
    piece = rng.choice(
        (
            b"# " + b"x" * n + b"\n",
            b'X = "' + b"a" * n + b'"\n',
            b"X = " + b"1 + " * (n // 4) + b"1\n",
            b'dag.add_node("' + b"A" * n + b'")\n',
        )
    )
    return _insert(data, _line_start(rng, data), piece)


def m_line_ends(rng: random.Random, data: bytes) -> bytes:
    style = rng.choice(("crlf", "cr", "mixed", "crcrlf"))
    if style == "crlf":
        return data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    if style == "cr":
        return data.replace(b"\r\n", b"\n").replace(b"\n", b"\r")
    if style == "crcrlf":
        return data.replace(b"\n", b"\r\r\n")
    lines = _lines(data)
    return b"".join(
        ln.rstrip(b"\r\n") + rng.choice((b"\n", b"\r\n", b"\r")) if ln.endswith(b"\n") else ln
        for ln in lines
    )


def m_bom(rng: random.Random, data: bytes) -> bytes:
    bom = rng.choice(BOMS)
    if rng.random() < 0.8:
        return bom + data
    return _insert(data, _line_start(rng, data), bom)


def m_latin1(rng: random.Random, data: bytes) -> bytes:
    piece = rng.choice(("café", "Größe", "naïve ½ µ", "ÿ")).encode("latin-1")
    if rng.random() < 0.3:  # the whole file as latin-1 text
        return (
            data.decode("utf-8", "replace").replace("\ufffd", "?").encode("latin-1", "replace")
            + b"# "
            + piece
            + b"\n"
        )
    return _insert(data, _pos(rng, data), piece)


def m_garbage(rng: random.Random, data: bytes) -> bytes:
    blob = rng.randbytes(rng.choice((1, 16, 256, 4096)))
    if rng.random() < 0.2:
        return blob
    return _insert(data, _pos(rng, data), blob)


def m_empty(rng: random.Random, data: bytes) -> bytes:
    return rng.choice((b"", b"\n", b" ", b"\x00", b"\xef\xbb\xbf"))


GENERIC: dict[str, tuple[Mutator, int]] = {
    "truncate": (m_truncate, 6),
    "delete_lines": (m_delete_lines, 6),
    "duplicate_lines": (m_duplicate_lines, 5),
    "swap_lines": (m_swap_lines, 5),
    "nul": (m_nul, 4),
    "lone_surrogate": (m_lone_surrogate, 4),
    "braces": (m_braces, 4),
    "triple_quote": (m_triple_quote, 4),
    "fstring_template": (m_fstring_template, 4),
    "huge_int": (m_huge_int, 3),
    "deep_nesting": (m_deep_nesting, 3),
    "long_line": (m_long_line, 2),
    "line_ends": (m_line_ends, 3),
    "bom": (m_bom, 3),
    "latin1": (m_latin1, 3),
    "garbage": (m_garbage, 3),
    "empty": (m_empty, 1),
}

# -- kind-specific mutators --------------------------------------------------------------------

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


# config JSON: structure-aware, through json when it parses

JSON_VALUES: tuple[Any, ...] = (
    None,
    [],
    {},
    5,
    "x",
    True,
    1.5e308,
    {"": ""},
    {"X": 5},
    {"X": None},
    {"A_b_c_d": "AConfig"},
    ["CradleDataLoading_training"],
    {"\ud800": "\ud800"},
    {"k" * 5000: "v"},
    {"CradleDataLoading_training": {"__model_type__": 5}},
    {"CradleDataLoading_training": {"__model_type__": ["a"], "job_type": 5}},
    {"__model_type__": "X", "job_type": {"nested": True}},
)


def _json_paths(obj: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    paths = [prefix]
    if isinstance(obj, dict):
        for k, v in obj.items():
            paths += _json_paths(v, (*prefix, k))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            paths += _json_paths(v, (*prefix, i))
    return paths


def _json_set(obj: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    node = obj
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return obj


class _Raw:
    """A JSON value written verbatim (a huge integer, NaN, deep nesting)."""

    def __init__(self, text: str) -> None:
        self.text = text


def _dump(obj: Any, rng: random.Random) -> bytes:
    raws: list[str] = []

    def default(o: Any) -> Any:
        if isinstance(o, _Raw):
            raws.append(o.text)
            return f"@@RAW{len(raws) - 1}@@"
        raise TypeError

    text = json.dumps(
        obj,
        indent=rng.choice((None, 2, 4, "\t")),
        ensure_ascii=rng.random() < 0.5,
        default=default,
        allow_nan=True,
    )
    for i, raw in enumerate(raws):
        text = text.replace(f'"@@RAW{i}@@"', raw)
    return text.encode("utf-8", "surrogatepass")


def m_json_structure(rng: random.Random, data: bytes) -> bytes:
    try:
        obj = json.loads(data)
    except (ValueError, RecursionError):
        return m_json_text(rng, data)
    choice = rng.random()
    if choice < 0.25 and isinstance(obj, dict):
        meta = obj.setdefault("metadata", {})
        if isinstance(meta, dict):
            meta["config_types"] = rng.choice(JSON_VALUES)
            return _dump(obj, rng)
    if choice < 0.4 and isinstance(obj, dict):
        conf = obj.setdefault("configuration", {})
        if isinstance(conf, dict):
            conf["specific"] = rng.choice(JSON_VALUES)
            return _dump(obj, rng)
    paths = _json_paths(obj)
    path = rng.choice(paths)
    value = rng.choice(
        (
            *JSON_VALUES,
            _Raw(huge_int(rng).decode()),
            _Raw("-" + huge_int(rng).decode()),
            _Raw("1e999999"),
            _Raw("NaN"),
            _Raw("-Infinity"),
            _Raw("[" * 10_000 + "]" * 10_000),
            _Raw('{"a":' * 10_000 + "1" + "}" * 10_000),
            _Raw('"\\ud800"'),
            _Raw('"\\u0000"'),
        )
    )
    if path and isinstance(path[-1], str) and rng.random() < 0.3:  # rename a key
        parent = obj
        for key in path[:-1]:
            parent = parent[key]
        new_key = rng.choice(("", "\ud800", "X" * 5000, "A_b_c", "__model_type__", "Base"))
        parent[new_key] = parent.pop(path[-1])
        return _dump(obj, rng)
    return _dump(_json_set(obj, path, value), rng)


def m_json_text(rng: random.Random, data: bytes) -> bytes:
    piece = rng.choice(
        (
            b'"config_types": {"A": "B", "A": "C"},',
            b'"\\ud800": 1,',
            b"1" + b"0" * 5000,
            b'{"a":' * 10_000,
            b"[" * 10_000,
            b"/* comment */",
            b"// comment\n",
            b",,,",
            b'"unterminated',
        )
    )
    return _insert(data, _pos(rng, data), piece)


# settings: TOML text

SETTINGS_LINES = (
    b'tool = "x"',
    b"[tool]\nstepcat = 5",
    b'[tool.stepcat]\nregistry_files = "x"',
    b'[tool.stepcat]\nregistry_files = ["/etc/*.py"]',
    b'[tool.stepcat]\nregistry_files = ["../../*.py"]',
    b'[tool.stepcat]\nregistry_files = ["../**/*.py"]',
    b'[tool.stepcat]\nregistry_files = ["**/*.py"]',
    b'[tool.stepcat]\nregistry_files = ["**"]',
    b'[tool.stepcat]\nregistry_files = [""]',
    b'[tool.stepcat]\nregistry_files = ["**/**/**/**/*.py"]',
    b'[tool.stepcat]\nregistry_files = ["/"]',
    b"[tool.stepcat]\nregistry_files = [1, 2]",
    b'[tool.stepcat]\nexclude = ["/abs", "..", "**", "../*", ""]',
    b'[tool.stepcat]\nexclude = ["**"]',
    b"[tool.stepcat]\nexclude = 5",
    b"[tool.stepcat]\njob_types = [1, 2]",
    b'[tool.stepcat]\njob_types = ["", "_", "a b", "\\ud800"]',
    b"[tool.stepcat]\nmax_file_size = -1",
    b"[tool.stepcat]\nmax_file_size = 0",
    b'[tool.stepcat]\nmax_file_size = "big"',
    b"[tool.stepcat]\nmax_file_size = 1",
    b"[tool.stepcat]\nmax_file_size = 9223372036854775807",
    b"[tool.stepcat]\nmax_file_size = 1e400",
    b'[tool.stepcat]\nseverity = {x = "loud"}',
    b'[tool.stepcat]\nseverity = "off"',
    b'[tool.stepcat]\nseverity = {"missing-spec" = "off", "internal-error" = "off"}',
    b'[tool.stepcat]\ncomponent_dirs = {spec = "x"}',
    b'[tool.stepcat]\ncomponent_dirs = {nonsense = ["a"]}',
    b'[tool.stepcat]\ncomponent_dirs = {spec = ["..", "/", ""]}',
    b"[tool.stepcat]\ntree_names = []",
    b'[tool.stepcat]\ntree_names = ["..", "/", "", "*"]',
    b'[tool.stepcat]\nworkspace_globs = ["*", "**", "../*", "/*", ""]',
    b'[tool.stepcat]\nworkspace_id = ""',
    b'[tool.stepcat]\nworkspace_id = "../x"',
    b"[tool.stepcat]\nworkspace_id = 5",
    b'[tool.stepcat]\nconfig_files = ["/**/*.json", "../*.json", "**"]',
    b"[tool.stepcat]\nconfig_files = []",
    b"[tool.stepcat]\nfoo = 1",
    b"[tool.stepcat]\n[tool.stepcat]",
    b"[tool.stepcat",
    b"[tool.stepcat]\njob_types = [",
    b"[tool.stepcat.severity]\n" + b"r = 'off'\n" * 3,
)


def m_settings_line(rng: random.Random, data: bytes) -> bytes:
    snippet = rng.choice(SETTINGS_LINES)
    if rng.random() < 0.5:  # replace the file
        return snippet + b"\n"
    body = (
        data.replace(b"[tool.stepcat]", b"[tool.stepcat_old]")
        if b"[tool.stepcat]" in snippet
        else data
    )
    return body + b"\n" + snippet + b"\n"


def m_settings_deep(rng: random.Random, data: bytes) -> bytes:
    depth = rng.choice((1000, 10_000))
    form = rng.random()
    if form < 0.33:
        deep = b"[tool.stepcat]\nseverity = " + b"{a = " * depth + b"1" + b"}" * depth
    elif form < 0.66:
        deep = b"[tool.stepcat]\njob_types = " + b"[" * depth + b"]" * depth
    else:
        deep = b"[tool.stepcat." + b".".join([b"a"] * depth) + b"]\nx = 1"
    return data.replace(b"[tool.stepcat]", b"[tool.other]") + b"\n" + deep + b"\n"


# interfaces: YAML as people half-type it, and as attackers write it

YAML_SNIPPETS = (
    b"step_type:",
    b"step_type: [a, b]",
    b"step_type: &a X\nnode_type: *a",
    b"registry: {sagemaker_step_type: Procesing, config_class: [",
    b"registry:\n  sagemaker_step_type: !!python/object:os.system 'x'",
    b"registry:\n  description: >\n    folded\n\n    paragraph\n  config_class: X",
    b'contract:\n  entry_point: "\\ud800.py"',
    b"contract:\n  entry_point:\n    - a.py",
    b"contract: null",
    b"variants:\n  training: {spec: {dependencies: {A: {type: nonsense}}}}",
    b"variants: [training]",
    b"variants:\n  ? [complex, key]\n  : x",
    b"spec:\n  dependancies: {}",
    b"\t  bad: tab",
    b"--- \n...\n---",
    b"a: &x [*x]",
    b"x: &a [" + b"*a, " * 50 + b"*a]",
    b"k: " + b"[" * 5000 + b"]" * 5000,
    b"k: " + b"{a: " * 2000 + b"1" + b"}" * 2000,
    b"%YAML 1.1\n---",
    b"? " + b"x" * 2000,
    b"key: 'unterminated",
    b'key: "\\x\\u12"',
    b"\xef\xbb\xbfstep_type: BOM",
    b"step_type: X\rnode_type: sink",
    b"step_type: X\u2028",
)


def m_yaml_snippet(rng: random.Random, data: bytes) -> bytes:
    snippet = rng.choice(YAML_SNIPPETS)
    if rng.random() < 0.3:
        return snippet + b"\n"
    return _insert(data, _line_start(rng, data), snippet + b"\n")


def m_yaml_indent(rng: random.Random, data: bytes) -> bytes:
    """Indentation shifted on a run of lines (the commonest half-typed YAML)."""
    lines = data.split(b"\n")
    if not lines:
        return data
    start = rng.randrange(len(lines))
    shift = rng.choice((b" ", b"   ", b"\t", b""))
    for i in range(start, min(len(lines), start + rng.randint(1, 6))):
        lines[i] = shift + lines[i] if rng.random() < 0.5 else lines[i][1:]
    return b"\n".join(lines)


def m_notebook(rng: random.Random, data: bytes) -> bytes:
    try:
        doc = json.loads(data)
    except (ValueError, RecursionError):
        return m_json_text(rng, data)
    cells = doc.get("cells") if isinstance(doc, dict) else None
    if not isinstance(cells, list):
        return m_json_text(rng, data)
    cell = rng.choice(
        (
            {"cell_type": "code", "source": ['dag.add_node("NoSuchStep")\n']},
            {"cell_type": "code", "source": "dag.add_node('CradleDataLoading_training')"},
            {"cell_type": "code", "source": None},
            {"cell_type": "code", "source": [5, None, {"x": 1}]},
            {"cell_type": "markdown", "source": ['dag.add_node("X")']},
            {"cell_type": 5},
            "not a cell",
            {"cell_type": "code", "source": ['dag.add_node("\ud800")']},
        )
    )
    cells.insert(rng.randrange(len(cells) + 1), cell)
    return _dump(doc, rng)


SPECIFIC: dict[str, dict[str, tuple[Mutator, int]]] = {
    "interface": {"yaml_snippet": (m_yaml_snippet, 20), "yaml_indent": (m_yaml_indent, 8)},
    "dag-json": {"json_structure": (m_json_structure, 20), "json_text": (m_json_text, 8)},
    "notebook": {"notebook": (m_notebook, 12), "json_text": (m_json_text, 4)},
    "registry": {
        "registry_value": (m_registry_value, 20),
        "registry_template": (m_registry_template, 6),
        "registry_entries": (m_registry_entries, 3),
    },
    "dag": {"dag_calls": (m_dag_calls, 20), "dag_many": (m_dag_many, 2)},
    "component": {
        "component_snippet": (m_component_snippet, 14),
        "rename_class": (m_rename_class, 6),
    },
    "python": {"component_snippet": (m_component_snippet, 4), "dag_calls": (m_dag_calls, 4)},
    "config-json": {"json_structure": (m_json_structure, 30), "json_text": (m_json_text, 8)},
    "settings": {"settings_line": (m_settings_line, 40), "settings_deep": (m_settings_deep, 6)},
}


MAX_CONTENT = 3 * 2**20


def mutate_bytes(rng: random.Random, kind: str, data: bytes) -> tuple[bytes, str]:
    """One to three mutations of a file of this kind: (new bytes, label)."""
    table = {**GENERIC, **SPECIFIC.get(kind, {})}
    if kind == "settings":  # mostly settings mutations; the byte-level ones are for variety
        table = {**{k: (f, 1) for k, (f, _) in GENERIC.items()}, **SPECIFIC["settings"]}
    names = list(table)
    weights = [table[n][1] for n in names]
    applied = []
    for _ in range(rng.choice((1, 1, 1, 2, 3))):
        name = rng.choices(names, weights)[0]
        mutated = table[name][0](rng, data)
        if len(mutated) > MAX_CONTENT:  # big inputs are tree operations (a size, not bytes)
            continue
        data = mutated
        applied.append(name)
    return data, "+".join(applied)


# -- tree operations ---------------------------------------------------------------------------


def _big_bytes(style: str, size: int) -> bytes:
    """Deterministic big content: many class lines, DAG lines, comments or garbage."""
    if style == "classes":
        unit = b"class Generated%08d(StepBuilderBase):\n    pass\n"
        n = size // len(unit % 0) + 1
        return b"".join(unit % i for i in range(n))[:size]
    if style == "dag":
        unit = b'dag.add_node("CradleDataLoading_training")  # %08d\n'
        return b"".join(unit % i for i in range(size // len(unit % 0) + 1))[:size]
    if style == "comment":
        return (b"# " + b"x" * 78 + b"\n") * (size // 81 + 1)
    return random.Random(size).randbytes(size)


def apply_tree_op(root: Path, op: dict[str, Any]) -> None:
    """Apply one tree operation under ``root`` (see ``tree_ops``)."""
    kind = op["op"]
    target = root / op.get("path", "")
    if kind == "symlink_loop":
        target.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileExistsError):
            os.symlink(".", target / "loop_self")
            os.symlink("..", target / "loop_parent")
            os.symlink("loop_b", target / "loop_a")
            os.symlink("loop_a", target / "loop_b")
            os.symlink("self_contract.py", target / "self_contract.py")
    elif kind == "unreadable":
        target.mkdir(parents=True, exist_ok=True)
        (target / "hidden_contract.py").write_bytes(
            b'X_CONTRACT = ScriptContract(entry_point="x.py")\n'
        )
        os.chmod(target, 0)
    elif kind == "nested":
        target.mkdir(parents=True, exist_ok=True)
        path = str(target)
        for _ in range(op["depth"]):  # one level at a time (os.makedirs recurses per level)
            path += "/d"
            with contextlib.suppress(FileExistsError):
                os.mkdir(path)
        path = Path(path)
        (path / "deep_contract.py").write_bytes(
            b'DEEP_CONTRACT = ScriptContract(entry_point="deep.py")\n'
        )
    elif kind == "fifo":
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists() or target.is_symlink():
            target.unlink()
        os.mkfifo(target)
    elif kind == "bad_name":
        folder = os.fsencode(target)
        os.makedirs(folder, exist_ok=True)
        name = bytes.fromhex(op["name_hex"])
        with open(os.path.join(folder, name), "wb") as f:
            f.write(b'BAD_CONTRACT = ScriptContract(entry_point="bad.py")\n')
    elif kind == "empty":
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(b"")
    elif kind == "big":
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(_big_bytes(op["style"], op["size"]))
    elif kind == "symlink_to":
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists() or target.is_symlink():
            target.unlink()
        os.symlink(op["target"], target)
    else:
        raise ValueError(f"unknown tree op {kind!r}")


def tree_ops(
    rng: random.Random, fixture: str, files: dict[str, tuple[str, bytes]]
) -> dict[str, Any]:
    folders = component_folders(fixture) or [""]
    folder = rng.choice(folders)
    existing = [r for r in files if r.endswith(".py")]
    kind = rng.choice(
        (
            "symlink_loop",
            "unreadable",
            "nested",
            "fifo",
            "fifo",
            "bad_name",
            "empty",
            "big",
            "big",
            "symlink_to",
        )
    )
    if kind == "nested":
        return {"op": kind, "path": folder, "depth": rng.choice((1200, 1200, 1001, 300))}
    if kind == "fifo":
        name = rng.choice(("fifo_contract.py", "builder_fifo_step.py", "fifo.json"))
        if existing and rng.random() < 0.3:
            return {"op": kind, "path": rng.choice(existing)}
        return {"op": kind, "path": f"{folder}/{name}".lstrip("/")}
    if kind == "bad_name":
        return {
            "op": kind,
            "path": folder,
            "name_hex": rng.choice(
                (b"\xffbad_contract.py", b"caf\xe9_contract.py", b"\xed\xa0\x80_contract.py")
            ).hex(),
        }
    if kind == "empty":
        if existing and rng.random() < 0.6:
            return {"op": kind, "path": rng.choice(existing)}
        return {"op": kind, "path": f"{folder}/empty_contract.py".lstrip("/")}
    if kind == "big":
        style = rng.choice(("classes", "classes", "dag", "comment", "garbage"))
        size = rng.choice((12 * 2**20, 10 * 2**20 + 1, 2 * 2**20, 1 * 2**20, 600_000))
        name = rng.choice(
            ("builder_big_step.py", "big_contract.py", "big_dag.py", "registry/step_names.py")
        )
        if existing and rng.random() < 0.3:
            return {"op": kind, "path": rng.choice(existing), "style": style, "size": size}
        return {"op": kind, "path": f"{folder}/{name}".lstrip("/"), "style": style, "size": size}
    if kind == "symlink_to":
        return {
            "op": kind,
            "path": f"{folder}/{rng.choice(('link_contract.py', 'builder_link_step.py', 'link.json'))}".lstrip(
                "/"
            ),
            "target": rng.choice(
                (
                    "/dev/zero",
                    "/dev/null",
                    "/nonexistent/x.py",
                    "../../../../../../../etc/hostname",
                    "/proc/self/status",
                )
            ),
        }
    return {"op": kind, "path": folder}


# -- cases -------------------------------------------------------------------------------------


@dataclass
class Mutation:
    kind: str  # an input kind (KINDS)
    path: str  # relative to the root
    label: str
    content: bytes | None = None  # the file's new bytes (content mutations)
    op: dict[str, Any] | None = None  # a tree operation

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        d["content"] = None if self.content is None else base64.b64encode(self.content).decode()
        return d

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Mutation:
        content = None if d.get("content") is None else base64.b64decode(d["content"])
        return cls(d["kind"], d["path"], d["label"], content, d.get("op"))


@dataclass
class Case:
    fixture: str
    seed: int
    mutations: list[Mutation] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "fixture": self.fixture,
            "seed": self.seed,
            "mutations": [m.to_json() for m in self.mutations],
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Case:
        return cls(d["fixture"], d["seed"], [Mutation.from_json(m) for m in d["mutations"]])

    def mutated_bytes(self) -> int:
        """Bytes this case adds or changes (the linear time bound's size)."""
        sizes: dict[str, int] = {}
        for m in self.mutations:
            if m.content is not None:
                sizes[m.path] = len(m.content)
            elif m.op and m.op["op"] == "big":
                sizes[m.path] = m.op["size"]
        return sum(sizes.values())


NEW_FILES = {
    "settings": b"[tool.stepcat]\n",
    "config-json": (
        FIXTURES["demo"] / "pipeline_configs/config_xgboost_pipeline.json"
    ).read_bytes(),
}


def make_case(seed: int, fixture: str | None = None, n_files: int | None = None) -> Case:
    """A fixture and 1-4 mutations (a tree operation in about a third of the cases)."""
    rng = random.Random(seed)
    fixture = fixture or rng.choice(sorted(FIXTURES))
    files = fixture_files(fixture)
    case = Case(fixture, seed)
    by_kind: dict[str, list[str]] = {}
    for rel, (kind, _) in files.items():
        by_kind.setdefault(kind, []).append(rel)
    # settings files a root or workspace may have, even when the fixture has none
    for ws in workspace_roots(fixture):
        for name in ("pyproject.toml", "stepcat.toml"):
            rel = f"{ws}/{name}".lstrip("/")
            if rel not in files:
                by_kind.setdefault("settings", []).append(rel)
    if "config-json" not in by_kind:  # every fixture gets a pipeline config to break
        by_kind["config-json"] = ["pipeline_configs/config_fuzz.json"]
    n = n_files if n_files is not None else rng.choice((1, 1, 2, 2, 3, 4))
    contents: dict[str, bytes] = {}
    kinds = sorted(by_kind)
    for _ in range(n):
        kind = rng.choice(kinds)
        rel = rng.choice(sorted(by_kind[kind]))
        base = contents.get(rel, files[rel][1] if rel in files else NEW_FILES[kind])
        data, label = mutate_bytes(rng, kind, base)
        contents[rel] = data
        case.mutations.append(Mutation(kind, rel, f"{kind}:{label}", data))
    if rng.random() < 0.35:
        op = tree_ops(rng, fixture, files)
        case.mutations.append(Mutation("tree", op.get("path", ""), f"tree:{op['op']}", None, op))
    return case


def materialise(case: Case, dest: Path) -> Path:
    """Copy the case's fixture to ``dest/<fixture>`` and apply its mutations; return the root."""
    root = dest / case.fixture
    shutil.copytree(
        FIXTURES[case.fixture],
        root,
        symlinks=True,
        ignore=shutil.ignore_patterns("__pycache__", ".stepcat"),
    )
    for m in case.mutations:
        if m.content is not None:
            path = root / m.path
            path.parent.mkdir(parents=True, exist_ok=True)
            if path.is_symlink() or (path.exists() and not path.is_file()):
                with contextlib.suppress(OSError):
                    path.unlink()
            path.write_bytes(m.content)
        elif m.op is not None:
            apply_tree_op(root, m.op)
    return root


def remove_tree(path: Path) -> None:
    """Delete a case's tree, iteratively (1,200 nested folders overflow ``os.walk`` and
    ``shutil.rmtree`` on Python 3.11), first giving unreadable folders their permissions back."""
    top = os.fsencode(path)
    if not os.path.lexists(top):
        return
    stack: list[tuple[bytes, bool]] = [(top, False)]
    while stack:
        current, visited = stack.pop()
        if os.path.islink(current) or not os.path.isdir(current):
            with contextlib.suppress(OSError):
                os.unlink(current)
            continue
        if visited:
            with contextlib.suppress(OSError):
                os.rmdir(current)
            continue
        with contextlib.suppress(OSError):
            os.chmod(current, stat.S_IRWXU)
        stack.append((current, True))
        with contextlib.suppress(OSError), os.scandir(current) as entries:
            for entry in entries:
                stack.append((os.path.join(current, entry.name), False))


def document_text(data: bytes) -> str:
    """What an editor would hold for these bytes: UTF-8 with lone surrogates kept ('\\ud800'),
    else latin-1 (an editor that guessed the encoding)."""
    try:
        return data.decode("utf-8", "surrogatepass")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def mutate_text(rng: random.Random, kind: str, text: str) -> tuple[str, str]:
    """A mutated document text (for didChange): the bytes mutations, plus text-only ones."""
    if rng.random() < 0.25:
        at = rng.randrange(len(text) + 1)
        piece = rng.choice(
            ("\ud800", "\udfff", "\ud800\ud800", "\x00", "\ufeff", "\u2028", "\U0001f600" * 3, "\r")
        )
        return text[:at] + piece + text[at:], f"{kind}:text_{piece!a}"
    data, label = mutate_bytes(rng, kind, text.encode("utf-8", "surrogatepass"))
    return document_text(data), f"{kind}:{label}"
