"""The ``cache`` setting: on (the default) the server persists its index in the cache folder
(the suite's temporary one, inherited from the test process), off it writes nothing there."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from catalog_core.base import cache_store

IRR = Path(__file__).resolve().parents[1] / "fixtures" / "irregular"


def _files_for(root: Path) -> list[dict]:
    return [r for r in cache_store.describe() if r["roots"] and str(root) in r["roots"]]


@pytest.mark.parametrize("cache", [None, True, False], ids=["default", "on", "off"])
async def test_the_cache_setting(editor, tmp_path: Path, cache: bool | None) -> None:
    root = (tmp_path / "irregular").resolve()
    shutil.copytree(IRR, root)
    await editor.start(root, options=None if cache is None else {"cache": cache})
    rows = _files_for(root)
    if cache is False:
        assert rows == []
    else:
        (row,) = rows
        assert row["files"] > 0 and row["bytes"] > 0
