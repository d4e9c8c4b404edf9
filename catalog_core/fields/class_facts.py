"""The config classes of ONE module, read from its source with ``ast`` (never imported or run).

For every top-level class: its name and span, its bases as dotted names, its pydantic fields
(annotated class attributes, minus ``ClassVar``, ``_private``, ``PrivateAttr`` and
``model_config``) with what ``Field(...)`` says about them, and the keys it derives
(``@property``, ``@computed_field``, keys a ``model_dump`` override or a validator writes). For
the module: what each imported name refers to. ``read_module`` never raises.
"""

from __future__ import annotations

import ast
import re
from typing import cast

from .model import (
    BaseRef,
    ClassFacts,
    Default,
    DerivedKey,
    FieldFact,
    ImportRef,
    ModuleFacts,
    Position,
)
from .source_text import Lines, decode
from .tolerant_parse import parse_module

_CLASS_KEYWORD = re.compile(r"class[ \t]+")
_DEF_KEYWORD = re.compile(r"(?:async[ \t]+)?def[ \t]+")
_PROPERTY_DECORATORS = {"property", "cached_property"}
_VALIDATOR_DECORATORS = {"model_validator", "field_validator", "root_validator", "validator"}
_CLASSVAR = {"ClassVar"}
_FIELD_FUNCTIONS = {"Field"}
_PRIVATE_FUNCTIONS = {"PrivateAttr"}
_TRY_TYPES: tuple[type, ...] = tuple(
    t for t in (getattr(ast, "Try", None), getattr(ast, "TryStar", None)) if t is not None
)


def read_module(source: bytes | str) -> ModuleFacts:
    """Facts of one module's source (bytes from disk or an editor's str)."""
    try:
        return _read(source)
    except (RecursionError, MemoryError) as exc:  # a pathological tree; the module is opaque
        return ModuleFacts(error=f"not analysed: {type(exc).__name__}")


def _read(source: bytes | str) -> ModuleFacts:
    text = decode(source)
    lines = Lines(text)
    body, error = parse_module(text, lines)
    classes: dict[str, ClassFacts] = {}
    imports: dict[str, ImportRef] = {}
    stars: list[ImportRef] = []
    aliases: dict[str, str] = {}
    others: set[str] = set()
    for stmt in _module_statements(body):
        if isinstance(stmt, ast.ClassDef):
            classes.pop(stmt.name, None)  # the last definition wins, and keeps its place
            classes[stmt.name] = _class_facts(stmt, lines)
            others.discard(stmt.name)
        elif isinstance(stmt, ast.Import):
            for alias in stmt.names:
                if alias.asname:
                    imports.setdefault(alias.asname, ImportRef(alias.name))
                else:
                    head = alias.name.split(".")[0]
                    imports.setdefault(head, ImportRef(head))
        elif isinstance(stmt, ast.ImportFrom):
            module = stmt.module or ""
            for alias in stmt.names:
                ref = ImportRef(module, stmt.level or 0, alias.name)
                if alias.name == "*":
                    stars.append(ref)
                else:
                    imports.setdefault(alias.asname or alias.name, ref)
        else:
            _bindings(stmt, aliases, others)
    return ModuleFacts(
        classes=classes,
        imports=imports,
        star_imports=tuple(stars),
        aliases=aliases,
        other_names=frozenset(others - imports.keys() - aliases.keys()),
        error=error,
    )


def _module_statements(body: list[ast.stmt]) -> list[ast.stmt]:
    """Top-level statements, and those of module-level ``if`` / ``try`` blocks (imports under
    ``TYPE_CHECKING`` or ``try: ... except ImportError``), in source order."""
    out: list[ast.stmt] = []
    stack = list(reversed(body))
    while stack:
        stmt = stack.pop()
        if isinstance(stmt, ast.If):
            stack.extend(reversed([*stmt.body, *stmt.orelse]))
        elif isinstance(stmt, _TRY_TYPES):
            stmt = cast(ast.Try, stmt)  # TryStar (3.11+) has the same shape
            blocks = [*stmt.body, *(s for h in stmt.handlers for s in h.body)]
            stack.extend(reversed([*blocks, *stmt.orelse, *stmt.finalbody]))
        else:
            out.append(stmt)
    return out


