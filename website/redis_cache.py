"""Django's Redis cache, with one redis-py client kept per connection pool.

Django's client builds a new `redis.Redis` for every cache call, and building one copies redis-py's table of
about 170 response callbacks: on a page view that reads the cache three times, more time than the reads
themselves take on a local Redis. A `redis.Redis` is safe to share between threads (each command borrows a
connection from the pool) and its pool reconnects in a forked worker, so one per pool is enough.
"""

from django.core.cache.backends import redis


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
