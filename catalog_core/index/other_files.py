"""Reading the files beside the component trees: step interfaces (``*.step.yaml``: facts,
registry row, component record), DAG JSON, notebooks and Python DAG modules (the step and node
names they write, as usages). Functions of the index, called by its build and its updates."""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

from catalog_core.base.files import mtime_ns
from catalog_core.facts.dag_json import read_dag_json
from catalog_core.facts.interface_quick import quick_interface
from catalog_core.facts.interface_reader import InterfaceFacts, read_interface
from catalog_core.facts.notebook import notebook_code
from catalog_core.facts.registry_reader import RegistryFacts
from catalog_core.facts.usages import Usage, scan_python_usages
from catalog_core.index.interface_cache import kept_interface
from catalog_core.index.interfaces import interface_record, interface_row
from catalog_core.index.records import Key

if TYPE_CHECKING:
    from catalog_core.index.catalog_index import CatalogIndex

T = TypeVar("T")


def _read_guarded(
    index: CatalogIndex,
    path: str,
    size: int | None,
    stage: str,
    reader: Callable[[bytes], T],
    fallback: T,
    *,
    keep_read_problem: bool = False,
) -> T:
    """``reader`` of the file's bytes under the index's guard (an exception becomes an
    ``internal-error`` problem for ``stage``); ``fallback`` when the file cannot be read or the
    reader failed. ``keep_read_problem``: a read problem is kept in ``index.read_problems``."""
    data, problem = index.read(path, size)
    if problem is not None and keep_read_problem:
        index.read_problems[path] = problem
    if data is None:
        return fallback
    return index.faults.run(path, stage, partial(reader, data), fallback)


def read_interface_file(
    index: CatalogIndex, path: str, size: int | None = None, stored: Any = None
) -> None:
    """Read one ``*.step.yaml``: its facts (None when unreadable) and its registry row.
    ``stored``: (stamp, facts) from the persisted index, used when the stamp is the file's."""
    index.interfaces[path] = None
    index.interface_rows.pop(path, None)
    index.interface_full.pop(path, None)
    index.read_problems.pop(path, None)
    kept = kept_interface(path, stored) if stored is not None else None
    if kept is not None:
        index.kept_interfaces.add(path)
        index.interfaces[path] = kept
        row = interface_row(kept)
        if row is not None:
            index.interface_rows[path] = row
        return
    facts = _read_guarded(
        index,
        path,
        size,
        "reading the step interface",
        partial(_index_facts, path),
        None,
        keep_read_problem=True,
    )
    if facts is None:
        return
    index.interfaces[path] = facts
    row = interface_row(facts)
    if row is not None:
        index.interface_rows[path] = row


def _index_facts(path: str, data: bytes) -> InterfaceFacts:
    """The facts indexing needs: the quick reader's when it can, else the full reader's."""
    quick = quick_interface(data)
    return quick if quick is not None else _complete(read_interface(path, data))


def _complete(facts: InterfaceFacts) -> InterfaceFacts:
    facts.complete = True
    return facts


def full_interface(index: CatalogIndex, path: str) -> InterfaceFacts | None:
    """Every fact and problem of an interface (the full reader), read on demand and kept
    until the file changes: what checks, hovers and completions need beyond the index's."""
    facts = index.interfaces.get(path)
    if facts is None or facts.complete:
        return facts
    full = index.interface_full.get(path)
    if full is None:
        full = _read_guarded(
            index, path, None, "reading the step interface", partial(read_interface, path), None
        )
        if full is None:
            return facts
        index.interface_full[path] = _complete(full)
    return full


def add_interface_record(index: CatalogIndex, path: str) -> None:
    facts = index.interfaces.get(path)
    index.table.add(interface_record(path, index.wmap.of(path), facts, mtime_ns(path)))


def scan_notebook(index: CatalogIndex, path: str, size: int | None) -> None:
    """A notebook's code cells are DAG code too (positions are in the ``.ipynb`` text)."""
    index.python_usages.pop(path, None)
    index.notebooks.add(path)
    none: list[Usage] = []
    usages = _read_guarded(
        index, path, size, "finding DAG node names in the notebook", _notebook_usages, none
    )
    if usages:
        index.python_usages[path] = usages


def read_dag_file(index: CatalogIndex, path: str, size: int | None) -> None:
    """A ``*.dag.json``: its facts, and its node names as usages."""
    index.dags.pop(path, None)
    index.python_usages.pop(path, None)
    index.read_problems.pop(path, None)
    facts = _read_guarded(
        index,
        path,
        size,
        "reading the DAG",
        partial(read_dag_json, path),
        None,
        keep_read_problem=True,
    )
    if facts is None:
        return
    index.dags[path] = facts
    usages = [Usage(name, span, "nodes") for name, span in facts.nodes]
    for (a, a_span), (b, b_span) in facts.edges:
        usages.append(Usage(a, a_span, "edges"))
        usages.append(Usage(b, b_span, "edges"))
    if usages:
        index.python_usages[path] = usages


def update_interface(index: CatalogIndex, path: str, keys: set[Key]) -> bool:
    """Re-read an interface; True when the registry row it declares changed (every link
    may read rows), else the links that use the file are relinked through its key."""
    old_row = index.interface_rows.get(path)
    index.table.remove(path)
    keys.add(("iface", path))
    if index.under_roots(path) and (path in index.buffers or os.path.isfile(path)):
        read_interface_file(index, path)
        add_interface_record(index, path)
    else:
        index.interfaces.pop(path, None)
        index.interface_rows.pop(path, None)
        index.interface_full.pop(path, None)
        index.read_problems.pop(path, None)
    new_row = index.interface_rows.get(path)
    return _row_of(old_row) != _row_of(new_row)


def scan_python(index: CatalogIndex, path: str, size: int | None) -> None:
    index.python_usages.pop(path, None)
    if size is not None and size > 2 * 1024 * 1024 and path not in index.buffers:
        return  # DAG modules are small; do not read large generated files
    none: list[Usage] = []
    usages = _read_guarded(index, path, size, "finding DAG node names", scan_python_usages, none)
    if usages:
        index.python_usages[path] = usages


def _row_of(facts: RegistryFacts | None) -> object:
    if facts is None:
        return None
    return [(e.name, e.fields, e.key_span) for es in facts.sections.values() for e in es]


def _notebook_usages(data: bytes) -> list[Usage]:
    """Node names in a notebook's code cells, positioned in the ``.ipynb`` text: a cell's line
    ``k`` is the ``k``-th string of its ``"source"`` list (one per line, as Jupyter writes
    them); a name not found there stays on the ``"source"`` line."""
    file_lines = data.decode("utf-8", "replace").split("\n")
    found: list[Usage] = []
    for number, cell in enumerate(notebook_code(data)):
        if cell.source_line is None:
            continue
        for usage in scan_python_usages(cell.source.encode("utf-8", "surrogatepass")):
            line = cell.source_line + 1 + usage.span[0]
            text = file_lines[line] if line < len(file_lines) else ""
            col = text.find(usage.name) if usage.name else -1
            if col > 0:  # inside its JSON string: a quote (or an escape) on either side
                span = (line, col, line, col + len(usage.name))
            else:  # not found where Jupyter writes it: on the cell's "source" key
                line = cell.source_line
                text = file_lines[line] if line < len(file_lines) else ""
                key = text.find('"source"')
                span = (line, key + 1, line, key + 7) if key >= 0 else (line, 1, line, 1)
            at = number * 1_000_000_000 + usage.at  # one call per cell and offset
            found.append(Usage(usage.name, span, usage.call, usage.checked, at))
    return found
