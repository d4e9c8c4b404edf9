"""Renaming a step everywhere it is written, in both layouts and every workspace: one plan of
text changes and file renames that the CLI writes (``stepcat rename``) and the server turns
into a ``WorkspaceEdit``.

What changes, in every file the index reads (registries, components, interfaces, DAG modules,
notebooks, ``*.dag.json``, pipeline config JSON) and the ``__init__.py`` beside them:

- the step name as a whole token inside strings (Python) or anywhere (JSON, YAML): registry
  keys and ``spec_type``, interface ``step_type`` and ``compatible_sources``, spec
  ``step_type`` calls, DAG node names with their job-type suffix kept (``Old_training`` ->
  ``New_training``), config ``config_types`` / ``specific`` keys; never on a line that sets
  ``sagemaker_step_type`` or ``description`` (a custom SageMaker type may equal the name);
- ``<Step>Config`` and ``<Step>StepBuilder`` where the step's registry row follows that
  convention: definitions, imports, references, registry values, config JSON values; and the
  constants named after a renamed contract or spec module (``PACKAGE_CONTRACT``);
- component and interface files whose stem carries the step's name (by canonical key), with
  every ``import`` of their modules and every ``entry_point`` naming a renamed script (only
  when ``rename_files``).

Refused, with the reason in ``RenamePlan.error``: an unknown step, a new name that is not a
CamelCase identifier or is taken (exactly or by canonical key), a target file that exists, a
file that is not writable.
"""

from __future__ import annotations

import os
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from catalog_core.base.names import name_core
from catalog_core.facts.pylex import QuotedRegions
from catalog_core.features.configs import config_files
from catalog_core.features.steps import canonical_name, get_step_info, split_node_name
from catalog_core.models import ComponentType, FileMetadata, Span

if TYPE_CHECKING:
    from catalog_core.index.catalog_index import CatalogIndex

STEP_NAME = re.compile(r"[A-Z][A-Za-z0-9]*\Z")
_IMPORT = re.compile(r"[ \t]*(?:from|import)[ \t]")
_SKIP_LINE = re.compile(r"sagemaker_step_type|description")
_RENAMED_KINDS = (
    ComponentType.CONTRACT,
    ComponentType.SPEC,
    ComponentType.BUILDER,
    ComponentType.CONFIG,
    ComponentType.SCRIPT,
)


@dataclass(frozen=True, slots=True)
class TextChange:
    path: Path
    span: Span  # 0-based lines, code-point columns
    old_text: str
    new_text: str


@dataclass(frozen=True, slots=True)
class FileRename:
    old: Path
    new: Path


@dataclass(slots=True)
class RenamePlan:
    old: str
    new: str
    changes: list[TextChange] = field(default_factory=list)
    renames: list[FileRename] = field(default_factory=list)
    texts: dict[Path, str] = field(default_factory=dict)  # each changed file's text before
    error: str | None = None

    def write(self) -> list[Path]:
        """Apply the plan on disk (see ``write_rename``)."""
        return write_rename(self)

    def diff(self, relative_to: Path | None = None) -> str:
        """The plan as a unified diff (see ``diff_text``)."""
        return diff_text(self, relative_to)

    def new_texts(self) -> dict[Path, str]:
        """Every changed file's text after the changes (by its path before any rename)."""
        out: dict[Path, str] = {}
        by_path: dict[Path, list[TextChange]] = {}
        for change in self.changes:
            by_path.setdefault(change.path, []).append(change)
        for path, changes in by_path.items():
            lines = self.texts[path].split("\n")
            for c in sorted(changes, key=lambda c: (c.span.start_line, c.span.start_character))[
                ::-1
            ]:
                line = lines[c.span.start_line]
                lines[c.span.start_line] = (
                    line[: c.span.start_character] + c.new_text + line[c.span.end_character :]
                )
            out[path] = "\n".join(lines)
        return out


