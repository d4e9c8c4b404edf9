"""Config-file commands (``fix-config-types``); filled in with the config_types module."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    return None
