"""The persisted index: the component records and links of a finished build, written to the
cache after a cold build and restored by the next process instead of reading and linking again.

What is stored is what is expensive: every component record (its facts as a blob fragment,
decoded on first use), the key table, the reference table, the spec claims and the links with
their dependency keys. What is cheap or decides whether the rest may be trusted is computed
again by every start: settings, the walk, the registries, the interfaces, the workspace map and
the DAG usages. The snapshot is used only when its trees, workspaces and registry files are the
ones found now; then every component file is stat'ed, and the files whose stamp (size, mtime,
ctime, inode) differs, or that were written too close to the snapshot to be trusted (the racy
window), or that appeared or vanished, go through ``CatalogIndex.update`` as after an edit:
the result equals a cold build (property-tested). A changed interface re-links every step.
"""

from __future__ import annotations

import os
from array import array
from dataclasses import dataclass
from functools import partial
from itertools import compress, repeat
from sys import intern
from typing import TYPE_CHECKING, Any

from catalog_core.index.columns import NOT_OURS, Bad, ColumnReader
from catalog_core.index.fact_codec import FACTS_SLOT, RestoredRecord
from catalog_core.index.graph import SMALL_CLAIMS as _SMALL_CLAIMS
from catalog_core.index.graph import LinkGraph
from catalog_core.index.linker import Link
from catalog_core.index.records import SMALL, FactTable, Key
from catalog_core.index.snapshot_format import (
    KEY_SEP,
    KIND_ID,
    KINDS,
    SCRIPT,
    UNTRUSTED,
    checks,
    current,
    plain,
)

if TYPE_CHECKING:
    from collections.abc import Iterable

    from catalog_core.index.catalog_index import CatalogIndex
    from catalog_core.sources.discovery import Discovery

_new = object.__new__


def unchanged_candidates(payload: dict[str, Any], data: bytes | memoryview) -> dict[str, Any]:
    """Leaf component folder -> its stamp when the snapshot was written (for the walk)."""
    try:
        columns = ColumnReader(payload["layout"], data)
        folders = columns.texts("home_folders")
        stats = columns.ints("home_stats", 4 * len(folders))
    except NOT_OURS:
        return {}
    stamps = zip(stats[0::4], stats[1::4], stats[2::4], stats[3::4], strict=True)
    return {f: s for f, s in zip(folders, stamps, strict=True) if s[0] >= 0}


def stored_interfaces(payload: dict[str, Any], data: bytes | memoryview) -> dict[str, Any]:
    """Path -> (stamp, facts JSON) of the interfaces a snapshot holds ({} when unreadable)."""
    try:
        columns = ColumnReader(payload["layout"], data)
        paths = columns.texts("iface_paths")
        facts = columns.texts("iface_facts", len(paths))
        stats = columns.ints("iface_stats", 4 * len(paths))
    except NOT_OURS:
        return {}
    stamps = zip(stats[0::4], stats[1::4], stats[2::4], stats[3::4], strict=True)
    return {p: (s, f) for p, s, f in zip(paths, stamps, facts, strict=True)}


# -- reading -------------------------------------------------------------------------------------


@dataclass(slots=True)
class Restored:
    changed: list[str]  # component files to update as after an edit
    relink: bool  # an interface changed: every step is linked again
    untrusted: int  # files stored without a stamp (written in the racy window): read each time


def restore(
    index: CatalogIndex, payload: dict[str, Any], data: bytes | memoryview, found: Discovery
) -> Restored | None:
    """Fill ``index.table`` and ``index.graph`` from a snapshot. None when it does not fit
    these files (a registry or a tree changed) or is not what this version writes: then
    nothing taken from it is trusted (the caller builds cold from scratch)."""
    try:
        return _restore(index, payload, data, found)
    except NOT_OURS:
        return None


