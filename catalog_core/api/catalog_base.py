"""What every part of ``StepCatalog`` shares: the index, the per-generation answer cache, and
the step queries the other parts build on (implemented in catalog.py)."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from catalog_core.index.catalog_index import CatalogIndex

if TYPE_CHECKING:
    from catalog_core.index.config_files import ConfigFiles
    from catalog_core.models import StepInfo, StepSearchResult
    from catalog_core.problems.checks import StepView

PathLike = str | os.PathLike[str]
MISSING = object()  # cache miss (None is a valid cached answer)


class CatalogBase:
    _index: CatalogIndex

    @property
    def index(self) -> CatalogIndex:
        return self._index

    def _cached(self, key: tuple[object, ...]) -> object:
        return self._index.cache().get(key, MISSING)

    # Implemented by StepCatalog (catalog.py); declared here for the other parts.
    def _view(self, step: str, workspace_id: str | None) -> StepView | None:
        raise NotImplementedError

    def get_step_info(
        self, step_name: str, job_type: str | None = None, *, workspace_id: str | None = None
    ) -> StepInfo | None:
        raise NotImplementedError

    def split_node_name(
        self, node_name: str, workspace_id: str | None = None
    ) -> tuple[str, str | None] | None:
        raise NotImplementedError

    def list_available_steps(
        self, workspace_id: str | None = None, job_type: str | None = None
    ) -> list[str]:
        raise NotImplementedError

    def search_steps(self, query: str, job_type: str | None = None) -> list[StepSearchResult]:
        raise NotImplementedError

    def known_job_types(self, excluding: PathLike | None = None) -> list[str]:
        raise NotImplementedError

    def is_known_job_type(self, job_type: str, excluding: PathLike | None = None) -> bool:
        raise NotImplementedError

    def config_files_index(self) -> ConfigFiles:
        raise NotImplementedError
