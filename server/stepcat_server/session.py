"""The server's state, and the two threads that share it.

The event loop owns the *session state*: workspace folders, settings, and the documents pygls
keeps. The analysis thread owns the *catalog*. Nothing else reaches the catalog: a handler
reads what it needs of the session state on the loop (a document ``Snapshot``, the settings
for a file, the open paths), then hands a function and those values to ``query`` (a read) or
``change`` (an edit, a settings change, a rebuild), which run it on the analysis thread with the
catalog as first argument, in arrival order. The session never exposes the catalog, so a
handler cannot touch it on the loop by mistake; edits and requests interleave exactly as the
client sent them. Several ``didChange`` of one document coalesce into one update of its latest
text.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeVar
from urllib.parse import unquote

from lsprotocol import types

from catalog_core.api import StepCatalog, find_framework
from catalog_core.base.guard import guarded_list
from catalog_core.base.paths import deepest_owner
from catalog_core.models import Problem

from . import convert
from .settings import ServerSettings, parse_settings
from .snapshot import Snapshot

if TYPE_CHECKING:
    from pygls.lsp.server import LanguageServer

log = logging.getLogger("stepcat.session")
T = TypeVar("T")
P = ParamSpec("P")
# Open Python documents are parsed for syntax errors up to this size: parsing is the one
# analysis whose cost grows with the document (~0.1 s per MB) and it runs after every edit.
SYNTAX_CHECK_MAX_CHARS = 1_000_000


class Session:
    def __init__(self, server: LanguageServer) -> None:
        self.server = server
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="stepcat-analysis")
        self._catalog: StepCatalog | None = None  # read and written on the analysis thread only
        self.built_python: str | None = None  # the ``python`` setting of the last (re)index
        self.build_error: str | None = None  # why the last (re)index failed, until one succeeds
        self.folders: list[str] = []
        self.settings = ServerSettings()
        self.folder_settings: dict[str, ServerSettings] = {}
        self._raw_init: dict[str, Any] = {}
        self._raw_global: dict[str, Any] = {}
        self._raw_folders: dict[str, dict[str, Any]] = {}
        self._ready: asyncio.Event | None = None
        self._lines: dict[str, tuple[str, tuple[str, ...]]] = {}  # uri -> (source, lines)
        self._pending: set[str] = set()  # uris whose latest text the analysis thread has not seen
        self.published: set[str] = set()  # paths with diagnostics pushed to the client
        self.loop: asyncio.AbstractEventLoop | None = None

    # -- running work on the analysis thread --------------------------------------------------

    @property
    def ready(self) -> asyncio.Event:
        if self._ready is None:
            self._ready = asyncio.Event()
        return self._ready

    @property
    def has_catalog(self) -> bool:
        return self._catalog is not None

    async def _run(self, fn: Callable[..., T], *args: Any) -> T:
        """``fn(*args)`` on the analysis thread after everything queued before it. A failure is
        logged with its traceback and re-raised (the client gets an error response)."""
        self.loop = asyncio.get_running_loop()

        def guarded() -> T:
            try:
                return fn(*args)
            except Exception:
                log.exception("stepcat: %s failed", getattr(fn, "__name__", fn))
                raise

        return await self.loop.run_in_executor(self.executor, guarded)

    async def query(
        self, fn: Callable[Concatenate[StepCatalog, P], T], *args: P.args, **kwargs: P.kwargs
    ) -> T | None:
        """A request's work, ``fn(catalog, *args)``: waits for the first index, then runs on the
        analysis thread; None when there is no catalog."""
        await self.ready.wait()
        return await self._run(self._with_catalog, fn, args, kwargs)

    async def change(
        self, fn: Callable[Concatenate[StepCatalog, P], T], *args: P.args, **kwargs: P.kwargs
    ) -> T | None:
        """A change of the catalog, ``fn(catalog, *args)``, in order with every request; it does
        not wait for the first index (there is nothing to change before it)."""
        return await self._run(self._with_catalog, fn, args, kwargs)

    def _with_catalog(
        self, fn: Callable[..., T], args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> T | None:
        catalog = self._catalog
        return None if catalog is None else fn(catalog, *args, **kwargs)

    async def rebuild(self, progress: Callable[[str, int, int], None] | None = None) -> None:
        """(Re)build the catalog over the folders on the analysis thread, then replay the open
        documents; the new catalog replaces the old one only when the build succeeded."""
        folders = list(self.folders)
        job_types = self.extra_job_types()
        documents = self.open_documents()
        self.built_python = self.settings.python
        await self._run(
            self._build,
            folders,
            job_types,
            documents,
            progress,
            self.built_python,
            self.settings.cache,
        )

    def _build(
        self,
        folders: list[str],
        job_types: set[str],
        documents: dict[str, str],
        progress: Callable[[str, int, int], None] | None,
        python: str | None = None,
        cache: bool = True,
    ) -> None:
        # The project's environment: only an interpreter the user named is ever run.
        framework = find_framework(folders[0], python=python) if folders else None
        catalog = StepCatalog(
            folders, progress=progress, framework=framework, cache=None if cache else False
        )
        log.info("stepcat: framework: %s", catalog.framework_report().summary)
        catalog.set_extra_job_types(job_types)
        for path, text in documents.items():
            catalog.set_document(path, text)
        self._catalog = catalog

    def call_in_loop(self, fn: Callable[..., Any], *args: Any) -> None:
        if self.loop is not None:
            self.loop.call_soon_threadsafe(fn, *args)

    # -- settings (on the loop) ---------------------------------------------------------------

    def apply_settings(
        self, raw: Any, folder: str | None = None, *, initial: bool = False
    ) -> str | None:
        """Layer settings: initializationOptions, then the global ``stepcat`` section, then a
        folder's. A source that configures nothing changes nothing. What the catalog must know
        (extra job types) reaches it through ``sync_settings`` on the analysis thread."""
        raw = raw.get("stepcat", raw) if isinstance(raw, dict) else raw
        if raw is not None and not isinstance(raw, dict):
            _, error = parse_settings(raw)
            return error
        if initial:
            self._raw_init = dict(raw or {})
        elif folder is None:
            self._raw_global = dict(raw or {})
        else:
            self._raw_folders[folder] = dict(raw or {})
        base = {**self._raw_init, **self._raw_global}
        self.settings, error = parse_settings(base)
        for name, own in self._raw_folders.items():
            self.folder_settings[name], folder_error = parse_settings({**base, **own})
            error = error or folder_error
        return error

    async def sync_settings(self) -> None:
        """Give the catalog the settings it depends on, in order with everything else."""
        await self.change(_set_job_types, self.extra_job_types())

    def settings_for(self, path: str | None) -> ServerSettings:
        owner = deepest_owner(path, self.folder_settings) if path else None
        return self.folder_settings[owner] if owner else self.settings

    def extra_job_types(self) -> set[str]:
        jobs = set(self.settings.job_types)
        for settings in self.folder_settings.values():
            jobs.update(settings.job_types)
        return jobs

    # -- documents (on the loop) --------------------------------------------------------------

    def document(self, uri: str) -> Any | None:
        """The open document with this uri, or None (pygls keys documents by unquoted uri)."""
        documents = self.server.workspace.text_documents
        return documents.get(uri) or documents.get(unquote(uri))

    def open_documents(self) -> dict[str, str]:
        """path -> text of every open document (a snapshot for the analysis thread)."""
        found = {}
        for uri, doc in list(self.server.workspace.text_documents.items()):
            path = convert.to_path(uri)
            if path is not None:
                found[path] = doc.source
        return found

    def open_versions(self) -> dict[str, int | None]:
        """uri -> version of every open document (for versioned edits)."""
        return {uri: doc.version for uri, doc in list(self.server.workspace.text_documents.items())}

    def open_paths(self) -> set[str]:
        uris = list(self.server.workspace.text_documents)
        return {p for uri in uris if (p := convert.to_path(uri))}

    def lines(self, uri: str) -> tuple[str, ...]:
        """The open document's lines (without line ends), cached for its current text."""
        doc = self.document(uri)
        if doc is None:
            return ()
        source = doc.source
        cached = self._lines.get(uri)
        if cached is not None and cached[0] is source:  # the very same text object
            return cached[1]
        lines = tuple(source.split("\n"))
        self._lines[uri] = (source, lines)
        return lines

    def forget(self, uri: str) -> None:
        """A document was closed: drop what was cached for its text."""
        self._lines.pop(uri, None)

    def cell_path(self, uri: str) -> str | None:
        """The analysis path of an open notebook's code cell: ``<notebook>.cell.py`` beside the
        notebook (no file: the cell's text is analysed as Python written there)."""
        notebook = self.server.workspace.get_notebook_document(cell_uri=uri)
        if notebook is None:
            return None
        code = any(
            c.kind == types.NotebookCellKind.Code and unquote(c.document) == unquote(uri)
            for c in notebook.cells
        )
        path = convert.to_path(notebook.uri) if code else None  # prose is not DAG code
        return f"{path}{CELL_SUFFIX}" if path is not None else None

    def notebook_cells(self, notebook_uri: str) -> list[tuple[str, str, str]]:
        """(cell uri, analysis path, text) of an open notebook's Python code cells."""
        notebook = self.server.workspace.get_notebook_document(notebook_uri=notebook_uri)
        path = convert.to_path(notebook_uri)
        if notebook is None or path is None:
            return []
        found = []
        for cell in notebook.cells:
            doc = self.document(cell.document)
            if cell.kind == types.NotebookCellKind.Code and doc is not None:
                found.append((cell.document, f"{path}{CELL_SUFFIX}", doc.source))
        return found

    def snapshot(self, uri: str, position: types.Position | None = None) -> Snapshot | None:
        """The open document now (on the event loop), with the cursor in code points."""
        doc = self.document(uri)
        path = convert.to_path(uri) or self.cell_path(uri)
        if doc is None or path is None:
            return None
        lines = self.lines(uri)
        encoding = self.encoding
        if position is None:
            return Snapshot(uri, path, doc.source, lines, encoding=encoding)
        if position.line >= len(lines):  # past the end: no name there (clients may be ahead)
            return Snapshot(uri, path, doc.source, lines, len(lines), 0, encoding)
        text = lines[position.line].rstrip("\r")
        column = min(convert.column_from_client(text, position.character, encoding), len(text))
        return Snapshot(uri, path, doc.source, lines, position.line, column, encoding)

    @property
    def encoding(self) -> str:
        return str(self.server.workspace.position_encoding or types.PositionEncodingKind.Utf16)

    def mark_pending(self, uri: str) -> bool:
        """Note that a document changed; True when no sync for it is queued yet."""
        if uri in self._pending:
            return False
        self._pending.add(uri)
        return True

    def take_pending(self, uri: str) -> tuple[str, str | None] | None:
        """On the loop, just before its sync runs: (path, latest text or None when closed)."""
        self._pending.discard(uri)
        path = convert.to_path(uri)
        if path is None:
            return None
        doc = self.document(uri)
        return path, (doc.source if doc is not None else None)

    def folder_of(self, path: str) -> str | None:
        return deepest_owner(path, self.folders)

    # -- diagnostics ----------------------------------------------------------------------------

    def diagnostics_view(self) -> DiagnosticsView:
        """What computing diagnostics needs of the session state, taken on the loop."""
        return DiagnosticsView(
            settings=self.settings,
            folder_settings=dict(self.folder_settings),
            open_documents={p: len(t) for p, t in self.open_documents().items()},
            published=set(self.published),
            encoding=self.encoding,
        )


