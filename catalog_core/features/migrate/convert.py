"""One 1.x step (registry row, contract, base spec, variant specs) -> an interface document.

The document is plain data in the framework's key order, with ``Todo`` where a value cannot
be read statically; every ``Todo`` and everything without an equivalent is also a ``Note``.
Variants hold only what differs from the base spec (the framework deep-merges them over it).
"""

from __future__ import annotations

import ast
import inspect
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from catalog_core.base.pyparse import parse_module
from catalog_core.facts.interface_schema import SAGEMAKER_STEP_TYPES
from catalog_core.features.migrate.evaluate import Call, Module, Unknown
from catalog_core.features.migrate.yaml_writer import Todo


@dataclass(frozen=True, slots=True)
class Note:
    """Something the migration left for a person, with where it comes from."""

    step: str
    kind: str  # todo | no-equivalent | variant | kept | skipped | dag
    message: str
    path: Path | None = None
    line: int | None = None  # 1-based

    def where(self) -> str:
        if self.path is None:
            return ""
        return f"{self.path}:{self.line}" if self.line else str(self.path)


@dataclass(frozen=True, slots=True)
class Source:
    """A 1.x Python file of the step: its path and text."""

    path: Path
    text: str


_CONTRACT_KEYS = {
    "entry_point": "entry_point",
    "expected_input_paths": "inputs",
    "expected_output_paths": "outputs",
    "expected_arguments": "arguments",
    "framework_requirements": "framework_requirements",
    "description": "description",
}
_ENV_KEYS = {"required_env_vars": "required", "optional_env_vars": "optional"}
_DEPENDENCY = (
    ("dependency_type", "type"),
    ("required", "required"),
    ("compatible_sources", "compatible_sources"),
    ("compatible_output_types", "compatible_output_types"),
    ("semantic_keywords", "semantic_keywords"),
    ("data_type", "data_type"),
    ("description", "description"),
)
_OUTPUT = (
    ("output_type", "type"),
    ("property_path", "property_path"),
    ("semantic_keywords", "semantic_keywords"),
    ("aliases", "aliases"),
    ("data_type", "data_type"),
    ("description", "description"),
)
_SPEC_IGNORED = {"step_type", "node_type", "script_contract", "dependencies", "outputs"}


