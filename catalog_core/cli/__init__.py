"""The ``stepcat`` command line: the same index and checks as the editor, for people and CI.

Subcommands register themselves in ``COMMANDS``; ``serve`` hands over to the language server
package at call time (the core itself never imports it).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from .. import __version__
from .catalog_commands import register as register_catalog_commands
from .common import CliError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="stepcat",
        description="Index, check and serve an ML pipeline step catalog (never runs its code).",
    )
    parser.add_argument("--version", action="version", version=f"stepcat {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    register_catalog_commands(sub)
    for register in _optional_registrations():
        register(sub)
    return parser


def _optional_registrations() -> list:
    from .config_commands import register as config_commands
    from .integrate_commands import register as integrate_commands
    from .serve_command import register as serve_command

    return [config_commands, integrate_commands, serve_command]


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.handler(args)
    except CliError as exc:
        print(f"stepcat: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
