"""Structure-aware mutations of the fixture catalogs, deterministic from a seed.

A ``Case`` is a fixture tree plus a list of ``Mutation``s: new bytes for one file (a content
mutation of a component, registry, DAG, config JSON or settings file) or a tree operation
(symlink loop, FIFO, unreadable folder, 1,200 nested folders, a non-UTF-8 file name, a 12 MB
file...). Everything is chosen with one ``random.Random(seed)``, so ``make_case(seed)`` always
builds the same case, and a case is plain data (JSON) that a reproducer can replay.

Tree operations that make big files store a size and a pattern, never the bytes.

Modules: ``fixtures`` (the fixture trees and the kind of each file), ``generic`` (byte
helpers and the mutators of every kind), ``python_files``, ``json_files``, ``toml_files``,
``yaml_files`` (the mutators of each kind), ``file_mutations`` (one file's or document's
mutation), ``trees`` (tree operations) and ``cases`` (``Case``, ``make_case``, ``materialise``).
Every name is re-exported here: ``mutate.make_case``, ``mutate.materialise``... as before.
"""

from __future__ import annotations

from .cases import (
    NEW_FILES,
    Case,
    Mutation,
    make_case,
    materialise,
    remove_tree,
)
from .file_mutations import (
    MAX_CONTENT,
    SPECIFIC,
    document_text,
    mutate_bytes,
    mutate_text,
)
from .fixtures import (
    _REGISTRY_RE,
    COMPONENT_DIRS,
    FIXTURES,
    HERE,
    KINDS,
    REPO,
    RUNNING_AS_ROOT,
    classify,
    component_folders,
    fixture_files,
    workspace_roots,
)
from .generic import (
    BOMS,
    GENERIC,
    LONE_SURROGATE,
    Mutator,
    _insert,
    _line_start,
    _lines,
    _pos,
    huge_int,
    m_bom,
    m_braces,
    m_deep_nesting,
    m_delete_lines,
    m_duplicate_lines,
    m_empty,
    m_fstring_template,
    m_garbage,
    m_huge_int,
    m_latin1,
    m_line_ends,
    m_lone_surrogate,
    m_long_line,
    m_nul,
    m_swap_lines,
    m_triple_quote,
    m_truncate,
)
from .json_files import (
    JSON_VALUES,
    _dump,
    _json_paths,
    _json_set,
    _Raw,
    m_json_structure,
    m_json_text,
    m_notebook,
)
from .python_files import (
    COMPONENT_SNIPPETS,
    DAG_LINES,
    REGISTRY_NAMES,
    REGISTRY_VALUES,
    m_component_snippet,
    m_dag_calls,
    m_dag_many,
    m_registry_entries,
    m_registry_template,
    m_registry_value,
    m_rename_class,
)
from .toml_files import (
    SETTINGS_LINES,
    m_settings_deep,
    m_settings_line,
)
from .trees import (
    _big_bytes,
    apply_tree_op,
    tree_ops,
)
from .yaml_files import (
    YAML_SNIPPETS,
    m_yaml_indent,
    m_yaml_snippet,
)

__all__ = [
    "BOMS",
    "COMPONENT_DIRS",
    "COMPONENT_SNIPPETS",
    "DAG_LINES",
    "FIXTURES",
    "GENERIC",
    "HERE",
    "JSON_VALUES",
    "KINDS",
    "LONE_SURROGATE",
    "MAX_CONTENT",
    "NEW_FILES",
    "REGISTRY_NAMES",
    "REGISTRY_VALUES",
    "REPO",
    "RUNNING_AS_ROOT",
    "SETTINGS_LINES",
    "SPECIFIC",
    "YAML_SNIPPETS",
    "_REGISTRY_RE",
    "Case",
    "Mutation",
    "Mutator",
    "_Raw",
    "_big_bytes",
    "_dump",
    "_insert",
    "_json_paths",
    "_json_set",
    "_line_start",
    "_lines",
    "_pos",
    "apply_tree_op",
    "classify",
    "component_folders",
    "document_text",
    "fixture_files",
    "huge_int",
    "m_bom",
    "m_braces",
    "m_component_snippet",
    "m_dag_calls",
    "m_dag_many",
    "m_deep_nesting",
    "m_delete_lines",
    "m_duplicate_lines",
    "m_empty",
    "m_fstring_template",
    "m_garbage",
    "m_huge_int",
    "m_json_structure",
    "m_json_text",
    "m_latin1",
    "m_line_ends",
    "m_lone_surrogate",
    "m_long_line",
    "m_notebook",
    "m_nul",
    "m_registry_entries",
    "m_registry_template",
    "m_registry_value",
    "m_rename_class",
    "m_settings_deep",
    "m_settings_line",
    "m_swap_lines",
    "m_triple_quote",
    "m_truncate",
    "m_yaml_indent",
    "m_yaml_snippet",
    "make_case",
    "materialise",
    "mutate_bytes",
    "mutate_text",
    "remove_tree",
    "tree_ops",
    "workspace_roots",
]
