"""The real server with one planted bug: definition requests on a file named ``explode.py``
raise. Robustness tests use it to see what a client gets when a handler fails."""

from __future__ import annotations

import sys

from stepcat_server.features import navigation
from stepcat_server.main import main

_real = navigation.answer_navigation


def _planted(session, snap, method, links):  # type: ignore[no-untyped-def]
    if snap is not None and snap.path.endswith("explode.py"):
        raise RuntimeError("planted failure")
    return _real(session, snap, method, links)


navigation.answer_navigation = _planted  # type: ignore[assignment]

if __name__ == "__main__":
    sys.exit(main())
