"""Sources: where catalog files come from. The seam every kind of origin plugs into.

A source is a folder the walker indexes, with what kind of origin it is, its precedence (a
higher one wins when two sources define the same step) and whether stepcat may write there.
Today every root the user opened is a ``workspace`` source; step packs are found inside them
(``<project>/step_pack``, see ``sources.discovery``); the framework installed in a Python
environment will be a read-only ``package`` source of the lowest precedence.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum


class SourceKind(str, Enum):
    WORKSPACE = "workspace"  # a folder the user opened (the framework's tree, a project)
    PACK = "pack"  # a project's own steps (``step_pack/``), inside a workspace
    PACKAGE = "package"  # the framework as installed in a Python environment (read-only)

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True, slots=True)
class Source:
    path: str
    kind: SourceKind
    precedence: int  # higher wins
    read_only: bool


def workspace_sources(roots: Iterable[str]) -> list[Source]:
    """The folders the user opened, the first one winning over the later ones."""
    paths = [os.path.abspath(r) for r in roots]
    return [
        Source(p, SourceKind.WORKSPACE, len(paths) - i, read_only=False)
        for i, p in enumerate(paths)
    ]