def snake(name: str) -> str:
    """``XGBoostTraining`` -> ``xg_boost_training``: the mechanical rule, for new names."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", name).lower()


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def check_new_name(db: CatalogIndex, old: str, new: str) -> str | None:
    """Why ``new`` cannot replace ``old``; None when it can."""
    if not STEP_NAME.match(new):
        return (
            f"'{new}' is not a valid step name: use a CamelCase identifier (letters and digits, "
            "starting with a capital; '_' separates job types)"
        )
    if new == old:
        return f"the step is already called '{old}'"
    taken = canonical_name(db, new)
    if taken is not None and taken != old:
        return f"'{new}' is taken: step '{taken}' exists"
    if _key(new) != _key(old) and any(_key(s) == _key(new) for s in _all_steps(db)):
        return f"'{new}' is taken by a step of the same canonical name"
    return None


def _all_steps(db: CatalogIndex) -> set[str]:
    from catalog_core.features.steps import list_available_steps

    return set(list_available_steps(db, None, None))


def step_infos(db: CatalogIndex, step: str) -> list[FileMetadata]:
    """Every component file of the step, in every workspace that defines it."""
    found: dict[str, FileMetadata] = {}
    for ws in [None, *db.wmap.developer_ids()]:
        info = get_step_info(db, step, None, ws)
        if info is None:
            continue
        metas = [m for m in info.file_components.values() if m is not None]
        for meta in [*metas, *info.variants.values()]:
            found.setdefault(str(meta.path), meta)
    return list(found.values())


def _new_stem(stem: str, core: str, old: str, new: str) -> str | None:
    if _key(core) != _key(old):
        return None
    if core == snake(old):
        new_core = snake(new)
    elif core == old.lower():
        new_core = new.lower()
    else:
        new_core = snake(new)
    i = stem.find(core)
    return None if i < 0 else stem[:i] + new_core + stem[i + len(core) :]


def file_renames(db: CatalogIndex, step: str, new: str) -> list[FileRename]:
    """The component and interface files whose names carry the step's."""
    renames = []
    for meta in step_infos(db, step):
        path = Path(meta.path)
        if path.name.endswith(".step.yaml"):
            stem = path.name[: -len(".step.yaml")]
            new_stem = _new_stem(stem, stem, step, new)
            if new_stem is not None:
                renames.append(FileRename(path, path.with_name(new_stem + ".step.yaml")))
            continue
        kind = meta.file_type
        if kind not in _RENAMED_KINDS or path.suffix != ".py":
            continue
        core = name_core(kind, path.stem)
        if kind is ComponentType.SPEC and meta.job_type:
            suffix = "_" + meta.job_type.lower()
            if core.lower().endswith(suffix):
                core = core[: -len(suffix)]
        new_stem = _new_stem(path.stem, core, step, new)
        if new_stem is not None and new_stem != path.stem:
            renames.append(FileRename(path, path.with_name(new_stem + path.suffix)))
    return sorted(set(renames), key=lambda r: str(r.old))


def _files(db: CatalogIndex) -> list[str]:
    """Every file a rename may touch: what the index reads, and the ``__init__.py`` files of
    the folders of its Python files."""
    paths = set(db.table.records) | set(db.registry_facts) | set(db.python_usages)
    paths |= set(db.interface_rows) | set(db.dags) | set(config_files(db).documents())
    inits = set()
    for p in paths:
        if p.endswith(".py"):
            init = os.path.join(os.path.dirname(p), "__init__.py")
            if init not in paths and os.path.isfile(init):
                inits.add(init)
    return sorted(paths | inits)


class _Lines:
    def __init__(self, text: str) -> None:
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect_right(self.starts, offset) - 1
        return line, offset - self.starts[line]


