"""Writing the persisted index (``snapshot``'s other half): the records, key tables, claims,
links, interfaces and registries of a finished build, as columns and JSON fragments."""

from __future__ import annotations

import json
import os
from typing import TYPE_CHECKING, Any

from catalog_core.index.columns import ColumnWriter
from catalog_core.index.fact_codec import encode_facts
from catalog_core.index.graph import LinkGraph
from catalog_core.index.interface_cache import encode_interface
from catalog_core.index.records import Key, Paths
from catalog_core.index.registry_cache import encode_registry
from catalog_core.index.snapshot_format import (
    KEY_SEP,
    KIND_ID,
    SCRIPT,
    UNTRUSTED,
    checks,
    stamp,
)

if TYPE_CHECKING:
    from catalog_core.index.catalog_index import CatalogIndex


class _Ids(dict[Any, int]):
    """Ids in order of first use (the payload's tables)."""

    def of(self, value: Any) -> int:
        return self.setdefault(value, len(self))


# -- writing -------------------------------------------------------------------------------------


def encode(
    index: CatalogIndex, started_ns: int
) -> tuple[bytes, list[bytes | bytearray], int] | None:
    """The payload and the data's parts (the columns, then a JSON fragment per record: written
    one after the other, never joined, so writing costs no second copy of the data), or None
    when it must not be stored (an internal error happened, or a name holds a separator: the
    next start reads everything again)."""
    if len(index.faults) or index.graph.failed or index.buffers:
        return None
    out = ColumnWriter()
    paths, keys = _Ids(), _key_ids(index)
    facts_blob: list[bytes | bytearray] = []
    count = _encode_records(index, out, paths, keys, started_ns, facts_blob)
    _encode_links(index.graph, out, paths, keys)
    _encode_claims(index.graph, out, paths)
    _encode_interfaces(index, out, started_ns)
    _encode_grouped(out, "ref", index.table.referrers, keys, paths, count)
    duplicates = _duplicates(index.graph, paths)  # may name a path first: before the column
    out.texts("paths").extend(paths)
    if not _encode_keys(out, keys):
        return None
    del paths, keys  # let go before the columns are encoded (the writer's peak)
    encoded = out.encode()
    if encoded is None:
        return None
    layout, columns = encoded
    payload = {
        "checks": checks(index),
        "count": count,
        "layout": layout,
        "facts_at": sum(map(len, columns)),
        "duplicates": duplicates,
        "stamps": {p: list(stamp(p, started_ns)) for p in sorted(index.registry_candidates)},
        "registries": {
            path: stored
            for path, facts in index.registry_facts.items()
            if (stored := encode_registry(facts)) is not None
        },
    }
    text = json.dumps(payload, separators=(",", ":"), ensure_ascii=False)
    columns.extend(facts_blob)
    return text.encode("utf-8", "surrogatepass"), columns, count


def _key_ids(index: CatalogIndex) -> _Ids:
    """Ids for the keys the snapshot will name, those with equal prefixes (every part but the
    last: the kind of key, the workspace...) numbered together, so the key column is runs of
    one prefix (``_encode_keys``). A key met later only gets the next id."""
    table = index.table
    every = dict.fromkeys(k for r in table.records.values() for k in r.provided)
    every.update(dict.fromkeys(table.provides))
    every.update(dict.fromkeys(table.referrers))
    for link in index.graph.links.values():
        every.update(dict.fromkeys(link.deps))
    ids = _Ids()
    for key in sorted(every, key=_prefix):
        ids.setdefault(key, len(ids))
    return ids


def _prefix(key: Key) -> Key:
    return key[:-1]


def _encode_keys(out: ColumnWriter, keys: _Ids) -> bool:
    """The keys in id order as runs: a run's prefix (its parts joined), its width and length,
    then every key's last part (the reader builds them with ``zip``, sharing the prefix's
    strings as a build shares them). False when a prefix part holds the separator."""
    prefixes, widths, runs = out.texts("key_prefixes"), out.ints("key_widths"), out.ints("key_runs")
    lasts = out.texts("key_lasts")
    previous: Key | None = None
    for key in keys:
        if not key:
            return False
        prefix = key[:-1]
        if prefix != previous:
            text = KEY_SEP.join(prefix)
            if prefix and text.count(KEY_SEP) != len(prefix) - 1:
                return False
            prefixes.append(text)
            widths.append(len(prefix))
            runs.append(0)
            previous = prefix
        runs[-1] += 1
        lasts.append(key[-1])
    return True


def _encode_records(
    index: CatalogIndex,
    out: ColumnWriter,
    paths: _Ids,
    keys: _Ids,
    started_ns: int,
    facts_blob: list[bytes | bytearray],
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
    count = len(paths)
    spaces, trees = _Ids(), _Ids()
    space_of, tree_of = spaces.setdefault, trees.setdefault
    out.ints("kinds").extend([KIND_ID[r.kind] for r in records])
    out.ints("in_spaces").extend([space_of(r.workspace, len(spaces)) for r in records])
    out.ints("in_trees").extend([tree_of(r.tree, len(trees)) for r in records])
    out.texts("rels").extend([r.rel for r in records])
    out.texts("cores").extend([r.core or "" for r in records])
    out.ints("counts").extend([len(r.provided) for r in records])
    out.ints("provided").extend([key_of(k, len(keys)) for r in records for k in r.provided])
    left_out = [r for r in index.table.records.values() if r.problems]  # read by the next start
    _encode_homes(index, out, records, left_out, started_ns)
    stats = out.ints("stats")
    for r in records:
        if r.kind is SCRIPT:  # located, never read: no stamp (an answer stats it)
            stats.extend((0, 0, 0, 0))
        else:
            own = stamp(r.path, started_ns)
            stats.extend(own if own[1] == r.mtime_ns else UNTRUSTED)
    # One buffer, not a bytes object per file: the writer's peak memory is the index's plus
    # this (~4 MB at 5,000 steps), not tens of thousands of small objects (benchmarks/README).
    blob = bytearray()
    starts, ends = out.ints("starts"), out.ints("ends")
    for r in records:
        facts = None if r.kind is SCRIPT else r.facts
        if facts is None:
            starts.append(0)
            ends.append(0)
        else:
            starts.append(len(blob) + 1)
            blob += encode_facts(facts)
            ends.append(len(blob))
    facts_blob.append(blob)
    out.texts("spaces").extend(spaces)
    out.texts("trees").extend(trees)
    _encode_grouped(out, "provides", index.table.provides, keys, paths, count)
    return count


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
        stats.extend(stamp(folder, started_ns) if trusted else UNTRUSTED)
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


def _encode_grouped(
    out: ColumnWriter,
    name: str,
    table: dict[Key, Paths],
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
            comps.extend((KIND_ID[kind], paths.of(path)))
        var_counts.append(len(link.variants))
        for job, path in link.variants.items():
            jobs.append(job)
            var_paths.append(paths.of(path))
        dep_counts.append(len(link.deps))
        deps.extend(keys.of(k) for k in link.deps)


def _duplicates(graph: LinkGraph, paths: _Ids) -> list[Any]:
    return [
        [i, KIND_ID[kind], paths.of(path), why]
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
        stats.extend(stamp(path, started_ns) if encoded else UNTRUSTED)
