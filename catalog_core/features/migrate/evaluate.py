"""A static evaluator for 1.x contract and spec modules: ``ast`` only, nothing is imported or run.

It reads what a person could read off the page: literals, module constants (assigned once at
module level), enum members (``DependencyType.PROCESSING_OUTPUT`` -> ``processing_output``,
``NodeType.INTERNAL`` -> ``internal``), ``get_spec_step_type("X")`` and
``get_spec_step_type_with_job_type("X", "training")``, simple concatenations of strings or
lists, f-strings of constants, and calls of the framework's value classes (``ScriptContract``,
``StepSpecification``, ``DependencySpec``, ``OutputSpec``) as mappings of their keyword
arguments. Everything else is an ``Unknown`` with its line and source text: the caller writes
it as a ``TODO``, never a guess.
"""

from __future__ import annotations

import ast
import inspect
from dataclasses import dataclass, field
from typing import Any

from catalog_core.base.pyparse import parse_module
from catalog_core.fields.source_text import Lines

_ENUMS = frozenset({"DependencyType", "NodeType", "OutputType"})
_MAX_DEPTH = 40


@dataclass(frozen=True, slots=True)
class Unknown:
    """A value that cannot be read statically: where it is and what it says."""

    line: int  # 1-based
    source: str
    why: str


@dataclass(slots=True)
class Call:
    """A call of a value class: its name, its keyword arguments (evaluated) and its line."""

    name: str
    kwargs: dict[str, Any]
    line: int
    arg_lines: dict[str, int] = field(default_factory=dict)


