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

import json
import os
from array import array
from dataclasses import dataclass
from itertools import accumulate, compress, repeat
from typing import TYPE_CHECKING, Any

from catalog_core.index.columns import Bad, ColumnReader, ColumnWriter
from catalog_core.index.fact_codec import FACTS_SLOT, RestoredRecord, encode_facts
from catalog_core.index.graph import LinkGraph, StepKey
from catalog_core.index.interface_cache import encode_interface
from catalog_core.index.linker import Link
from catalog_core.index.records import FactTable, Key
from catalog_core.index.registry_cache import encode_registry
from catalog_core.models import ComponentType

if TYPE_CHECKING:
    from catalog_core.index.catalog_index import CatalogIndex
    from catalog_core.sources.discovery import Discovery

FORMAT = 2  # bump when what is stored changes
RACY_NS = 2_000_000_000  # coarse file systems stamp times to the second (FAT: two)
_SCRIPT = ComponentType.SCRIPT
_KINDS = tuple(ComponentType)
_KIND_ID = {kind: i for i, kind in enumerate(_KINDS)}
_UNTRUSTED = (-1, 0, 0, 0)  # a stamp no file has: read again next time
_KEY_SEP = "\1"  # between a key's parts (a part holding it is not stored)
_new = object.__new__
Stamp = tuple[int, int, int, int]  # size, mtime_ns, ctime_ns, inode


class _Ids(dict[Any, int]):
    """Ids in order of first use (the payload's tables)."""

    def of(self, value: Any) -> int:
        return self.setdefault(value, len(self))


def _stamp(path: str, since_ns: int) -> Stamp:
    """The file's stamp, or ``_UNTRUSTED`` when it cannot be trusted next time (unreadable,
    or changed within ``RACY_NS`` of ``since_ns``: a later write in the same clock tick would
    keep it)."""
    try:
        st = os.stat(path)
    except OSError:
        return _UNTRUSTED
    if max(st.st_mtime_ns, st.st_ctime_ns) >= since_ns - RACY_NS:
        return _UNTRUSTED
    return st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino


def _current(path: str) -> Stamp | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino


# -- writing -------------------------------------------------------------------------------------


def encode(index: CatalogIndex, started_ns: int) -> tuple[bytes, bytes, int] | None:
    """The payload and data of this index, or None when it must not be stored (an internal
    error happened, or a name holds a separator: the next start reads everything again)."""
    if len(index.faults) or index.graph.failed or index.buffers:
        return None
    out = ColumnWriter()
    paths, keys = _Ids(), _Ids()
    facts_blob: list[bytes] = []
    count = _encode_records(index, out, paths, keys, started_ns, facts_blob)
    _encode_links(index.graph, out, paths, keys)
    _encode_claims(index.graph, out, paths)
    _encode_interfaces(index, out, started_ns)
    _encode_grouped(out, "ref", index.table.referrers, keys, paths, count)
    out.texts("paths").extend(paths)
    key_texts = out.texts("keys")
    for key in keys:
        text = _KEY_SEP.join(key)
        if text.count(_KEY_SEP) != len(key) - 1:
            return None
        key_texts.append(text)
    encoded = out.encode()
    if encoded is None:
        return None
    layout, columns = encoded
    payload = {
        "checks": checks(index),
        "count": count,
        "layout": layout,
        "facts_at": len(columns),
        "duplicates": _duplicates(index.graph, paths),
        "stamps": {p: list(_stamp(p, started_ns)) for p in sorted(index.registry_candidates)},
        "registries": {
            path: stored
            for path, facts in index.registry_facts.items()
            if (stored := encode_registry(facts)) is not None
        },
    }
    text = json.dumps(payload, separators=(",", ":"), ensure_ascii=False)
    data = columns + b"".join(facts_blob)
    return text.encode("utf-8", "surrogatepass"), data, count


