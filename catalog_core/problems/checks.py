"""Step views (a developer's copy over the shared one) and the problems found on them:
incomplete steps, classes the registry names that nothing defines, duplicated components and
component files that belong to no step."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from catalog_core.base.files import file_problem
from catalog_core.index.linker import Link
from catalog_core.index.records import ComponentRecord, FactTable
from catalog_core.index.registry_view import Registered, RegistryView
from catalog_core.models import (
    SHARED,
    ComponentType,
    Problem,
    Severity,
    Span,
    required_components,
)

_HELPER_WORDS = frozenset(
    [
        "base",
        "bases",
        "util",
        "utils",
        "helper",
        "helpers",
        "validator",
        "validators",
        "mixin",
        "mixins",
        "common",
        "constants",
        "template",
        "templates",
        "exceptions",
        "errors",
        "enums",
        "types",
        "registry",
        "factory",
        "abstract",
        "interface",
        "interfaces",
        "shared",
        "core",
    ]
)
_UNLINKED_HINT = {
    ComponentType.CONFIG: "register a step whose config_class is one of its classes",
    ComponentType.BUILDER: "register a step whose builder_step_name is one of its classes",
    ComponentType.SPEC: "declare step_type=get_spec_step_type('<Step>') for a registered step",
    ComponentType.CONTRACT: "import it from a step's spec or name it <step>_contract.py",
    ComponentType.SCRIPT: "point a contract's entry_point at it",
}


@dataclass(slots=True)
class StepView:
    """A step as seen from a workspace: its own components over the shared ones."""

    step: str
    workspace: str  # the workspace whose definition this is
    registered: Registered | None
    components: dict[ComponentType, str] = field(default_factory=dict)
    variants: dict[str, str] = field(default_factory=dict)

    def has(self, kind: ComponentType) -> bool:
        return kind in self.components or (kind is ComponentType.SPEC and bool(self.variants))


def overlay(
    context: str, step: str, view: RegistryView, links: dict[tuple[str, str], Link]
) -> StepView | None:
    """The step in ``context`` (a workspace id): that workspace's link, completed by shared's."""
    own = links.get((context, step)) if context != SHARED else None
    shared = links.get((SHARED, step))
    registered = view.lookup(context, step)
    if own is None and shared is None and registered is None:
        return None
    sv = StepView(step, context if own is not None else SHARED, registered)
    if own is not None and registered is not None and registered.from_interface:
        shared = None  # a pack's interface replaces the package's step as a whole
    for link in (shared, own):  # own last: the developer's copy wins per component
        if link is not None:
            sv.components.update(link.components)
            sv.variants.update(link.variants)
    return sv


def is_helper(record: ComponentRecord) -> bool:
    """Base classes, utilities, ``__init__`` and nested modules are not step components."""
    if record.stem.startswith("_") or not record.top_level:
        return True
    if _HELPER_WORDS.intersection(record.stem.lower().split("_")):
        return True
    facts = record.facts
    if facts is None:
        return False
    kind = record.kind
    if kind is ComponentType.CONTRACT:
        return not any("Contract" in callee for _, callee, _ in facts.constants)
    if kind is ComponentType.SPEC:
        return facts.step_type is None and not any(
            "Specification" in callee for _, callee, _ in facts.constants
        )
    if kind is ComponentType.BUILDER:
        return not any(name.endswith("Builder") for name, _ in facts.classes)
    if kind is ComponentType.CONFIG:
        return not any(name.endswith("Config") for name, _ in facts.classes)
    return False


def symbol_span(
    record: ComponentRecord, registered: Registered | None = None, job: str | None = None
) -> tuple[str | None, Span]:
    """The defining symbol of a component file (class or constant) and its span; for an
    interface, its ``step_type`` or, for a job type, its ``variants.<job>`` key."""
    interface = record.interface
    if interface is not None:
        if job is not None:
            for declared, raw in interface.variants.items():
                if declared.lower() == job:
                    return f"variants.{declared}", Span.shared(raw)
        if interface.step_type_span is not None:
            return interface.step_type, Span.shared(interface.step_type_span)
        return None, Span.shared((0, 0, 0, 0))
    facts = record.facts
    if facts is None:
        return None, Span.shared((0, 0, 0, 0))
    kind = record.kind
    if kind in (ComponentType.CONFIG, ComponentType.BUILDER):
        wanted = ""
        if registered is not None:
            wanted = registered.field(
                "config_class" if kind is ComponentType.CONFIG else "builder_step_name"
            )
        span = facts.class_span(wanted) if wanted else None
        if span is not None:
            return wanted, Span.shared(span)
        suffix = "Config" if kind is ComponentType.CONFIG else "Builder"
        for name, raw in facts.classes:
            if name.endswith(suffix):
                return name, Span.shared(raw)
        if facts.classes:
            return facts.classes[0][0], Span.shared(facts.classes[0][1])
    elif kind in (ComponentType.CONTRACT, ComponentType.SPEC):
        const = facts.main_constant(
            "Contract" if kind is ComponentType.CONTRACT else "Specification"
        )
        if const is not None:
            return const[0], Span.shared(const[1])
    return None, Span.shared((0, 0, 0, 0))


def check_step(sv: StepView, table: FactTable) -> list[Problem]:
    """Problems of a registered step in the workspace that registers it."""
    reg = sv.registered
    if reg is None:
        return []
    if reg.layout != "1.x":
        return _check_interface_step(sv, table, reg)
    problems: list[Problem] = []
    key_span = Span.of(reg.entry.key_span)
    step_type = reg.field("sagemaker_step_type")
    where = f" in workspace '{sv.workspace}'" if sv.workspace != SHARED else ""
    if not step_type:
        problems.append(
            _step_problem(
                reg,
                sv,
                "invalid-registry-entry",
                Severity.WARNING,
                key_span,
                f"registry entry '{sv.step}' has no 'sagemaker_step_type': add one "
                "(Processing, Training, CreateModel, RegisterModel, Transform, ...)",
            )
        )
    for kind in required_components(step_type):
        if not sv.has(kind):
            problems.append(_missing(reg, sv, kind, step_type, where, key_span))
    for kind, fld in (
        (ComponentType.CONFIG, "config_class"),
        (ComponentType.BUILDER, "builder_step_name"),
    ):
        cls = reg.field(fld)
        path = sv.components.get(kind)
        if not cls or path is None:
            continue
        record = table.records.get(path)
        if record is not None and record.facts is not None and record.facts.class_span(cls) is None:
            span = Span.of(reg.entry.value_span(fld) or reg.entry.key_span)
            problems.append(
                _step_problem(
                    reg,
                    sv,
                    "missing-class",
                    Severity.ERROR,
                    span,
                    f"{fld} '{cls}' is not defined by any {kind.value} file "
                    f"({Path(path).name} defines {_class_list(record)}): define class {cls} or "
                    f"correct {fld}",
                )
            )
    return problems


def _check_interface_step(sv: StepView, table: FactTable, reg: Registered) -> list[Problem]:
    """An interface-first step needs only its config class (its interface is its contract and
    spec, its builder is synthesised, its script optional); a row of ``_EXTRAS`` (abstract
    bases, builder-less steps) needs nothing. What the interface itself lacks, its reader says."""
    if not reg.from_interface:
        return []
    cls = reg.field("config_class")
    path = sv.components.get(ComponentType.CONFIG)
    record = table.records.get(path) if path is not None else None
    if record is not None and record.facts is not None and record.facts.class_span(cls):
        return []
    span = Span.of(reg.entry.value_span("config_class") or reg.entry.key_span)
    named = "registry.config_class" if reg.entry.value_span("config_class") else "config class"
    found = (
        f" ({Path(record.path).name} defines {_class_list(record)})" if record is not None else ""
    )
    return [
        _step_problem(
            reg,
            sv,
            "missing-class",
            Severity.ERROR,
            span,
            f"{named} '{cls}' is defined by no file{found}: define class {cls} under configs/ "
            "or correct registry.config_class",
        )
    ]


def duplicate_problems(link: Link, table: FactTable, view: RegistryView) -> list[Problem]:
    """One problem per extra file that competes for the same component of a step."""
    problems = []
    reg = view.lookup(link.workspace, link.step)
    where = f" in workspace '{link.workspace}'" if link.workspace != SHARED else ""
    for kind, extra, kept in link.duplicates:
        record = table.records.get(extra)
        span = symbol_span(record, reg)[1] if record is not None else Span.of((0, 0, 0, 0))
        problems.append(
            Problem.at(
                extra,
                "duplicate-component",
                Severity.WARNING,
                f"second {kind.value} for step '{link.step}'{where}; the catalog uses "
                f"{Path(kept).name}: delete one or give it its own step",
                span,
                step_name=link.step,
                workspace_id=link.workspace,
            )
        )
    return problems


def _class_list(record: ComponentRecord) -> str:
    names = [n for n, _ in record.facts.classes] if record.facts is not None else []
    return ", ".join(names) if names else "no class"


def _missing(
    reg: Registered, sv: StepView, kind: ComponentType, step_type: str, where: str, span: Span
) -> Problem:
    hint = {
        ComponentType.SCRIPT: "add the script under scripts/ and point the contract's entry_point at it",
        ComponentType.CONTRACT: "add a contract (ScriptContract) under contracts/ and import it from the spec",
        ComponentType.SPEC: "add a StepSpecification under specs/",
        ComponentType.BUILDER: f"define class {reg.field('builder_step_name') or '<Step>StepBuilder'} under builders/",
        ComponentType.CONFIG: f"define class {reg.field('config_class') or '<Step>Config'} under configs/",
    }[kind]
    label = f"{step_type} step" if step_type else "step"
    return _step_problem(
        reg,
        sv,
        f"missing-{kind.value}",
        Severity.WARNING,
        span,
        f"{label} '{sv.step}'{where} has no {kind.value}: {hint}",
        component=kind.value,
    )


def _step_problem(
    reg: Registered,
    sv: StepView,
    rule: str,
    severity: Severity,
    span: Span,
    message: str,
    **data: str,
) -> Problem:
    return Problem.at(
        reg.path,
        rule,
        severity,
        message,
        span,
        step_name=sv.step,
        workspace_id=sv.workspace,
        data={"step": sv.step, **data},
    )


def unlinked_problem(record: ComponentRecord) -> Problem | None:
    if record.is_interface or is_helper(record):  # an interface's reader reports it
        return None
    symbol, span = symbol_span(record)
    severity = Severity.INFORMATION if record.kind is ComponentType.SCRIPT else Severity.WARNING
    what = f" ({symbol})" if symbol else ""
    return file_problem(
        record.path,
        "unlinked-component",
        f"this {record.kind.value}{what} belongs to no registered step: "
        f"{_UNLINKED_HINT[record.kind]}",
        severity,
        span,
    )
