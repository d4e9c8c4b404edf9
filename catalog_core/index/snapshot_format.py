"""What the persisted index's two halves share: the format's version, the stamps of files
(and when one cannot be trusted), the kinds' ids and what must match for a snapshot to be
used (``checks``)."""

from __future__ import annotations

import json
import os
from typing import TYPE_CHECKING, Any

from catalog_core.models import ComponentType

if TYPE_CHECKING:
    from catalog_core.index.catalog_index import CatalogIndex

FORMAT = 3  # bump when what is stored changes
RACY_NS = 2_000_000_000  # coarse file systems stamp times to the second (FAT: two)
SCRIPT = ComponentType.SCRIPT
KINDS = tuple(ComponentType)
KIND_ID = {kind: i for i, kind in enumerate(KINDS)}
UNTRUSTED = (-1, 0, 0, 0)  # a stamp no file has: read again next time
KEY_SEP = "\1"  # between a key's parts (a part holding it is not stored)
Stamp = tuple[int, int, int, int]  # size, mtime_ns, ctime_ns, inode


def stamp(path: str, since_ns: int) -> Stamp:
    """The file's stamp, or ``UNTRUSTED`` when it cannot be trusted next time (unreadable,
    or changed within ``RACY_NS`` of ``since_ns``: a later write in the same clock tick would
    keep it)."""
    try:
        st = os.stat(path)
    except OSError:
        return UNTRUSTED
    if max(st.st_mtime_ns, st.st_ctime_ns) >= since_ns - RACY_NS:
        return UNTRUSTED
    return st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino


def current(path: str) -> Stamp | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino


def checks(index: CatalogIndex) -> list[Any]:
    """What must be the same now as when the snapshot was written for it to be used."""
    trees = [
        [
            t.path,
            t.root,
            t.workspace_id,
            sorted([k.value, d] for k, ds in t.dirs.items() for d in ds),
        ]
        for t in index.trees
    ]
    return [trees, sorted(index.wmap.folders.items()), index.root_paths]


def plain(value: Any) -> Any:
    """JSON's view of a value (tuples as lists), to compare what was stored with what is."""
    return json.loads(json.dumps(value))
