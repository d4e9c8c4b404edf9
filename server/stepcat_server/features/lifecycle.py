"""Initialization, indexing with progress, workspace folders, watched files and settings."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from lsprotocol import types

from catalog_core.api import StepCatalog

from .. import convert
from ..capabilities import ClientCaps
from .diagnostics import publish_changes

if TYPE_CHECKING:
    from ..server import StepcatServer

log = logging.getLogger("stepcat.lifecycle")
WATCH_ID = "stepcat-watched-files"
WATCHED = (
    "**/*.py",
    "**/*.json",
    "**/*.step.yaml",
    "**/*.ipynb",
    "**/pyproject.toml",
    "**/stepcat.toml",
)


def _folder_paths(
    folders: Sequence[types.WorkspaceFolder] | None, root_uri: str | None
) -> list[str]:
    uris = [f.uri for f in folders or []] or ([root_uri] if root_uri else [])
    return [p for uri in uris if (p := convert.to_path(uri))]


async def index(server: StepcatServer) -> None:
    """(Re)build the catalog over the folders, reporting $/progress with counts."""
    session = server.session
    session.ready.clear()  # before anything can suspend: later requests wait for this index
    caps = ClientCaps(server.client_capabilities)
    token = None
    if caps.progress:
        token = str(uuid.uuid4())
        try:
            await server.work_done_progress.create_async(token)
            server.work_done_progress.begin(
                token,
                types.WorkDoneProgressBegin(
                    title="stepcat",
                    message="indexing the step catalog",
                    percentage=0,
                    cancellable=False,
                ),
            )
        except Exception:  # the client refused the token: index without progress
            log.warning("progress token refused", exc_info=True)
            token = None

    def progress(message: str, done: int, total: int) -> None:
        if token is not None:
            pct = int(done * 100 / total) if total else 0
            session.call_in_loop(
                server.work_done_progress.report,
                token,
                types.WorkDoneProgressReport(message=message, percentage=min(pct, 99)),
            )

    try:
        await session.rebuild(progress)  # logs the traceback when it fails
        session.build_error = None
    except Exception as exc:
        # Reported once; the server keeps serving the index it had (or none) and answers
        # every request: nothing waits for an index that will not come.
        session.build_error = f"{type(exc).__name__}: {exc}"
        kept = "the previous index is kept" if session.has_catalog else "no catalog"
        server.window_show_message(
            types.ShowMessageParams(
                type=types.MessageType.Error,
                message=f"stepcat: indexing failed ({session.build_error}); {kept}. See the log.",
            )
        )
    finally:
        session.ready.set()
    if token is not None:
        counts = await session.query(_counts)
        message = "indexing failed" if counts is None else _summary(counts)
        server.work_done_progress.end(token, types.WorkDoneProgressEnd(message=message))
    await asyncio.sleep(0)  # requests that waited for the index go first ...
    await publish_changes(server, None)  # ... then every file's diagnostics ...
    await session.change(_warm)  # ... then what later edits would otherwise pay for


def _counts(catalog: StepCatalog) -> dict[str, int]:
    return catalog.counts()


def _warm(catalog: StepCatalog) -> None:
    catalog.warm()


def _summary(counts: dict[str, int]) -> str:
    spaces = counts["workspaces"]
    return (
        f"{counts['steps']} steps, {counts['component_files']} component files, "
        f"{spaces} workspace{'s' if spaces != 1 else ''}"
    )


async def fetch_settings(server: StepcatServer) -> None:
    session = server.session
    if not ClientCaps(server.client_capabilities).configuration:
        return
    items = [types.ConfigurationItem(section="stepcat")]
    items += [
        types.ConfigurationItem(scope_uri=convert.to_uri(f), section="stepcat")
        for f in session.folders
    ]
    try:
        results = await server.workspace_configuration_async(types.ConfigurationParams(items=items))
    except Exception:
        log.warning("workspace/configuration failed", exc_info=True)
        return
    errors = []
    for i, raw in enumerate(results or []):
        folder = None if i == 0 else session.folders[i - 1]
        if raw is None and folder is not None:
            continue
        error = session.apply_settings(raw, folder)
        if error:
            errors.append(error)
    for error in dict.fromkeys(errors):
        server.window_show_message(
            types.ShowMessageParams(type=types.MessageType.Warning, message=error)
        )


def files_changed(catalog: StepCatalog, paths: list[str]) -> set[str] | None:
    changed = catalog.update(paths)
    return None if changed is None else {str(p) for p in changed} | set(paths)


def register(server: StepcatServer) -> None:
    session = server.session

    @server.feature(types.INITIALIZE)
    def initialize(params: types.InitializeParams) -> None:
        if not ClientCaps(params.capabilities).pull_diagnostics:
            # push instead: a client that could pull must not also show pushed duplicates
            for method in (types.TEXT_DOCUMENT_DIAGNOSTIC, types.WORKSPACE_DIAGNOSTIC):
                server.protocol.fm.features.pop(method, None)
                server.protocol.fm.feature_options.pop(method, None)
        session.folders = _folder_paths(params.workspace_folders, params.root_uri)
        error = session.apply_settings(params.initialization_options, initial=True)
        if error:
            server.window_show_message(
                types.ShowMessageParams(type=types.MessageType.Warning, message=error)
            )

    @server.feature(types.INITIALIZED)
    async def initialized(params: types.InitializedParams) -> None:
        await fetch_settings(server)
        await index(server)
        if ClientCaps(server.client_capabilities).watch_registration:
            options = types.DidChangeWatchedFilesRegistrationOptions(
                watchers=[types.FileSystemWatcher(glob_pattern=g) for g in WATCHED]
            )
            registration = types.Registration(
                id=WATCH_ID,
                method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                register_options=options,
            )
            try:
                await server.client_register_capability_async(
                    types.RegistrationParams(registrations=[registration])
                )
            except Exception:  # the client said no: changes on disk are seen when files open
                log.warning("could not register file watchers", exc_info=True)

    @server.feature(types.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS)
    async def folders_changed(params: types.DidChangeWorkspaceFoldersParams) -> None:
        session.ready.clear()  # requests from now on wait for the new index
        removed = set(_folder_paths(params.event.removed, None))
        added = _folder_paths(params.event.added, None)
        session.folders = [f for f in session.folders if f not in removed] + [
            f for f in added if f not in session.folders
        ]
        await fetch_settings(server)
        await index(server)

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    async def watched_files_changed(params: types.DidChangeWatchedFilesParams) -> None:
        paths = [p for change in params.changes if (p := convert.to_path(change.uri))]
        await session.ready.wait()
        changed = await session.change(files_changed, paths)
        await publish_changes(server, changed)

    @server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    async def configuration_changed(params: types.DidChangeConfigurationParams) -> None:
        settings: Any = params.settings
        if ClientCaps(server.client_capabilities).configuration:
            await fetch_settings(server)  # the notification only says "something changed"
        elif isinstance(settings, dict) and settings.get("stepcat") is not None:
            error = session.apply_settings(settings)
            if error:
                server.window_show_message(
                    types.ShowMessageParams(type=types.MessageType.Warning, message=error)
                )
        await session.ready.wait()
        if session.settings.python != session.built_python:  # another environment: reindex
            await index(server)
        await session.sync_settings()
        await publish_changes(server, None)

    @server.feature(types.SHUTDOWN)
    def shutdown(params: None) -> None:
        session.executor.shutdown(wait=False, cancel_futures=True)
