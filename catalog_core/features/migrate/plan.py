"""``migrate``: the 1.x steps of an index -> interfaces, DAG modules -> DAG JSON, as a plan.

The plan is every file change (created, rewritten, removed) with its old and new text, and the
notes a person needs to finish. Nothing is written here: the CLI writes the plan (atomically,
with backups), the server offers it as a workspace edit. A step already defined by an
interface is left alone, so running again after ``--write`` plans nothing (idempotent).

A step's move is complete: its interface is written, its registry row removed and its contract
and spec files removed (a contract other steps still use stays), so the tree indexes as the
interface-first layout does. Builders stay: they are reported, with what they encode.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from catalog_core.base.paths import real
from catalog_core.base.text import squash
from catalog_core.facts.interface_reader import read_interface
from catalog_core.facts.pyfacts import extract_facts
from catalog_core.features.migrate import yaml_writer
from catalog_core.features.migrate.convert import (
    Note,
    Source,
    StepConverter,
    builder_notes,
    registry_block,
)
from catalog_core.features.migrate.dags import MARK, convert_dag, dag_document
from catalog_core.features.migrate.guard import converted
from catalog_core.features.migrate.registry_text import cut_rows
from catalog_core.features.steps import get_step_info
from catalog_core.index.catalog_index import CatalogIndex
from catalog_core.index.registry_view import Registered
from catalog_core.models import SHARED, Problem, StepInfo

HEADER = "Migrated by `stepcat migrate` from the 1.x files of "
_FOLDERS = {"contracts", "specs", "builders", "configs", "scripts"}
_JOB_ORDER = ("training", "calibration", "validation", "testing")


@dataclass(frozen=True, slots=True)
class FileChange:
    """One file the migration creates (old None), rewrites, or removes (new None)."""

    path: Path
    old: str | None
    new: str | None
    kind: str  # interface | dag | registry | legacy


@dataclass(frozen=True, slots=True)
class StepMigration:
    step: str
    workspace: str
    interface: Path
    sources: tuple[Path, ...]
    variants: tuple[str, ...]


#: Rules that say the same thing about a file no step uses (a duplicate spec of a migrated
#: step is "unlinked" afterwards): one finding for the before/after comparison.
_SAME_FINDING = {"duplicate-component": "stray-file", "unlinked-component": "stray-file"}


@dataclass(slots=True)
class MigrationPlan:
    steps: list[StepMigration] = field(default_factory=list)
    dags: list[tuple[Path, Path]] = field(default_factory=list)  # module -> DAG JSON
    changes: list[FileChange] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)

    def new_problems(self, before: Sequence[Problem], after: Sequence[Problem]) -> list[Problem]:
        """The problems of ``after`` (a check of the migrated tree) that ``before`` (a check
        of the tree this plan was made from) did not have: a finding on a step's 1.x files or
        registry row and the same finding on its interface are one."""
        owner: dict[Path, str] = {}
        for step in self.steps:
            owner[step.interface] = step.step
            for path in step.sources:
                owner[path] = step.step

        migrated = {s.step for s in self.steps}

        def keys(p: Problem) -> set[tuple[str, str]]:
            rule = _SAME_FINDING.get(p.rule, p.rule)
            found = {(rule, str(p.path))}
            if p.path is not None and p.path in owner:
                found.add((rule, f"step {owner[p.path]}"))
            if p.step_name in migrated:
                found.add((rule, f"step {p.step_name}"))
            return found

        seen = set().union(*(keys(p) for p in before))
        return [p for p in after if not keys(p) & seen]


def _text(db: CatalogIndex, path: Path) -> str | None:
    data, _ = db.read(str(path))
    return data.decode("utf-8", "replace") if data is not None else None


def _tree(paths: Sequence[Path]) -> Path | None:
    for path in paths:
        for parent in path.parents:
            if parent.name in _FOLDERS:
                return parent.parent
    return None


def _stem(step: str, paths: Sequence[Path]) -> str:
    key = squash(step)
    for path in paths:
        stem = path.stem
        for cut in ("config_", "builder_"):
            stem = stem.removeprefix(cut)
        for cut in ("_contract", "_spec", "_step"):
            stem = stem.removesuffix(cut)
        if squash(stem) == key:
            return stem
    snake = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", step)
    return snake.lower()


def _steps(db: CatalogIndex) -> list[tuple[str, str, Registered]]:
    found = []
    for ws in [SHARED, *db.wmap.developer_ids()]:
        for name, reg in db.view.registered_in(ws).items():
            if reg.layout == "1.x":
                found.append((ws, name, reg))
    return found


def migrate(
    db: CatalogIndex,
    steps: Sequence[str] | None = None,
    *,
    keep_legacy: bool = False,
    dag_flavour: str = "plain",
) -> MigrationPlan:
    plan = MigrationPlan()
    wanted = set(steps) if steps else None
    candidates = _steps(db)
    if wanted is not None:
        known = {name for _, name, _ in candidates}
        for name in sorted(wanted - known):
            why = (
                "already defined by an interface"
                if name in db.view.migrated or (db.view.lookup(None, name) is not None)
                else "not a registered step"
            )
            plan.notes.append(Note(name, "skipped", f"not migrated: {why}"))
    chosen = [c for c in candidates if wanted is None or c[1] in wanted]
    for name, left in sorted(db.view.migrated.items()):
        if wanted is None or name in wanted:
            plan.notes.append(
                Note(
                    name,
                    "skipped",
                    "already defined by an interface, which the framework "
                    "uses: remove the 1.x registry entry and files by hand",
                    Path(left.path),
                    left.entry.key_span[0] + 1,
                )
            )
    migrating = {(ws, name) for ws, name, _ in chosen if _sagemaker_ok(name, chosen)}
    registry_cuts: dict[str, list[Registered]] = {}
    removed: set[Path] = set()
    for ws, name, reg in chosen:
        if reg.source == "override":
            plan.notes.append(
                Note(
                    name,
                    "skipped",
                    f"a STEP_OVERRIDES entry of workspace '{ws}': the "
                    "interface-first layout has no overrides (a step pack's interface shadows "
                    "the package's step instead); the entry stays, convert it by hand",
                    Path(reg.path),
                    reg.entry.key_span[0] + 1,
                )
            )
            continue
        if (ws, name) not in migrating:
            plan.notes.append(
                Note(
                    name,
                    "skipped",
                    "abstract Base row: no interface; the row stays",
                    Path(reg.path),
                    reg.entry.key_span[0] + 1,
                )
            )
            continue
        info = get_step_info(db, name, None, ws)
        if info is None:
            continue
        step = converted(plan, name, Path(reg.path), _step, db, plan, info, reg, ws)
        if step is None:
            continue
        registry_cuts.setdefault(reg.path, []).append(reg)
        if not keep_legacy:
            removed.update(_legacy(db, plan, info, migrating, ws))
    if not keep_legacy:
        for path, regs in registry_cuts.items():
            old = _text(db, Path(path))
            if old is not None:
                new = cut_rows(old, regs)
                plan.changes.append(FileChange(Path(path), old, new, "registry"))
        _init_notes(db, plan, removed)
    if wanted is None:
        _dags(db, plan, dag_flavour)
    return plan


def _sagemaker_ok(name: str, chosen: list[tuple[str, str, Registered]]) -> bool:
    for _, n, reg in chosen:
        if n == name:
            return reg.entry.fields.get("sagemaker_step_type") != "Base"
    return True


def _step(
    db: CatalogIndex, plan: MigrationPlan, info: StepInfo, reg: Registered, ws: str
) -> StepMigration | None:
    name = info.step_name
    conv = StepConverter(name)
    comps = info.file_components
    contract = comps.get("contract")
    spec = comps.get("spec")
    variant_paths = {meta.path for meta in info.variants.values()}
    base = spec if spec is not None and spec.path not in variant_paths else None
    paths = [m.path for m in (contract, base, comps.get("config"), comps.get("builder")) if m]
    paths += sorted(variant_paths)
    tree = _tree(paths)
    if ws != SHARED:  # a developer's row goes into the developer's own tree
        package = Path(reg.path).parent.parent
        tree = _tree([p for p in paths if p.is_relative_to(package)]) or package / "steps"
    if tree is None:
        plan.notes.append(Note(name, "skipped", "no steps/ folder to put the interface in"))
        return None
    target = tree / "interfaces" / f"{_stem(name, paths)}.step.yaml"
    jobs = sorted(info.variants, key=lambda j: (_JOB_ORDER.index(j) if j in _JOB_ORDER else 9, j))
    specs: dict[str | None, tuple[dict[str, Any], Any, Path]] = {}
    for job, meta in [(None, base), *((j, info.variants[j]) for j in jobs)]:
        if meta is None:
            continue
        text = _text(db, meta.path)
        read = conv.spec(Source(meta.path, text)) if text is not None else None
        if read is not None:
            specs[job] = (read[0], read[1], meta.path)
    base_job: str | None = None
    if None not in specs and specs:
        base_job = next(iter(specs))
        conv.note(
            "variant",
            f"no base spec: the '{base_job}' variant spec is the base, and "
            f"'{base_job}' is declared as an empty variant",
            specs[base_job][2],
        )
    section, node_type, _ = specs.get(base_job, ({"dependencies": {}, "outputs": {}}, None, None))
    deps: dict[str, Any] = section["dependencies"]
    required = {k: v.get("required", True) for k, v in deps.items() if isinstance(v, dict)}
    contract_src = None
    if contract is not None:
        ctext = _text(db, contract.path)
        contract_src = Source(contract.path, ctext) if ctext is not None else None
    doc: dict[str, Any] = {"step_type": name}
    if node_type is not None:
        doc["node_type"] = node_type
    where = Path(reg.path)
    doc["registry"] = registry_block(name, reg.entry.fields, conv, where, reg.entry.key_span[0] + 1)
    doc["contract"] = conv.contract(contract_src, required)
    script = comps.get("script")
    if contract_src is None and script is not None:
        doc["contract"]["entry_point"] = yaml_writer.Comment(
            script.path.name, "no 1.x contract: the script the catalog linked to the step"
        )
        conv.note(
            "todo",
            f"no contract: entry_point is {script.path.name}, the script the 1.x "
            "catalog linked by name; declare its inputs, outputs and env vars",
            script.path,
        )
    doc["spec"] = section
    variants: dict[str, Any] = {}
    for job, (vsection, vnode, vpath) in specs.items():
        if job is None:
            continue
        if job == base_job:
            variants[job] = {}
            continue
        variants[job] = conv.variant(job, section, vsection, vpath)
        _other_contract(db, conv, job, vpath, contract.path if contract else None)
        if vnode != node_type:
            conv.note(
                "variant",
                f"variant '{job}' has node_type {vnode}, the base {node_type}: "
                "a variant cannot change it",
                vpath,
            )
    if variants:
        doc["variants"] = variants
    _port_notes(conv, doc, target)
    builder = comps.get("builder")
    if builder is not None:
        btext = _text(db, builder.path)
        if btext is not None:
            builder_notes(name, Source(builder.path, btext), info.builder_step_name, conv)
    converted = [m.path for m in (contract, base) if m] + sorted(variant_paths)
    rels = [os.path.relpath(p, tree) for p in converted]
    header = [
        f"{HEADER}{name}:",
        f"  the {reg.entry.section} entry in {Path(reg.path).name}",
        *(f"  {r}" for r in rels),
    ]
    text = yaml_writer.dump(doc, header)
    if not yaml_writer.check(text, doc):
        conv.note("todo", "the written YAML does not read back as converted: review it", target)
    problems = read_interface(str(target), text.encode("utf-8")).problems
    for p in problems:
        conv.note("todo", f"{p.rule}: {p.message}", target, p.span.start_line + 1)
    old = _text(db, target) if target.exists() or str(target) in db.buffers else None
    if old is not None and not old.startswith(f"# {HEADER}"):
        plan.notes.append(
            Note(name, "skipped", "an interface written by hand exists; left as is", target)
        )
        return None
    plan.notes.extend(conv.notes)
    if old != text:
        plan.changes.append(FileChange(target, old, text, "interface"))
    result = StepMigration(name, ws, target, tuple(paths), tuple(variants))
    plan.steps.append(result)
    return result


def _other_contract(
    db: CatalogIndex, conv: StepConverter, job: str, spec: Path, contract: Path | None
) -> None:
    """A variant spec importing another contract than the step's: not merged, only noted."""
    data, _ = db.read(str(spec))
    if data is None or contract is None:
        return
    facts = extract_facts(data, want_contract=False, want_spec=True)
    for imported in facts.contract_imports:
        name = imported.module.rsplit(".", 1)[-1]
        if name != contract.stem:
            conv.note(
                "variant",
                f"variant '{job}' imports contract module '{name}', not {contract.name}: "
                "put what its contract changes under variants."
                f"{job}.contract by hand",
                spec,
                imported.span[0] + 1,
            )


