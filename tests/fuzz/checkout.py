"""This checkout's ``catalog_core`` and ``stepcat_server`` first on ``sys.path``, whatever is
installed (an editable install may point at another checkout). Every harness module that
imports them imports this module first; ``campaign.py`` does, so a saved ``repro.py`` (which
imports ``campaign``) runs this checkout's code too."""

from __future__ import annotations

import os
import sys
from contextlib import AbstractContextManager
from pathlib import Path
from unittest import mock

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
for _p in (str(REPO / "server"), str(REPO), str(HERE)):  # this checkout's code, not an install
    if _p in sys.path:
        sys.path.remove(_p)
    sys.path.insert(0, _p)


def private_cache(folder: Path) -> AbstractContextManager[object]:
    """The persisted index's cache folder set to ``folder`` (for this process and the children
    it starts): a run writes its snapshot there, a later start in the same case begins warm
    from it (both paths fuzzed), and the user's own cache folder is left alone."""
    return mock.patch.dict(os.environ, {"STEPCAT_CACHE_DIR": str(folder)})