class DiagnosticsView:
    """The session state diagnostics depend on, frozen for the analysis thread."""

    def __init__(
        self,
        settings: ServerSettings,
        folder_settings: dict[str, ServerSettings],
        open_documents: dict[str, int],
        published: set[str],
        encoding: str,
    ) -> None:
        self.settings = settings
        self.folder_settings = folder_settings
        self.open_documents = open_documents  # path -> length of its text
        self.published = published
        self.encoding = encoding

    def settings_for(self, path: str | None) -> ServerSettings:
        owner = deepest_owner(path, self.folder_settings) if path else None
        return self.folder_settings[owner] if owner else self.settings


def _set_job_types(catalog: StepCatalog, job_types: set[str]) -> None:
    catalog.set_extra_job_types(job_types)


def problems_for(catalog: StepCatalog, view: DiagnosticsView, path: str) -> list[Problem]:
    """A file's problems as the client should see them (on the analysis thread)."""
    problems = catalog.problems(path)
    size = view.open_documents.get(path)
    if (
        path.endswith(".py")
        and size is not None
        and size <= SYNTAX_CHECK_MAX_CHARS
        and view.settings_for(path).check_syntax
    ):
        seen = {(p.rule, p.span) for p in problems}
        problems += [p for p in catalog.check_syntax([path]) if (p.rule, p.span) not in seen]
    return problems


