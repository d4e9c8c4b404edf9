"""What the client can do, read once from its capabilities (every field is optional)."""

from __future__ import annotations

from typing import Any

from lsprotocol import types


def _get(obj: Any, *names: str) -> Any:
    for name in names:
        if obj is None:
            return None
        obj = getattr(obj, name, None)
    return obj


class ClientCaps:
    def __init__(self, caps: types.ClientCapabilities | None) -> None:
        self.caps = caps

    @property
    def pull_diagnostics(self) -> bool:
        """Whether diagnostics are pulled: the client pulls, and can be told to pull again when
        another file's change alters them (without the refresh, a pull client such as Neovim
        0.11 keeps stale diagnostics until the file itself changes; those get pushes instead)."""
        return _get(self.caps, "text_document", "diagnostic") is not None and bool(
            _get(self.caps, "workspace", "diagnostics", "refresh_support")
        )

    @property
    def progress(self) -> bool:
        return bool(_get(self.caps, "window", "work_done_progress"))

    @property
    def watch_registration(self) -> bool:
        return bool(
            _get(self.caps, "workspace", "did_change_watched_files", "dynamic_registration")
        )

    @property
    def configuration(self) -> bool:
        return bool(_get(self.caps, "workspace", "configuration"))

    def links_for(self, method: str) -> bool:
        field = {
            "textDocument/definition": "definition",
            "textDocument/declaration": "declaration",
            "textDocument/implementation": "implementation",
            "textDocument/typeDefinition": "type_definition",
        }[method]
        return bool(_get(self.caps, "text_document", field, "link_support"))

    @property
    def hover_markdown(self) -> bool:
        formats = _get(self.caps, "text_document", "hover", "content_format") or []
        return types.MarkupKind.Markdown in formats

    @property
    def completion_markdown(self) -> bool:
        formats = (
            _get(
                self.caps, "text_document", "completion", "completion_item", "documentation_format"
            )
            or []
        )
        return types.MarkupKind.Markdown in formats

    @property
    def show_document(self) -> bool:
        return bool(_get(self.caps, "window", "show_document", "support"))

    @property
    def code_lens_refresh(self) -> bool:
        return bool(_get(self.caps, "workspace", "code_lens", "refresh_support"))

    @property
    def document_changes(self) -> bool:
        """Whether a WorkspaceEdit may carry ``documentChanges`` (versioned edits, resource
        operations). Neovim applies them but declares only its resource operations."""
        edit = _get(self.caps, "workspace", "workspace_edit")
        return bool(_get(edit, "document_changes") or _get(edit, "resource_operations"))

    @property
    def rename_files(self) -> bool:
        """Whether a WorkspaceEdit may rename files (``RenameFile`` resource operations)."""
        ops = _get(self.caps, "workspace", "workspace_edit", "resource_operations") or []
        return types.ResourceOperationKind.Rename in ops
