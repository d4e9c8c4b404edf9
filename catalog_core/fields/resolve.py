"""``FieldResolver``: the fields of a config class with everything it inherits, statically.

Bases are followed through the module's imports and the import roots (relative and absolute
imports, package ``__init__`` re-exports, ``import a.b as c`` then ``c.Y``, star imports, simple
aliases, the same module); library bases (pydantic, typing, abc, builtins) end a chain by
design. What that cannot follow goes to jedi (``jedi_bridge``: parse-only, in-process, never
imports project code). A base nobody finds is reported in ``ResolvedClass.unresolved``, so
callers know the field list may be incomplete.

Modules are cached by (path, mtime, size) or by the editor's text; resolved classes by the
stamps of every module they were read from, checked on each lookup.
"""

from __future__ import annotations

import builtins
import os
import stat
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from .class_facts import read_module
from .jedi_bridge import JediLookup
from .locate import Locator, ModuleLoc
from .merge import Composed, compose
from .model import BaseRef, ClassFacts, ModuleFacts, ResolvedClass, UnresolvedBase
from .source_text import decode

TERMINAL_PACKAGES = frozenset(
    {
        "pydantic",
        "pydantic_core",
        "pydantic_settings",
        "typing",
        "typing_extensions",
        "abc",
        "builtins",
        "collections",
        "enum",
        "dataclasses",
    }
)
"""Libraries whose classes end a chain: they add no config fields, and are not "unresolved"."""

_BUILTINS = frozenset(n for n in dir(builtins) if isinstance(getattr(builtins, n), type))
_MAX_INDIRECTIONS = 24
_MAX_DEPTH = 150
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)

Stamp = tuple[str, int, int]
MODES = ("auto", "static", "jedi")


@dataclass(frozen=True, slots=True)
class _Found:
    path: str
    name: str
    via: str


@dataclass(frozen=True, slots=True)
class _Known:
    qualname: str


@dataclass(frozen=True, slots=True)
class _Missing:
    reason: str
    final: bool = False
    """jedi, searching the same roots, cannot do better (a module that is not there)."""


_Outcome = _Found | _Known | _Missing


@dataclass(slots=True)
class _Entry:
    composed: Composed
    deps: dict[str, Stamp] = field(default_factory=dict)


