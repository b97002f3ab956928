"""Rate limits count across worker processes without Redis: two gunicorn processes with production settings
share one SQLite database and nothing else, and every limit trips at its number, not at twice it.

Requests alternate between the two processes, so a per-process count (the old local-memory cache) would
let each allow the whole limit. allauth's failed log-ins count in the default cache (the database cache
here); the admin log-in and the API's token limits in website.ratelimit's rows.
"""

import itertools
import json
import os
import urllib.request

import pytest

from website.tests.servers import free_port, manage, production_env
from website.tests.test_scale import Browser, start_replica, wait_for

pytestmark = pytest.mark.skipif(bool(os.environ.get("REDIS_URL")), reason="proves the database path, without Redis")


@pytest.fixture(scope="module")
def two_processes(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("shared-limits")
    env = production_env(
        tmp_path, SECURE_SSL_REDIRECT="false", SESSION_COOKIE_SECURE="false", CSRF_COOKIE_SECURE="false"
    )
    env.pop("REDIS_URL", None)
    for args in (["migrate", "--noinput"], ["collectstatic", "--noinput"]):
        result = manage(env, *args)
        assert result.returncode == 0, result.stderr[-2000:]
    ports = [free_port(), free_port()]
    processes = [start_replica(env, port) for port in ports]
    try:
        for port, process in zip(ports, processes, strict=True):
            wait_for(f"http://127.0.0.1:{port}/health/", process, f"gunicorn on {port}")
        yield [f"http://127.0.0.1:{port}" for port in ports]
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=10)


def alternate(bases, count, attempt):
    """The status of `count` attempts, the first on one process, the next on the other, and so on."""
    return [attempt(bases[n % 2]) for n in range(count)]


def test_failed_shop_log_ins_stop_at_ten_a_minute_across_processes(two_processes):
    browser = Browser()
    status, body = browser.open(two_processes[0] + "/account/login/")
    assert status == 200, body[-3000:]

    def wrong_password(base):
        return browser.open(base + "/account/login/", {"login": "nobody@example.com", "password": "guess"})[0]

    assert alternate(two_processes, 12, wrong_password) == [200] * 10 + [429] * 2


def test_admin_log_ins_stop_at_ten_a_minute_across_processes(two_processes):
    browser, guess = Browser(), itertools.count()
    browser.open(two_processes[0] + "/admin/login/")

    def wrong_password(base):
        return browser.open(base + "/admin/login/", {"username": f"guess{next(guess)}@example.com", "password": "x"})[0]

    assert alternate(two_processes, 12, wrong_password) == [200] * 10 + [429] * 2


def test_api_token_guesses_stop_at_ten_a_minute_across_processes(two_processes):
    guess = itertools.count()

    def wrong_password(base):
        body = json.dumps({"email": f"guess{next(guess)}@example.com", "password": "guess"}).encode()
        request = urllib.request.Request(base + "/api/v2/auth/token/", body, {"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    assert alternate(two_processes, 12, wrong_password) == [400] * 10 + [429] * 2