def plan_rename(db: CatalogIndex, old: str, new: str, *, rename_files: bool = True) -> RenamePlan:
    plan = RenamePlan(old, new)
    if old not in _all_steps(db):
        plan.error = f"no step named '{old}'"
        return plan
    plan.error = check_new_name(db, old, new)
    if plan.error:
        return plan
    words: dict[str, str] = {}
    for ws in [None, *db.wmap.developer_ids()]:
        info = get_step_info(db, old, None, ws)
        if info is None:
            continue
        for cls, suffix in ((info.config_class, "Config"), (info.builder_step_name, "StepBuilder")):
            if cls == old + suffix:
                words[cls] = new + suffix
    modules: set[str] = set()
    if rename_files:
        plan.renames = file_renames(db, old, new)
        for r in plan.renames:
            if r.old.suffix == ".py":
                words[r.old.stem] = r.new.stem
                modules.add(r.old.stem)
                if r.old.stem.endswith(("_contract", "_spec")):  # PACKAGE_CONTRACT, ..._SPEC
                    words[r.old.stem.upper()] = r.new.stem.upper()
    for r in plan.renames:
        if r.new.exists():
            plan.error = f"cannot rename {r.old.name}: {r.new} exists"
            return plan
    alternatives = sorted({old, *words}, key=len, reverse=True)
    pattern = re.compile(
        r"(?<![A-Za-z0-9_])(?:" + "|".join(map(re.escape, alternatives)) + r")[A-Za-z0-9_]*"
    )
    # a few substring searches per file (in C): only files naming a word are decoded and
    # scanned; a word containing another (PackageConfig, Package) needs no search of its own
    forms = [old, old.lower(), old.upper(), snake(old), snake(old).upper()]
    needles: list[bytes] = []
    for word in sorted(alternatives, key=len):
        found = next((f for f in forms if f in word), word).encode("utf-8")
        if not any(n in found for n in needles):
            needles.append(found)
    for path in _files(db):
        data, _ = db.read(path)
        if data is None or not any(n in data for n in needles):
            continue
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            continue  # not rewritten: a round trip would lose its bytes (check reports it)
        changes = _changes(db, path, text, pattern, old, new, words, modules)
        if changes:
            plan.texts[Path(path)] = text
            plan.changes.extend(changes)
    touched = set(plan.texts) | {r.old for r in plan.renames}
    for file in sorted(touched):
        source = _read_only_source(db, file)
        if source is not None:
            plan.error = f"{file} is in the read-only source {source}: the rename would change it"
            return plan
        if _read_only(file) or not os.access(file.parent, os.W_OK):
            plan.error = f"{file} is read-only: the rename would change it"
            return plan
    return plan


def _read_only_source(db: CatalogIndex, path: Path) -> str | None:
    """The read-only source (an installed package) a file comes from, if any."""
    for source in db.sources:
        if source.read_only and Path(path).is_relative_to(source.path):
            return str(source.path)
    return None


def _read_only(path: Path) -> bool:
    """Not writable, or with no write permission bit at all (read-only even for root)."""
    try:
        return not os.access(path, os.W_OK) or not (path.stat().st_mode & 0o222)
    except OSError:
        return True


def _changes(
    db: CatalogIndex,
    path: str,
    text: str,
    pattern: re.Pattern[str],
    old: str,
    new: str,
    words: dict[str, str],
    modules: set[str],
) -> list[TextChange]:
    python = path.endswith(".py")
    quoted = _StrRegions(text) if python else None
    lines = _Lines(text)
    out = []
    for m in pattern.finditer(text):
        token = m.group()
        if token in words:
            if token in modules and not _module_use(text, m, quoted):
                continue  # a function or a word spelt like the module, not the module
            replacement = words[token]
        elif token == old or _is_node_of(db, token, old):
            if quoted is not None and not quoted.contains(m.start()):
                continue
            line, col = lines.position(m.start())
            line_text = text[lines.starts[line] : m.start()]
            if _SKIP_LINE.search(line_text):
                continue
            replacement = new + token[len(old) :]
        else:
            continue
        line, col = lines.position(m.start())
        span = Span.of((line, col, line, col + len(token)))
        out.append(TextChange(Path(path), span, token, replacement))
    return out


