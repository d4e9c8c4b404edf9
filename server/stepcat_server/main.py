"""Starting the server: stdio (default) or TCP, with logging to stderr or a file."""

from __future__ import annotations

import argparse
import faulthandler
import logging
import signal
import sys


def _address(value: str) -> tuple[str, int]:
    host, _, port = value.rpartition(":")
    return host or "127.0.0.1", int(port)


def run(args: argparse.Namespace) -> int:
    handlers: list[logging.Handler] = [logging.StreamHandler(sys.stderr)]
    if getattr(args, "log_file", None):
        handlers.append(logging.FileHandler(args.log_file))
    logging.basicConfig(
        level=logging.INFO,
        handlers=handlers,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    logging.getLogger("pygls").setLevel(logging.WARNING)
    if hasattr(signal, "SIGUSR1"):  # `kill -USR1 <pid>`: every thread's stack to the log
        faulthandler.register(signal.SIGUSR1, file=sys.stderr, all_threads=True)
    from .server import create_server

    server = create_server()
    if getattr(args, "tcp", None):
        server.start_tcp(*_address(args.tcp))
    else:
        server.start_io()
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m stepcat_server", description="stepcat language server"
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--stdio", action="store_true")
    mode.add_argument("--tcp", metavar="HOST:PORT")
    parser.add_argument("--log-file")
    return run(parser.parse_args(argv))
