"""Facts of a Python component file, extracted from its bytes with anchored regexes.

Only what the index needs: top-level classes, module constants built by a call, a contract's
``entry_point``, a spec's ``step_type`` declaration and its contract imports. Extraction is total:
half-written code yields whatever matches. Full parsing happens only on demand (``syntax.py``).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence

from catalog_core.base.text import LineIndex, RawSpan

# Patterns are matched *at* positions found with bytes.find (memchr speed) or start with a
# literal (the regex engine's fast prefix scan): extracting a file's facts must cost less than
# reading it.
_CLASS_AT = re.compile(rb"class[ \t]+([A-Za-z_][A-Za-z0-9_]*)")
_CLASS_LINE = re.compile(rb"\nclass[ \t]+([A-Za-z_][A-Za-z0-9_]*)")
_CONSTANT_AT = re.compile(
    rb"([A-Z][A-Z0-9_]*)[ \t]*(?::[^=\n]*)?=[ \t]*([A-Za-z_][A-Za-z0-9_.]*)[ \t]*\("
)
_CONSTANT_ANY = re.compile(
    rb"^([A-Z][A-Z0-9_]*)[ \t]*(?::[^=\n]*)?=[ \t]*([A-Za-z_][A-Za-z0-9_.]*)[ \t]*\(", re.M
)
_ENTRY_POINT = re.compile(rb"""entry_point["']?[ \t]*[=:][ \t]*[rRuU]?(["'])([^"'\n]*)\1""")
_STEP_TYPE = re.compile(
    rb"""step_type[ \t]*=[ \t]*(?:(get_spec_step_type_with_job_type|get_spec_step_type)[ \t]*\("""
    rb"""\s*(["'])([A-Za-z_][A-Za-z0-9_]*)\2(?:\s*,\s*(["'])([A-Za-z_][A-Za-z0-9_]*)\4)?"""
    rb"""|(["'])([A-Za-z_][A-Za-z0-9_]*)\6)"""
)
_CONTRACT_IMPORT = re.compile(
    rb"from[ \t]+(\.*[A-Za-z0-9_.]*contract[A-Za-z0-9_]*|\.+)[ \t]+import[ \t]+"
    rb"(\([^)]*\)?|[^\n#;]*)"
)
_IDENTIFIER = re.compile(rb"[A-Za-z_][A-Za-z0-9_]*")
_WORD_BYTES = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.")


def _occurrences(data: bytes, needle: bytes) -> list[int]:
    found = []
    pos = data.find(needle)
    while pos != -1:
        found.append(pos)
        pos = data.find(needle, pos + len(needle))
    return found


def _word_start(data: bytes, pos: int) -> bool:
    """True when ``pos`` starts a name (not ``get_spec_step_type`` for ``step_type``)."""
    return pos == 0 or data[pos - 1] not in _WORD_BYTES


class _Value:
    """Equality, hash and repr by the ``__slots__`` fields, like a frozen dataclass, without
    its ``object.__setattr__`` per field: one of these is built for nearly every spec file.
    Treated as immutable."""

    __slots__ = ()
    FIELDS: tuple[str, ...] = ()  # in declaration order (as a dataclass compares and shows them)

    def _fields(self) -> tuple[object, ...]:
        return tuple(getattr(self, k) for k in self.FIELDS)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._fields() == other._fields()

    def __hash__(self) -> int:
        return hash(self._fields())

    def __repr__(self) -> str:
        fields = ", ".join(f"{k}={getattr(self, k)!r}" for k in self.FIELDS)
        return f"{self.__class__.__name__}({fields})"


class StepTypeRef(_Value):
    """A spec's own ``step_type=...``: the step it names and, for variants, the job type."""

    __slots__ = ("job_type", "literal", "name", "span")
    FIELDS = ("name", "job_type", "literal", "span")

    def __init__(self, name: str, job_type: str | None, literal: bool, span: RawSpan) -> None:
        self.name = name
        self.job_type = job_type
        self.literal = literal  # step_type="X_Training" rather than a get_spec_step_type(...) call
        self.span = span


class ContractImport(_Value):
    """A spec's import of a contract module, as the dotted target (``..contracts.x_contract``)."""

    __slots__ = ("module", "span")
    FIELDS = __slots__

    def __init__(self, module: str, span: RawSpan) -> None:
        self.module = module
        self.span = span


class PyFacts:
    """What the index keeps of a Python component file."""

    __slots__ = ("classes", "constants", "contract_imports", "entry_point", "step_type")

    def __init__(
        self,
        classes: Sequence[tuple[str, RawSpan]] | None = None,
        constants: Sequence[tuple[str, str, RawSpan]] | None = None,
        entry_point: tuple[str, RawSpan] | None = None,
        step_type: StepTypeRef | None = None,
        contract_imports: Sequence[ContractImport] | None = None,
    ) -> None:
        # Tuples (a list of one fact keeps room for four), and empty ones are the shared empty
        # tuple: most files have one fact or none.
        self.classes = tuple(classes) if classes else ()
        self.constants = tuple(constants) if constants else ()
        self.entry_point = entry_point
        self.step_type = step_type
        self.contract_imports = tuple(contract_imports) if contract_imports else ()

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PyFacts) and all(
            getattr(self, k) == getattr(other, k) for k in self.__slots__
        )

    def __repr__(self) -> str:
        fields = ", ".join(f"{k}={getattr(self, k)!r}" for k in self.__slots__)
        return f"PyFacts({fields})"

    def class_span(self, name: str) -> RawSpan | None:
        for cls, span in self.classes:
            if cls == name:
                return span
        return None

    def main_constant(self, callee_hint: str) -> tuple[str, RawSpan] | None:
        """The module constant built by a call whose name contains ``callee_hint``
        (``ScriptContract``, ``StepSpecification``), else the first upper-case constant."""
        for name, callee, span in self.constants:
            if callee_hint in callee:
                return name, span
        return (self.constants[0][0], self.constants[0][2]) if self.constants else None


def _span(lines: LineIndex, bounds: tuple[int, int]) -> RawSpan:
    """Span of a one-line token (a line index: every lookup is a bisection, so a file with
    80,000 classes costs 80,000 bisections, not 80,000 counts from the top). Equal spans are
    one tuple: files made from the same template define their symbols at the same few places
    (the index keeps a span per fact of every file). ``shared_span``, inlined: its bound is
    kept by ``extract_facts``."""
    span = lines.span(*bounds)
    return _SPANS.setdefault(span, span)


def shared_span(span: RawSpan) -> RawSpan:
    """The one tuple equal to ``span`` (facts read from files and from the persisted index)."""
    shared = _SPANS.setdefault(span, span)
    if shared is span and len(_SPANS) > _SHARED_SPANS:  # a bound: the cache outlives the facts
        _SPANS.clear()
    return shared


_SHARED_SPANS = 16384
_SPANS: dict[RawSpan, RawSpan] = {}


def _commented(data: bytes, lines: LineIndex, start: int) -> bool:
    """Whether a '#' comes before ``start`` on its line."""
    first = lines.first_on_line(b"#", start)
    return first != -1 and first < start


def _opens_line(data: bytes, lines: LineIndex, start: int) -> bool:
    """Only blanks between the line start and ``start`` (walks back over the blanks alone)."""
    ls = lines.line_start(start)
    pos = start
    while pos > ls and data[pos - 1] in b" \t":
        pos -= 1
    return pos == ls


def extract_facts(
    data: bytes, *, want_contract: bool, want_spec: bool, ascii: bool | None = None
) -> PyFacts:
    """Extract the facts of one Python file. Never raises on any input. ``ascii``: whether
    ``data`` is all ASCII, when the caller knows (None: found out when needed).

    Contracts and specs are known by their constants, so only other files (builders, configs)
    are searched for classes."""
    lines = LineIndex(data, ascii)
    if len(_SPANS) > _SHARED_SPANS:  # shared_span's bound, for the spans _span shares below
        _SPANS.clear()
    if want_contract:
        return PyFacts(
            constants=_constants(data, lines, b"Contract("),
            entry_point=_entry_point(data, lines),
        )
    if want_spec:
        # Imports first: they open the file, and line lookups counted onward from the last
        # one are the cheap ones.
        imports = _contract_imports(data, lines)
        return PyFacts(
            constants=_constants(data, lines, b"Specification("),
            step_type=_step_type(data, lines),
            contract_imports=imports,
        )
    return PyFacts(_classes(data, lines))


def _classes(data: bytes, lines: LineIndex) -> list[tuple[str, RawSpan]]:
    """Top-level classes: ``class`` at the start of a line (one regex scan for the line break
    and the keyword: its literal prefix is searched at C speed)."""
    classes = []
    if data.startswith(b"class"):
        m = _CLASS_AT.match(data)
        if m is not None:
            classes.append((m.group(1).decode("ascii"), _span(lines, m.span(1))))
    for m in _CLASS_LINE.finditer(data):
        classes.append((m.group(1).decode("ascii"), _span(lines, m.span(1))))
    return classes


def _constants(data: bytes, lines: LineIndex, marker: bytes) -> list[tuple[str, str, RawSpan]]:
    """Module constants built by a call: those whose call contains ``marker`` (found directly),
    else any upper-case constant built by a call (a rare, full scan)."""
    found = []
    for pos in _occurrences(data, marker):
        m = _CONSTANT_AT.match(data, lines.line_start(pos))
        if m is not None and m.end() == pos + len(marker):
            found.append(
                (
                    m.group(1).decode("ascii"),
                    sys.intern(m.group(2).decode("ascii")),  # StepSpecification, ScriptContract
                    _span(lines, m.span(1)),
                )
            )
    if not found:
        for m in _CONSTANT_ANY.finditer(data):
            found.append(
                (
                    m.group(1).decode("ascii"),
                    sys.intern(m.group(2).decode("ascii")),  # StepSpecification, ScriptContract
                    _span(lines, m.span(1)),
                )
            )
    return found


def _entry_point(data: bytes, lines: LineIndex) -> tuple[str, RawSpan] | None:
    for m in _ENTRY_POINT.finditer(data):
        if _word_start(data, m.start()) and not _commented(data, lines, m.start()):
            return m.group(2).decode("utf-8", "replace"), _span(lines, m.span(2))
    return None


def _step_type(data: bytes, lines: LineIndex) -> StepTypeRef | None:
    """The spec's ``step_type=`` declaration: a get_spec_step_type(...) call wins over a literal."""
    literal: StepTypeRef | None = None
    for m in _STEP_TYPE.finditer(data):
        if not _word_start(data, m.start()) or _commented(data, lines, m.start()):
            continue
        if m.group(1) is not None:
            job = m.group(5).decode("ascii") if m.group(5) else None
            with_job = m.group(1) == b"get_spec_step_type_with_job_type"
            return StepTypeRef(
                sys.intern(m.group(3).decode("ascii")),  # a step's specs name it alike
                job if with_job else None,
                False,
                _span(lines, m.span(3)),
            )
        if literal is None:
            literal = StepTypeRef(
                sys.intern(m.group(7).decode("ascii")),
                None,
                True,
                _span(lines, m.span(7)),
            )
    return literal


def _contract_imports(data: bytes, lines: LineIndex) -> list[ContractImport]:
    found: list[ContractImport] = []
    for m in _CONTRACT_IMPORT.finditer(data):
        start = m.start()
        if not _opens_line(data, lines, start):
            continue  # "from" must open its line
        mod = sys.intern(m.group(1).decode("ascii"))  # a step's specs import one contract
        span = _span(lines, m.span(1))
        last = mod.rstrip(".").rsplit(".", 1)[-1]
        if "contract" in last and last != "contracts":
            found.append(ContractImport(mod, span))
            continue
        # ``from ..contracts import x_contract``: the imported names are the modules.
        names = m.group(2).replace(b"(", b" ").replace(b")", b" ").replace(b"\\", b" ")
        for raw in names.split(b","):
            name = raw.strip().split(b" as ")[0].strip()
            if name.endswith(b"_contract") and _IDENTIFIER.fullmatch(name):
                sep = "" if mod.endswith(".") else "."
                found.append(ContractImport(f"{mod}{sep}{name.decode('ascii')}", span))
    return found
