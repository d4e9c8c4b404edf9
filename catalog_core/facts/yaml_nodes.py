"""Composing YAML safely: text as the readers see it, and the node tree or the error.

libyaml (``CSafeLoader``) is used when it is installed; its composer recurses in C, so text
that may nest deeper than ``_C_NESTING_LIMIT`` goes to the pure-Python loader, which stops
with a RecursionError instead of overflowing the C stack. Never raises.
"""

from __future__ import annotations

import re

import yaml

_LOADER: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_C_NESTING_LIMIT = 1000
_LEAD = re.compile(r"^[ \t]*((?:[-?:][ \t]+)*)", re.MULTILINE)

# Line breaks YAML knows and the index's LineIndex does not (it counts "\n" only): made
# spaces, one code point for one, so YAML's marks and every other reader agree on lines.
_OTHER_BREAKS = re.compile("\r(?!\n)|[\x85\u2028\u2029]")


def decode(data: bytes) -> str:
    text = data.decode("utf-8", "replace")
    if "\r" in text or "\x85" in text or "\u2028" in text or "\u2029" in text:
        text = _OTHER_BREAKS.sub(" ", text)
    return text[1:] if text.startswith("\ufeff") else text


def _nesting_bound(text: str) -> int:
    """An upper bound of the collection nesting (flow brackets plus per-line block
    indicators plus indentation), linear; quoted brackets only make it larger."""
    opened = text.count("[") + text.count("{")
    block = max((len(m.group(0)) for m in _LEAD.finditer(text)), default=0)
    if opened + 2 * block + 2 <= _C_NESTING_LIMIT:
        return opened + 2 * block + 2  # the common case: no per-bracket pass
    depth = deepest = 0
    for ch in re.findall(r"[\[\]{}]", text):
        depth = depth + 1 if ch in "[{" else max(depth - 1, 0)
        deepest = max(deepest, depth)
    return deepest + 2 * block + 2


def compose(text: str) -> tuple[yaml.Node | None, tuple[int, int, str] | None]:
    """The document's node tree, or what stopped it: (line, column, message)."""
    loader = _LOADER if _nesting_bound(text) <= _C_NESTING_LIMIT else yaml.SafeLoader
    try:
        return yaml.compose(text, Loader=loader), None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = exc.problem or exc.context or "invalid YAML"
        if mark is None:
            return None, (0, 0, message)
        return None, (mark.line, mark.column, message)
    except yaml.reader.ReaderError as exc:
        pos = min(max(exc.position, 0), len(text))
        line = text.count("\n", 0, pos)
        column = pos - (text.rfind("\n", 0, pos) + 1)
        return None, (line, column, f"{exc.reason} (character {exc.character!r})")
    except RecursionError:
        return None, (0, 0, "nesting too deep")
    except (yaml.YAMLError, ValueError, TypeError, MemoryError) as exc:
        return None, (0, 0, f"invalid YAML: {type(exc).__name__}")
