"""A project's DAGs against its pipeline config: a DAG node with no ``config_types`` entry (the
compiler will not find its config) and an entry for a node no DAG of the project declares.

A project is a workspace other than the shared tree (a step-pack project, a developer
workspace): its DAG modules, notebooks and DAG JSON, and its config files. Checked only when
the project has both; the shared tree's DAGs are templates, not one project's pipeline.
"""

from __future__ import annotations

import os

from catalog_core.facts.config_document import ConfigDocument
from catalog_core.features.configs import config_files
from catalog_core.index.catalog_index import CatalogIndex
from catalog_core.models import SHARED, Problem, Severity, Span

_NODE_CALLS = ("add_node", "nodes")


def project_problems(db: CatalogIndex, path: str | None = None) -> list[Problem]:
    """The problems of every project, or those located in one file."""
    return [
        p
        for p in db.memo.get(("project_problems",), lambda: _all(db))
        if path is None or str(p.path) == path
    ]


def _all(db: CatalogIndex) -> list[Problem]:
    configs: dict[str, dict[str, ConfigDocument]] = {}  # workspace -> config path -> document
    for cfg, doc in config_files(db).documents().items():
        ws = db.wmap.of(cfg)
        if ws != SHARED and doc.config_types is not None:
            configs.setdefault(ws, {})[cfg] = doc
    found: list[Problem] = []
    for ws, docs in sorted(configs.items()):
        dags = {
            p: [u for u in usages if u.checked and u.call in _NODE_CALLS]
            for p, usages in db.python_usages.items()
            if db.wmap.of(p) == ws
        }
        dags = {p: nodes for p, nodes in dags.items() if nodes}
        if not dags:
            continue
        nodes = {u.name for us in dags.values() for u in us}
        entries: set[str] = set()
        config_names = ", ".join(sorted(_rel(db, c) for c in docs))
        dag_names = ", ".join(sorted(_rel(db, p) for p in dags))
        for cfg, doc in sorted(docs.items()):
            for member in doc.config_types.members if doc.config_types is not None else ():
                entries.add(member.key)
                if member.key not in nodes:
                    found.append(
                        Problem.at(
                            cfg,
                            "config-entry-without-node",
                            Severity.WARNING,
                            f"config entry '{member.key}' matches no node of the project's DAGs "
                            f"({dag_names}): remove it or add the node",
                            Span.of(doc.key_span(member)),
                        )
                    )
        for dag, usages in sorted(dags.items()):
            seen: set[str] = set()
            for usage in usages:
                if usage.name in entries or usage.name in seen:
                    continue
                seen.add(usage.name)
                found.append(
                    Problem.at(
                        dag,
                        "dag-node-without-config",
                        Severity.WARNING,
                        f"node '{usage.name}' has no entry in {config_names} "
                        "(metadata.config_types): the pipeline cannot be compiled without one",
                        Span.of(usage.span),
                    )
                )
    return found


def _rel(db: CatalogIndex, path: str) -> str:
    rel = db.relative_to_root(path)
    return rel if rel is not None else os.path.basename(path)
