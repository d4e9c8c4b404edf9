"""Facts and single-file problems of a 2.x interface file (``<stem>.step.yaml``).

The file is composed (not constructed) by PyYAML, with libyaml when it is there: nodes keep
their marks, which give 0-based lines and code-point columns directly. Nothing is executed
(safe loader, no tags resolved to objects). On a syntax error the lines before the error are
composed again, so a half-typed file still gives its step name, ports and entry point. The
reader never raises: any input gives facts plus problems.

Problems here are the framework's own load-time validation (DOMAIN_V2.md), each positioned:
``yaml-syntax-error``, ``interface-missing-key``, ``interface-invalid-value``,
``interface-unknown-key``, ``interface-port-mismatch`` and ``source-with-dependencies``.
Cross-file rules (scripts, config classes, DAG names) belong to the problems layer.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

import yaml

from catalog_core.base.text import RawSpan
from catalog_core.facts import interface_schema as schema
from catalog_core.facts.yaml_nodes import compose, decode
from catalog_core.models import Problem, Severity, Span

_PREFIX_RETRIES = 4
_NULL = "tag:yaml.org,2002:null"
_PLACEHOLDERS = frozenset({"scripts.py", "script.py"})


@dataclass(slots=True)
class InterfaceFacts:
    """What the index and the editor need from one interface file. Spans are RawSpans
    (0-based, code-point columns); value spans exclude quotes."""

    step_type: str | None = None
    step_type_span: RawSpan | None = None
    node_type: str | None = None
    sagemaker_step_type: str | None = None
    description: str = ""
    config_class: str | None = None
    config_class_span: RawSpan | None = None
    builder_step_name: str | None = None
    registry_span: RawSpan | None = None
    entry_point: str | None = None
    entry_point_span: RawSpan | None = None
    entry_point_declared: bool = False
    contract_inputs: dict[str, RawSpan] = field(default_factory=dict)
    contract_outputs: dict[str, RawSpan] = field(default_factory=dict)
    dependencies: dict[str, RawSpan] = field(default_factory=dict)
    spec_outputs: dict[str, RawSpan] = field(default_factory=dict)
    compatible_sources: list[tuple[str, RawSpan]] = field(default_factory=list)
    variants: dict[str, RawSpan] = field(default_factory=dict)
    config_attributes: list[tuple[str, RawSpan]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # False for the quick reader's facts (interface_quick): only what indexing needs.
    complete: bool = field(default=False, compare=False)


Pair = tuple[yaml.Node, yaml.Node]


def _span(node: yaml.Node) -> RawSpan:
    start, end = node.start_mark, node.end_mark
    span = (start.line, start.column, end.line, end.column)
    quoted = isinstance(node, yaml.ScalarNode) and node.style in ('"', "'")
    if quoted and start.line == end.line and end.column - start.column >= 2:
        return (start.line, start.column + 1, end.line, end.column - 1)
    return span


def _get(node: yaml.Node | None, key: str) -> Pair | None:
    """The ``key: value`` pair of a mapping node (the last one, as the loader keeps)."""
    if not isinstance(node, yaml.MappingNode):
        return None
    found = None
    for pair in node.value:
        if isinstance(pair[0], yaml.ScalarNode) and pair[0].value == key:
            found = pair
    return found


def _value(node: yaml.Node | None, key: str) -> yaml.Node | None:
    pair = _get(node, key)
    return pair[1] if pair is not None else None


def _text(node: yaml.Node | None) -> str | None:
    """A scalar's text, None for null or a collection."""
    if isinstance(node, yaml.ScalarNode) and node.tag != _NULL:
        return str(node.value)
    return None


def _ports(node: yaml.Node | None) -> dict[str, RawSpan]:
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {k.value: _span(k) for k, _ in node.value if isinstance(k, yaml.ScalarNode)}


def read_interface(path: str, data: bytes) -> InterfaceFacts:
    """Read one interface file: facts plus single-file problems. Never raises."""
    text = decode(data)
    root, error = compose(text)
    read_lines = None
    if error is not None:
        lines = text.split("\n")
        cut = error[0]
        for _ in range(_PREFIX_RETRIES):
            if cut <= 0:
                break
            root, again = compose("\n".join(lines[:cut]) + "\n")
            if again is None:
                read_lines = cut
                break
            root, cut = None, min(again[0], cut - 1)
    reader = _Reader(path, syntax_error=error is not None)
    if root is not None:
        reader.read(root)
    elif error is None:
        reader.problem(
            "interface-missing-key",
            (0, 0, 0, 0),
            "empty interface: step_type and contract are required",
        )
    if error is not None:
        line, column, message = error
        lines = text.split("\n")  # an error at the end of the stream may be past the text
        line = min(max(line, 0), len(lines) - 1)
        column = min(max(column, 0), len(lines[line]))
        step = reader.facts.step_type
        if read_lines:
            kept = f"step_type '{step}' and " if step else ""
            rest = f"the rest of the file is not read; {kept}lines 1-{read_lines} still are"
        else:
            rest = "the file is not read"
        reader.facts.problems.insert(
            0,
            _problem(
                path,
                "yaml-syntax-error",
                Severity.ERROR,
                f"{message} (column {column + 1}): {rest}",
                (line, column, line, column + 1),
            ),
        )
    return _clamped(reader.facts, text)


