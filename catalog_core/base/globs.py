"""Path patterns of the settings (``exclude``, ``registry_files``, ``config_files``,
``per_file_ignores``), matched against paths relative to a root, never against the disk: no
pattern can reach outside its root, and matching costs nothing extra during the one walk.

``**`` matches any number of folders, none included (``**/*.json`` matches ``x.json`` at the
root too); ``*``, ``?`` and ``[...]`` match within one path component.
"""

from __future__ import annotations

import functools
import re

_FOLDERS = "(?:[^/]*/)*"


def pattern_error(pattern: object) -> str | None:
    """Why a settings pattern is unusable, or None."""
    if not isinstance(pattern, str) or not pattern.strip():
        return "an empty pattern matches nothing"
    if pattern.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:[\\/]", pattern):
        return "patterns are relative to the root; an absolute path is not allowed"
    if ".." in re.split(r"[\\/]", pattern):
        return "'..' would reach outside the root"
    if "\x00" in pattern:
        return "NUL is not allowed in a pattern"
    return None


@functools.lru_cache(maxsize=512)
def compile_glob(pattern: str) -> re.Pattern[str]:
    parts = [p for p in pattern.replace("\\", "/").split("/") if p not in ("", ".")]
    out = []
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        if part == "**":
            out.append(".*" if last else _FOLDERS)
            continue
        body = _component(part)
        out.append(body if last else body + "/")
    return re.compile("".join(out) + r"\Z", re.S)


def _component(part: str) -> str:
    """One path component's pattern as a regex that never crosses a '/'."""
    out, i = [], 0
    while i < len(part):
        c = part[i]
        i += 1
        if c == "*":
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "[" and (end := part.find("]", i + 1 if part[i : i + 1] == "!" else i)) != -1:
            inner = part[i:end].replace("\\", "\\\\").replace("[", "\\[")
            negated = inner.startswith("!")
            out.append("[^/" + inner[1:] + "]" if negated else "[" + inner.lstrip("^") + "]")
            i = end + 1
        else:
            out.append(re.escape(c))
    return "".join(out)


def glob_match(rel: str, pattern: str) -> bool:
    """Whether a root-relative posix path matches ``pattern``; a pattern without '/' matches
    the last component anywhere (``*.json``, ``build``)."""
    if "/" not in pattern.replace("\\", "/"):
        return compile_glob(pattern).match(rel.rsplit("/", 1)[-1]) is not None
    return compile_glob(pattern).match(rel) is not None
