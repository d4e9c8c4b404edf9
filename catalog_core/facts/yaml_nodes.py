"""Composing YAML safely: text as the readers see it, and the node tree or the error.

libyaml (``CSafeLoader``) is used when it is installed. Its composer recurses in C (200,000
levels overflow the stack) and PyYAML's pure-Python scanner is quadratic in the depth, so text
that may nest deeper than ``_C_NESTING_LIMIT`` (brackets, block indicators and indentation,
counted linearly) is composed by neither: it is reported as nested too deep at the bracket
that passes the limit, and the callers still read the lines before it. Never raises.
"""

from __future__ import annotations

import re
from itertools import accumulate, islice, repeat

import yaml

_LOADER: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_C_NESTING_LIMIT = 1000
_LEAD = re.compile(r"^[ \t]*((?:[-?:][ \t]+)*)", re.MULTILINE)
_BRACKETS = re.compile(r"[\[\]{}]")
_NOT_BRACKETS = re.compile(r"[^\[\]{}]+")
_STEP = bytes.maketrans(b"[{]}", b"\x02\x02\x00\x00")

# Line breaks YAML knows and the index's LineIndex does not (it counts "\n" only): made
# spaces, one code point for one, so YAML's marks and every other reader agree on lines.
_OTHER_BREAKS = re.compile("\r(?!\n)|[\x85\u2028\u2029]")


def decode(data: bytes) -> str:
    text = data.decode("utf-8", "replace")
    if "\r" in text or "\x85" in text or "\u2028" in text or "\u2029" in text:
        text = _OTHER_BREAKS.sub(" ", text)
    return text[1:] if text.startswith("\ufeff") else text


def _too_deep(text: str) -> int | None:
    """Where the collection nesting may pass ``_C_NESTING_LIMIT`` (an offset), or None. The
    bound counts flow brackets plus per-line block indicators plus indentation; quoted
    brackets only make it larger. Linear and at C speed: the bracket depth is the running
    sum of +1 / -1 reflected at zero (the sum minus its running minimum)."""
    lead = max(_LEAD.finditer(text), key=lambda m: len(m.group(0)), default=None)
    block = 2 * (len(lead.group(0)) if lead else 0) + 2
    if text.count("[") + text.count("{") + block <= _C_NESTING_LIMIT:
        return None  # the common case: no per-bracket pass
    steps = _NOT_BRACKETS.sub("", text).encode("ascii").translate(_STEP)  # "[{" 2, "]}" 0
    sums = list(accumulate(map(int.__sub__, steps, repeat(1))))
    lows = islice(accumulate(sums, min, initial=0), 1, None)
    room = _C_NESTING_LIMIT - block
    crossing = next(
        (i for i, depth in enumerate(map(int.__sub__, sums, lows)) if depth > room), None
    )
    if crossing is not None:
        return next(islice(_BRACKETS.finditer(text), crossing, None)).start()
    return lead.start() if lead and room < 0 else None


def compose(text: str) -> tuple[yaml.Node | None, tuple[int, int, str] | None]:
    """The document's node tree, or what stopped it: (line, column, message)."""
    deep = _too_deep(text)
    if deep is not None:  # libyaml would overflow the C stack; PyYAML's own scanner is
        # quadratic in the depth (and ~5 µs a character): neither is asked
        line = text.count("\n", 0, deep)
        column = deep - (text.rfind("\n", 0, deep) + 1)
        return None, (line, column, f"collections nested deeper than {_C_NESTING_LIMIT} levels")
    loader = _LOADER
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