def _clamped(facts: InterfaceFacts, text: str) -> InterfaceFacts:
    """End marks at the end of the stream can be one line past the text: pull every span
    back inside (a rare case, so the common one costs one comparison per span)."""
    last = text.count("\n")
    if all(p.span.end_line <= last for p in facts.problems) and all(
        s[2] <= last
        for s in (facts.step_type_span, facts.entry_point_span, facts.config_class_span)
        if s is not None
    ):
        return facts
    tail = len(text) - (text.rfind("\n") + 1)

    def fix(span: RawSpan) -> RawSpan:
        if span[2] <= last:
            return span
        start = (last, tail) if span[0] > last else (span[0], span[1])
        return (*start, last, tail)

    facts.step_type_span = fix(facts.step_type_span) if facts.step_type_span else None
    facts.entry_point_span = fix(facts.entry_point_span) if facts.entry_point_span else None
    facts.config_class_span = fix(facts.config_class_span) if facts.config_class_span else None
    facts.problems = [
        p
        if p.span.end_line <= last
        else p.model_copy(
            update={"span": Span.of(fix((p.span.start_line, p.span.start_character, last + 1, 0)))}
        )
        for p in facts.problems
    ]
    return facts


def _problem(path: str, rule: str, severity: Severity, message: str, span: RawSpan) -> Problem:
    return Problem.at(path, rule, severity, message, Span.of(span))


def _suggest(value: str, allowed: tuple[str, ...]) -> str:
    by_lower = {a.lower(): a for a in allowed}
    close = difflib.get_close_matches(value.lower(), list(by_lower), n=1, cutoff=0.6)
    return f": did you mean '{by_lower[close[0]]}'?" if close else ""


_CLOSED_LABEL = {
    ("registry", "sagemaker_step_type"): "a SageMaker step type",
    ("node_type",): "a node type (source, internal, sink, singular)",
    ("patterns", "step_assembly"): "a step assembly (code, step_args, delegation)",
}


