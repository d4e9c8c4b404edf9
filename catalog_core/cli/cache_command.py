"""``stepcat cache info|clear``: the persisted index (one file per set of roots in the user cache
folder; ``STEPCAT_CACHE_DIR`` moves it). ``stepcat --no-cache COMMAND`` (or ``STEPCAT_CACHE=off``,
or ``cache = false`` in ``[tool.stepcat]``) indexes without it."""

from __future__ import annotations

import argparse
import json
from typing import Any

import catalog_core.base.cache_store as cache_store


def register(sub: argparse._SubParsersAction) -> None:
    cache = sub.add_parser(
        "cache",
        help="the persisted index: where it is and what it holds (info), remove it (clear)",
    )
    cache.add_argument("action", choices=("info", "clear"))
    cache.add_argument("--format", choices=("text", "json"), default="text")
    cache.set_defaults(handler=run_cache)


def run_cache(args: argparse.Namespace) -> int:
    folder = cache_store.cache_dir()
    if args.action == "clear":
        removed = cache_store.clear()
        if args.format == "json":
            print(json.dumps({"folder": folder, "removed": removed}))
        else:
            print(f"removed {removed} cache file(s) from {folder}")
        return 0
    rows = [_row(r) for r in cache_store.describe()]
    enabled = cache_store.enabled_by_environment()
    if args.format == "json":
        print(json.dumps({"folder": folder, "enabled": enabled, "files": rows}))
        return 0
    print(f"folder: {folder}")
    print(f"enabled: {'yes' if enabled else f'no ({cache_store.SWITCH_VARIABLE})'}")
    if not rows:
        print("no cache files")
    for row in rows:
        roots = ", ".join(row["roots"]) if row["roots"] is not None else "(unreadable)"
        files = "?" if row["files"] is None else f"{row['files']:,}"
        print(f"{row['path']}: {row['bytes']:,} bytes, {files} files, roots: {roots}")
    return 0


def _row(row: dict[str, Any]) -> dict[str, Any]:
    """A described file with its roots as a list (the header's key is a JSON document whose
    ``sources`` are the roots); None when the header is not readable."""
    return {**row, "roots": _roots(row.get("roots"))}


def _roots(key: object) -> list[str] | None:
    if not isinstance(key, str):
        return None
    try:
        data = json.loads(key)
    except (ValueError, RecursionError):
        return None
    sources = data.get("sources") if isinstance(data, dict) else None
    if isinstance(sources, list) and all(isinstance(s, str) for s in sources):
        return sources
    return None