def _restore(
    index: CatalogIndex, payload: dict[str, Any], data: bytes | memoryview, found: Discovery
) -> Restored | None:
    if plain(payload.get("checks")) != plain(checks(index)):
        return None
    stamps = payload["stamps"]
    if type(stamps) is not dict or set(stamps) != index.registry_candidates:
        return None
    if any(tuple(stamp) != current(p) or stamp[0] < 0 for p, stamp in stamps.items()):
        return None  # a registry changed: its names decide every link
    # An interface read again (changed, new) or gone: every step is linked again.
    now = set(index.interfaces)
    relink = index.kept_interfaces != now or index.stored_interface_paths != now
    count, facts_at = payload["count"], payload["facts_at"]
    if type(count) is not int or type(facts_at) is not int or not 0 <= facts_at <= len(data):
        raise Bad("count")
    columns = ColumnReader(payload["layout"], data)
    paths = columns.texts("paths")
    keys = _keys(columns)
    if count > len(paths):
        raise Bad("count")
    table, changed, untrusted = _restore_records(columns, count, paths, keys, data, facts_at, found)
    # Which files' reference checks read each key: only an update asks (the columns are read
    # and checked now; the table is made then).
    referrers = _Grouped(columns, "ref", len(keys), len(paths))
    table.defer_referrers(partial(referrers.table, keys, paths))
    graph = LinkGraph(table, index.view, index.wmap.developer_ids(), index.faults)
    _restore_claims(graph, columns, paths)
    _restore_links(graph, columns, paths, keys, payload["duplicates"])
    index.table = table
    index.graph = graph
    return Restored(changed, relink, untrusted)


def _keys(columns: ColumnReader) -> list[Key]:
    """The key table, in id order: runs of keys with one prefix (``snapshot_write``), built by
    ``zip`` so a run's keys share its prefix's strings, as a cold build's keys do."""
    prefixes = columns.texts("key_prefixes")
    widths = columns.ints("key_widths", len(prefixes))
    runs = columns.ints("key_runs", len(prefixes))
    lasts = columns.texts("key_lasts", sum(runs))
    keys: list[Key] = []
    pos = 0
    for text, width, n in zip(prefixes, widths, runs, strict=True):
        parts = text.split(KEY_SEP) if width else []
        if len(parts) != width:
            raise Bad("a key prefix")
        keys.extend(zip(*map(repeat, parts, repeat(n, width)), lasts[pos : pos + n], strict=True))
        pos += n
    return keys


def _shared(texts: list[str]) -> list[str]:
    """Equal strings as one (a step's name core recurs in each of its component files)."""
    one: dict[str, str] = {}
    return list(map(one.setdefault, texts, texts))


def _restore_records(
    columns: ColumnReader,
    count: int,
    paths: list[str],
    keys: list[Key],
    data: bytes | memoryview,
    facts_at: int,
    found: Discovery,
) -> tuple[FactTable, list[str], int]:
    spaces, trees = columns.texts("spaces"), columns.texts("trees")
    kinds = columns.ints("kinds", count, len(KINDS))
    in_spaces = columns.ints("in_spaces", count, len(spaces))
    in_trees = columns.ints("in_trees", count, len(trees))
    counts = columns.ints("counts", count)
    provided = columns.ints("provided", None, len(keys))
    stats = columns.ints("stats", 4 * count)
    blob = bytes(data[facts_at:])
    starts = columns.ints("starts", count, len(blob) + 1)
    ends = columns.ints("ends", count, len(blob) + 1)
    rels, cores = columns.texts("rels", count), _shared(columns.texts("cores", count))
    if sum(counts) != len(provided):
        raise Bad("provided keys")
    mtimes = stats[1::4]
    folders = columns.texts("home_folders")
    homes = columns.ints("homes", count, len(folders) + 1)
    ids = {f: i + 1 for i, f in enumerate(folders)}
    unlisted = {ids[f] for f in found.unchanged if f in ids}
    kept = [home in unlisted for home in homes] if unlisted else [False] * count
    changed = _stale(paths[:count], kinds, rels, stats, found, kept, (folders, homes))
    table = FactTable()
    records = table.records
    worded = list(map(keys.__getitem__, provided))
    pos = 0
    new = _new
    for path, kind, workspace, tree, rel, core, mtime, n, start, end in zip(
        paths[:count],
        map(KINDS.__getitem__, kinds),
        map(spaces.__getitem__, in_spaces),
        map(trees.__getitem__, in_trees),
        rels,
        cores,
        mtimes,
        counts,
        starts,
        ends,
        strict=True,
    ):
        record = new(RestoredRecord)
        record.path = path
        record.kind = kind
        record.workspace = workspace
        record.tree = tree
        record.rel = rel
        record.mtime_ns = mtime
        record.interface = None
        record.problems = ()
        record.top_level = "/" not in rel
        record.core = core or None
        if start:  # its own bytes: freed when decoded (the blob is let go after the restore)
            record._pending = blob[start - 1 : end]
        else:
            record._pending = None
            FACTS_SLOT.__set__(record, None)
        record.provided = tuple(worded[pos : pos + n]) if n != 1 else (worded[pos],)
        pos += n
        records[path] = record
    table.provides = _grouped(columns, "provides", keys, paths)
    return table, changed, stats[0::4].count(UNTRUSTED[0])


