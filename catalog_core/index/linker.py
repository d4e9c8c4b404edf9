"""Linking component files to steps, as DOMAIN.md describes: classes by the names the registry
declares, a spec's contract through its import, a contract's script through ``entry_point``,
job-type variants by the spec's own ``step_type`` and the registry names, file names last.

Every function here is pure over (facts table, registry view, spec claims) and records the keys
it looked up, so the index can re-link exactly what an edit may have changed.
"""

from __future__ import annotations

import sys

from catalog_core.base.files import file_problem
from catalog_core.base.names import suffix_splits
from catalog_core.base.text import squash
from catalog_core.facts.interface_reader import InterfaceFacts
from catalog_core.index.records import (
    ComponentRecord,
    FactTable,
    Key,
    module_stem,
    script_rel,
)
from catalog_core.index.registry_view import Registered, RegistryView
from catalog_core.models import SHARED, ComponentType, Problem, Severity, Span

CONFIG = ComponentType.CONFIG
BUILDER = ComponentType.BUILDER
SPEC = ComponentType.SPEC
CONTRACT = ComponentType.CONTRACT
SCRIPT = ComponentType.SCRIPT

_CONFIG_VALUE = CONFIG.value
_BUILDER_VALUE = BUILDER.value
_CONTRACT_VALUE = CONTRACT.value
_SCRIPT_VALUE = SCRIPT.value
_VALUE = {kind: kind.value for kind in ComponentType}  # without the enum's descriptor

Claim = tuple[str, "str | None"]
#: Entry points of steps an SDK runs: not scripts of the tree.
PLACEHOLDER_SCRIPTS = frozenset(
    {"scripts.py", "script.py"}
)  # (step name, job type or None for a base spec)
Claimed = tuple[tuple[str, "str | None"], ...] | set[tuple[str, "str | None"]]
"""The (spec path, job type) claims of a step: a tuple, a set past a few (graph.py: a step has
a few specs; a set of one is 4 times a tuple's size, and a tuple grown one by one is
quadratic)."""


class Link:
    """The component files of one step found in one workspace, and the keys it looked up."""

    __slots__ = ("components", "deps", "duplicates", "key", "step", "variants", "workspace")

    def __init__(self, step: str, workspace: str) -> None:
        self.step = step
        self.workspace = workspace
        self.key = sys.intern(squash(step))  # the string its files' keys hold (records.keys)
        self.components: dict[ComponentType, str] = {}
        self.variants: dict[str, str] = {}
        self.duplicates: list[tuple[ComponentType, str, str]] = []
        self.deps: tuple[Key, ...] = ()  # the keys it looked up, each once, in no set order

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Link)
            and all(getattr(self, k) == getattr(other, k) for k in self.__slots__ if k != "deps")
            and set(self.deps) == set(other.deps)
        )

    def __repr__(self) -> str:
        return f"Link({self.workspace}:{self.step} {self.components} {self.variants})"

    def files(self) -> set[str]:
        found = set(self.components.values()) | set(self.variants.values())
        return found | {extra for _, extra, _ in self.duplicates}

    def owns_any(self, table: FactTable) -> bool:
        """True when at least one linked file lives in the link's own workspace."""
        return any(
            (rec := table.records.get(p)) is not None and rec.workspace == self.workspace
            for p in self.files()
        )


def claim_of(record: ComponentRecord, view: RegistryView) -> Claim | None:
    """Which step (and job type) a spec file belongs to. Its own ``step_type`` declaration wins;
    then the registry names decide how its file name splits into ``<step>_<job type>``."""
    ws = record.workspace
    core = record.core  # record.spec_splits() is [(core, None), *suffix_splits(core)]
    full = view.step_by_squash(ws, squash(core)) if core is not None else None
    declared = _declared(record, view)
    if declared is not None:
        step, job = declared
        return (step, None) if full == step else (step, job)
    if full is not None:
        return full, None
    for base, job in suffix_splits(core) if core is not None else ():  # only when needed
        prefix_step = view.step_by_squash(ws, squash(base))
        if prefix_step is not None:
            return prefix_step, job
    return None