def _encode_records(
    index: CatalogIndex,
    out: ColumnWriter,
    paths: _Ids,
    keys: _Ids,
    started_ns: int,
    facts_blob: list[bytes],
) -> int:
    """The records' columns (comprehensions: the table has a record per file)."""
    records = [
        r
        for r in index.table.records.values()
        if not r.problems and not r.rel.endswith(".step.yaml")  # interfaces: read every start
    ]
    path_of, key_of = paths.setdefault, keys.setdefault
    for r in records:
        path_of(r.path, len(paths))  # records take the first ids: ``count`` of them
    spaces, trees = _Ids(), _Ids()
    space_of, tree_of = spaces.setdefault, trees.setdefault
    out.ints("kinds").extend([_KIND_ID[r.kind] for r in records])
    out.ints("in_spaces").extend([space_of(r.workspace, len(spaces)) for r in records])
    out.ints("in_trees").extend([tree_of(r.tree, len(trees)) for r in records])
    out.texts("rels").extend([r.rel for r in records])
    out.texts("stems").extend([r.stem for r in records])
    out.texts("cores").extend([r.core or "" for r in records])
    out.ints("counts").extend([len(r.provided) for r in records])
    out.ints("provided").extend([key_of(k, len(keys)) for r in records for k in r.provided])
    left_out = [r for r in index.table.records.values() if r.problems]  # read by the next start
    _encode_homes(index, out, records, left_out, started_ns)
    stats = out.ints("stats")
    for r in records:
        if r.kind is _SCRIPT:
            stats.extend((0, r.mtime_ns, 0, 0))
        else:
            stamp = _stamp(r.path, started_ns)
            stats.extend(stamp if stamp[1] == r.mtime_ns else _UNTRUSTED)
    facts = [None if r.kind is _SCRIPT else r.facts for r in records]
    fragments = [b"" if f is None else encode_facts(f) for f in facts]
    ends = list(accumulate(map(len, fragments)))
    out.ints("ends").extend([e if f else 0 for e, f in zip(ends, fragments, strict=True)])
    out.ints("starts").extend(
        [e - len(f) + 1 if f else 0 for e, f in zip(ends, fragments, strict=True)]
    )
    facts_blob.extend(fragments)
    out.texts("spaces").extend(spaces)
    out.texts("trees").extend(trees)
    _encode_grouped(out, "provides", index.table.provides, keys, paths, len(paths))
    return len(paths)


def _encode_homes(
    index: CatalogIndex,
    out: ColumnWriter,
    records: list[Any],
    left_out: list[Any],
    started_ns: int,
) -> None:
    """The leaf component folders (no sub-folder) with their stamps, and which one each
    record was found in directly (``homes``: id + 1, 0 for none): a folder whose stamp is
    unchanged need not be listed by the next start's walk. A folder holding a file the
    snapshot leaves out (read with a problem) is always listed: only the walk finds it."""
    folders = [f for t in index.trees for fs in t.dirs.values() for f in fs]
    ids = {f: i for i, f in enumerate(folders)}
    listed = {os.path.dirname(r.path) for r in left_out}
    stats = out.ints("home_stats")
    for folder in folders:
        trusted = folder not in listed and _is_leaf(folder)
        stats.extend(_stamp(folder, started_ns) if trusted else _UNTRUSTED)
    out.texts("home_folders").extend(folders)
    homes = out.ints("homes")
    for r in records:
        folder = r.path[: len(r.path) - len(r.rel) - 1]
        home = (
            ids.get(folder, -1) if "/" not in r.rel and r.path[len(folder) :] == "/" + r.rel else -1
        )
        homes.append(home + 1)


def _is_leaf(folder: str) -> bool:
    try:
        with os.scandir(folder) as entries:
            return not any(e.is_dir() for e in entries)
    except OSError:
        return False


def unchanged_candidates(payload: dict[str, Any], data: bytes | memoryview) -> dict[str, Any]:
    """Leaf component folder -> its stamp when the snapshot was written (for the walk)."""
    try:
        columns = ColumnReader(payload["layout"], data)
        folders = columns.texts("home_folders")
        stats = columns.ints("home_stats", 4 * len(folders))
    except (Bad, KeyError, TypeError):
        return {}
    stamps = zip(stats[0::4], stats[1::4], stats[2::4], stats[3::4], strict=True)
    return {f: s for f, s in zip(folders, stamps, strict=True) if s[0] >= 0}


def _encode_grouped(
    out: ColumnWriter,
    name: str,
    table: dict[Key, list[str]],
    keys: _Ids,
    paths: _Ids,
    count: int,
) -> None:
    """A key -> files table of the stored records (ids below ``count``; interfaces and files
    with a problem are added again by the next start): the keys with one file as two id
    columns (nearly all of them), the others as key, count and files."""
    one_key, one_path = out.ints(f"{name}_one_keys"), out.ints(f"{name}_one_paths")
    many_key, many_count = out.ints(f"{name}_many_keys"), out.ints(f"{name}_many_counts")
    many_paths = out.ints(f"{name}_many_paths")
    for key, every in table.items():
        users = [p for p in every if paths.get(p, count) < count]
        if not users:
            continue
        if len(users) == 1:
            one_key.append(keys.of(key))
            one_path.append(paths.of(users[0]))
        else:
            many_key.append(keys.of(key))
            many_count.append(len(users))
            many_paths.extend(paths.of(p) for p in users)