def _port_notes(conv: StepConverter, doc: dict[str, Any], target: Path) -> None:
    """Contract ports the spec does not declare become TODOs: the framework rejects them, and
    a spec port would be a guess (its type, its sources)."""
    contract, spec = doc["contract"], doc["spec"]
    for section, ports, kind in (
        ("inputs", "dependencies", "dependency"),
        ("outputs", "outputs", "output"),
    ):
        entries = contract.get(section)
        if not isinstance(entries, dict):
            continue
        declared = set(spec.get(ports, {}))
        for port, value in list(entries.items()):
            if port in declared or isinstance(value, yaml_writer.Todo):
                continue
            path = value.get("path") if isinstance(value, dict) else value
            entries[port] = yaml_writer.Todo(
                f"{{path: {path}}} -- no spec {kind} '{port}' (the framework rejects the "
                f"port): declare spec.{ports}.{port}, then restore this {section[:-1]}"
            )
            where = conv.contract_path or target
            line = conv.contract_lines.get(section) if conv.contract_path else None
            conv.note(
                "todo",
                f"contract {section[:-1]} '{port}' ({path}) has no spec {kind}: "
                f"left as a TODO; declare spec.{ports}.{port} and restore it",
                where,
                line,
            )


def _legacy(
    db: CatalogIndex,
    plan: MigrationPlan,
    info: StepInfo,
    migrating: set[tuple[str, str]],
    ws: str,
) -> list[Path]:
    """The step's contract and spec files, removed unless a step that stays uses them."""
    comps = info.file_components
    metas = [comps.get("contract"), comps.get("spec"), *info.variants.values()]
    package = Path(db.view.registered_in(ws)[info.step_name].path).parent.parent
    removed = []
    for meta in metas:
        if meta is None or any(c.path == meta.path for c in plan.changes):
            continue
        if ws != SHARED and not meta.path.is_relative_to(package):
            continue  # a developer's step keeps the shared files it uses
        users = {(k[0], k[1]) for k in db.graph.users(real(str(meta.path)))}
        staying = sorted(s for w, s in users if (w, s) not in migrating and s != info.step_name)
        if staying:
            plan.notes.append(
                Note(
                    info.step_name,
                    "kept",
                    f"not removed: {', '.join(staying)} still use it (migrate them too, then remove it)",
                    meta.path,
                )
            )
            continue
        old = _text(db, meta.path)
        if old is not None:
            plan.changes.append(FileChange(meta.path, old, None, "legacy"))
            removed.append(meta.path)
    return removed