CELL_SUFFIX = ".cell.py"  # a notebook cell's analysis path: Python written beside the notebook


def diagnostics_for(
    catalog: StepCatalog, view: DiagnosticsView, path: str
) -> list[types.Diagnostic]:
    """A file's diagnostics; a failure while computing them becomes one diagnostic on the
    file (so one bad file never stops the others' diagnostics)."""
    settings = view.settings_for(path)
    found = []
    problems = guarded_list(
        path, "computing diagnostics", lambda: problems_for(catalog, view, path)
    )
    for problem in problems:
        level = settings.level(problem.rule, problem.severity.value)
        if level is not None:
            found.append(convert.lsp_diagnostic(problem, level, catalog.line_text, view.encoding))
    return found


def paths_with_problems(catalog: StepCatalog) -> set[str]:
    return {str(p.path) for p in catalog.problems() if p.path is not None}


def diagnostics_batch(
    catalog: StepCatalog, view: DiagnosticsView, changed: set[str] | None
) -> list[tuple[str, list[types.Diagnostic]]]:
    """For push clients: (path, diagnostics) to publish after a change, clearing files that no
    longer have problems. ``changed`` None means any file may have changed."""
    candidates = (
        paths_with_problems(catalog) | view.published | set(view.open_documents)
        if changed is None
        else set(changed)
    )
    batch = []
    for path in sorted(candidates):
        diagnostics = (
            diagnostics_for(catalog, view, path)
            if os.path.exists(path) or path in view.open_documents
            else []
        )
        if diagnostics or path in view.published:
            batch.append((path, diagnostics))
    return batch
