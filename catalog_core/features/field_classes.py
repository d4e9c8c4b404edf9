"""Which config class a pipeline config's node uses, and that class's fields with everything it
inherits, across the workspaces and the installed framework.

The fast path is the index's own facts: ``metadata.config_types[node]`` (else the registry's
``config_class`` for the node's step) names the class, and the fact table says which file
defines it. ``fields.FieldResolver`` then reads that file and its bases statically, following
imports through the workspace's source folders and the environment's ``sys.path``; jedi only
where static reading cannot follow a base. One resolver lives as long as the index (it checks
its own files' stamps and sees editor buffers).
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from catalog_core.base.names import split_node_name
from catalog_core.fields import FieldResolver, ResolvedClass
from catalog_core.index.catalog_index import CatalogIndex
from catalog_core.models import SHARED

SRC_FOLDERS = ("src", "lib")


def field_resolver(db: CatalogIndex) -> FieldResolver:
    """The index's resolver, kept across updates and rebuilds while the import roots stay."""
    roots = tuple(import_roots(db))
    key = ("field-resolver", roots)
    resolver = db.config_cache.get(key)
    if not isinstance(resolver, FieldResolver):
        for stale in [k for k in db.config_cache if k[0] == "field-resolver"]:
            del db.config_cache[stale]
        resolver = FieldResolver(roots, text_of=lambda path: _buffer_text(db, path))
        db.config_cache[key] = resolver
    return resolver


def _buffer_text(db: CatalogIndex, path: str) -> str | None:
    data = db.buffers.get(path)
    return data.decode("utf-8", errors="replace") if data is not None else None


def import_roots(db: CatalogIndex) -> list[str]:
    """The folders absolute imports are searched in: each root and its ``src``, the folder
    above the top package of every component tree, then the environment's ``sys.path``."""

    def memo() -> list[str]:
        found: dict[str, None] = {}
        for root, _ in db.roots:
            found[root] = None
            for name in SRC_FOLDERS:
                if os.path.isdir(os.path.join(root, name)):
                    found[os.path.join(root, name)] = None
        for tree in db.trees:
            found[_above_top_package(tree.path)] = None
        for path in db.framework.import_roots:
            found[path] = None
        return list(found)

    return db.view_memo.get(("import-roots",), memo)


def _above_top_package(folder: str) -> str:
    while os.path.isfile(os.path.join(folder, "__init__.py")):
        parent = os.path.dirname(folder)
        if parent == folder:
            break
        folder = parent
    return folder


def class_name_of_node(db: CatalogIndex, config_types: dict[str, object], node: str) -> str | None:
    """The config class of a node: ``config_types[node]``, else the registry's for its step."""
    named = config_types.get(node)
    if isinstance(named, str) and named:
        return named
    split = split_node_name(node, db.view.is_registered, keep_case=True)
    reg = db.view.lookup(None, split[0]) if split else None
    return (reg.field("config_class") or None) if reg else None


def class_files(db: CatalogIndex, name: str, context: str | None = None) -> list[str]:
    """The files that define a config class: the context's workspace first, then the shared
    tree (workspaces before the installed framework), then every developer workspace."""
    spaces = [context] if context and context != SHARED else []
    spaces += [SHARED, *db.wmap.developer_ids()]
    for ws in spaces:
        paths = db.table.find(("cls", ws, name))
        if paths:
            return sorted(paths, key=lambda p: (db.in_package(p), p))
    return []


def resolve_class(db: CatalogIndex, name: str, context: str | None = None) -> ResolvedClass | None:
    """The class's fields (own and inherited) or None when no indexed file defines it."""
    resolver = field_resolver(db)
    for path in class_files(db, name, context):
        resolved = resolver.fields_of(path, name)
        if resolved is not None:
            return resolved
    return None


def checkable(db: CatalogIndex, resolved: ResolvedClass | None) -> bool:
    """Whether a key the class does not know is really unknown: every base was resolved, the
    chain ends at pydantic's ``BaseModel`` (a plain class's keys cannot be told statically) and
    no class of the chain allows extra keys."""
    if resolved is None or not resolved.complete:
        return False
    if not any(base.split(".")[0] == "pydantic" for base in resolved.known_bases):
        return False
    return not allows_extra(db, resolved)


def allows_extra(db: CatalogIndex, resolved: ResolvedClass) -> bool:
    """``model_config = ConfigDict(extra="allow")`` somewhere in the chain: any key is valid."""
    resolver = field_resolver(db)
    for link in resolved.chain:
        facts = resolver.class_facts(link.module_path, link.name)
        if facts is not None and facts.extra == "allow":
            return True
    return False


def node_classes(
    db: CatalogIndex, config_types: dict[str, object], nodes: Iterable[str], context: str | None
) -> dict[str, ResolvedClass | None]:
    """node -> its resolved class (None: the class could not be found)."""
    found: dict[str, ResolvedClass | None] = {}
    for node in nodes:
        name = class_name_of_node(db, config_types, node)
        found[node] = resolve_class(db, name, context) if name else None
    return found