def _declared(record: ComponentRecord, view: RegistryView) -> Claim | None:
    ref = record.facts.step_type if record.facts is not None else None
    if ref is None:
        return None
    ws = record.workspace
    if view.lookup(ws, ref.name) is not None:
        return ref.name, (ref.job_type.lower() if ref.job_type else None)
    step = view.step_by_squash(ws, squash(ref.name))
    if step is not None and not ref.literal:
        return step, (ref.job_type.lower() if ref.job_type else None)
    if step is not None and ref.literal and squash(step) == squash(ref.name):
        return step, None
    for prefix, job in suffix_splits(ref.name):  # "X_Training" (get_spec_step_type_with_job_type)
        step = view.step_by_squash(ws, squash(prefix))
        if step is not None:
            return step, job.lower()
    return None


class Linker:
    def __init__(
        self,
        table: FactTable,
        view: RegistryView,
        claims: dict[tuple[str, str], Claimed],
    ) -> None:
        self.table = table
        self.view = view
        self.claims = claims

    def _find(self, key: Key, deps: set[Key]) -> list[str]:
        deps.add(key)
        paths = self.table.provides.get(key)  # FactTable.find, inlined: ~10 lookups a step
        if not paths:
            return []
        return sorted(paths) if len(paths) > 1 else [paths[0]]

    def link(self, ws: str, step: str) -> Link:
        link = Link(step, ws)
        deps: set[Key] = set()
        self._walk(link, deps)
        link.deps = tuple(deps)  # kept as a tuple: a set of 5-15 keys is ~6 times its size
        return link

    def _walk(self, link: Link, deps: set[Key]) -> None:
        reg = self.view.lookup(link.workspace, link.step)
        if reg is not None and reg.from_interface:
            return self._link_interface(link, reg, deps)
        config = reg.field("config_class") if reg else ""
        builder = reg.field("builder_step_name") if reg else ""
        if self._nothing_to_find(link, config, builder, deps):
            return
        self._link_class(link, CONFIG, config, deps)
        self._link_class(link, BUILDER, builder, deps)
        self._link_specs(link, deps)
        self._link_contract(link, deps)
        self._link_script(link, deps)

    def _nothing_to_find(self, link: Link, config: str, builder: str, deps: set[Key]) -> bool:
        """A step with a registry row and no file at all (a registry of thousands of rows, a
        row just typed): when no key the full walk below would look up is provided and no
        spec claims the step, the link is empty and its deps are exactly those keys (the walk
        finds nothing, so it asks no key that depends on a find). Otherwise False, and the
        walk runs."""
        ws, sq = link.workspace, link.key
        if self.claims.get((ws, link.step)):
            return False
        keys = [
            ("key", ws, _CONFIG_VALUE, sq),
            ("key", ws, _BUILDER_VALUE, sq),
            ("claim", ws, link.step),
            ("key", ws, _CONTRACT_VALUE, sq),
            ("centry", ws, sq),
            ("key", ws, _SCRIPT_VALUE, sq),
        ]
        if config:
            keys.append(("cls", ws, config))
        if builder:
            keys.append(("cls", ws, builder))
        provides = self.table.provides
        for key in keys:
            if key in provides:
                return False
        deps.update(keys)
        return True

    def _link_interface(self, link: Link, reg: Registered, deps: set[Key]) -> None:
        """An interface-first step: the interface is its spec and contract (its ``variants:``
        the job-type variants), the script is ``contract.entry_point``, the config the class
        the row names; the builder is synthesised by the framework, unless a builder file
        defines the class the row names (a hand-written builder still wins)."""
        path = reg.path
        deps.add(("iface", path))
        record = self.table.records.get(path)
        facts = record.interface if record is not None else None
        if facts is None:
            return
        link.components[SPEC] = path
        link.components[CONTRACT] = path
        for job in facts.variants:
            link.variants[job.lower()] = path
        self._link_class(link, CONFIG, reg.field("config_class"), deps)
        builders = self._find(("cls", link.workspace, reg.field("builder_step_name")), deps)
        self._pick(link, BUILDER, [p for p in builders if self.table.records[p].kind is BUILDER])
        if facts.entry_point:
            script = self.find_script(link.workspace, script_rel(facts.entry_point), deps)
            if script is not None:
                link.components[SCRIPT] = script

    def _named_first(self, link: Link, paths: list[str], job: str | None = None) -> list[str]:
        """Order competing files: the one named after the step (and job type) first."""
        if len(paths) < 2:
            return paths
        want = link.key + (squash(job) if job else "")
        records = self.table.records
        return sorted(paths, key=lambda p: (squash(records[p].core or "") != want, p))

    def _pick(self, link: Link, kind: ComponentType, found: list[str]) -> None:
        if not found:
            return
        if len(found) == 1:  # the usual case: one file
            link.components[kind] = found[0]
            return
        found = self._named_first(link, found)
        link.components[kind] = found[0]
        link.duplicates.extend((kind, extra, found[0]) for extra in found[1:])

    def _link_class(self, link: Link, kind: ComponentType, cls: str, deps: set[Key]) -> None:
        found: list[str] = []
        if cls:
            files = self._find(("cls", link.workspace, cls), deps)
            if len(files) == 1:
                found = files
            elif files:
                records = self.table.records
                found = [p for p in files if records[p].kind is kind] or files[:1]
        if not found:  # the file name is a fallback; check_step reports the missing class
            found = self._find(("key", link.workspace, _VALUE[kind], link.key), deps)
        self._pick(link, kind, found)

    def _link_specs(self, link: Link, deps: set[Key]) -> None:
        deps.add(("claim", link.workspace, link.step))
        claimed = self.claims.get((link.workspace, link.step))
        if not claimed:
            return
        bases: list[str] = []
        by_job: dict[str, list[str]] = {}
        for path, job in claimed:
            if job is None:
                bases.append(path)
            else:
                paths = by_job.get(job)
                if paths is None:
                    by_job[job] = [path]
                else:
                    paths.append(path)
        if bases:
            bases.sort()
            self._pick(link, SPEC, bases)
        variants = link.variants
        for job in sorted(by_job):
            paths = by_job[job]
            if len(paths) > 1:
                paths = self._named_first(link, sorted(paths), job)
                link.duplicates.extend((SPEC, extra, paths[0]) for extra in paths[1:])
            variants[job] = paths[0]

    def spec_files(self, link: Link) -> list[str]:
        base = [link.components[SPEC]] if SPEC in link.components else []
        return base + [link.variants[j] for j in sorted(link.variants)]

    def find_contract(self, ws: str, stem: str, deps: set[Key]) -> str | None:
        for where in (ws, SHARED) if ws != SHARED else (ws,):
            found = self._find(("cstem", where, stem), deps)
            if found:
                return found[0]
        return None

    def _link_contract(self, link: Link, deps: set[Key]) -> None:
        for spec in self.spec_files(link):
            facts = self.table.records[spec].facts
            for imp in facts.contract_imports if facts is not None else ():
                contract = self.find_contract(link.workspace, _module_stem(imp.module), deps)
                if contract is not None:
                    link.components[CONTRACT] = contract
                    return
        sq = link.key
        for key in (("key", link.workspace, _CONTRACT_VALUE, sq), ("centry", link.workspace, sq)):
            found = self._find(key, deps)
            if found:
                link.components[CONTRACT] = found[0]
                return

    def find_script(self, ws: str, rel: str, deps: set[Key]) -> str | None:
        for where in (ws, SHARED) if ws != SHARED else (ws,):
            found = self._find(("script", where, rel), deps)
            if found:
                return found[0]
        return None

    def _link_script(self, link: Link, deps: set[Key]) -> None:
        contract = link.components.get(CONTRACT)
        if contract is not None:
            record = self.table.records[contract]
            if record.facts is not None and record.facts.entry_point is not None:
                rel = script_rel(record.facts.entry_point[0])
                script = self.find_script(record.workspace, rel, deps)
                if script is not None:
                    link.components[SCRIPT] = script
                return
        found = self._find(("key", link.workspace, _SCRIPT_VALUE, link.key), deps)
        if found:
            link.components[SCRIPT] = found[0]

    # -- per-file checks ---------------------------------------------------------------------

    def file_check(
        self, record: ComponentRecord, interface: InterfaceFacts | None = None
    ) -> list[Problem]:
        """Problems of a file's own references (entry_point, contract imports, step_type)."""
        deps: set[Key] = set()  # not kept: reference_keys() says what these answers depend on
        if record.interface is not None:
            return self._interface_check(record, interface or record.interface, deps)
        problems: list[Problem] = []
        facts = record.facts
        if facts is None:
            return problems
        if record.kind is CONTRACT and facts.entry_point is not None:
            value, span = facts.entry_point
            if value and self.find_script(record.workspace, script_rel(value), deps) is None:
                problems.append(
                    file_problem(
                        record.path,
                        "entry-point-not-found",
                        f"entry_point '{value}' names a script that does not exist: create "
                        f"scripts/{script_rel(value)} or correct entry_point",
                        Severity.ERROR,
                        Span.of(span),
                    )
                )
        if record.kind is SPEC:
            for imp in facts.contract_imports:
                stem = _module_stem(imp.module)
                if self.find_contract(record.workspace, stem, deps) is None:
                    problems.append(
                        file_problem(
                            record.path,
                            "contract-import-not-found",
                            f"imports contract module '{stem}', which no contracts folder defines: "
                            f"create contracts/{stem}.py or correct the import",
                            Severity.ERROR,
                            Span.of(imp.span),
                        )
                    )
            ref = facts.step_type
            if ref is not None and _declared(record, self.view) is None:
                problems.append(
                    file_problem(
                        record.path,
                        "unknown-step-reference",
                        f"step_type names '{ref.name}', which no registry defines: register the "
                        "step or correct the name",
                        Severity.WARNING,
                        Span.of(ref.span),
                    )
                )
        return problems

    def _interface_check(
        self, record: ComponentRecord, facts: InterfaceFacts, deps: set[Key]
    ) -> list[Problem]:
        """An interface's references (from its full facts): its entry-point script, its
        ``compatible_sources``."""
        problems: list[Problem] = []
        ep, span = facts.entry_point, facts.entry_point_span
        if (
            ep
            and span is not None
            and ep.endswith(".py")
            and ep not in PLACEHOLDER_SCRIPTS
            and self.find_script(record.workspace, script_rel(ep), deps) is None
        ):
            problems.append(
                file_problem(
                    record.path,
                    "entry-point-not-found",
                    f"entry point '{ep}' is not in steps/scripts/: add the script, or "
                    "ignore this if it ships elsewhere",
                    Severity.WARNING,
                    Span.of(span),
                )
            )
        names = self.view.names(record.workspace)
        folded = {n.lower(): n for n in sorted(names)}
        for name, raw in facts.compatible_sources:
            step = folded.get(name.lower())
            if name not in names and step is not None:
                problems.append(
                    file_problem(
                        record.path,
                        "compatible-source-case",
                        f"compatible source '{name}' differs from step '{step}' only in case: "
                        f"did you mean '{step}'?",
                        Severity.INFORMATION,
                        Span.of(raw),
                    )
                )
        return problems

    def candidates(self, record: ComponentRecord, claim: Claim | None) -> set[str]:
        """Steps this file could link to in its workspace (its own workspace's context)."""
        ws = record.workspace
        view = self.view
        steps: set[str] = set()
        if claim is not None:
            steps.add(claim[0])
        facts = record.facts
        if facts is not None:
            for cls, _ in facts.classes:
                steps.update(view.steps_by_config_class(ws, cls))
                steps.update(view.steps_by_builder(ws, cls))
        core = record.name_core()
        if core is not None and record.kind is not SPEC:
            steps.update(view.steps_by_squash(ws, squash(core)))
        if facts is not None and facts.entry_point is not None:
            steps.update(view.steps_by_squash(ws, squash(script_rel(facts.entry_point[0])[:-3])))
        return steps


_module_stem = module_stem
