"""Python source to a syntax tree, total: ``ast.parse`` only builds a tree (nothing is compiled
to bytecode or run), and every way it refuses a source — a syntax error, NUL bytes, nesting too
deep for the parser or for memory — is None rather than an exception."""

from __future__ import annotations

import ast
import warnings

# What ``ast.parse`` raises on some source: SyntaxError, ValueError (NUL bytes), TypeError
# (NUL bytes on older Pythons), RecursionError and MemoryError (absurd nesting).
PARSE_ERRORS: tuple[type[Exception], ...] = (
    SyntaxError,
    ValueError,
    TypeError,
    RecursionError,
    MemoryError,
)


def parse_module(source: str | bytes) -> ast.Module | None:
    """The module's tree, or None when Python cannot parse it."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # SyntaxWarning for invalid escapes and the like
            return ast.parse(source)
    except PARSE_ERRORS:
        return None
