"""Mutators of JSON files (config JSON, DAG JSON, notebooks): structure-aware through ``json``
when the file parses (values of the wrong type, renamed keys, huge numbers, NaN, deep nesting),
else as text."""

from __future__ import annotations

import json
import random
from typing import Any

from .generic import _insert, _pos, huge_int

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
