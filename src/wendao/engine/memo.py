"""Data derived once from a long-lived object (a catalog, its planning data, a policy), for the engine's hot
paths.

Catalog objects are frozen pydantic models without a usable hash, so the cache is keyed by identity. Each
entry holds the object itself: while it is cached its id cannot be handed to another object, so a later
catalog never finds an earlier one's data. The cache keeps the few most recently built entries.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class PerObject(Generic[K, V]):
    """``cache.get(obj, build)``: ``build(obj)`` the first time, the same value afterwards (for ``obj``
    itself, not for an equal copy)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: dict[int, tuple[K, V]] = {}

    def get(self, obj: K, build: Callable[[K], V]) -> V:
        hit = self._entries.get(id(obj))
        if hit is not None and hit[0] is obj:
            return hit[1]
        value = build(obj)
        if len(self._entries) >= self.size:
            self._entries.pop(next(iter(self._entries)))
        self._entries[id(obj)] = (obj, value)
        return value