def _init_notes(db: CatalogIndex, plan: MigrationPlan, removed: set[Path]) -> None:
    for folder in sorted({p.parent for p in removed}):
        init = folder / "__init__.py"
        text = _text(db, init) if init.exists() else None
        if not text:
            continue
        for n, line in enumerate(text.split("\n"), 1):
            if any(
                re.search(rf"\b{re.escape(p.stem)}\b", line) for p in removed if p.parent == folder
            ):
                plan.notes.append(
                    Note(
                        "", "no-equivalent", "imports a removed module: remove the import", init, n
                    )
                )


def _dags(db: CatalogIndex, plan: MigrationPlan, flavour: str) -> None:
    for path in sorted(db.python_usages):
        if not any(u.call in ("add_node", "add_edge") for u in db.python_usages[path]):
            continue
        module = Path(path)
        text = _text(db, module)
        if text is None:
            continue
        result = converted(plan, "", module, convert_dag, text, module.stem, module.name)
        if result is None or not result.found or not result.nodes:
            continue
        target = module.with_name(f"{module.stem}.dag.json")
        old = _text(db, target) if target.exists() else None
        new = dag_document(result, module.name, flavour, _created_at(old))
        for line, message in result.notes:
            plan.notes.append(Note("", "dag", message, module, line))
        if old is not None and old != new and not _ours(old, module.name):
            plan.notes.append(
                Note("", "skipped", "a DAG JSON written by hand exists; left as is", target)
            )
            continue
        plan.dags.append((module, target))
        if old != new:
            plan.changes.append(FileChange(target, old, new, "dag"))


def _created_at(text: str | None) -> str | None:
    """The ``created_at`` of a DAG JSON being replaced (a re-run keeps it: idempotent)."""
    try:
        data = json.loads(text) if text else None
    except ValueError:
        return None
    stamp = data.get("created_at") if isinstance(data, dict) else None
    return stamp if isinstance(stamp, str) else None


def _ours(text: str, source: str) -> bool:
    try:
        data = json.loads(text)
    except ValueError:
        return False
    return isinstance(data, dict) and data.get("metadata", {}).get(MARK) == source