def _encode_links(graph: LinkGraph, out: ColumnWriter, paths: _Ids, keys: _Ids) -> None:
    steps, squashed, jobs = out.texts("link_steps"), out.texts("link_keys"), out.texts("var_jobs")
    spaces = out.texts("link_spaces")
    comp_counts, comps = out.ints("comp_counts"), out.ints("comps")
    var_counts, var_paths = out.ints("var_counts"), out.ints("var_paths")
    dep_counts, deps = out.ints("dep_counts"), out.ints("deps")
    for link in graph.links.values():
        spaces.append(link.workspace)
        steps.append(link.step)
        squashed.append(link.key)
        comp_counts.append(len(link.components))
        for kind, path in link.components.items():
            comps.extend((_KIND_ID[kind], paths.of(path)))
        var_counts.append(len(link.variants))
        for job, path in link.variants.items():
            jobs.append(job)
            var_paths.append(paths.of(path))
        dep_counts.append(len(link.deps))
        deps.extend(keys.of(k) for k in link.deps)


def _duplicates(graph: LinkGraph, paths: _Ids) -> list[Any]:
    return [
        [i, _KIND_ID[kind], paths.of(path), why]
        for i, link in enumerate(graph.links.values())
        for kind, path, why in link.duplicates
    ]


def _encode_claims(graph: LinkGraph, out: ColumnWriter, paths: _Ids) -> None:
    """Which step each spec file belongs to (``""``: none; a job ``""``: the base spec), and
    the same grouped by step."""
    ids, steps, jobs = out.ints("claims"), out.texts("claim_steps"), out.texts("claim_jobs")
    for path, claim in graph.claim_by_path.items():
        ids.append(paths.of(path))
        steps.append("" if claim is None else claim[0])
        jobs.append("" if claim is None or claim[1] is None else claim[1])
    group_spaces, group_steps = out.texts("group_spaces"), out.texts("group_steps")
    counts, members, member_jobs = (
        out.ints("group_counts"),
        out.ints("group_members"),
        out.texts("group_jobs"),
    )
    for (ws, step), claimed in graph.claims.items():
        group_spaces.append(ws)
        group_steps.append(step)
        counts.append(len(claimed))
        for path, job in claimed:
            members.append(paths.of(path))
            member_jobs.append("" if job is None else job)


def _encode_interfaces(index: CatalogIndex, out: ColumnWriter, started_ns: int) -> None:
    """Every interface's facts with its stamp (untrusted, or facts with problems: read again)."""
    paths, facts, stats = (
        out.texts("iface_paths"),
        out.texts("iface_facts"),
        out.ints("iface_stats"),
    )
    for path, found in index.interfaces.items():
        encoded = encode_interface(found) if found is not None else None
        paths.append(path)
        facts.append(encoded or "")
        stats.extend(_stamp(path, started_ns) if encoded else _UNTRUSTED)


def stored_interfaces(payload: dict[str, Any], data: bytes | memoryview) -> dict[str, Any]:
    """Path -> (stamp, facts JSON) of the interfaces a snapshot holds ({} when unreadable)."""
    try:
        columns = ColumnReader(payload["layout"], data)
        paths = columns.texts("iface_paths")
        facts = columns.texts("iface_facts", len(paths))
        stats = columns.ints("iface_stats", 4 * len(paths))
    except (Bad, KeyError, TypeError):
        return {}
    stamps = zip(stats[0::4], stats[1::4], stats[2::4], stats[3::4], strict=True)
    return {p: (s, f) for p, s, f in zip(paths, stamps, facts, strict=True)}


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


# -- reading -------------------------------------------------------------------------------------


@dataclass(slots=True)
class Restored:
    changed: list[str]  # component files to update as after an edit
    relink: bool  # an interface changed: every step is linked again
    untrusted: int  # files stored without a stamp (written in the racy window): read each time


def restore(
    index: CatalogIndex, payload: dict[str, Any], data: bytes | memoryview, found: Discovery
) -> Restored | None:
    """Fill ``index.table`` and ``index.graph`` from a snapshot, or None when it cannot be used
    here (then the index is as it was and the caller builds cold)."""
    try:
        return _restore(index, payload, data, found)
    except (Bad, KeyError, IndexError, TypeError, ValueError, AttributeError):
        return None