class StepConverter:
    """Collects the notes of one step while its files are converted."""

    def __init__(self, step: str) -> None:
        self.step = step
        self.notes: list[Note] = []
        self.contract_path: Path | None = None
        self.contract_lines: dict[str, int] = {}  # interface key -> line of its 1.x argument

    def note(self, kind: str, message: str, path: Path | None, line: int | None = None) -> None:
        self.notes.append(Note(self.step, kind, message, path, line))

    def clean(self, value: Any, where: Path, label: str) -> Any:
        """``value`` with every ``Unknown`` replaced by a ``Todo`` (and noted)."""
        if isinstance(value, Unknown):
            self.note(
                "todo",
                f"{label}: `{value.source}` not read statically ({value.why})",
                where,
                value.line,
            )
            return Todo(f"`{value.source}` not read statically ({value.why}; line {value.line})")
        if isinstance(value, list):
            return [self.clean(v, where, label) for v in value]
        if isinstance(value, dict):
            return {k: self.clean(v, where, f"{label}.{k}") for k, v in value.items()}
        if isinstance(value, Call):
            return self.clean(Unknown(value.line, f"{value.name}(...)", "a call"), where, label)
        if isinstance(value, str) and "\n" in value:
            return inspect.cleandoc(value) + "\n"
        return value

    # -- contract ------------------------------------------------------------------------

    def contract(self, src: Source | None, required: dict[str, Any]) -> dict[str, Any]:
        if src is None:
            return {"entry_point": None}
        module = Module(src.text)
        found = module.constant_call("Contract")
        if found is None:
            self.note("todo", "no contract constant found: contract left empty", src.path)
            return {"entry_point": None}
        value = module.value(found[1])
        if not isinstance(value, Call):
            self.note("todo", "the contract is not a call of ScriptContract", src.path)
            return {"entry_point": None}
        out: dict[str, Any] = {}
        kw = value.kwargs
        self.contract_path = src.path
        self.contract_lines = {
            new: value.arg_lines.get(old, value.line) for old, new in _CONTRACT_KEYS.items()
        }
        for old, new in _CONTRACT_KEYS.items():
            if old not in kw:
                continue
            v = self.clean(kw[old], src.path, f"contract.{new}")
            if new == "inputs" and isinstance(v, dict):
                v = {k: self._input(k, p, required) for k, p in v.items()}
            elif new == "outputs" and isinstance(v, dict):
                v = {k: p if isinstance(p, Todo) else {"path": p} for k, p in v.items()}
            out[new] = v
        env = {
            new: self.clean(kw[old], src.path, f"contract.env_vars.{new}")
            for old, new in _ENV_KEYS.items()
            if old in kw
        }
        if env:
            out["env_vars"] = env
        order = [*_CONTRACT_KEYS.values()]
        order.insert(4, "env_vars")
        for extra in sorted(set(kw) - set(_CONTRACT_KEYS) - set(_ENV_KEYS)):
            self.note(
                "no-equivalent",
                f"contract argument '{extra}' has no interface key",
                src.path,
                value.arg_lines.get(extra, value.line),
            )
        return {k: out[k] for k in order if k in out}

    def _input(self, name: str, path: Any, required: dict[str, Any]) -> Any:
        if isinstance(path, Todo):
            return path
        entry: dict[str, Any] = {"path": path}
        if name in required and not isinstance(required[name], Todo):
            entry["required"] = required[name]
        return entry

    # -- spec ----------------------------------------------------------------------------

    def spec(self, src: Source) -> tuple[dict[str, Any], Any, str | None] | None:
        """(spec section, node_type, the spec's step_type) of one spec file."""
        module = Module(src.text)
        if not module.ok:
            self.note("todo", "the spec does not parse: not converted", src.path)
            return None
        found = module.constant_call("Specification")
        value = module.value(found[1]) if found else None
        if not isinstance(value, Call):
            self.note("todo", "no StepSpecification constant found: not converted", src.path)
            return None
        kw = value.kwargs
        section = {
            "dependencies": self._ports(kw.get("dependencies"), _DEPENDENCY, src, "dependency"),
            "outputs": self._ports(kw.get("outputs"), _OUTPUT, src, "output"),
        }
        for extra in sorted(set(kw) - _SPEC_IGNORED):
            self.note(
                "no-equivalent",
                f"spec argument '{extra}' has no interface key",
                src.path,
                value.arg_lines.get(extra, value.line),
            )
        node_type = (
            self.clean(kw["node_type"], src.path, "node_type") if "node_type" in kw else None
        )
        step_type = kw.get("step_type")
        return section, node_type, step_type if isinstance(step_type, str) else None

    def _ports(
        self, value: Any, keys: tuple[tuple[str, str], ...], src: Source, kind: str
    ) -> dict[str, Any]:
        if value is None:
            return {}
        items: list[tuple[str | None, Any]]
        if isinstance(value, dict):
            items = list(value.items())
        elif isinstance(value, list):
            items = [(None, v) for v in value]
        else:
            return {"\0": self.clean(value, src.path, f"spec {kind} list")}
        ports: dict[str, Any] = {}
        for n, (key, item) in enumerate(items):
            if not isinstance(item, Call):
                unread = item if isinstance(item, Unknown) else Unknown(1, str(key), "not a call")
                ports[f"\0{n}"] = self.clean(unread, src.path, f"spec {kind}")
                continue
            name = item.kwargs.get("logical_name", key)
            if not isinstance(name, str):
                ports[f"\0{n}"] = self.clean(
                    Unknown(item.line, f"{item.name}(...)", "logical_name not read statically"),
                    src.path,
                    f"spec {kind}",
                )
                continue
            port: dict[str, Any] = {}
            for old, new in keys:
                if old in item.kwargs:
                    port[new] = self.clean(item.kwargs[old], src.path, f"{kind} {name}.{new}")
            known = {old for old, _ in keys} | {"logical_name"}
            for extra in sorted(set(item.kwargs) - known):
                self.note(
                    "no-equivalent",
                    f"{kind} '{name}' argument '{extra}' has no interface key",
                    src.path,
                    item.arg_lines.get(extra, item.line),
                )
            ports[name] = port
        return ports

    # -- variants ------------------------------------------------------------------------

    def variant(
        self, job: str, base: dict[str, Any], spec: dict[str, Any], path: Path
    ) -> dict[str, Any]:
        """What a variant's spec changes over the base spec (the framework deep-merges it)."""
        diff: dict[str, Any] = {}
        for section in ("dependencies", "outputs"):
            changed: dict[str, Any] = {}
            old, new = base.get(section, {}), spec.get(section, {})
            for port, fields in new.items():
                if port not in old or not isinstance(fields, dict):
                    if old.get(port) != fields:
                        changed[port] = fields
                    continue
                if not isinstance(old[port], dict):
                    changed[port] = fields
                    continue
                delta = {k: v for k, v in fields.items() if old[port].get(k) != v}
                if delta:
                    changed[port] = delta
                dropped = [k for k in old[port] if k not in fields]
                if dropped:
                    self.note(
                        "variant",
                        f"variant '{job}' leaves out {', '.join(dropped)} of "
                        f"{section[:-1] if section == 'outputs' else 'dependency'} "
                        f"'{port}'; a variant cannot remove keys, so the base's stay",
                        path,
                    )
            for port in old:
                if port not in new:
                    kind = "output" if section == "outputs" else "dependency"
                    self.note(
                        "variant",
                        f"variant '{job}' has no {kind} '{port}'; a variant "
                        "cannot remove a port, so the base's stays for this job type",
                        path,
                    )
            if changed:
                diff[section] = changed
        return {"spec": diff} if diff else {}


