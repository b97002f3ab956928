"""A Redis that does not answer takes nothing down: pages, the cart and the forms' limits go on without it, a
server that accepts connections but never replies costs one timeout per process and pause, and once Redis
answers again a new generation ends whatever a publish in the meantime could not. The real redis-py client
against a port nothing listens on, a socket that never replies, and (with `make test-services`) a real Redis
paused with CLIENT PAUSE."""

import os
import socket
import threading
import time
import uuid

import pytest
import redis

from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from products.factories import ProductPageFactory
from website import page_cache as page_cache_module
from website import redis_cache
from website.models import RateLimitCount
from website.page_cache import GENERATION_KEY, HIT_HEADER, page_cache
from website.ratelimit import allow, hits
from website.redis_cache import RedisCache

pytestmark = [pytest.mark.django_db]

OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 1}  # as config/settings/base.py sets them


def closed_port_url():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"redis://127.0.0.1:{port}/0"  # nothing listens there once the socket is closed


class SilentServer:
    """Accepts connections and never replies: a Redis that hangs, or one behind a network that drops packets."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.connections = []
        self.url = f"redis://127.0.0.1:{self.sock.getsockname()[1]}/0"
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                self.connections.append(self.sock.accept()[0])
            except OSError:
                return

    def close(self):
        for connection in self.connections:
            connection.close()
        self.sock.close()


@pytest.fixture
def redis_gone(settings):
    """The site's caches on a Redis that is not there, as production settings make them with REDIS_URL."""
    url = closed_port_url()
    settings.REDIS_URL = url
    settings.PAGE_CACHE_SECONDS = 600
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "website.redis_cache.RedisCache", "LOCATION": url, "OPTIONS": OPTIONS},
        "pages": {"BACKEND": "website.redis_cache.RedisCache", "LOCATION": url, "OPTIONS": OPTIONS},
    }
    yield url
    page_cache_module._unanswered = False


def test_pages_the_cart_and_search_answer_while_redis_does_not(redis_gone, product_index, site_settings, caplog):
    mug = ProductPageFactory(parent=product_index, title="Studio Mug")
    shopper = Client()

    pages = [shopper.get(url) for url in (mug.url, mug.url, product_index.url, reverse("search") + "?q=mug")]
    added = shopper.post(reverse("checkout:cart_add"), {"product": mug.pk, "quantity": 1})
    cart = shopper.get(reverse("checkout:cart"))

    assert [page.status_code for page in pages] == [200, 200, 200, 200]
    assert all(HIT_HEADER not in page for page in pages)  # rendered afresh, nothing stored
    assert "Studio Mug" in pages[1].content.decode()
    assert added.status_code == 302 and cart.status_code == 200 and "Studio Mug" in cart.content.decode()
    warnings = [record for record in caplog.records if record.name == "website.redis_cache"]
    assert warnings and len(warnings) <= 2  # once per cache, not once per call
    assert "redis://" not in caplog.text  # the URL may carry a password


def test_a_redis_that_never_replies_costs_one_timeout_then_is_left_alone():
    server = SilentServer()
    try:
        cache = RedisCache(server.url, {"OPTIONS": OPTIONS})
        started = time.monotonic()
        assert cache.get("page", "missed") == "missed"
        first = time.monotonic() - started
        started = time.monotonic()
        results = [cache.get("page"), cache.get_many(["a", "b"]), cache.add("lock", 1), cache.set("page", "x")]
        later = time.monotonic() - started
    finally:
        server.close()

    assert 0.9 < first < 3  # the socket timeout, not the operating system's minutes
    assert results == [None, {}, False, None]  # a miss, nothing stored, no lock granted
    assert later < 0.05 and not cache.answering()


def test_redis_is_tried_again_after_the_pause(monkeypatch):
    cache = RedisCache(closed_port_url(), {"OPTIONS": OPTIONS})
    cache.get("page")
    assert not cache.answering()

    monkeypatch.setattr(redis_cache.time, "monotonic", lambda: time.time() + 10_000)

    assert cache.answering()


def test_the_forms_limits_count_in_the_database_while_redis_does_not_answer(redis_gone):
    key = uuid.uuid4().hex

    allowed = [allow("test-outage", key, limit=2, period=60) for _attempt in range(3)]

    assert allowed == [True, True, False]  # the limit still holds
    assert hits("test-outage", key, period=60) == 3
    assert RateLimitCount.objects.count() == 1


def test_incr_still_raises_for_callers_that_count_on_it(redis_gone):
    with pytest.raises(redis.exceptions.ConnectionError):
        caches["default"].incr("count")


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs Redis: make test-services")
def test_a_publish_while_redis_is_paused_is_seen_once_it_answers_again(
    settings, product_index, site_settings, django_capture_on_commit_callbacks
):
    """CLIENT PAUSE holds every client's commands on a real Redis: they time out as over a broken network."""
    url = os.environ["REDIS_URL"].rsplit("/", 1)[0] + "/7"
    settings.PAGE_CACHE_SECONDS = 600
    settings.CACHES = {
        **settings.CACHES,
        "pages": {"BACKEND": "website.redis_cache.RedisCache", "LOCATION": url, "OPTIONS": OPTIONS},
    }
    mug = ProductPageFactory(parent=product_index, title="Studio Mug")
    assert Client().get(mug.url)[HIT_HEADER] == "miss"
    assert Client().get(mug.url)[HIT_HEADER] == "hit"
    before = page_cache().get(GENERATION_KEY)

    redis.Redis.from_url(url).execute_command("CLIENT", "PAUSE", 2500, "ALL")
    during = Client().get(mug.url)  # the pause's first call times out; the rest are not tried
    mug.title = "Studio Mug, glazed"
    with django_capture_on_commit_callbacks(execute=True):
        mug.save_revision().publish()  # its new generation cannot be stored
    time.sleep(5.5)  # the pause is over, and so is the time the process leaves Redis alone
    after = Client().get(mug.url)

    try:
        assert during.status_code == 200 and HIT_HEADER not in during
        assert after.status_code == 200 and "Studio Mug, glazed" in after.content.decode()
        assert page_cache().get(GENERATION_KEY) != before
    finally:
        page_cache().clear()
        page_cache_module._unanswered = False
