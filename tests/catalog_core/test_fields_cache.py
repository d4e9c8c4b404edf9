"""catalog_core.fields: cached answers follow file changes, the editor's text is used while it is
open, and ``invalidate`` lets a new module resolve a missing base (the fixture tree, copied:
``fields_support.py``).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from fields_support import EXPECTED, FIXTURE

from catalog_core.fields import (
    FieldResolver,
)

# ---- caching, editor text, invalidation --------------------------------------------------------


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURE, tmp_path / "fields")
    return tmp_path / "fields"


def _roots(tree: Path) -> list[str]:
    return [str(tree / r) for r in EXPECTED["roots"]]


def test_cached_answers_follow_file_changes(tree: Path) -> None:
    resolver = FieldResolver(_roots(tree), mode="static")
    module = str(tree / EXPECTED["classes"]["TabularPreprocessingConfig"]["module"])
    first = resolver.fields_of(module, "TabularPreprocessingConfig")
    assert first is not None
    assert resolver.fields_of(module, "TabularPreprocessingConfig") is first  # cached
    base = tree / "src/fw/core/base/config_base.py"
    text = base.read_text().replace(
        "    pipeline_version: str", "    new_field: int = 3\n    pipeline_version: str"
    )
    base.write_text(text)
    os.utime(base, ns=(1, 1))  # a different mtime even on coarse clocks
    second = resolver.fields_of(module, "TabularPreprocessingConfig")
    assert second is not None and second is not first
    assert second.fields["new_field"].owner == "BasePipelineConfig"


def test_editor_text_is_used_and_invalidated(tree: Path) -> None:
    buffers: dict[str, str] = {}
    resolver = FieldResolver(_roots(tree), text_of=buffers.get, mode="static")
    module = tree / EXPECTED["classes"]["ReadableConfig"]["module"]
    assert resolver.fields_of(str(module), "HalfTypedConfig") is None
    fixed = module.read_text().replace('description="unfinished"', 'description="finished")')
    buffers[str(module)] = fixed
    resolved = resolver.fields_of(str(module), "HalfTypedConfig")
    assert resolved is not None and resolved.fields["half_field"].fact.description == "finished"
    del buffers[str(module)]
    assert resolver.fields_of(str(module), "HalfTypedConfig") is None


def test_invalidate_lets_a_new_module_resolve_a_missing_base(tree: Path) -> None:
    resolver = FieldResolver(_roots(tree), mode="static")
    module = str(tree / EXPECTED["classes"]["OrphanConfig"]["module"])
    before = resolver.fields_of(module, "OrphanConfig")
    assert before is not None and not before.complete
    ghost = tree / "src/fw/missing_module.py"
    ghost.write_text(
        "from pydantic import BaseModel\n\nclass GhostBase(BaseModel):\n    boo: int = 1\n"
    )
    resolver.invalidate(str(ghost))
    after = resolver.fields_of(module, "OrphanConfig")
    assert after is not None and after.complete
    assert after.fields["boo"].owner == "GhostBase"
    assert [link.name for link in after.chain][:2] == ["OrphanConfig", "GhostBase"]
    resolver.invalidate()
    assert resolver.fields_of(module, "OrphanConfig") == after
