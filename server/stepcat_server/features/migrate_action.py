"""The "Migrate <Step> to an interface" code action: ``stepcat migrate --step <Step>`` as a
workspace edit (the interface created, the registry entry cut, the contract and spec files
deleted), offered on a 1.x registry entry and on a step's contract or spec file."""

from __future__ import annotations

from lsprotocol import types

from catalog_core import ComponentType
from catalog_core.api import FileChange, StepCatalog

from .. import convert

_ON = (ComponentType.CONTRACT, ComponentType.SPEC)


def _steps(catalog: StepCatalog, path: str, line: int) -> list[str]:
    steps = [
        row.name
        for row in catalog.registry_rows_in(path)
        if row.extent.start_line <= line <= row.extent.end_line
    ]
    component = catalog.component_at(path)
    if component is not None and component.file_type in _ON:
        steps += component.step_names[:1]
    return list(dict.fromkeys(steps))


def _operations(change: FileChange) -> list:
    uri = convert.to_uri(change.path)
    if change.new is None:
        return [
            types.DeleteFile(uri=uri, options=types.DeleteFileOptions(ignore_if_not_exists=True))
        ]
    document = types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=None)
    if change.old is None:
        start = types.Position(line=0, character=0)
        return [
            types.CreateFile(uri=uri, options=types.CreateFileOptions(ignore_if_exists=True)),
            types.TextDocumentEdit(
                text_document=document,
                edits=[
                    types.TextEdit(range=types.Range(start=start, end=start), new_text=change.new)
                ],
            ),
        ]
    end = types.Position(line=change.old.count("\n") + 1, character=0)
    whole = types.Range(start=types.Position(line=0, character=0), end=end)
    return [
        types.TextDocumentEdit(
            text_document=document, edits=[types.TextEdit(range=whole, new_text=change.new)]
        )
    ]


def migrate_actions(catalog: StepCatalog, path: str, rng: types.Range) -> list[types.CodeAction]:
    actions = []
    for step in _steps(catalog, path, rng.start.line):
        plan = catalog.migrate([step])
        if not plan.steps or not plan.changes:
            continue
        operations: list = []
        for change in plan.changes:
            operations += _operations(change)
        actions.append(
            types.CodeAction(
                title=f"Migrate {step} to an interface",
                kind=types.CodeActionKind.RefactorRewrite,
                edit=types.WorkspaceEdit(document_changes=operations),
            )
        )
    return actions
