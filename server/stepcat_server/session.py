"""The server's state: the workspace folders, settings, open documents and the one catalog.

Every catalog operation runs on a single analysis thread, in arrival order: an edit is always
seen by the requests that follow it, and the event loop stays free to read messages and
cancellations while the catalog works. Several ``didChange`` of one document coalesce into
one update of its latest text.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from lsprotocol import types

from catalog_core import Problem, StepCatalog
from catalog_core.base.guard import guarded_list
from catalog_core.base.paths import deepest_owner

from . import convert
from .settings import ServerSettings, parse_settings
from .snapshot import Snapshot

if TYPE_CHECKING:
    from pygls.lsp.server import LanguageServer

log = logging.getLogger("stepcat.session")
T = TypeVar("T")
# Open Python documents are parsed for syntax errors up to this size: parsing is the one
# analysis whose cost grows with the document (~0.1 s per MB) and it runs after every edit.
SYNTAX_CHECK_MAX_CHARS = 1_000_000


class Session:
    def __init__(self, server: LanguageServer) -> None:
        self.server = server
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="stepcat-analysis")
        self.catalog: StepCatalog | None = None
        self.folders: list[str] = []
        self.settings = ServerSettings()
        self.folder_settings: dict[str, ServerSettings] = {}
        self._raw_init: dict[str, Any] = {}
        self._raw_global: dict[str, Any] = {}
        self._raw_folders: dict[str, dict[str, Any]] = {}
        self._ready: asyncio.Event | None = None
        self._lines: dict[str, tuple[str, tuple[str, ...]]] = {}  # uri -> (source, lines)
        self._disk_lines: dict[str, list[str]] = {}
        self._disk_generation = -1
        self._pending: set[str] = set()  # uris whose latest text the analysis thread has not seen
        self.published: set[str] = set()  # paths with diagnostics pushed to the client
        self.build_error: str | None = None  # why the last (re)index failed, until one succeeds
        self.loop: asyncio.AbstractEventLoop | None = None

    # -- running work ------------------------------------------------------------------------

    @property
    def ready(self) -> asyncio.Event:
        if self._ready is None:
            self._ready = asyncio.Event()
        return self._ready

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        """Run ``fn`` on the analysis thread after everything queued before it. A failure is
        logged with its traceback and re-raised (the client gets an error response)."""
        self.loop = asyncio.get_running_loop()

        def guarded() -> T:
            try:
                return fn(*args)
            except Exception:
                log.exception("stepcat: %s failed", getattr(fn, "__name__", fn))
                raise

        return await self.loop.run_in_executor(self.executor, guarded)

    async def query(self, fn: Callable[..., T], *args: Any) -> T | None:
        """A request's work: waits for the first index, then runs on the analysis thread."""
        await self.ready.wait()
        if self.catalog is None:
            return None
        return await self.run(fn, *args)

    def call_in_loop(self, fn: Callable[..., Any], *args: Any) -> None:
        if self.loop is not None:
            self.loop.call_soon_threadsafe(fn, *args)

    # -- settings ----------------------------------------------------------------------------

    def apply_settings(
        self, raw: Any, folder: str | None = None, *, initial: bool = False
    ) -> str | None:
        """Layer settings: initializationOptions, then the global ``stepcat`` section, then a
        folder's. A source that configures nothing changes nothing."""
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
        if self.catalog is not None:
            self.catalog.extra_job_types = self.extra_job_types()
            self.catalog.index.cache().clear()
        return error

    def settings_for(self, path: str | None) -> ServerSettings:
        owner = deepest_owner(path, self.folder_settings) if path else None
        return self.folder_settings[owner] if owner else self.settings

    def extra_job_types(self) -> set[str]:
        jobs = set(self.settings.job_types)
        for settings in self.folder_settings.values():
            jobs.update(settings.job_types)
        return jobs

    # -- text --------------------------------------------------------------------------------

    def document(self, uri: str) -> Any | None:
        """The open document with this uri, or None."""
        return self.server.workspace.text_documents.get(uri)

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

    def snapshot(self, uri: str, position: types.Position | None = None) -> Snapshot | None:
        """The open document now (on the event loop), with the cursor in code points."""
        doc = self.document(uri)
        path = convert.to_path(uri)
        if doc is None or path is None:
            return None
        lines = self.lines(uri)
        if position is None:
            return Snapshot(uri, path, doc.source, lines)
        if position.line >= len(lines):  # past the end: no name there (clients may be ahead)
            return Snapshot(uri, path, doc.source, lines, len(lines), 0)
        text = lines[position.line].rstrip("\r")
        column = min(convert.column_from_client(text, position.character, self.encoding), len(text))
        return Snapshot(uri, path, doc.source, lines, position.line, column)

    def line_of(self, path: str, line: int) -> str:
        """A line of a file: from its open document, else from disk (cached until the catalog
        changes). Used only to convert columns on non-ASCII lines."""
        uri = convert.to_uri(path)
        if self.document(uri) is not None:
            lines = self.lines(uri)
        else:
            generation = self.catalog.index.generation if self.catalog else 0
            if generation != self._disk_generation:
                self._disk_lines.clear()
                self._disk_generation = generation
            if path not in self._disk_lines:
                try:
                    self._disk_lines[path] = (
                        Path(path).read_text(encoding="utf-8", errors="replace").split("\n")
                    )
                except OSError:
                    self._disk_lines[path] = []
            lines = tuple(self._disk_lines[path])
        return lines[line].rstrip("\r") if line < len(lines) else ""

    @property
    def encoding(self) -> str:
        return str(self.server.workspace.position_encoding or types.PositionEncodingKind.Utf16)

    # -- indexing and sync -------------------------------------------------------------------

    def build(self, progress: Callable[[str, int, int], None] | None = None) -> None:
        """(Re)build the catalog over the workspace folders, then replay open documents."""
        catalog = StepCatalog(self.folders, progress=progress)
        catalog.extra_job_types = self.extra_job_types()
        for uri, doc in list(self.server.workspace.text_documents.items()):
            path = convert.to_path(uri)
            if path is not None:
                catalog.set_document(path, doc.source)
        self.catalog = catalog
        self._pending.clear()

    def sync(self, uri: str) -> set[str] | None:
        """Bring the catalog up to date with one document's current text (or its disk state
        once closed). Runs on the analysis thread; returns the paths whose problems changed."""
        self._pending.discard(uri)
        path = convert.to_path(uri)
        if path is None or self.catalog is None:
            return set()
        doc = self.document(uri)
        changed = (
            self.catalog.set_document(path, doc.source)
            if doc is not None
            else self.catalog.close_document(path)
        )
        return None if changed is None else {str(p) for p in changed} | {path}

    def mark_pending(self, uri: str) -> bool:
        """Note that a document changed; True when no sync for it is queued yet."""
        if uri in self._pending:
            return False
        self._pending.add(uri)
        return True

    def files_changed(self, paths: list[str]) -> set[str] | None:
        if self.catalog is None:
            return set()
        changed = self.catalog.update(paths)
        return None if changed is None else {str(p) for p in changed} | set(paths)

    # -- diagnostics -------------------------------------------------------------------------

    def problems_for(self, path: str) -> list[Problem]:
        """A file's problems as the client should see them (runs on the analysis thread)."""
        assert self.catalog is not None
        problems = self.catalog.problems(path)
        doc = self.document(convert.to_uri(path))
        if (
            path.endswith(".py")
            and doc is not None
            and len(doc.source) <= SYNTAX_CHECK_MAX_CHARS
            and self.settings_for(path).check_syntax
        ):
            seen = {(p.rule, p.span) for p in problems}
            problems += [
                p for p in self.catalog.check_syntax([path]) if (p.rule, p.span) not in seen
            ]
        return problems

    def diagnostics_for(self, path: str) -> list[types.Diagnostic]:
        """A file's diagnostics; a failure while computing them becomes one diagnostic on the
        file (so one bad file never stops the others' diagnostics)."""
        settings = self.settings_for(path)
        found = []
        problems = guarded_list(path, "computing diagnostics", lambda: self.problems_for(path))
        for problem in problems:
            level = settings.level(problem.rule, problem.severity.value)
            if level is not None:
                found.append(convert.lsp_diagnostic(problem, level, self.line_of, self.encoding))
        return found

    def paths_with_problems(self) -> set[str]:
        assert self.catalog is not None
        return {str(p.path) for p in self.catalog.problems() if p.path is not None}

    def open_paths(self) -> set[str]:
        uris = list(self.server.workspace.text_documents)  # a snapshot: the loop thread edits it
        return {p for uri in uris if (p := convert.to_path(uri))}

    def diagnostics_batch(
        self, changed: set[str] | None
    ) -> list[tuple[str, list[types.Diagnostic]]]:
        """For push clients: (path, diagnostics) to publish after a change, clearing files that
        no longer have problems. ``changed`` None means any file may have changed."""
        if self.catalog is None:
            return []
        candidates = (
            self.paths_with_problems() | self.published | self.open_paths()
            if changed is None
            else set(changed)
        )
        batch = []
        for path in sorted(candidates):
            diagnostics = (
                self.diagnostics_for(path)
                if os.path.exists(path) or path in self.open_paths()
                else []
            )
            if diagnostics or path in self.published:
                batch.append((path, diagnostics))
        return batch

    def folder_of(self, path: str) -> str | None:
        return deepest_owner(path, self.folders)
