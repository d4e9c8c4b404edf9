"""The real server process, driven by pytest-lsp with VS Code and Neovim capabilities."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

sys.path.insert(0, str(Path(__file__).parent))

from editor import CLIENTS, Editor

SERVER = [sys.executable, "-m", "stepcat_server"]


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER), params=CLIENTS)
async def client(lsp_client: LanguageClient, request: pytest.FixtureRequest):
    lsp_client.client_spec = request.param  # type: ignore[attr-defined]
    lsp_client.registrations = []  # type: ignore[attr-defined]

    @lsp_client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register_capability(params: types.RegistrationParams) -> None:
        lsp_client.registrations.extend(params.registrations)  # type: ignore[attr-defined]

    yield
    if lsp_client.capabilities is not None:
        await lsp_client.shutdown_session()
    else:  # never initialized (the test failed early): let the server go
        lsp_client.exit(None)


@pytest.fixture
def editor(client: LanguageClient) -> Editor:
    return Editor(client, client.client_spec)  # type: ignore[attr-defined]