def _bindings(stmt: ast.stmt, aliases: dict[str, str], others: set[str]) -> None:
    targets: list[ast.expr] = []
    value: ast.expr | None = None
    if isinstance(stmt, ast.Assign):
        targets, value = stmt.targets, stmt.value
    elif isinstance(stmt, ast.AnnAssign):
        targets, value = [stmt.target], stmt.value
    elif isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef):
        others.add(stmt.name)
        return
    dotted = dotted_name(value) if value is not None else None
    for target in targets:
        if isinstance(target, ast.Name):
            if dotted is not None and len(targets) == 1:
                aliases[target.id] = dotted
                others.discard(target.id)
            else:
                others.add(target.id)
                aliases.pop(target.id, None)


def dotted_name(node: ast.expr | None) -> str | None:
    """``a.b.C`` for a Name / Attribute chain (iteratively: chains can be long)."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return ".".join(reversed(parts))


def _last_name(node: ast.expr | None) -> str | None:
    if isinstance(node, ast.Call):
        node = node.func
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Name):
        return node.id
    return None


# ---- classes ------------------------------------------------------------------------------


def _class_facts(node: ast.ClassDef, lines: Lines) -> ClassFacts:
    fields: list[FieldFact] = []
    derived: list[DerivedKey] = []
    extra: str | None = None
    attributes = _attributes(node)
    for stmt in node.body:
        if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
            if stmt.target.id == "model_config":
                extra = _extra_of(stmt.value)
                continue
            fact = _field(stmt, stmt.target, lines)
            if fact is not None:
                fields.append(fact)
        elif isinstance(stmt, ast.Assign):
            if any(isinstance(t, ast.Name) and t.id == "model_config" for t in stmt.targets):
                extra = _extra_of(stmt.value)
        elif isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef):
            derived.extend(_derived(stmt, lines))
    end_line = (node.end_lineno or node.lineno) - 1
    start = lines.start(node)
    return ClassFacts(
        name=node.name,
        position=lines.name_after_keyword(node, _CLASS_KEYWORD, node.name),
        span=(
            start.line,
            start.column,
            end_line,
            lines.column(end_line, node.end_col_offset or 0),
        ),
        bases=tuple(_base(b, lines) for b in node.bases),
        fields=tuple(fields),
        derived=tuple(derived),
        doc=_first_line(ast.get_docstring(node, clean=True)),
        extra=extra,
        attributes=attributes,
    )


def _attributes(node: ast.ClassDef) -> frozenset[str]:
    """Names bound in the class body (``if`` / ``try`` too) and its methods' ``self.x``."""
    names: set[str] = set()
    for stmt in _module_statements(node.body):
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(stmt.name)
            if not isinstance(stmt, ast.ClassDef):
                names.update(_self_targets(stmt))
        elif isinstance(stmt, ast.Assign | ast.AnnAssign | ast.AugAssign):
            targets: list[ast.expr] = (
                stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            )
            names.update(t.id for t in _flatten(targets) if isinstance(t, ast.Name))
    return frozenset(names)


def _self_targets(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    first = fn.args.args[0].arg if fn.args.args else "self"
    found: set[str] = set()
    for node in ast.walk(fn):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.ctx, ast.Store)
            and isinstance(node.value, ast.Name)
            and node.value.id in (first, "self")
        ):
            found.add(node.attr)
    return found


def _base(expr: ast.expr, lines: Lines) -> BaseRef:
    target = expr.value if isinstance(expr, ast.Subscript) else expr
    dotted = dotted_name(target)
    if isinstance(target, ast.Attribute) and target.end_lineno is not None:
        end_line = target.end_lineno - 1
        end = lines.column(end_line, target.end_col_offset or 0)
        position = Position(end_line, max(0, end - len(target.attr)))
    else:
        position = lines.start(target)
    return BaseRef(text=lines.segment(expr), dotted=dotted, position=position)


def _extra_of(value: ast.expr | None) -> str | None:
    """``extra`` of ``ConfigDict(extra=...)`` or ``{"extra": ...}`` when it is a literal."""
    if isinstance(value, ast.Call):
        for keyword in value.keywords:
            if keyword.arg == "extra":
                return _string(keyword.value)
    elif isinstance(value, ast.Dict):
        for key, item in zip(value.keys, value.values, strict=False):
            if _string(key) == "extra":
                return _string(item)
    return None


