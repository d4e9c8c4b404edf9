"""Cursor fixtures for the editor analysis (rust-analyzer's ``check(fixture)``): a case names a
fixture workspace, a document (a file of it, or text given in the case), the cursor (``$0``
in a line of the document) and a request; the expected answer is plain text in the case file.
``STEPCAT_UPDATE_EXPECT=1`` rewrites the expectations from what the analysis answers now.

A case file (``tests/fixtures/cursors/*.cursors``) holds cases like::

    === definition of a node with a variant spec
    workspace: irregular
    file: pipelines/training_dag.py
    at: dag.add_node("Cradle$0DataLoading_training")
    request: definition
    expect:
      src/pipelines/steps/specs/cradle_data_loading_training_spec.py:6:0 spec (training)

``at:`` is one line of the document with ``$0`` where the cursor is (its first occurrence in
the document is meant; ``at#2:`` the second). ``text:`` followed by indented lines gives the
whole document instead of the file's disk text (unsaved edits), the cursor marked in it by
``$0``. Requests: ``definition``, ``field_completion`` (config field and attribute names),
``declaration``, ``implementation``, ``type_definition``, ``hover``, ``completion``,
``references``, ``name``.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from catalog_core.api import StepCatalog

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
CASES = FIXTURES / "cursors"
UPDATE = os.environ.get("STEPCAT_UPDATE_EXPECT") == "1"
_CATALOGS: dict[tuple[str, ...], StepCatalog] = {}


@dataclass
class Case:
    title: str
    source: Path
    start: int  # first line of the case in its file (0-based), for rewriting
    end: int
    fields: dict[str, str] = field(default_factory=dict)
    text: str | None = None
    expect: list[str] = field(default_factory=list)


def load(path: Path) -> list[Case]:
    cases: list[Case] = []
    lines = path.read_text().split("\n")
    current: Case | None = None
    block: str | None = None
    for number, line in enumerate(lines):
        if line.startswith("=== "):
            if current is not None:
                current.end = number
            current = Case(line[4:].strip(), path, number, len(lines))
            cases.append(current)
            block = None
        elif current is None or (not line.strip() and block is None):
            continue
        elif line.startswith("  ") and block is not None:
            value = line[2:]
            if block == "text":
                current.text = value if current.text is None else current.text + "\n" + value
            else:
                current.expect.append(value)
        elif line.rstrip() in ("text:", "expect:"):
            block = line.rstrip()[:-1]
        elif ":" in line:
            key, _, value = line.partition(":")
            current.fields[key.strip()] = value.strip()
            block = None
    return cases


def all_cases() -> list[Case]:
    return [case for path in sorted(CASES.glob("*.cursors")) for case in load(path)]


def catalog_for(workspaces: str) -> StepCatalog:
    roots = tuple(w.strip() for w in workspaces.split(","))
    if roots not in _CATALOGS:
        _CATALOGS[roots] = StepCatalog([FIXTURES / r for r in roots])
    return _CATALOGS[roots]


def _cursor(text: str, at: str, occurrence: int) -> tuple[int, int]:
    needle = at.replace("$0", "")
    offset = at.index("$0")
    seen = 0
    for number, line in enumerate(text.split("\n")):
        start = line.find(needle)
        while start != -1:
            if seen == occurrence:
                return number, start + offset
            seen += 1
            start = line.find(needle, start + 1)
    raise AssertionError(f"{at!r} is not in the document")


def _where(path: Path | str, line: int, column: int, root: Path) -> str:
    return f"{os.path.relpath(path, root)}:{line}:{column}"


def answer(case: Case) -> list[str]:
    """What the analysis answers for a case, as the lines its expectation holds."""
    workspace = case.fields["workspace"]
    catalog = catalog_for(workspace)
    root = FIXTURES / workspace.split(",")[0].strip()
    path = (root / case.fields["file"]).resolve()
    if case.text is not None and "$0" in case.text:  # the cursor is marked in the text itself
        text = case.text.replace("$0", "")
        before = case.text[: case.text.index("$0")].split("\n")
        line, column = len(before) - 1, len(before[-1])
    else:
        text = case.text if case.text is not None else path.read_text()
        at_key = next(k for k in case.fields if k.startswith("at"))
        occurrence = int(at_key.partition("#")[2] or 1) - 1
        line, column = _cursor(text, case.fields[at_key], occurrence)
    if case.text is not None:
        catalog.set_document(path, text)
    try:
        return _ask(catalog, case.fields["request"], str(path), text, line, column, root)
    finally:
        if case.text is not None:
            catalog.close_document(path)


def _ask(
    catalog: StepCatalog, request: str, path: str, text: str, line: int, column: int, root: Path
) -> list[str]:
    context = catalog.workspace_of(path)
    context = None if context == "shared" else context
    ref = catalog.name_at(path, text, line, column)
    if request == "name":
        return [] if ref is None else [f"{ref.kind} {ref.name} {ref.span}"]
    if request == "completion":
        result = catalog.complete(path, text, line, column, context)
        if result is None:
            return []
        head = f"replace {result.replace} incomplete={result.incomplete}"
        return [
            head,
            *(f"{c.label} | {c.detail}{' *' if c.preselect else ''}" for c in result.items),
        ]
    if request == "field_completion":  # config field / attribute names (complete_fields)
        fields = catalog.complete_fields(path, text, line, column, context)
        if fields is None:
            return []
        return [
            f"replace {fields.replace}",
            *(f"{c.label} | {c.detail}{' *' if c.present else ''}" for c in fields.items),
        ]
    if ref is None:
        return []
    if request == "hover":
        if ref.kind == "interface_key":
            return [f"key {ref.name}: {catalog.interface_key_help(ref.name)}"]
        card = catalog.step_card(ref.name, context)
        if card is None:
            class_card = catalog.class_card(ref)
            if class_card is None:
                return []
            where = os.path.relpath(class_card.defined_in, root) if class_card.defined_in else "-"
            return [
                f"{class_card.kind.value} class {class_card.name} of {class_card.step}: {where}"
            ]
        info = card.info
        rows = [f"{card.node_name} {info.sagemaker_step_type} {info.workspace_id}"]
        for kind, meta in info.file_components.items():
            rows.append(
                f"{kind}: {_where(meta.path, meta.span.start_line, 0, root) if meta else '-'}"
            )
        rows.append(f"variants: {', '.join(sorted(info.variants)) or '-'}")
        rows += [f"problem: {p.rule}" for p in card.problems]
        return rows
    if request == "references":
        info = catalog.resolve_name(ref.name, context)
        if info is None:
            return []
        refs = catalog.references(info.step_name)
        return [
            f"{_where(r.location.path, r.location.span.start_line, r.location.span.start_character, root)} {r.kind}"
            for r in refs
        ]
    if request == "declaration":
        info = catalog.resolve_name(ref.name, context)
        loc = info.registry_location if info else None
        return (
            []
            if loc is None
            else [_where(loc.path, loc.span.start_line, loc.span.start_character, root)]
        )
    labels = {
        "definition": None,
        "implementation": ("script", "builder"),
        "type_definition": ("config", "class"),
    }[request]
    targets = catalog.definition_targets(ref, context)
    if labels is not None:
        targets = [t for t in targets if t.label.split(" ")[0] in labels]
    return [
        f"{_where(t.path, t.span.start_line, t.span.start_character, root)} {t.label}"
        for t in targets
    ]


def rewrite(case: Case, lines: list[str]) -> None:
    """Replace a case's expectation in its file (``STEPCAT_UPDATE_EXPECT=1``)."""
    source = case.source.read_text().split("\n")  # earlier rewrites may have moved the case
    start = source.index(f"=== {case.title}")
    end = next(
        (i for i in range(start + 1, len(source)) if source[i].startswith("=== ")), len(source)
    )
    block = source[start:end]
    head = next(i for i, line in enumerate(block) if line.rstrip() == "expect:")
    tail = head + 1
    while tail < len(block) and block[tail].startswith("  "):
        tail += 1
    block[head + 1 : tail] = [f"  {line}" for line in lines]
    source[start:end] = block
    case.source.write_text("\n".join(source))


def check(case: Case) -> None:
    got = answer(case)
    if UPDATE and got != case.expect:
        rewrite(case, got)
        return
    assert got == case.expect, "\n".join(["got:", *got, "expected:", *case.expect])


_TITLE = re.compile(r"[^A-Za-z0-9]+")


def case_id(case: Case) -> str:
    return f"{case.source.stem}:{_TITLE.sub('-', case.title).strip('-')}"
