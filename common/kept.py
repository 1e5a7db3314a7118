"""What a process keeps of values that never change once made: the newest few,
found by a key that names everything they were made from (so a kept value is
never stale, only dropped when newer ones push it out)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Generic, TypeVar

Value = TypeVar("Value")
_every: list[KeptInProcess] = []


class KeptInProcess(Generic[Value]):
    """A thread-safe store of the `size` values last used, by key."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._values: OrderedDict[Hashable, Value] = OrderedDict()
        self._lock = threading.Lock()
        _every.append(self)

    def get(self, key: Hashable) -> Value | None:
        with self._lock:
            value = self._values.get(key)
            if value is not None:
                self._values.move_to_end(key)
            return value

    def put(self, key: Hashable, value: Value) -> Value:
        with self._lock:
            self._values[key] = value
            self._values.move_to_end(key)
            while len(self._values) > self.size:
                self._values.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._values.clear()

    def __len__(self) -> int:
        return len(self._values)


def forget_all() -> None:
    """Empty every store (a test starts from nothing kept)."""
    for kept in _every:
        kept.clear()


# Cache backends whose values live in the process that wrote them (or nowhere):
# a value a process keeps itself gains nothing from being copied there too.
_PROCESS_LOCAL_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


def cache_is_shared(alias: str = "default") -> bool:
    """Whether the cache `alias` is one other processes read (Redis,
    Memcached, a database), not one of this process alone."""
    from django.conf import settings

    backend = settings.CACHES.get(alias, {}).get("BACKEND", "")
    return backend not in _PROCESS_LOCAL_CACHES