def _restore(
    index: CatalogIndex, payload: dict[str, Any], data: bytes | memoryview, found: Discovery
) -> Restored | None:
    if _plain(payload.get("checks")) != _plain(checks(index)):
        return None
    stamps = payload["stamps"]
    if type(stamps) is not dict or set(stamps) != index.registry_candidates:
        return None
    if any(tuple(stamp) != _current(p) or stamp[0] < 0 for p, stamp in stamps.items()):
        return None  # a registry changed: its names decide every link
    # An interface read again (changed, new) or gone: every step is linked again.
    now = set(index.interfaces)
    relink = index.kept_interfaces != now or index.stored_interface_paths != now
    count, facts_at = payload["count"], payload["facts_at"]
    if type(count) is not int or type(facts_at) is not int or not 0 <= facts_at <= len(data):
        raise Bad("count")
    columns = ColumnReader(payload["layout"], data)
    paths = columns.texts("paths")
    texts = columns.texts("keys")
    keys: list[Key] = list(map(tuple, map(str.split, texts, repeat(_KEY_SEP, len(texts)))))
    if count > len(paths):
        raise Bad("count")
    table, changed, untrusted = _restore_records(columns, count, paths, keys, data, facts_at, found)
    table.referrers = _grouped(columns, "ref", keys, paths)
    graph = LinkGraph(table, index.view, index.wmap.developer_ids(), index.faults)
    _restore_claims(graph, columns, paths)
    _restore_links(graph, columns, paths, keys, payload["duplicates"])
    index.table = table
    index.graph = graph
    return Restored(changed, relink, untrusted)


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
    kinds = columns.ints("kinds", count, len(_KINDS))
    in_spaces = columns.ints("in_spaces", count, len(spaces))
    in_trees = columns.ints("in_trees", count, len(trees))
    counts = columns.ints("counts", count)
    provided = columns.ints("provided", None, len(keys))
    stats = columns.ints("stats", 4 * count)
    blob = bytes(data[facts_at:])  # its own bytes: the file's are let go after the restore
    starts = columns.ints("starts", count, len(blob) + 1)
    ends = columns.ints("ends", count, len(blob) + 1)
    rels, cores = columns.texts("rels", count), columns.texts("cores", count)
    stems = columns.texts("stems", count)
    if sum(counts) != len(provided):
        raise Bad("provided keys")
    mtimes = stats[1::4]
    folders = columns.texts("home_folders")
    homes = columns.ints("homes", count, len(folders) + 1)
    ids = {f: i + 1 for i, f in enumerate(folders)}
    unlisted = {ids[f] for f in found.unchanged if f in ids}
    kept = [home in unlisted for home in homes] if unlisted else [False] * count
    changed = _stale(paths[:count], kinds, rels, stats, mtimes, found, kept)
    table = FactTable()
    records = table.records
    worded = list(map(keys.__getitem__, provided))
    pos = 0
    new = _new
    for path, kind, workspace, tree, rel, stem, core, mtime, n, start, end in zip(
        paths[:count],
        map(_KINDS.__getitem__, kinds),
        map(spaces.__getitem__, in_spaces),
        map(trees.__getitem__, in_trees),
        rels,
        stems,
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
        record.stem = stem
        record.core = core or None
        if start:
            record._pending = (blob, start - 1, end)
        else:
            record._pending = None
            FACTS_SLOT.__set__(record, None)
        record.provided = tuple(worded[pos : pos + n]) if n != 1 else (worded[pos],)
        pos += n
        records[path] = record
    table.provides = _grouped(columns, "provides", keys, paths)
    return table, changed, stats[0::4].count(_UNTRUSTED[0])


def _stale(
    paths: list[str],
    kinds: array[int],
    rels: list[str],
    stats: array[int],
    mtimes: array[int],
    found: Discovery,
    kept: list[bool],
) -> list[str]:
    """Component files changed since the snapshot: vanished, moved, new, or another stamp.
    ``kept``: the records in folders the walk did not list (unchanged: their files are the
    snapshot's). A script is only located: its time is the walk's, or its own ``stat`` in an
    unlisted folder (``mtimes`` takes it)."""
    script = _KIND_ID[_SCRIPT]
    changed: list[str] = []
    walked = {f.path: f for f in found.components}
    if walked.keys() | set(compress(paths, kept)) != set(paths):  # came, went or moved
        for path, kind, rel, unlisted in zip(paths, kinds, rels, kept, strict=True):
            item = walked.pop(path, None)
            if unlisted:
                continue
            if item is None or item.rel != rel or item.kind is not _KINDS[kind]:
                changed.append(path)
        changed.extend(walked)
        walked = {f.path: f for f in found.components}
    for i, kind in enumerate(kinds):
        if kind == script:
            if kept[i]:
                try:
                    mtimes[i] = os.stat(paths[i]).st_mtime_ns
                except OSError:
                    changed.append(paths[i])
            elif (item := walked.get(paths[i])) is not None:
                mtimes[i] = item.mtime_ns
    checked = [kind != script for kind in kinds]
    stamps = zip(
        compress(paths, checked),
        compress(rels, checked),
        compress(stats[0::4], checked),
        compress(stats[1::4], checked),
        compress(stats[2::4], checked),
        compress(stats[3::4], checked),
        strict=True,
    )
    with _Folders() as folders:
        for path, rel, size, mtime, ctime, inode in stamps:
            st = folders.stat(path, rel)
            if (
                st is None
                or st.st_mtime_ns != mtime
                or st.st_size != size
                or st.st_ctime_ns != ctime
                or st.st_ino != inode
            ):
                changed.append(path)
    return list(dict.fromkeys(changed))


class _Folders:
    """``stat`` of a file by its name in its folder (an open folder descriptor): the kernel
    walks the folder's path once, not once per file (~15 % less in a deep tree)."""

    def __init__(self) -> None:
        self.folder = ""
        self.fd = -1

    def __enter__(self) -> _Folders:
        return self

    def __exit__(self, *_: object) -> None:
        if self.fd >= 0:
            os.close(self.fd)

    def stat(self, path: str, rel: str) -> os.stat_result | None:
        folder = path[: len(path) - len(rel) - 1]
        try:
            if not _BY_FOLDER or path[len(folder) :] != "/" + rel:  # a link's target, Windows
                return os.stat(path)
            if folder != self.folder:
                if self.fd >= 0:
                    os.close(self.fd)
                    self.fd = -1
                self.fd = os.open(folder, _FOLDER_FLAGS)
                self.folder = folder
            return os.stat(rel, dir_fd=self.fd, follow_symlinks=True)
        except OSError:
            return None


_BY_FOLDER = os.stat in os.supports_dir_fd and os.sep == "/"
_FOLDER_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0)


