"""One typed cache for derived answers: computed on first use, kept until the state they were
derived from changes (the index clears its memos; nobody else does)."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar, cast

T = TypeVar("T")
_MISSING = object()  # None is a valid answer


class Memo:
    __slots__ = ("_answers",)

    def __init__(self) -> None:
        self._answers: dict[Hashable, object] = {}

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The answer for ``key``, computed by ``compute()`` the first time."""
        hit = self._answers.get(key, _MISSING)
        if hit is _MISSING:
            hit = self._answers[key] = compute()
        return cast(T, hit)

    def peek(self, key: Hashable) -> object | None:
        """The answer kept for ``key``, or None (for answers checked before reuse)."""
        hit = self._answers.get(key, _MISSING)
        return None if hit is _MISSING else hit

    def put(self, key: Hashable, value: T) -> T:
        self._answers[key] = value
        return value

    def clear(self) -> None:
        self._answers.clear()

    def __len__(self) -> int:
        return len(self._answers)