def registry_block(
    step: str, fields: dict[str, Any], conv: StepConverter, where: Path | None, line: int | None
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    kind = fields.get("sagemaker_step_type")
    out["sagemaker_step_type"] = kind
    if kind not in SAGEMAKER_STEP_TYPES:
        conv.note(
            "todo",
            f"sagemaker_step_type '{kind}' is not one of the interface-first "
            f"layout's types ({', '.join(SAGEMAKER_STEP_TYPES)}): choose one",
            where,
            line,
        )
    if fields.get("description"):
        out["description"] = fields["description"]
    if fields.get("config_class") and fields["config_class"] != f"{step}Config":
        out["config_class"] = fields["config_class"]
    builder = fields.get("builder_step_name")
    if builder and builder != f"{step}StepBuilder":
        out["builder_step_name"] = builder
    return out


_KNOBS = re.compile(r"(Processor|Estimator|PyTorch|XGBoost|SKLearn)$")


def builder_notes(step: str, src: Source, class_name: str, conv: StepConverter) -> None:
    """What a builder encoded that the synthesised builder needs as interface keys."""
    tree = parse_module(src.text)
    line = 1
    seen: set[str] = set()
    for node in ast.walk(tree) if tree else []:
        if isinstance(node, ast.ClassDef) and node.name == class_name:
            line = node.lineno
    conv.note(
        "no-equivalent",
        f"builder {class_name}: the interface-first layout synthesises "
        "builders; port what it does to `patterns`/`compute`/`contract.job_arguments` "
        "by hand",
        src.path,
        line,
    )
    nodes = sorted(ast.walk(tree), key=lambda n: getattr(n, "lineno", 0)) if tree else []
    for node in nodes:
        hint = None
        if isinstance(node, ast.Name | ast.Attribute):
            name = node.id if isinstance(node, ast.Name) else node.attr
            if _KNOBS.search(name) and name[:1].isupper():
                hint = f"uses {name}: set `compute.kind` (and its *_field keys)"
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            if re.fullmatch(r"--[a-z][a-z0-9_-]*", node.value):
                hint = f"passes {node.value}: add it to `contract.job_arguments`"
        elif isinstance(node, ast.keyword) and node.arg == "step_args":
            hint = "builds with step_args: set `patterns.step_assembly: step_args`"
        if hint and hint not in seen:  # the first place each knob shows
            seen.add(hint)
            conv.note("no-equivalent", f"builder {hint}", src.path, getattr(node, "lineno", None))
