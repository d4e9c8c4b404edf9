"""Where the persisted index lives, and how its files are written and read back.

One file per set of roots in the platform's user cache folder (``platformdirs``; the
``STEPCAT_CACHE_DIR`` environment variable points elsewhere, ``STEPCAT_CACHE=off`` turns the
cache off). A file is plain data, three parts: a JSON header line (format, the code stamp, the
key of the roots, the sizes and CRC-32 of the other parts), a JSON payload line, and a blob of
JSON fragments the payload points into (decoded one at a time, when first needed). Nothing here
can run code: ``json`` only, never ``pickle`` or ``marshal``.

Safe under concurrent processes without locks: a writer writes a temporary file in the cache
folder and renames it over the old one (``os.replace``, atomic), so a reader sees a whole old
file or a whole new one; two writers at once leave one of the two whole files. Anything that
is not exactly what we wrote (truncated, foreign, corrupt, another version, other roots) reads
as "no cache". Every failure (unwritable folder, full disk) means "no cache", never an error.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeGuard

import platformdirs

from catalog_core.base.files import FileError, read_regular

FORMAT = "stepcat index cache 2"
DIR_VARIABLE = "STEPCAT_CACHE_DIR"  # a folder instead of the user cache folder (tests use it)
SWITCH_VARIABLE = "STEPCAT_CACHE"  # "off", "0", "false" or "no" turn the cache off
_PREFIX = "index-"
_SUFFIX = ".cache"
_MAX_BYTES = 1 << 30  # a larger file is not ours
_MAX_HEADER = 1 << 16
MAX_FILES = 32  # one per set of roots; the least recently written beyond this are removed


def cache_dir() -> str:
    return os.environ.get(DIR_VARIABLE) or user_cache_dir()


def user_cache_dir() -> str:
    """The platform's user cache folder for stepcat (``platformdirs``)."""
    return str(platformdirs.user_cache_dir("stepcat", appauthor=False))


def enabled_by_environment() -> bool:
    return os.environ.get(SWITCH_VARIABLE, "").strip().lower() not in ("off", "0", "false", "no")


def cache_file(key: str) -> str:
    """The cache file of one key (the same roots in any process share it)."""
    digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()
    return os.path.join(cache_dir(), f"{_PREFIX}{digest[:24]}{_SUFFIX}")


@dataclass(slots=True)
class Loaded:
    payload: dict[str, Any]
    blob: memoryview  # a view of the file's bytes: slices are not copies
    written_ns: int


def load(path: str, stamp: str, key: str) -> Loaded | None:
    """The payload and blob of a cache file written with this code ``stamp`` for this ``key``,
    or None (missing, unreadable, truncated, foreign, corrupt, another version)."""
    try:
        raw = read_regular(path, _MAX_BYTES)  # never blocks on a FIFO or a device
        end = raw.find(b"\n", 0, _MAX_HEADER)
        if end == -1:
            return None
        header = json.loads(raw[:end])
        if not isinstance(header, dict) or header.get("format") != FORMAT:
            return None
        if header.get("stamp") != stamp or header.get("key") != key:
            return None
        size, blob_size, written = (header.get(k) for k in ("payload", "blob", "written_ns"))
        if not (_count(size) and _count(blob_size) and _count(written)):
            return None
        assert isinstance(size, int) and isinstance(blob_size, int) and isinstance(written, int)
        if len(raw) != end + 1 + size + blob_size:
            return None
        view = memoryview(raw)
        if zlib.crc32(view[end + 1 :]) != header.get("crc32"):
            return None
        payload = json.loads(view[end + 1 : end + 1 + size].tobytes())
        blob = view[end + 1 + size :]
    except (FileError, OSError, ValueError, RecursionError, MemoryError):
        return None
    if not isinstance(payload, dict):
        return None
    return Loaded(payload, blob, written)


def _count(value: object) -> TypeGuard[int]:
    return type(value) is int and value >= 0


def save(
    path: str,
    stamp: str,
    key: str,
    written_ns: int,
    payload: bytes,
    blob: Sequence[bytes | bytearray],
    files: int,
) -> bool:
    """Write the cache file all at once (temporary file + rename); False when it could not be
    written (the caller goes on without a cache). ``blob``: the data's parts, in order (they
    are written one after the other, not joined into a second copy)."""
    folder = os.path.dirname(path)
    temp = None
    try:
        os.makedirs(folder, exist_ok=True)
        crc = zlib.crc32(payload)
        for part in blob:
            crc = zlib.crc32(part, crc)
        header = {
            "format": FORMAT,
            "stamp": stamp,
            "key": key,
            "written_ns": written_ns,
            "payload": len(payload),
            "blob": sum(map(len, blob)),
            "crc32": crc,
            "files": files,
        }
        head = json.dumps(header, separators=(",", ":")).encode("utf-8", "surrogatepass")
        fd, temp = tempfile.mkstemp(prefix=".tmp-", suffix=_SUFFIX, dir=folder)
        with os.fdopen(fd, "wb") as handle:
            handle.write(head + b"\n")
            handle.write(payload)
            handle.writelines(blob)
        os.replace(temp, path)
        temp = None
        _prune(folder)
        return True
    except (OSError, ValueError):
        return False
    finally:
        if temp is not None:
            with contextlib.suppress(OSError):
                os.unlink(temp)


def _prune(folder: str) -> None:
    """Keep the ``MAX_FILES`` most recently written cache files (projects not opened for a
    while give their space back; a removed file only means a cold start next time)."""
    try:
        entries = [e for e in os.scandir(folder) if e.name.startswith(_PREFIX)]
        if len(entries) <= MAX_FILES:
            return
        entries.sort(key=lambda e: e.stat().st_mtime_ns, reverse=True)
    except OSError:
        return
    for old in entries[MAX_FILES:]:
        with contextlib.suppress(OSError):
            os.unlink(old.path)


def cache_files() -> list[str]:
    folder = cache_dir()
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return []
    return [
        os.path.join(folder, n)
        for n in names
        if n.endswith(_SUFFIX) and (n.startswith(_PREFIX) or n.startswith(".tmp-"))
    ]


def clear() -> int:
    """Remove every cache file (and leftover temporary files); returns how many."""
    removed = 0
    for path in cache_files():
        with contextlib.suppress(OSError):
            os.unlink(path)
            removed += 1
    return removed


def describe() -> list[dict[str, Any]]:
    """One row per cache file: path, bytes, key (the roots) and the files it describes."""
    rows = []
    for path in cache_files():
        size, key, files = 0, None, None
        try:
            size = os.path.getsize(path)
            raw = read_regular(path, _MAX_BYTES)
            header = json.loads(raw[: raw.find(b"\n", 0, _MAX_HEADER)])
            if isinstance(header, dict):
                key = header.get("key") if isinstance(header.get("key"), str) else None
                files = header.get("files") if _count(header.get("files")) else None
        except (FileError, OSError, ValueError, RecursionError, MemoryError):
            key, files = None, None
        rows.append({"path": path, "bytes": size, "roots": key, "files": files})
    return rows
