"""website/redis_cache.py against a real Redis (bin/with-services, `make test-services`): one client per pool,
the cache's behaviour unchanged, and a forked worker's first call on its own connection."""

import os
import uuid

import pytest

from django.core.cache.backends.redis import RedisCache as DjangosRedisCache

from website.redis_cache import RedisCache

pytestmark = pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs Redis: make test-services")


@pytest.fixture
def cache():
    # Database 6 of the suite's Redis: the suite's own cache keeps database 0.
    url = os.environ["REDIS_URL"].rsplit("/", 1)[0] + "/6"
    cache = RedisCache(url, {"KEY_PREFIX": f"test-{uuid.uuid4().hex}"})
    yield cache
    cache.clear()


def test_every_call_uses_one_client_per_pool(cache):
    first = cache._cache.get_client()
    assert cache._cache.get_client(write=True) is first
    assert cache._cache.get_client("a key") is first
    # Django's own builds one per call: the difference this module makes.
    django = DjangosRedisCache(cache._servers, {})._cache
    assert django.get_client() is not django.get_client()


def test_the_cache_behaves_as_djangos(cache):
    assert cache.get("missing") is None
    assert cache.add("count", 1, timeout=60)
    assert not cache.add("count", 5, timeout=60)
    assert cache.incr("count") == 2
    cache.set_many({"a": {"nested": [1, 2]}, "b": "text"}, timeout=60)
    assert cache.get_many(["a", "b", "c"]) == {"a": {"nested": [1, 2]}, "b": "text"}
    assert cache.delete("a")
    assert cache.get("a", "gone") == "gone"


def test_a_forked_worker_talks_to_redis_on_its_own_connection(cache):
    # gunicorn forks its workers after the app is loaded: a client built before the fork must still work in the
    # child, which redis-py's pool ensures by opening new connections there.
    cache.set("before-the-fork", "parent", timeout=60)
    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - the child reports through the pipe
        try:
            answer = cache.get("before-the-fork")
            cache.set("from-the-child", "child", timeout=60)
            os.write(write, answer.encode())
        finally:
            os._exit(0)
    os.close(write)
    answer = os.read(read, 100).decode()
    os.waitpid(child, 0)

    assert answer == "parent"
    assert cache.get("from-the-child") == "child"
    assert cache.get("before-the-fork") == "parent"