def _stale(
    paths: list[str],
    kinds: array[int],
    rels: list[str],
    stats: array[int],
    found: Discovery,
    kept: list[bool],
    homes: tuple[list[str], array[int]],
) -> list[str]:
    """Component files changed since the snapshot: vanished, moved, new, or another stamp.
    ``kept``: the records in folders the walk did not list (unchanged: their files are the
    snapshot's). A script is only located, never read: it has no stamp to compare (its time
    is taken by an answer that shows it)."""
    script = KIND_ID[SCRIPT]
    changed: list[str] = []
    walked = {f.path: f for f in found.components}
    if walked.keys() | set(compress(paths, kept)) != set(paths):  # came, went or moved
        for path, kind, rel, unlisted in zip(paths, kinds, rels, kept, strict=True):
            item = walked.pop(path, None)
            if unlisted:
                continue
            if item is None or item.rel != rel or item.kind is not KINDS[kind]:
                changed.append(path)
        changed.extend(walked)
        walked = {f.path: f for f in found.components}
    checked = [kind != script for kind in kinds]
    stamps = zip(
        compress(paths, checked),
        compress(rels, checked),
        compress(homes[1], checked),
        compress(stats[0::4], checked),
        compress(stats[1::4], checked),
        compress(stats[2::4], checked),
        compress(stats[3::4], checked),
        strict=True,
    )
    changed.extend(_restamped(stamps, homes[0]))
    return list(dict.fromkeys(changed))


Stamped = tuple[str, str, int, int, int, int, int]  # path, rel, home, size, mtime, ctime, inode


def _restamped(stamps: Iterable[Stamped], folders: list[str]) -> list[str]:
    """The files whose stamp (size, mtime, ctime, inode) is not the one given. A file in its
    home folder (``homes``: id + 1; the records of a folder come together) is stat'ed by name
    in that folder's open descriptor: the kernel walks the folder's path once, not once per
    file (~15 % less in a deep tree). A wrong home finds another inode: the file counts as
    changed, and is read."""
    changed = []
    stat = os.stat
    fd, current = -1, 0
    try:
        for path, rel, home, size, mtime, ctime, inode in stamps:
            try:
                if home != current:
                    if fd >= 0:
                        os.close(fd)
                    fd, current = -1, home
                    if home and _BY_FOLDER:
                        fd = os.open(folders[home - 1], _FOLDER_FLAGS)
                st = stat(rel, dir_fd=fd) if fd >= 0 else stat(path)
            except OSError:
                changed.append(path)
                continue
            if (
                st.st_mtime_ns != mtime
                or st.st_size != size
                or st.st_ctime_ns != ctime
                or st.st_ino != inode
            ):
                changed.append(path)
    finally:
        if fd >= 0:
            os.close(fd)
    return changed


_BY_FOLDER = os.stat in os.supports_dir_fd and os.sep == "/"
_FOLDER_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0)


def _grouped(columns: ColumnReader, name: str, keys: list[Key], paths: list[str]) -> dict[Key, Any]:
    """A table ``_encode_grouped`` wrote, as ``records.Paths`` hold them (a tuple, a list past
    ``SMALL``), built by C loops: ``zip`` of one column gives the one-file tuples."""
    return _Grouped(columns, name, len(keys), len(paths)).table(keys, paths)


