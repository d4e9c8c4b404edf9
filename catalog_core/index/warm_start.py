"""When the index uses the persisted snapshot, under which key, and when it writes it.

The cache file is named by the roots (one file per set of roots: a settings edit replaces it
rather than adding one). Its header carries the code stamp (this stepcat's version and its
sources' sizes and times: any change to the code that reads files invalidates every cache) and
the full key (roots, their settings, the framework's sources). A snapshot is written after a
cold build, and again after a warm start that found so many changed files that applying them
costs more than writing (``RESAVE_AFTER``), that re-linked every step, or that met files the
snapshot could not trust (written in its racy window: they would be read by every start); a
smaller drift is applied again by the next start.
"""

from __future__ import annotations

import json
import os
import sys
import time
from functools import cache
from typing import TYPE_CHECKING, Any

from catalog_core import __version__
from catalog_core.base import cache_store, memory
from catalog_core.index import snapshot, snapshot_format, snapshot_write
from catalog_core.sources.discovery import Discovery

if TYPE_CHECKING:
    from catalog_core.index.catalog_index import CatalogIndex

#: Re-write the snapshot when a warm start applied more changed files than this: applying one
#: costs ~0.5 ms (read, extract, re-link: 50 files ~25 ms), writing the whole snapshot
#: ~0.3-0.6 s at N = 5,000 (benchmarks/README.md), so about a thousand is where they meet.
RESAVE_AFTER = 1000


def worth_saving(restored: snapshot.Restored) -> bool:
    """Write the snapshot again after this warm start (see the module's docstring)."""
    return len(restored.changed) > RESAVE_AFTER or restored.relink or restored.untrusted > 0


@cache
def code_stamp() -> str:
    """stepcat's version, Python's, and every source file of ``catalog_core`` (size, mtime)."""
    top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    parts = [__version__, sys.version.split()[0], str(snapshot_format.FORMAT)]
    for folder, dirs, files in os.walk(top):
        dirs.sort()
        for name in sorted(files):
            if name.endswith(".py"):
                try:
                    st = os.stat(os.path.join(folder, name))
                except OSError:
                    continue
                rel = os.path.relpath(os.path.join(folder, name), top)
                parts.append(f"{rel}:{st.st_size}:{st.st_mtime_ns}")
    return "\n".join(parts)


def keys(index: CatalogIndex) -> tuple[str, str]:
    """(the file's name key: the roots; the full key: roots, settings and sources)."""
    name = "\0".join(index.root_paths)
    full = json.dumps(
        {
            "sources": index.root_paths,
            "roots": [[root, s.model_dump(mode="json")] for root, s in index.roots],
        },
        sort_keys=True,
    )
    return name, full


def enabled(index: CatalogIndex, wanted: bool | None) -> bool:
    """The cache is used unless the caller, ``STEPCAT_CACHE=off`` or a root's settings
    (``cache = false``) say otherwise, and never while editor buffers exist (they are not
    the files on disk)."""
    if wanted is False or (wanted is None and not cache_store.enabled_by_environment()):
        return False
    return not index.buffers and all(s.cache for _, s in index.roots)


def load(index: CatalogIndex) -> cache_store.Loaded | None:
    """The snapshot written for this index's roots and settings by this code, if any."""
    name, full = keys(index)
    return cache_store.load(cache_store.cache_file(name), code_stamp(), full)


def stored_registries(loaded: cache_store.Loaded | None) -> dict[str, Any]:
    found = loaded.payload.get("registries") if loaded is not None else None
    return found if type(found) is dict else {}


def unchanged_candidates(loaded: cache_store.Loaded | None) -> dict[str, Any] | None:
    """Leaf component folders the walk need not list again if their stamp is unchanged."""
    if loaded is None:
        return None
    return snapshot.unchanged_candidates(loaded.payload, loaded.blob)


def stored_interfaces(loaded: cache_store.Loaded | None) -> dict[str, Any]:
    if loaded is None:
        return {}
    return snapshot.stored_interfaces(loaded.payload, loaded.blob)


def restore(
    index: CatalogIndex, loaded: cache_store.Loaded | None, found: Discovery
) -> snapshot.Restored | None:
    """The restored snapshot; None when there is none, when it does not fit these files (a
    registry or a tree changed) or when it is not what this version writes. A snapshot
    turned away is not trusted in any part: the caller starts over, cold."""
    if loaded is None:
        return None
    return snapshot.restore(index, loaded.payload, loaded.blob, found)


def save(index: CatalogIndex, started_ns: int) -> bool:
    """Write the snapshot; then give the write's freed temporaries back to the system (else
    they stay mapped and the answers that follow add to them: the peak)."""
    saved = _save(index, started_ns)
    memory.give_back()
    return saved


def _save(index: CatalogIndex, started_ns: int) -> bool:
    encoded = snapshot_write.encode(index, started_ns)
    if encoded is None:
        return False
    payload, blob, files = encoded
    name, full = keys(index)
    return cache_store.save(
        cache_store.cache_file(name), code_stamp(), full, started_ns, payload, blob, files
    )


def now_ns() -> int:
    return time.time_ns()