def _is_classvar(annotation: ast.expr) -> bool:
    node = annotation.value if isinstance(annotation, ast.Subscript) else annotation
    if isinstance(node, ast.Constant) and isinstance(node.value, str):  # "ClassVar[int]"
        return node.value.strip().split("[", 1)[0].split(".")[-1] in _CLASSVAR
    return _last_name(node) in _CLASSVAR


def _is_final(annotation: ast.expr) -> bool:
    node = annotation.value if isinstance(annotation, ast.Subscript) else annotation
    return _last_name(node) == "Final"


def _field(stmt: ast.AnnAssign, target: ast.Name, lines: Lines) -> FieldFact | None:
    name = target.id
    annotation = stmt.annotation
    value = stmt.value
    if name.startswith("_") or _is_classvar(annotation):
        return None
    if value is not None and _is_final(annotation):
        return None  # pydantic: a Final attribute with a value is a class variable
    if isinstance(value, ast.Call) and _last_name(value.func) in _PRIVATE_FUNCTIONS:
        return None
    info: dict[str, object] = {}
    for meta in _annotated_metadata(annotation):
        if isinstance(meta, ast.Call) and _last_name(meta.func) in _FIELD_FUNCTIONS:
            info.update(_field_call(meta, lines))
    if isinstance(value, ast.Call) and _last_name(value.func) in _FIELD_FUNCTIONS:
        info.update(_field_call(value, lines))
    elif value is not None:
        info["default"] = _default(value, lines)
    default = info.get("default")
    factory = info.get("default_factory")
    return FieldFact(
        name=name,
        position=lines.start(target),
        annotation=lines.segment(annotation) or None,
        required=default is None and factory is None,
        default=default if isinstance(default, Default) else None,
        default_factory=factory if isinstance(factory, str) else None,
        description=_opt_str(info.get("description")),
        alias=_opt_str(info.get("alias")),
        validation_alias=_opt_str(info.get("validation_alias")),
        serialization_alias=_opt_str(info.get("serialization_alias")),
        input_names=tuple(n for n in _as_strs(info.get("input_names")) if n != name),
    )


def _annotated_metadata(annotation: ast.expr) -> list[ast.expr]:
    """The metadata of ``Annotated[T, m1, m2]`` (empty for any other annotation)."""
    if isinstance(annotation, ast.Subscript) and _last_name(annotation.value) == "Annotated":
        items = annotation.slice
        if isinstance(items, ast.Tuple):
            return list(items.elts[1:])
    return []


def _field_call(call: ast.Call, lines: Lines) -> dict[str, object]:
    info: dict[str, object] = {}
    inputs: list[str] = []
    if call.args and not _is_ellipsis(call.args[0]):
        info["default"] = _default(call.args[0], lines)
    for keyword in call.keywords:
        arg, value = keyword.arg, keyword.value
        if arg == "default":
            if not _is_ellipsis(value):
                info["default"] = _default(value, lines)
        elif arg == "default_factory":
            info["default_factory"] = lines.segment(value)
        elif arg in ("description", "title") and arg not in info:
            text = _string(value)
            if text is not None:
                info["description"] = text
        elif arg in ("alias", "validation_alias", "serialization_alias"):
            literal = _string(value)
            info[arg] = literal if literal is not None else lines.segment(value)
            if arg != "serialization_alias":
                inputs.extend(_alias_names(value))
    if inputs:
        info["input_names"] = inputs
    return info


def _alias_names(value: ast.expr) -> list[str]:
    """Names an alias accepts on input: the literal, or ``AliasChoices("a", "b")``'s strings."""
    literal = _string(value)
    if literal is not None:
        return [literal]
    if isinstance(value, ast.Call) and _last_name(value.func) == "AliasChoices":
        return [s for arg in value.args if (s := _string(arg)) is not None]
    return []


def _default(node: ast.expr, lines: Lines) -> Default:
    text = lines.segment(node)
    try:
        return Default(text=text, value=ast.literal_eval(node), is_literal=True)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return Default(text=text)


