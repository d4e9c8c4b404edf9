"""One file's mutation (``mutate_bytes``): one to three mutators drawn by weight from the generic
ones and those of the file's kind; and one document's (``mutate_text``), for editors' buffers."""

from __future__ import annotations

import random

from .generic import GENERIC, Mutator
from .json_files import m_json_structure, m_json_text, m_notebook
from .python_files import (
    m_component_snippet,
    m_dag_calls,
    m_dag_many,
    m_registry_entries,
    m_registry_template,
    m_registry_value,
    m_rename_class,
)
from .toml_files import m_settings_deep, m_settings_line
from .yaml_files import m_yaml_indent, m_yaml_snippet

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
