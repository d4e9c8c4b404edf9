"""``stepcat serve``: start the language server (the server package is loaded only here)."""

from __future__ import annotations

import argparse
import importlib

from catalog_core.cli.common import CliError


def register(sub: argparse._SubParsersAction) -> None:
    serve = sub.add_parser("serve", help="run the language server (stdio by default)")
    mode = serve.add_mutually_exclusive_group()
    mode.add_argument("--stdio", action="store_true", help="talk over stdin/stdout (default)")
    mode.add_argument("--tcp", metavar="HOST:PORT", help="listen on a TCP port (debugging)")
    serve.add_argument("--log-file", help="also write the server log to this file")
    serve.set_defaults(handler=run_serve)


def run_serve(args: argparse.Namespace) -> int:
    try:
        entry = importlib.import_module("stepcat_server.main")
    except ImportError as exc:  # pragma: no cover - the distribution ships both packages
        raise CliError(
            f"the language server is not installed ({exc}); pip install stepcat"
        ) from exc
    code: int = entry.run(args)
    return code