class FieldResolver:
    """Answers ``fields_of(module_path, class_name)`` for classes under ``import_roots``.

    ``import_roots`` are the folders of the project's "sys.path" (workspace ``src`` folders,
    site-packages, editable checkouts), searched in order. ``text_of(path)`` may return an
    editor's unsaved text for a path (None: read the file). ``mode``: ``auto`` (static, then
    jedi for what static reading cannot follow), ``static`` (never jedi), ``jedi`` (every base
    not ended by a library through jedi: for measuring and testing the jedi path).
    """

    def __init__(
        self,
        import_roots: Iterable[str],
        *,
        text_of: Callable[[str], str | None] | None = None,
        mode: str = "auto",
        max_file_size: int = 8 << 20,
    ) -> None:
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
        self.import_roots = [os.path.realpath(r) for r in import_roots]
        self.mode = mode
        self._text_of = text_of
        self._max_size = max_file_size
        self._locator = Locator(self.import_roots)
        self._facts: dict[str, tuple[Stamp, ModuleFacts]] = {}
        self._texts: dict[str, str] = {}  # editor text seen by the last stamp
        self._resolved: dict[tuple[str, str], _Entry] = {}
        self._real: dict[str, str] = {}
        self._jedi: JediLookup | None = None
        self.counts = {"static": 0, "jedi": 0, "jedi_found": 0, "parsed": 0}

    # ---- public ----------------------------------------------------------------------------

    def fields_of(self, module_path: str, class_name: str) -> ResolvedClass | None:
        """The class's own and inherited fields (MRO order), its chain and what could not be
        resolved; None when the module or the class does not exist."""
        entry = self._class(self._norm(module_path), class_name, ())
        return entry.composed.resolved if entry is not None else None

    def module_facts(self, module_path: str) -> ModuleFacts | None:
        return self._module(self._norm(module_path))[0]

    def class_facts(self, module_path: str, class_name: str) -> ClassFacts | None:
        facts = self.module_facts(module_path)
        return facts.classes.get(class_name) if facts is not None else None

    def invalidate(self, path: str | None = None) -> None:
        """Forget what was read from ``path`` (an editor changed, created or deleted it), and
        every answer that used it or that had an unresolved base; None forgets everything."""
        self._locator.clear()
        if path is None:
            self._facts.clear()
            self._resolved.clear()
            self._real.clear()
            return
        real = self._norm(path)
        self._facts.pop(real, None)
        for key in [
            k for k, e in self._resolved.items() if real in e.deps or e.composed.resolved.unresolved
        ]:
            del self._resolved[key]

    # ---- classes ---------------------------------------------------------------------------

    def _class(self, path: str, name: str, stack: tuple[tuple[str, str], ...]) -> _Entry | None:
        key = (path, name)
        entry = self._resolved.get(key)
        if entry is not None and self._fresh(entry.deps):
            return entry
        facts, stamp = self._module(path)
        if facts is None or stamp is None or name not in facts.classes:
            return None
        cls = facts.classes[name]
        deps: dict[str, Stamp] = {path: stamp}
        bases: list[tuple[Composed, str]] = []
        unresolved: list[UnresolvedBase] = []
        known: list[str] = []
        for base in cls.bases:
            outcome = self._base(path, facts, base, deps)
            if isinstance(outcome, _Found):
                target = (outcome.path, outcome.name)
                sub = None
                if target in stack or target == key:
                    outcome = _Missing("cyclic inheritance")
                elif len(stack) > _MAX_DEPTH:
                    outcome = _Missing("inheritance too deep")
                else:
                    sub = self._class(outcome.path, outcome.name, (*stack, key))
                    if sub is None:
                        outcome = _Missing(f"{outcome.name} not found in {outcome.path}")
                if sub is not None and isinstance(outcome, _Found):
                    bases.append((sub.composed, outcome.via))
                    deps.update(sub.deps)
                    continue
            if isinstance(outcome, _Known):
                known.append(outcome.qualname)
            elif isinstance(outcome, _Missing):
                unresolved.append(UnresolvedBase(base.text, name, path, outcome.reason))
        entry = _Entry(compose(path, cls, bases, unresolved, known), deps)
        self._resolved[key] = entry
        return entry

    def _base(
        self, path: str, facts: ModuleFacts, base: BaseRef, deps: dict[str, Stamp]
    ) -> _Outcome:
        if base.dotted is not None:
            known = self._library(facts, base.dotted)
            if known is not None:
                return known
        if self.mode == "jedi" and base.dotted is not None and base.dotted not in facts.classes:
            return self._by_jedi(path, base, deps, "")
        outcome: _Outcome = _Missing(f"{base.text} is not a class name")
        if base.dotted is not None:
            self.counts["static"] += 1
            outcome = self._static(path, facts, base.dotted, deps, 0)
        if isinstance(outcome, _Missing) and not outcome.final and self.mode == "auto":
            return self._by_jedi(path, base, deps, outcome.reason)
        return outcome

    def _library(self, facts: ModuleFacts, dotted: str) -> _Known | None:
        """A base imported straight from a library that ends chains, or a builtin type."""
        head, _, rest = dotted.partition(".")
        ref = facts.imports.get(head)
        if ref is not None and ref.level == 0 and ref.module.split(".")[0] in TERMINAL_PACKAGES:
            return _Known(".".join(p for p in (ref.module, ref.name, rest) if p))
        if ref is None and not rest and head in _BUILTINS and _unbound(facts, head):
            return _Known(f"builtins.{head}")
        return None

    # ---- static ----------------------------------------------------------------------------

    def _static(
        self, path: str, facts: ModuleFacts, dotted: str, deps: dict[str, Stamp], depth: int
    ) -> _Outcome:
        if depth > _MAX_INDIRECTIONS:
            return _Missing("too many indirections")
        head, _, rest = dotted.partition(".")
        if not rest and head in facts.classes:
            return _Found(path, head, "static")
        if head in facts.aliases:
            target = facts.aliases[head] + (f".{rest}" if rest else "")
            return self._static(path, facts, target, deps, depth + 1)
        ref = facts.imports.get(head)
        if ref is not None:
            attrs = [a for a in (ref.name, *rest.split(".")) if a]
            if ref.level == 0 and ref.module.split(".")[0] in TERMINAL_PACKAGES:
                return _Known(".".join([ref.module, *attrs]))
            if ref.name is None:
                loc = self._locator.absolute(ref.module)
            elif ref.level:
                loc = self._locator.relative(ref.module, ref.level, path)
            else:
                loc = self._locator.absolute(ref.module)
            if loc is None:
                shown = "." * ref.level + ref.module
                return _Missing(f"module {shown} not found in the import roots", final=True)
            return self._in_module(loc, attrs, deps, depth + 1)
        if head in facts.other_names:
            return _Missing(f"{head} is bound by a statement static reading does not follow")
        if not rest and head in _BUILTINS:
            return _Known(f"builtins.{head}")
        for star in facts.star_imports:
            loc = (
                self._locator.relative(star.module, star.level, path)
                if star.level
                else self._locator.absolute(star.module)
            )
            if loc is not None:
                found = self._in_module(loc, dotted.split("."), deps, depth + 1)
                if not isinstance(found, _Missing):
                    return found
        return _Missing(f"{head} is neither defined nor imported in its module")

    def _in_module(
        self, loc: ModuleLoc, attrs: list[str], deps: dict[str, Stamp], depth: int
    ) -> _Outcome:
        if not attrs:
            return _Missing(f"{loc.dotted} is a module, not a class")
        outcome: _Outcome = _Missing(f"{attrs[0]} not found in {loc.dotted}")
        if loc.file is not None:
            facts, stamp = self._module(loc.file)
            if facts is not None and stamp is not None:
                deps[loc.file] = stamp
                outcome = self._static(loc.file, facts, ".".join(attrs), deps, depth + 1)
                if not isinstance(outcome, _Missing):
                    return outcome
        sub = self._locator.submodule(loc, attrs[0])
        if sub is not None:
            return self._in_module(sub, attrs[1:], deps, depth + 1)
        return outcome

    # ---- jedi ------------------------------------------------------------------------------

    def _by_jedi(self, path: str, base: BaseRef, deps: dict[str, Stamp], why: str) -> _Outcome:
        self.counts["jedi"] += 1
        text = self._text(path)
        answer = None
        if text is not None:
            if self._jedi is None:
                self._jedi = JediLookup(self.import_roots)
            answer = self._jedi.find_class(path, text, base.position)
        prefix = f"{why}; " if why else ""
        if answer is None:
            return _Missing(f"{prefix}jedi: no class found")
        full = answer.full_name or answer.name
        if full.split(".")[0] in TERMINAL_PACKAGES:
            return _Known(full)
        target = answer.module_path
        if target.endswith(".pyi") and os.path.isfile(target[:-1]):
            target = target[:-1]
        target = self._norm(target)
        facts, stamp = self._module(target)
        if facts is None or stamp is None or answer.name not in facts.classes:
            return _Missing(f"{prefix}jedi: {full} is not a top-level class of {target}")
        deps[target] = stamp
        self.counts["jedi_found"] += 1
        return _Found(target, answer.name, "jedi")

    # ---- modules ---------------------------------------------------------------------------

    def _norm(self, path: str) -> str:
        real = self._real.get(path)
        if real is None:
            real = self._real[path] = os.path.realpath(path)
        return real

    def _stamp(self, path: str) -> Stamp | None:
        if self._text_of is not None:
            text = self._text_of(path)
            if text is not None:
                self._texts[path] = text
                return ("text", len(text), hash(text))
        self._texts.pop(path, None)
        try:
            st = os.stat(path)
        except (OSError, ValueError):
            return None
        if not stat.S_ISREG(st.st_mode):
            return None
        return ("disk", st.st_mtime_ns, st.st_size)

    def _fresh(self, deps: dict[str, Stamp]) -> bool:
        return all(self._stamp(p) == s for p, s in deps.items())

    def _module(self, path: str) -> tuple[ModuleFacts | None, Stamp | None]:
        stamp = self._stamp(path)
        if stamp is None:
            return None, None
        cached = self._facts.get(path)
        if cached is not None and cached[0] == stamp:
            return cached[1], stamp
        source: bytes | str | None = self._texts.get(path)
        if source is None:
            if stamp[2] > self._max_size:
                facts = ModuleFacts(error=f"larger than {self._max_size} bytes; not read")
                self._facts[path] = (stamp, facts)
                return facts, stamp
            source = _read(path)
            if source is None:
                return None, None
        self.counts["parsed"] += 1
        facts = read_module(source)
        self._facts[path] = (stamp, facts)
        return facts, stamp

    def _text(self, path: str) -> str | None:
        if self._stamp(path) is None:
            return None
        if path in self._texts:
            return self._texts[path]
        data = _read(path)
        return decode(data) if data is not None else None


def _unbound(facts: ModuleFacts, name: str) -> bool:
    return not (
        name in facts.classes
        or name in facts.imports
        or name in facts.aliases
        or name in facts.other_names
    )


def _read(path: str, limit: int = 64 << 20) -> bytes | None:
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        chunks = []
        size = 0
        while size <= limit and (chunk := os.read(fd, 1 << 20)):
            chunks.append(chunk)
            size += len(chunk)
        return b"".join(chunks)
    except OSError:
        return None
    finally:
        os.close(fd)