def _grouped(
    columns: ColumnReader, name: str, keys: list[Key], paths: list[str]
) -> dict[Key, list[str]]:
    """A table ``_encode_grouped`` wrote (built by C loops: one list per key is the cost)."""
    one_keys = columns.ints(f"{name}_one_keys", None, len(keys))
    one_paths = columns.ints(f"{name}_one_paths", len(one_keys), len(paths))
    table = dict(
        zip(
            map(keys.__getitem__, one_keys),
            map(list, zip(map(paths.__getitem__, one_paths))),
            strict=True,
        )
    )
    many_keys = columns.ints(f"{name}_many_keys", None, len(keys))
    counts = columns.ints(f"{name}_many_counts", len(many_keys))
    member = iter(columns.ints(f"{name}_many_paths", sum(counts), len(paths))).__next__
    for k, n in zip(many_keys, counts, strict=True):
        table[keys[k]] = [paths[member()] for _ in range(n)]
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
        claims[(ws, step)] = set(
            zip(members[pos : pos + n], member_jobs[pos : pos + n], strict=True)
        )
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
    comp_kinds = list(map(_KINDS.__getitem__, comps[0::2]))
    comp_paths = list(map(paths.__getitem__, comps[1::2]))
    var_paths = list(map(paths.__getitem__, columns.ints("var_paths", sum(var_counts))))
    jobs = columns.texts("var_jobs", len(var_paths))
    deps = list(map(keys.__getitem__, columns.ints("deps", sum(dep_counts), len(keys))))
    links, readers_of = graph.links, graph.deps
    made: list[Link] = []
    c = v = d = 0
    for ws, step, key, n_comps, n_vars, n_deps in zip(
        spaces, steps, squashed, comp_counts, var_counts, dep_counts, strict=True
    ):
        link = _new(Link)
        link.workspace = ws
        link.step = step
        link.key = key
        link.components = dict(
            zip(comp_kinds[c : c + n_comps], comp_paths[c : c + n_comps], strict=True)
        )
        link.variants = dict(zip(jobs[v : v + n_vars], var_paths[v : v + n_vars], strict=True))
        link.duplicates = []
        link.deps = own = set(deps[d : d + n_deps])
        c += n_comps
        v += n_vars
        d += n_deps
        step_key: StepKey = (ws, step)
        links[step_key] = link
        made.append(link)
        for k in own:
            readers = readers_of.get(k)
            if readers is None:
                readers_of[k] = [step_key]
            else:
                readers.append(step_key)
    if type(duplicates) is not list:
        raise Bad("duplicates")
    for i, kind_id, pid, why in duplicates:
        made[i].duplicates.append((_KINDS[kind_id], paths[pid], why))


def _plain(value: Any) -> Any:
    """JSON's view of a value (tuples as lists), to compare what was stored with what is."""
    return json.loads(json.dumps(value))
