"""New component files for a step that lacks one (the "create the missing contract / spec"
quick fix): where the file goes and what it starts with, following the step's siblings."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from catalog_core.base.pyparse import parse_module
from catalog_core.features.steps import get_step_info
from catalog_core.index.records import module_stem
from catalog_core.models import ComponentType

if TYPE_CHECKING:
    from catalog_core.index.catalog_index import CatalogIndex

_SIBLINGS_READ = 20  # files read per folder when looking for an import to copy
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


@dataclass(frozen=True, slots=True)
class NewFile:
    path: Path
    text: str
    symbol: str


def snake_name(db: CatalogIndex, step: str) -> str:
    """The step's name as its files spell it (``xgboost_training``), learnt from an existing
    component file name when there is one (acronyms are not guessable), else derived."""
    info = get_step_info(db, step, None, None)
    for meta in info.file_components.values() if info else []:
        if meta is None:
            continue
        record = db.table.records.get(str(meta.path))
        core = record.core if record else None
        if core and core.replace("_", "").lower() == step.lower():
            return core
    return _CAMEL.sub("_", step).lower()


def _tree(db: CatalogIndex, step: str) -> str | None:
    info = get_step_info(db, step, None, None)
    records = db.table.records
    for meta in info.file_components.values() if info else []:
        if meta is not None and str(meta.path) in records:
            return records[str(meta.path)].tree
    ws = info.workspace_id if info else "shared"
    trees = [t.path for t in db.trees if t.workspace_id == ws]
    return trees[0] if trees else None


def _imports(path: Path) -> list[tuple[str, list[str]]]:
    """(module as written, imported names) of a file's ``from ... import`` statements, read
    with ``ast`` (parsed, never run); nothing for a file that cannot be read or parsed."""
    try:
        data = path.read_bytes()
    except OSError:
        return []
    tree = parse_module(data)
    if tree is None:
        return []
    return [
        ("." * node.level + (node.module or ""), [a.name for a in node.names])
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
    ]


def _package(folder: Path) -> list[str] | None:
    """The dotted package of a folder below a ``src`` folder (``src/cursus/steps/specs`` ->
    cursus.steps.specs), to turn another tree's relative imports into absolute ones."""
    parts = folder.parts
    return list(parts[parts.index("src") + 1 :]) if "src" in parts else None


def _absolute(module: str, folder: Path) -> str | None:
    level = len(module) - len(module.lstrip("."))
    package = _package(folder)
    if level == 0:
        return module
    if package is None or level > len(package):
        return None
    return ".".join([*package[: len(package) - level + 1], module[level:]]).rstrip(".")


def _module_of(
    db: CatalogIndex, tree: str, kind: ComponentType, names: tuple[str, ...]
) -> str | None:
    """The module a sibling component imports one of ``names`` from, as the new file should
    write it: from the same folder first, then the tree's other component folders (same depth,
    so relative imports hold), then the same folder of other trees (made absolute)."""
    trees = db.trees
    folders = [(_folder(db, tree, kind), True)]
    folders += [
        (Path(d), True)
        for t in trees
        if t.path == tree
        for k in t.dirs
        if k is not kind
        for d in t.dirs[k]
    ]
    folders += [(Path(d), False) for t in trees if t.path != tree for d in t.dirs.get(kind, [])]
    for folder, same_tree in folders:
        for sibling in sorted(folder.glob("*.py"))[:_SIBLINGS_READ]:
            for module, imported in _imports(sibling):
                if not any(n in imported for n in names):
                    continue
                absolute = module if same_tree else _absolute(module, folder)
                if absolute is not None:
                    return absolute
    return None


def _folder(db: CatalogIndex, tree: str, kind: ComponentType) -> Path:
    for t in db.trees:
        if t.path == tree and kind in t.dirs:
            return Path(t.dirs[kind][0])
    return Path(tree) / f"{kind.value}s"


def new_component(db: CatalogIndex, step: str, kind: ComponentType) -> NewFile | None:
    """A new contract or spec for ``step`` (other kinds need decisions only a person can make)."""
    tree = _tree(db, step)
    if tree is None or kind not in (ComponentType.CONTRACT, ComponentType.SPEC):
        return None
    snake = snake_name(db, step)
    folder = _folder(db, tree, kind)
    if kind is ComponentType.CONTRACT:
        constant = f"{snake.upper()}_CONTRACT"
        module = _module_of(db, tree, kind, ("ScriptContract",))
        imp = f"from {module or '...core.base.contract_base'} import ScriptContract"
        text = (
            f'"""Script contract of the {step} step."""\n\n{imp}\n\n'
            f"{constant} = ScriptContract(\n"
            f'    entry_point="{snake}.py",\n'
            "    expected_input_paths={},\n"
            "    expected_output_paths={},\n"
            "    required_env_vars=[],\n"
            "    optional_env_vars={},\n"
            f'    description="Contract of the {step} script",\n)\n'
        )
        return NewFile(folder / f"{snake}_contract.py", text, constant)
    constant = f"{snake.upper()}_SPEC"
    spec_module = _module_of(db, tree, kind, ("StepSpecification",))
    imp = f"from {spec_module or '...core.base.specification_base'} import NodeType, StepSpecification"
    names_module = _module_of(
        db, tree, kind, ("get_spec_step_type", "get_spec_step_type_with_job_type")
    )
    registry_import = f"from {names_module or '...registry.step_names'} import get_spec_step_type"
    info = get_step_info(db, step, None, None)
    contract = info.file_components.get("contract") if info else None
    lines = [f'"""Step specification of {step}."""', "", imp, registry_import]
    arg = ""
    if contract is not None and contract.symbol:
        lines.append(f"from ..contracts.{module_stem(contract.path.stem)} import {contract.symbol}")
        arg = f"    script_contract={contract.symbol},\n"
    text = "\n".join(lines) + (
        f"\n\n{constant} = StepSpecification(\n"
        f'    step_type=get_spec_step_type("{step}"),\n'
        "    node_type=NodeType.INTERNAL,\n"
        f"{arg}"
        "    dependencies=[],\n"
        "    outputs=[],\n)\n"
    )
    return NewFile(folder / f"{snake}_spec.py", text, constant)