def _module_use(text: str, m: re.Match[str], quoted: _StrRegions | None) -> bool:
    """Whether a module's stem is used as the module: on an ``import`` line, or as a file or
    dotted path (``"package.py"``, ``steps.scripts.package``) in a string or a data file. A
    bare ``"package"`` string or a ``def package`` is not."""
    start = text.rfind("\n", 0, m.start()) + 1
    if quoted is not None and _IMPORT.match(text, start):
        return True
    if quoted is not None and not quoted.contains(m.start()):
        return False
    before = text[m.start() - 1] if m.start() > 0 else ""
    after = text[m.end()] if m.end() < len(text) else ""
    return (before != "" and before in "./") or after == "."


def _is_node_of(db: CatalogIndex, token: str, old: str) -> bool:
    if not token.startswith(old + "_"):
        return False
    split = split_node_name(db, token)
    return split is not None and split[0] == old


class _StrRegions:
    """String literals (not comments) of a Python text, by character offset."""

    def __init__(self, text: str) -> None:
        data = text.encode("utf-8", "surrogatepass")
        self._ascii = len(data) == len(text)
        self._text = text
        self._regions = QuotedRegions(data)

    def contains(self, offset: int) -> bool:
        byte = offset if self._ascii else len(self._text[:offset].encode("utf-8", "surrogatepass"))
        return self._regions.contains(byte) and self._quote_before(offset)

    def _quote_before(self, offset: int) -> bool:
        # inside a comment, the region starts with '#': look back on the line
        start = self._text.rfind("\n", 0, offset) + 1
        segment = self._text[start:offset]
        hash_at = segment.find("#")
        return (
            hash_at < 0
            or segment.count('"', 0, hash_at) % 2 == 1
            or (segment.count("'", 0, hash_at) % 2 == 1)
        )


def write_rename(plan: RenamePlan) -> list[Path]:
    """Write a plan: every changed file and every renamed file's new copy in one all-or-nothing
    ``write_files`` (backups of the changed files and of the renamed ones' old names), then the
    old names removed. Returns the files written."""
    from catalog_core.base.atomic import remove_durably, write_files

    if plan.error:
        raise ValueError(plan.error)
    texts = plan.new_texts()
    contents: dict[Path, bytes] = {p: t.encode("utf-8") for p, t in texts.items()}
    for r in plan.renames:
        old_bytes = contents.pop(r.old, None) or r.old.read_bytes()
        contents[r.new] = old_bytes
        contents[r.old] = r.old.read_bytes()  # unchanged: only for its backup
    write_files(contents)
    for r in plan.renames:
        remove_durably(str(r.old))
    renamed = {r.old for r in plan.renames}
    return sorted(p for p in contents if p not in renamed)


def diff_text(plan: RenamePlan, relative_to: Path | None = None) -> str:
    """The plan as a unified diff (renames as ``rename from`` / ``rename to``)."""
    import difflib

    def name(p: Path) -> str:
        try:
            return str(p.relative_to(relative_to)) if relative_to else str(p)
        except ValueError:
            return str(p)

    new_names = {r.old: r.new for r in plan.renames}
    out: list[str] = []
    texts = plan.new_texts()
    for path in sorted(set(texts) | set(new_names)):
        before = plan.texts.get(path)
        after = texts.get(path)
        target = new_names.get(path, path)
        out.append(f"diff --stepcat a/{name(path)} b/{name(target)}\n")
        if target != path:
            out.append(f"rename from {name(path)}\nrename to {name(target)}\n")
        if before is not None and after is not None:
            out.extend(
                difflib.unified_diff(
                    before.splitlines(keepends=True),
                    after.splitlines(keepends=True),
                    f"a/{name(path)}",
                    f"b/{name(target)}",
                )
            )
    return "".join(s if s.endswith("\n") else s + "\n" for s in out)