class _Reader:
    """One pass over the composed tree: facts, then the rules that need several of them."""

    def __init__(self, path: str, *, syntax_error: bool) -> None:
        self.path = path
        self.facts = InterfaceFacts()
        self.syntax_error = syntax_error
        self._seen: set[int] = set()

    def problem(
        self, rule: str, span: RawSpan, message: str, severity: Severity = Severity.ERROR
    ) -> None:
        self.facts.problems.append(_problem(self.path, rule, severity, message, span))

    def read(self, root: yaml.Node) -> None:
        if not isinstance(root, yaml.MappingNode):
            self.problem(
                "interface-invalid-value",
                _span(root),
                "an interface file is a mapping of keys (step_type, registry, contract, spec, ...)",
            )
            return
        self._keys(root, schema.ROOT, ())
        self._registry(root)
        self._contract(root)
        self._spec(root)
        self._variants(root)
        self._compute(root)
        self._closed(root, ("patterns", "step_assembly"))

    # -- unknown keys ----------------------------------------------------------------------

    def _keys(self, node: yaml.MappingNode, key: schema.Key, path: tuple[str, ...]) -> None:
        if id(node) in self._seen:  # aliases: every node once (linear on "billion laughs")
            return
        self._seen.add(id(node))
        for k, v in node.value:
            if not isinstance(k, yaml.ScalarNode):
                continue
            name = str(k.value)
            if key.children is not None and name in key.children:
                child = key.children[name]
            elif key.wildcard is not None:
                child = key.wildcard[1]
            else:
                self._unknown(name, k, path)
                continue
            if child.open:
                continue
            if isinstance(v, yaml.MappingNode):
                self._keys(v, child, (*path, name))
            elif child.sequence and isinstance(v, yaml.SequenceNode):
                for item in v.value:
                    if isinstance(item, yaml.MappingNode):
                        self._keys(item, child, (*path, name))

    def _unknown(self, name: str, k: yaml.Node, path: tuple[str, ...]) -> None:
        where = f"key '{name}' in {'.'.join(path)}" if path else f"top-level key '{name}'"
        better = schema.did_you_mean(name, path)
        hint = f": did you mean '{better}'?" if better else ""
        self.problem(
            "interface-unknown-key",
            _span(k),
            f"unknown {where} (the framework ignores it){hint}",
            Severity.WARNING,
        )

    # -- sections --------------------------------------------------------------------------

    def _closed(
        self, root: yaml.Node | None, path: tuple[str, ...], shown: str | None = None
    ) -> None:
        """A closed-set value at ``path`` below ``root`` (``shown``: the path as written)."""
        node = root
        for part in path if shown is None else ():
            node = _value(node, part)
        value = _text(node)
        if node is None or value is None:
            return
        allowed = schema.values_at(path)
        if allowed and value not in allowed:
            label = _CLOSED_LABEL.get(path, "one of " + ", ".join(allowed))
            self.problem(
                "interface-invalid-value",
                _span(node),
                f"{shown or '.'.join(path)} '{value}' is not {label}{_suggest(value, allowed)}",
            )

    def _registry(self, root: yaml.MappingNode) -> None:
        f = self.facts
        pair = _get(root, "step_type")
        if pair is not None:
            f.step_type = _text(pair[1])
            f.step_type_span = _span(pair[1])
        elif not self.syntax_error:
            self.problem("interface-missing-key", _span(root)[:2] * 2, "step_type is required")
        node_type = _value(root, "node_type")
        f.node_type = _text(node_type)
        self._closed(root, ("node_type",))
        registry = _get(root, "registry")
        if registry is None:
            if not self.syntax_error:
                self.problem(
                    "interface-missing-key",
                    _span(root)[:2] * 2,
                    "registry.sagemaker_step_type is required: the registry cannot be built without it",
                )
            return
        f.registry_span = _span(registry[0])
        block = registry[1]
        f.description = _text(_value(block, "description")) or ""
        config = _value(block, "config_class")
        f.config_class = _text(config)
        f.config_class_span = _span(config) if f.config_class is not None and config else None
        f.builder_step_name = _text(_value(block, "builder_step_name"))
        sm = _value(block, "sagemaker_step_type")
        f.sagemaker_step_type = _text(sm)
        if sm is None and not self.syntax_error:
            self.problem(
                "interface-missing-key",
                f.registry_span,
                "registry.sagemaker_step_type is required: the registry cannot be built without it",
            )
        self._closed(root, ("registry", "sagemaker_step_type"))

    def _contract(self, root: yaml.MappingNode) -> None:
        f = self.facts
        contract = _value(root, "contract")
        if _get(root, "contract") is None:
            if not self.syntax_error:
                self.problem("interface-missing-key", _span(root)[:2] * 2, "contract is required")
            return
        entry = _get(contract, "entry_point")
        if entry is not None:
            f.entry_point_declared = True
            f.entry_point = _text(entry[1])
            f.entry_point_span = _span(entry[1])
            self._entry_point(entry[1])
        f.contract_inputs = _ports(_value(contract, "inputs"))
        f.contract_outputs = _ports(_value(contract, "outputs"))
        self._contract_body(contract, "contract")

    def _entry_point(self, node: yaml.Node) -> None:
        value = _text(node)
        bad = isinstance(node, yaml.CollectionNode) or (
            value is not None and not value.endswith(".py") and value not in _PLACEHOLDERS
        )
        if bad:
            shown = value if value is not None else "a collection"
            self.problem(
                "interface-invalid-value",
                _span(node),
                f"contract.entry_point '{shown}' must end in .py (or be null)",
            )

    def _contract_body(self, contract: yaml.Node | None, where: str) -> None:
        """Container paths and job-argument sources of a contract (base or variant)."""
        for section in ("inputs", "outputs"):
            ports = _value(contract, section)
            if not isinstance(ports, yaml.MappingNode):
                continue
            for k, v in ports.value:
                path_node = _value(v, "path")
                value = _text(path_node)
                if path_node is None or value is None or _container_path(value):
                    continue
                self.problem(
                    "interface-invalid-value",
                    _span(path_node),
                    f"{where}.{section}.{k.value}.path '{value}' does not start with a SageMaker "
                    "container prefix (/opt/ml/processing/, /opt/ml/input/data, /opt/ml/model, ...)",
                )
        arguments = _value(contract, "job_arguments")
        if isinstance(arguments, yaml.SequenceNode):
            for item in arguments.value:
                source = _value(item, "source")
                if _text(source) is not None and source is not None:
                    self.facts.config_attributes.append((str(_text(source)), _span(source)))

    def _spec(self, root: yaml.MappingNode) -> None:
        f = self.facts
        spec = _value(root, "spec")
        deps = _value(spec, "dependencies")
        f.dependencies = _ports(deps)
        f.spec_outputs = _ports(_value(spec, "outputs"))
        self._spec_body(spec, ("spec",))
        if not self.syntax_error:
            self._ports_match(f.contract_inputs, f.contract_outputs, f.dependencies, f.spec_outputs)
        if f.node_type == "source" and isinstance(deps, yaml.MappingNode):
            required = [
                k.value
                for k, v in deps.value
                if _text(_value(v, "required")) not in ("false", "False")
            ]
            if required:
                node_type = _value(root, "node_type")
                span = _span(node_type) if node_type is not None else (0, 0, 0, 0)
                self.problem(
                    "source-with-dependencies",
                    span,
                    f"node_type is 'source' but spec.dependencies declares '{required[0]}': "
                    "a source step takes no inputs",
                    Severity.WARNING,
                )

    def _spec_body(self, spec: yaml.Node | None, path: tuple[str, ...]) -> None:
        """Port types and compatible sources of a spec (base or variant)."""
        for section in ("dependencies", "outputs"):
            ports = _value(spec, section)
            if not isinstance(ports, yaml.MappingNode):
                continue
            for k, v in ports.value:
                shown = ".".join((*path, section, str(k.value), "type"))
                self._closed(_value(v, "type"), ("spec", section, "<port>", "type"), shown)
                if section != "dependencies":
                    continue
                sources = _value(v, "compatible_sources")
                items = sources.value if isinstance(sources, yaml.SequenceNode) else [sources]
                for item in items:
                    name = _text(item)
                    if name is not None and item is not None:
                        self.facts.compatible_sources.append((name, _span(item)))

    def _ports_match(
        self,
        inputs: dict[str, RawSpan],
        outputs: dict[str, RawSpan],
        deps: dict[str, RawSpan] | set[str],
        spec_outputs: dict[str, RawSpan] | set[str],
        variant: str | None = None,
    ) -> None:
        where = f" in variant '{variant}'" if variant else ""
        for port, span in inputs.items():
            if port not in deps:
                self.problem(
                    "interface-port-mismatch",
                    span,
                    f"contract input '{port}' has no spec dependency of that name{where} "
                    "(the framework rejects the interface)",
                )
        for port, span in outputs.items():
            if port not in spec_outputs:
                self.problem(
                    "interface-port-mismatch",
                    span,
                    f"contract output '{port}' has no spec output of that name{where} "
                    "(the framework rejects the interface)",
                )

    def _variants(self, root: yaml.MappingNode) -> None:
        f = self.facts
        variants = _value(root, "variants")
        if not isinstance(variants, yaml.MappingNode):
            return
        for k, v in variants.value:
            if not isinstance(k, yaml.ScalarNode):
                continue
            f.variants[str(k.value)] = _span(k)
            spec = _value(v, "spec")
            self._spec_body(spec, ("variants", str(k.value), "spec"))
            contract = _value(v, "contract")
            if contract is None:
                continue
            self._contract_body(contract, f"variants.{k.value}.contract")
            if self.syntax_error:
                continue
            # The variant's own contract ports against the merged spec (base | variant).
            deps = set(f.dependencies) | set(_ports(_value(spec, "dependencies")))
            outs = set(f.spec_outputs) | set(_ports(_value(spec, "outputs")))
            self._ports_match(
                _ports(_value(contract, "inputs")),
                _ports(_value(contract, "outputs")),
                deps,
                outs,
                str(k.value),
            )

    def _compute(self, root: yaml.MappingNode) -> None:
        compute = _value(root, "compute")
        if not isinstance(compute, yaml.MappingNode):
            return
        for k, v in compute.value:
            if isinstance(k, yaml.ScalarNode) and str(k.value).endswith("_field"):
                value = _text(v)
                if value is not None:
                    self.facts.config_attributes.append((value, _span(v)))


def _container_path(value: str) -> bool:
    return value.rstrip("/") == "/opt/ml/processing" or value.startswith(schema.CONTAINER_PREFIXES)


# The cursor helpers live beside the reader (one module would pass the size limit).
from catalog_core.facts.interface_cursor import InterfaceNode, key_at, node_at  # noqa: E402

__all__ = ["InterfaceFacts", "InterfaceNode", "key_at", "node_at", "read_interface"]
