"""A Redis cache that a stopped Redis does not turn into error pages.

Nothing this site keeps in the cache is the only copy: sessions are `cached_db`
(the database holds them), allauth's rate limits and the results' computations are
rebuilt when missing. So when Redis cannot be reached, every operation behaves as
Django's dummy cache does (a read misses, a write is dropped, `add` succeeds) and
logs a warning, instead of answering 500 on every page that touches the cache, the
sign-in page first among them.

A dead Redis is not waited for: connections give up after half a second, and after
a failure this process leaves Redis alone for a few seconds (every operation a miss)
before trying again, so a request that touches the cache ten times is not ten
timeouts slower. `/healthz` calls `roundtrip()`, which bypasses all of this and
raises what Redis raised.
"""

from __future__ import annotations

import logging
import time
import uuid
from functools import wraps

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError)
# After a failure, how long this process treats Redis as down (seconds).
RETRY_AFTER = 5.0
DEFAULT_OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 1.0}

# Per server list, the monotonic time until which Redis is treated as down; shared by
# the threads of a process (Django keeps one cache object per thread).
_down_until: dict[str, float] = {}


def _resilient(fallback):
    """Run the operation unless Redis is known to be down; on a connection error or
    a timeout log a warning, remember it, and answer `fallback(*args, **kwargs)`."""

    def decorate(method):
        @wraps(method)
        def wrapper(self, *args, **kwargs):
            if _down_until.get(self._servers_key, 0.0) > time.monotonic():
                return fallback(*args, **kwargs)
            try:
                return method(self, *args, **kwargs)
            except UNREACHABLE as error:
                _down_until[self._servers_key] = time.monotonic() + RETRY_AFTER
                logger.warning(
                    "Cache unreachable (%s in %s); answering as a miss for %.0f s.",
                    type(error).__name__,
                    method.__name__,
                    RETRY_AFTER,
                )
                return fallback(*args, **kwargs)

        return wrapper

    return decorate


def _none(*args, **kwargs):
    return None


def _false(*args, **kwargs):
    return False


def _true(*args, **kwargs):
    return True


def _default(key, default=None, *args, **kwargs):
    return default


def _empty_dict(*args, **kwargs):
    return {}


def _all_keys(data, *args, **kwargs):
    return list(data)


def _not_found(key, *args, **kwargs):
    raise ValueError(f"Key '{key}' not found.")


class ResilientRedisCache(RedisCache):
    """Django's Redis cache, answering as a miss while Redis cannot be reached."""

    def __init__(self, server, params):
        params = {
            **params,
            "OPTIONS": {**DEFAULT_OPTIONS, **params.get("OPTIONS", {})},
        }
        super().__init__(server, params)
        self._servers_key = ",".join(self._servers)

    @_resilient(_true)
    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return super().add(key, value, timeout, version)

    @_resilient(_default)
    def get(self, key, default=None, version=None):
        return super().get(key, default, version)

    @_resilient(_none)
    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return super().set(key, value, timeout, version)

    @_resilient(_false)
    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return super().touch(key, timeout, version)

    @_resilient(_false)
    def delete(self, key, version=None):
        return super().delete(key, version)

    @_resilient(_empty_dict)
    def get_many(self, keys, version=None):
        return super().get_many(keys, version)

    @_resilient(_false)
    def has_key(self, key, version=None):
        return super().has_key(key, version)

    @_resilient(_not_found)
    def incr(self, key, delta=1, version=None):
        return super().incr(key, delta, version)

    @_resilient(_all_keys)
    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return super().set_many(data, timeout, version)

    @_resilient(_none)
    def delete_many(self, keys, version=None):
        return super().delete_many(keys, version)

    @_resilient(_false)
    def clear(self):
        return super().clear()

    def roundtrip(self) -> None:
        """Write and read back a random key, raising what Redis raised (for
        /healthz, which must see the failure this class otherwise hides)."""
        key = self.make_and_validate_key(f"healthz:{uuid.uuid4().hex}")
        value = uuid.uuid4().hex
        self._cache.set(key, value, 10)
        read = self._cache.get(key, None)
        self._cache.delete(key)
        if read != value:
            raise CacheMismatchError
        _down_until.pop(self._servers_key, None)


class CacheMismatchError(Exception):
    """The value read back is not the value written."""