class _Grouped:
    """The columns of a grouped table, read and checked now; the table made by ``table``
    (when it is wanted: see ``FactTable.defer_referrers``)."""

    __slots__ = ("counts", "many_keys", "many_paths", "one_keys", "one_paths")

    def __init__(self, columns: ColumnReader, name: str, keys: int, paths: int) -> None:
        self.one_keys = columns.ints(f"{name}_one_keys", None, keys)
        self.one_paths = columns.ints(f"{name}_one_paths", len(self.one_keys), paths)
        self.many_keys = columns.ints(f"{name}_many_keys", None, keys)
        self.counts = columns.ints(f"{name}_many_counts", len(self.many_keys))
        self.many_paths = columns.ints(f"{name}_many_paths", sum(self.counts), paths)

    def table(self, keys: list[Key], paths: list[str]) -> dict[Key, Any]:
        table: dict[Key, Any] = dict(
            zip(
                map(keys.__getitem__, self.one_keys),
                zip(map(paths.__getitem__, self.one_paths)),
                strict=True,
            )
        )
        member = iter(self.many_paths).__next__
        for k, n in zip(self.many_keys, self.counts, strict=True):
            users = [paths[member()] for _ in range(n)]
            table[keys[k]] = tuple(users) if n <= SMALL else users
        return table


def _restore_claims(graph: LinkGraph, columns: ColumnReader, paths: list[str]) -> None:
    ids = columns.ints("claims", None, len(paths))
    steps = columns.texts("claim_steps", len(ids))
    jobs = columns.texts("claim_jobs", len(ids))
    graph.claim_by_path = dict(
        zip(
            map(paths.__getitem__, ids),
            map(_claim, steps, map(_NONE_IF_EMPTY.get, jobs, jobs)),
            strict=True,
        )
    )
    spaces = columns.texts("group_spaces")
    group_steps = columns.texts("group_steps", len(spaces))
    counts = columns.ints("group_counts", len(spaces))
    members = list(map(paths.__getitem__, columns.ints("group_members", sum(counts), len(paths))))
    texts = columns.texts("group_jobs", len(members))
    member_jobs: list[str | None] = list(map(_NONE_IF_EMPTY.get, texts, texts))
    claims = graph.claims
    pos = 0
    for ws, step, n in zip(spaces, group_steps, counts, strict=True):
        claimed = tuple(zip(members[pos : pos + n], member_jobs[pos : pos + n], strict=True))
        claims[(ws, step)] = claimed if n <= _SMALL_CLAIMS else set(claimed)
        pos += n


_NONE_IF_EMPTY: dict[str, str | None] = {"": None}  # .get(x, x): None for "", else x


def _claim(step: str, job: str | None) -> tuple[str, str | None] | None:
    return (step, job) if step else None


def _restore_links(
    graph: LinkGraph,
    columns: ColumnReader,
    paths: list[str],
    keys: list[Key],
    duplicates: Any,
) -> None:
    steps = columns.texts("link_steps")
    n = len(steps)
    spaces, squashed = columns.texts("link_spaces", n), columns.texts("link_keys", n)
    comp_counts, var_counts = columns.ints("comp_counts", n), columns.ints("var_counts", n)
    dep_counts = columns.ints("dep_counts", n)
    comps = columns.ints("comps", 2 * sum(comp_counts))
    comp_kinds = list(map(KINDS.__getitem__, comps[0::2]))
    comp_paths = list(map(paths.__getitem__, comps[1::2]))
    var_paths = list(map(paths.__getitem__, columns.ints("var_paths", sum(var_counts))))
    jobs = columns.texts("var_jobs", len(var_paths))
    deps = list(map(keys.__getitem__, columns.ints("deps", sum(dep_counts), len(keys))))
    links = graph.links
    made: list[Link] = []
    c = v = d = 0
    for ws, step, key, n_comps, n_vars, n_deps in zip(
        spaces, steps, squashed, comp_counts, var_counts, dep_counts, strict=True
    ):
        link = _new(Link)
        link.workspace = ws
        link.step = step
        link.key = intern(key)  # as Link() does: its files' keys hold the same string
        link.components = dict(
            zip(comp_kinds[c : c + n_comps], comp_paths[c : c + n_comps], strict=True)
        )
        link.variants = dict(zip(jobs[v : v + n_vars], var_paths[v : v + n_vars], strict=True))
        link.duplicates = []
        link.deps = tuple(deps[d : d + n_deps])
        c += n_comps
        v += n_vars
        d += n_deps
        links[(ws, step)] = link
        made.append(link)
    graph.defer_deps()  # which links read each key: made from the links when an update asks
    if type(duplicates) is not list:
        raise Bad("duplicates")
    for i, kind_id, pid, why in duplicates:
        made[i].duplicates.append((KINDS[kind_id], paths[pid], why))
