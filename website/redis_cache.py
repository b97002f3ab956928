"""Django's Redis cache, with one redis-py client kept per connection pool, that fails open.

Django's client builds a new `redis.Redis` for every cache call, and building one copies redis-py's table of
about 170 response callbacks: on a page view that reads the cache three times, more time than the reads
themselves take on a local Redis. A `redis.Redis` is safe to share between threads (each command borrows a
connection from the pool) and its pool reconnects in a forked worker, so one per pool is enough.

What is in these caches can be worked out again (pages, fragments, renditions' rows, Wagtail's site paths), so a
Redis that does not answer (restarted, out of reach, full) must not take the shop down with it: Django's backend
would raise on every page, the cart and checkout included. Here a read that fails is a miss, a write that fails
is dropped, and `add` says it stored nothing (so a lock taken with it, allauth's around its log-in limits, is not
granted). The process then leaves Redis alone for RETRY_AFTER seconds, so an unreachable server costs a request
one timeout at most, not one per call, and logs it once. `incr`, `decr` and `clear` still raise: their callers
count on them (website.ratelimit counts in the database instead). `answering(cache)` tells whether a cache is
being left alone.
"""

import logging
import time
from functools import partial

from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from django.core.cache.backends import redis
from django.core.cache.backends.base import DEFAULT_TIMEOUT

logger = logging.getLogger(__name__)

RETRY_AFTER = 5.0  # seconds without Redis after a call to it failed
UNANSWERED = (RedisConnectionError, RedisTimeoutError, OSError)


class RedisCacheClient(redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(pool)
        if client is None:
            client = self._clients[pool] = self._client(connection_pool=pool)
        return client


class RedisCache(redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
        self._left_alone_until = 0.0

    def answering(self) -> bool:
        return time.monotonic() >= self._left_alone_until

    def _or(self, fallback, call):
        """call(), or `fallback` when Redis does not answer (or is being left alone after it did not)."""
        if not self.answering():
            return fallback
        try:
            return call()
        except UNANSWERED as error:
            self._left_alone_until = time.monotonic() + RETRY_AFTER
            # Not the server's address: a URL may carry its password.
            logger.warning(
                "Redis did not answer (%s): pages and fragments are rendered afresh and nothing is stored for "
                "%.0f s in this process.",
                type(error).__name__,
                RETRY_AFTER,
            )
            return fallback

    def get(self, key, default=None, version=None):
        return self._or(default, partial(super().get, key, default, version))

    def get_many(self, keys, version=None):
        return self._or({}, partial(super().get_many, keys, version))

    def has_key(self, key, version=None):
        return self._or(False, partial(super().has_key, key, version))

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._or(None, partial(super().set, key, value, timeout, version))

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._or(list(data), partial(super().set_many, data, timeout, version))

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._or(False, partial(super().add, key, value, timeout, version))

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._or(False, partial(super().touch, key, timeout, version))

    def delete(self, key, version=None):
        return self._or(False, partial(super().delete, key, version))

    def delete_many(self, keys, version=None):
        return self._or(None, partial(super().delete_many, keys, version))


def answering(cache) -> bool:
    """False while `cache` is a Redis being left alone after it did not answer; True for any other cache."""
    return getattr(cache, "answering", lambda: True)()