def _is_ellipsis(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value is Ellipsis


def _string(node: ast.expr | None) -> str | None:
    """A literal string, including ``"a" + "b"`` concatenations."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _string(node.left), _string(node.right)
        if left is not None and right is not None:
            return left + right
    return None


def _opt_str(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _as_strs(value: object) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _first_line(doc: str | None) -> str | None:
    if not doc:
        return None
    for line in doc.splitlines():
        if line.strip():
            return line.strip()
    return None


# ---- derived keys ----------------------------------------------------------------------------


def _derived(fn: ast.FunctionDef | ast.AsyncFunctionDef, lines: Lines) -> list[DerivedKey]:
    names = [_last_name(d) for d in fn.decorator_list]
    if any(
        isinstance(d, ast.Attribute) and d.attr in ("setter", "deleter") for d in fn.decorator_list
    ):
        return []
    out: list[DerivedKey] = []
    kind = (
        "computed"
        if "computed_field" in names
        else "property"
        if _PROPERTY_DECORATORS.intersection(n for n in names if n)
        else None
    )
    if kind is not None and not fn.name.startswith("_"):
        out.append(
            DerivedKey(
                name=fn.name,
                kind=kind,
                position=lines.name_after_keyword(fn, _DEF_KEYWORD, fn.name),
                description=_first_line(ast.get_docstring(fn, clean=True)),
                annotation=lines.segment(fn.returns) if fn.returns is not None else None,
            )
        )
    if fn.name == "model_dump":
        out.extend(_written_keys(fn, "dumped", lines, with_self=False))
    elif _VALIDATOR_DECORATORS.intersection(n for n in names if n):
        out.extend(_written_keys(fn, "validator", lines, with_self=True))
    return out


def _written_keys(
    fn: ast.FunctionDef | ast.AsyncFunctionDef, kind: str, lines: Lines, with_self: bool
) -> list[DerivedKey]:
    """Keys a method writes: ``d["k"] = ...``, ``d.update({"k": ...} / k=...)``,
    ``d.setdefault("k", ...)`` and, for validators, ``self.k = ...`` and
    ``object.__setattr__(self, "k", ...)``. Private (``_x``) keys are left out."""
    first_arg = fn.args.args[0].arg if fn.args.args else "self"
    found: list[tuple[str, ast.AST]] = []
    for node in ast.walk(fn):
        if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign):
            targets: list[ast.expr] = (
                node.targets if isinstance(node, ast.Assign) else [node.target]
            )
            for target in _flatten(targets):
                if isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name):
                    key = _string(target.slice)
                    if key is not None:
                        found.append((key, target.slice))
                elif (
                    with_self
                    and isinstance(target, ast.Attribute)
                    and isinstance(target.value, ast.Name)
                    and target.value.id in (first_arg, "self")
                ):
                    found.append((target.attr, target))
        elif isinstance(node, ast.Call):
            found.extend(_call_keys(node, first_arg, with_self))
    out = []
    for key, node in found:
        if key.isidentifier() and not key.startswith("_"):
            if isinstance(node, ast.Attribute) and node.end_lineno is not None:
                line = node.end_lineno - 1
                position = Position(line, lines.column(line, node.end_col_offset or 0) - len(key))
            else:
                position = lines.start(node)
            out.append(DerivedKey(name=key, kind=kind, position=position))
    return out


def _flatten(targets: list[ast.expr]) -> list[ast.expr]:
    out: list[ast.expr] = []
    stack = list(reversed(targets))
    while stack:
        target = stack.pop()
        if isinstance(target, ast.Tuple | ast.List):
            stack.extend(reversed(target.elts))
        else:
            out.append(target)
    return out


def _call_keys(call: ast.Call, first_arg: str, with_self: bool) -> list[tuple[str, ast.AST]]:
    func = call.func
    out: list[tuple[str, ast.AST]] = []
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        if func.attr == "update":
            for arg in call.args[:1]:
                if isinstance(arg, ast.Dict):
                    for item in arg.keys:
                        text = _string(item)
                        if text is not None and item is not None:
                            out.append((text, item))
            out.extend((kw.arg, kw.value) for kw in call.keywords if kw.arg is not None)
        elif func.attr == "setdefault" and call.args:
            name = _string(call.args[0])
            if name is not None:
                out.append((name, call.args[0]))
        elif (
            with_self
            and func.attr == "__setattr__"
            and func.value.id == "object"
            and len(call.args) >= 2
            and isinstance(call.args[0], ast.Name)
            and call.args[0].id in (first_arg, "self")
        ):
            key = _string(call.args[1])
            if key is not None:
                out.append((key, call.args[1]))
    elif isinstance(func, ast.Name) and func.id == "setattr" and with_self and len(call.args) >= 2:
        key = _string(call.args[1])
        if (
            key is not None
            and isinstance(call.args[0], ast.Name)
            and call.args[0].id in (first_arg, "self")
        ):
            out.append((key, call.args[1]))
    return out