class Module:
    """One parsed module: its top-level constants and a total evaluator over its expressions."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.tree: ast.Module | None = parse_module(text)
        self.lines = Lines(text)
        self.assigned: dict[str, ast.expr] = {}
        self.functions: dict[str, ast.FunctionDef] = {}
        self.imported: set[str] = set()
        counts: dict[str, int] = {}
        for stmt in self.tree.body if self.tree else []:
            targets: list[ast.expr] = []
            value: ast.expr | None = None
            if isinstance(stmt, ast.Assign):
                targets, value = stmt.targets, stmt.value
            elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
                targets, value = [stmt.target], stmt.value
            elif isinstance(stmt, ast.FunctionDef):
                self.functions[stmt.name] = stmt
            elif isinstance(stmt, ast.ImportFrom | ast.Import):
                self.imported.update((a.asname or a.name).split(".")[0] for a in stmt.names)
            for target in targets:
                if isinstance(target, ast.Name) and value is not None:
                    counts[target.id] = counts.get(target.id, 0) + 1
                    self.assigned[target.id] = value
        # A name assigned twice at module level has no one value: it is not a constant.
        for name, n in counts.items():
            if n > 1:
                del self.assigned[name]

    @property
    def ok(self) -> bool:
        return self.tree is not None

    def constant_call(self, hint: str, name: str | None = None) -> tuple[str, ast.Call] | None:
        """The module constant ``name`` when it is built by a call, else the one built by a
        call whose callee contains ``hint``, else the first upper-case constant built by a call."""
        calls: list[tuple[str, ast.Call]] = []
        for n, v in self.assigned.items():
            if isinstance(v, ast.Call):
                calls.append((n, v))
        for n, v in calls:
            if n == name:
                return n, v
        for n, v in calls:
            if hint in _callee(v.func):
                return n, v
        upper = [(n, v) for n, v in calls if n.isupper()]
        return upper[0] if upper else None

    def segment(self, node: ast.AST) -> str:
        text = self.lines.segment(node) or ast.dump(node)  # linear, unlike ast's own
        return " ".join(text.split())

    def unknown(self, node: ast.AST, why: str) -> Unknown:
        return Unknown(getattr(node, "lineno", 1), self.segment(node), why)

    def value(self, node: ast.expr, depth: int = 0) -> Any:
        """The value of an expression, or an ``Unknown`` (nested: inside lists and dicts too)."""
        if depth > _MAX_DEPTH:
            return self.unknown(node, "nested too deeply")
        d = depth + 1
        if isinstance(node, ast.Constant):
            if isinstance(node.value, str | int | float | bool) or node.value is None:
                return node.value
            return self.unknown(node, "not a plain literal")
        if isinstance(node, ast.List | ast.Tuple):
            return [self.value(e, d) for e in node.elts]
        if isinstance(node, ast.Set):
            return [self.value(e, d) for e in node.elts]
        if isinstance(node, ast.Dict):
            out: dict[Any, Any] = {}
            for k, v in zip(node.keys, node.values, strict=True):
                if k is None:
                    return self.unknown(node, "a ** expansion")
                key = self.value(k, d)
                if isinstance(key, Unknown | list | dict):
                    return self.unknown(node, "a key that is not a literal")
                out[key] = self.value(v, d)
            return out
        if isinstance(node, ast.Name):
            return self._name(node, d)
        if isinstance(node, ast.Attribute):
            base = node.value
            if isinstance(base, ast.Name) and base.id in _ENUMS:
                return node.attr.lower()
            return self.unknown(node, "an attribute")
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            left, right = self.value(node.left, d), self.value(node.right, d)
            if isinstance(left, str) and isinstance(right, str):
                return left + right
            if isinstance(left, list) and isinstance(right, list):
                return left + right
            # A list extended by a value not read statically: keep the items that are.
            if isinstance(left, list) and isinstance(right, Unknown):
                return [*left, right]
            if isinstance(left, Unknown) and isinstance(right, list):
                return [left, *right]
            return self.unknown(node, "a concatenation of values not read statically")
        if isinstance(node, ast.JoinedStr):
            parts = []
            for part in node.values:
                if isinstance(part, ast.Constant):
                    parts.append(str(part.value))
                elif isinstance(part, ast.FormattedValue) and part.format_spec is None:
                    inner = self.value(part.value, d)
                    if not isinstance(inner, str | int) or part.conversion not in (-1, 115):
                        return self.unknown(node, "an f-string of values not read statically")
                    parts.append(str(inner))
                else:
                    return self.unknown(node, "a formatted f-string")
            return "".join(parts)
        if isinstance(node, ast.Call):
            return self._call(node, d)
        return self.unknown(node, f"a {type(node).__name__} expression")

    def _name(self, node: ast.Name, depth: int) -> Any:
        target = self.assigned.get(node.id)
        if target is None:
            where = "imported" if node.id in self.imported else "not a module constant"
            return self.unknown(node, f"'{node.id}' is {where}")
        value = self.value(target, depth)
        if isinstance(value, Unknown):
            return Unknown(value.line, value.source, value.why)
        return value

    def _call(self, node: ast.Call, depth: int) -> Any:
        name = _callee(node.func)
        args = [self.value(a, depth) for a in node.args]
        if name in ("get_spec_step_type", "get_spec_step_type_with_job_type"):
            if args and all(isinstance(a, str) for a in args) and len(args) <= 2:
                step = str(args[0])
                return step if len(args) == 1 else f"{step}_{str(args[1]).capitalize()}"
            return self.unknown(node, "a step type call with arguments not read statically")
        if name in ("dedent", "cleandoc") and len(args) == 1 and isinstance(args[0], str):
            return inspect.cleandoc(args[0])
        short = name.rsplit(".", 1)[-1]
        if short[:1].isupper() and not node.args:
            kwargs: dict[str, Any] = {}
            lines: dict[str, int] = {}
            for kw in node.keywords:
                if kw.arg is None:
                    kwargs.setdefault("**", []).append(self.unknown(kw.value, "a ** expansion"))
                    continue
                kwargs[kw.arg] = self.value(kw.value, depth)
                lines[kw.arg] = kw.value.lineno
            return Call(short, kwargs, node.lineno, lines)
        func = self.functions.get(name)
        if func is not None and not node.args and not node.keywords:
            returned = _single_return(func)
            if returned is not None:
                return self.value(returned, depth)
        return self.unknown(node, f"a call of {name or 'an expression'}")


def _callee(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        inner = _callee(func.value)
        return f"{inner}.{func.attr}" if inner else func.attr
    return ""


def _single_return(func: ast.FunctionDef) -> ast.expr | None:
    """The expression a helper returns when its body is imports plus one ``return``."""
    body = [s for s in func.body if not isinstance(s, ast.Import | ast.ImportFrom | ast.Expr)]
    if len(body) == 1 and isinstance(body[0], ast.Return) and body[0].value is not None:
        return body[0].value
    return None


def unknowns(value: Any) -> list[Unknown]:
    """Every ``Unknown`` inside a value (lists, dicts, calls)."""
    found: list[Unknown] = []
    if isinstance(value, Unknown):
        found.append(value)
    elif isinstance(value, list):
        for v in value:
            found.extend(unknowns(v))
    elif isinstance(value, dict):
        for v in value.values():
            found.extend(unknowns(v))
    elif isinstance(value, Call):
        for v in value.kwargs.values():
            found.extend(unknowns(v))
    return found
