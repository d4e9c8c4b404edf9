"""New component files for a step that lacks one (the "create the missing contract / spec"
quick fix): where the file goes and what it starts with, following the step's siblings."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..models import ComponentType
from ..records import module_stem

if TYPE_CHECKING:
    from ..catalog import StepCatalog

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


@dataclass(frozen=True, slots=True)
class NewFile:
    path: Path
    text: str
    symbol: str


def snake_name(catalog: StepCatalog, step: str) -> str:
    """The step's name as its files spell it (``xgboost_training``), learnt from an existing
    component file name when there is one (acronyms are not guessable), else derived."""
    info = catalog.get_step_info(step)
    for meta in info.file_components.values() if info else []:
        if meta is None:
            continue
        record = catalog.index.table.records.get(str(meta.path))
        core = record.core if record else None
        if core and core.replace("_", "").lower() == step.lower():
            return core
    return _CAMEL.sub("_", step).lower()


def _tree(catalog: StepCatalog, step: str) -> str | None:
    info = catalog.get_step_info(step)
    records = catalog.index.table.records
    for meta in info.file_components.values() if info else []:
        if meta is not None and str(meta.path) in records:
            return records[str(meta.path)].tree
    ws = info.workspace_id if info else "shared"
    trees = [t.path for t in catalog.index.trees if t.workspace_id == ws]
    return trees[0] if trees else None


def _sibling_import(folder: Path, marker: str) -> str | None:
    for sibling in sorted(folder.glob("*.py")):
        try:
            for line in sibling.read_text(encoding="utf-8", errors="replace").splitlines():
                if line.startswith("from ") and f"import {marker}" in line:
                    return line
        except OSError:
            continue
    return None


def _folder(catalog: StepCatalog, tree: str, kind: ComponentType) -> Path:
    for t in catalog.index.trees:
        if t.path == tree and kind in t.dirs:
            return Path(t.dirs[kind][0])
    return Path(tree) / f"{kind.value}s"


def new_component(catalog: StepCatalog, step: str, kind: ComponentType) -> NewFile | None:
    """A new contract or spec for ``step`` (other kinds need decisions only a person can make)."""
    tree = _tree(catalog, step)
    if tree is None or kind not in (ComponentType.CONTRACT, ComponentType.SPEC):
        return None
    snake = snake_name(catalog, step)
    folder = _folder(catalog, tree, kind)
    if kind is ComponentType.CONTRACT:
        constant = f"{snake.upper()}_CONTRACT"
        imp = (
            _sibling_import(folder, "ScriptContract")
            or "from ...core.base.contract_base import ScriptContract"
        )
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
    imp = _sibling_import(folder, "StepSpecification") or (
        "from ...core.base.specification_base import DependencyType, NodeType, StepSpecification"
    )
    registry_import = _sibling_import(folder, "get_spec_step_type") or (
        "from ...registry.step_names import get_spec_step_type"
    )
    info = catalog.get_step_info(step)
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
