"""The ``stepcat`` command line: the same index and checks as the editor, for people and CI.

Subcommands register themselves in ``COMMANDS``; ``serve`` hands over to the language server
package at call time (the core itself never imports it).
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
import traceback
from collections.abc import Sequence

from catalog_core import __version__
from catalog_core.base.cache_store import SWITCH_VARIABLE
from catalog_core.cli.catalog_commands import register as register_catalog_commands
from catalog_core.cli.common import CliError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="stepcat",
        description="Index, check and serve an ML pipeline step catalog (never runs its code).",
    )
    parser.add_argument("--version", action="version", version=f"stepcat {__version__}")
    parser.add_argument(
        "--debug",
        action="store_true",
        help="print tracebacks of internal errors (accepted before or after the command)",
    )
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="index without the persisted index (accepted before or after the command; "
        "sets STEPCAT_CACHE=off for the process and the server it starts)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    register_catalog_commands(sub)
    for register in _optional_registrations():
        register(sub)
    return parser


def _optional_registrations() -> list:
    from catalog_core.cli.cache_command import register as cache_command
    from catalog_core.cli.config_commands import register as config_commands
    from catalog_core.cli.env_command import register as env_command
    from catalog_core.cli.graph_commands import register as graph_commands
    from catalog_core.cli.integrate_commands import register as integrate_commands
    from catalog_core.cli.migrate_command import register as migrate_command
    from catalog_core.cli.rule_command import register as rule_command
    from catalog_core.cli.serve_command import register as serve_command

    return [
        cache_command,
        config_commands,
        env_command,
        graph_commands,
        integrate_commands,
        migrate_command,
        rule_command,
        serve_command,
    ]


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command. Exit status: 0 fine, 1 problems found (or nothing found), 2 a usage
    error or an internal error (one line on stderr; ``--debug`` for the traceback), 130
    interrupted, 141 the reader of the output went away (``| head``)."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args_list
    args_list = [a for a in args_list if a != "--debug"]
    if "--no-cache" in args_list:  # also for the server `stepcat serve` starts, and its children
        args_list = [a for a in args_list if a != "--no-cache"]
        os.environ[SWITCH_VARIABLE] = "off"
    _robust_streams()
    parser = build_parser()
    args = parser.parse_args(args_list)
    if args.command != "serve":  # the server configures its own logging
        _quiet_logging(debug)
    try:
        code: int = args.handler(args)
        sys.stdout.flush()
    except CliError as exc:
        print(f"stepcat: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        _silence_stdout()
        return 141
    except Exception as exc:
        if debug:
            traceback.print_exc()
        first = str(exc).splitlines()[0] if str(exc) else ""
        print(
            f"stepcat: internal error: {type(exc).__name__}{': ' + first if first else ''}"
            f"{'' if debug else ' (--debug for the traceback)'}",
            file=sys.stderr,
        )
        return 2
    return code


def _robust_streams() -> None:
    """Output never fails to encode: names with lone surrogates or undecodable bytes are
    escaped (``\\udcff``) instead of raising."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):  # a detached or closed stream
                reconfigure(errors="backslashreplace")


def _quiet_logging(debug: bool) -> None:
    """Internal errors are reported as problems (and a summary line); their tracebacks are
    for ``--debug``."""
    logger = logging.getLogger("stepcat")
    logger.propagate = False
    logger.handlers.clear()
    if debug:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG)
    else:
        logger.addHandler(logging.NullHandler())


def _silence_stdout() -> None:
    """After EPIPE, point stdout at /dev/null so the interpreter's final flush is quiet."""
    with contextlib.suppress(OSError, ValueError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
