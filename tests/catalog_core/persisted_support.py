"""Helpers of the persisted-index tests: a catalog's answers in a comparable form, file times in
the past (so a snapshot trusts them), and the cache file's parts (header, payload, data) for
forging hostile files without depending on what the payload holds."""

from __future__ import annotations

import json
import os
import time
import zlib
from pathlib import Path
from typing import Any

from catalog_core import StepCatalog
from catalog_core.base import cache_store

PAST = 1_000_000  # seconds: file times this far back are outside the racy window


def answers(catalog: StepCatalog) -> dict[str, Any]:
    """What a catalog answers, broadly: every step's info and variants, every pipeline node,
    the listings, the registry, the component files, the trees and every problem."""
    steps = catalog.list_available_steps()
    out: dict[str, Any] = {
        "steps": steps,
        "workspaces": [w.model_dump() for w in catalog.list_workspaces()],
        "counts": catalog.counts(),
        "registry": [repr(r) for r in catalog.registry_rows()],
        "components": sorted(repr(c) for c in catalog.component_files()),
        "trees": [repr(t) for t in catalog.component_trees()],
        "job_types": catalog.known_job_types(),
        "problems": sorted(
            json.dumps(p.model_dump(mode="json"), sort_keys=True) for p in catalog.problems()
        ),
        "info": {},
        "nodes": {},
        "summaries": {},
    }
    for step in steps:
        info = catalog.get_step_info(step)
        out["info"][step] = None if info is None else info.model_dump(mode="json")
        out["summaries"][step] = catalog.step_summary(step)
        for job in catalog.get_job_type_variants(step):
            node = catalog.resolve_pipeline_node(f"{step}_{job}")
            out["nodes"][f"{step}_{job}"] = None if node is None else node.model_dump(mode="json")
    return out


def cold(roots: list[Path]) -> dict[str, Any]:
    return answers(StepCatalog(roots, cache=False))


def age(*roots: Path, seconds: int = PAST) -> None:
    """Set every file's and folder's times into the past (its ctime stays now: the snapshot
    must then be written more than the racy window later, see ``settle``)."""
    when = time.time() - seconds
    for root in roots:
        for folder, dirs, files in os.walk(root):
            for name in [*files, *dirs]:
                os.utime(os.path.join(folder, name), (when, when), follow_symlinks=False)


def settle() -> None:
    """Wait out the racy window after ``age`` (ctime cannot be set back: it is now)."""
    time.sleep(2.2)


def the_cache_file() -> Path:
    files = [f for f in cache_store.cache_files() if not os.path.basename(f).startswith(".tmp-")]
    assert len(files) == 1, files
    return Path(files[0])


def split(raw: bytes) -> tuple[dict[str, Any], bytes, bytes]:
    """(header, payload bytes, data bytes) of a cache file."""
    end = raw.index(b"\n")
    header = json.loads(raw[:end])
    payload = raw[end + 1 : end + 1 + header["payload"]]
    return header, payload, raw[end + 1 + header["payload"] :]


def join(header: dict[str, Any], payload: bytes, data: bytes) -> bytes:
    """A cache file that passes every check of the reader: sizes and CRC-32 recomputed."""
    header = {**header, "payload": len(payload), "blob": len(data)}
    header["crc32"] = zlib.crc32(payload + data)
    return json.dumps(header, separators=(",", ":")).encode() + b"\n" + payload + data


def leftovers() -> list[str]:
    return [f for f in cache_store.cache_files() if os.path.basename(f).startswith(".tmp-")]
