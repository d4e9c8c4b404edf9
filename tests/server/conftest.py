"""The real server process, driven by pytest-lsp with VS Code and Neovim capabilities."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Union

import pytest
import pytest_asyncio
import pytest_lsp
from lsprotocol import types
from lsprotocol.converters import get_converter
from pytest_lsp import ClientServerConfig, LanguageClient

sys.path.insert(0, str(Path(__file__).parent))

from editor import CLIENTS, Editor

SERVER = [sys.executable, "-m", "stepcat_server"]
CONVERTER = get_converter()


def _command_or_code_action(raw: Any, _: type) -> types.Command | types.CodeAction:
    """lsprotocol reads any code action that has a ``command`` as a bare Command (losing its
    kind); a Command's ``command`` is a string, a CodeAction's is an object. Editors tell them
    apart this way too (vscode-languageclient ``Command.is``, Neovim's ``type(command)``)."""
    kind = types.Command if isinstance(raw.get("command"), str) else types.CodeAction
    return CONVERTER.structure(raw, kind)


def set_up(lsp_client: LanguageClient, spec: str) -> None:
    """What every test client does: read code actions right, answer registrations and code
    lens refreshes, and remember which editor it plays."""
    lsp_client.protocol._converter.register_structure_hook(
        Union[types.Command, types.CodeAction],  # noqa: UP007 - the key lsprotocol registers
        _command_or_code_action,
    )
    lsp_client.client_spec = spec  # type: ignore[attr-defined]
    lsp_client.registrations = []  # type: ignore[attr-defined]

    lsp_client.code_lens_refreshes = 0  # type: ignore[attr-defined]

    @lsp_client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register_capability(params: types.RegistrationParams) -> None:
        lsp_client.registrations.extend(params.registrations)  # type: ignore[attr-defined]

    @lsp_client.feature(types.WORKSPACE_CODE_LENS_REFRESH)
    def code_lens_refresh(params: None) -> None:
        lsp_client.code_lens_refreshes += 1  # type: ignore[attr-defined]


async def _session(lsp_client: LanguageClient, spec: str):
    set_up(lsp_client, spec)
    yield
    if lsp_client.capabilities is not None:
        await lsp_client.shutdown_session()
    else:  # never initialized (the test failed early): let the server go
        lsp_client.exit(None)


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER), params=CLIENTS)
async def client(lsp_client: LanguageClient, request: pytest.FixtureRequest):
    """A server of its own, for a test that edits files, changes settings or workspace
    folders, or asserts on everything the client was sent since the start."""
    async for _ in _session(lsp_client, request.param):
        yield


@pytest.fixture
def editor(client: LanguageClient) -> Editor:
    return Editor(client, client.client_spec)  # type: ignore[attr-defined]


# A server shared by a module's tests that only read (each module starts it on its fixture
# workspace, see ``shared_editor``): one server per module and client profile. Tests using it
# run in the module's event loop, where the server's pipes live.
SHARED = pytest.mark.asyncio(loop_scope="module")


@pytest_lsp.fixture(
    scope="module", config=ClientServerConfig(server_command=SERVER), params=CLIENTS
)
async def shared_client(lsp_client: LanguageClient, request: pytest.FixtureRequest):
    async for _ in _session(lsp_client, request.param):
        yield


def shared_editor(
    *folders: Path, opened: tuple[tuple[Path, str], ...] = (), name: str = "editor"
) -> Any:
    """A module-scoped ``Editor`` fixture named ``name``: the shared server started on
    ``folders``, with ``opened`` (path, language id) documents open as on disk. Tests may open
    other documents (and close them when done); they must not change files, settings or
    folders."""

    @pytest_asyncio.fixture(scope="module", loop_scope="module", name=name)
    async def fixture(shared_client: LanguageClient) -> Editor:
        editor = Editor(shared_client, shared_client.client_spec)  # type: ignore[attr-defined]
        await editor.start(*folders)
        for path, language in opened:
            await editor.open(path, language=language)
        return editor

    return fixture
