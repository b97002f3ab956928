"""The scale profile's shape on one machine: two stateless gunicorn replicas with production settings on
PostgreSQL and Redis, sharing the media and private folders, behind docker/nginx.conf. What one replica
starts the other carries on (a shopper's cart, a rate limit's count), nginx answers /static/ itself and
hands paid files over by X-Accel-Redirect, and either replica's readiness probe sees the database and Redis.

docker-compose.yml's scale profile runs this with containers; here the images for PostgreSQL, Redis and
nginx cannot be pulled (no registry), so the same servers run from Debian's packages, started by
bin/with-services for `make test-services`. Skipped without DATABASE_URL (PostgreSQL) and REDIS_URL.
"""

import http.cookiejar
import json
import os
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from .servers import shell
from .test_production import NGINX, PROJECT, fetch, free_port, manage, nginx_config, production_env

pytestmark = pytest.mark.skipif(
    not (os.environ.get("DATABASE_URL", "").startswith("postgres") and os.environ.get("REDIS_URL")),
    reason="needs PostgreSQL and Redis: make test-services",
)

REPLICAS = 2
CLIENT = "198.51.100.7"  # the shopper's address, as nginx (the one trusted proxy) reports it


def redis_database(url, number):
    """The same Redis server, another database: the suite's own cache keeps its own."""
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path=f"/{number}"))


def start_replica(env, port):
    return subprocess.Popen(
        [
            sys.executable, "-m", "gunicorn", "config.wsgi:application",
            "--bind", f"127.0.0.1:{port}", "--workers", "1", "--no-control-socket",
        ],
        cwd=PROJECT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip


def wait_for(url, process, what):
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if fetch(url)[0] == 200:
                return
        except OSError:
            time.sleep(0.2)
    process.terminate()
    pytest.fail(f"{what} did not start: {process.stderr.read().decode()[-2000:]}")


@pytest.fixture(scope="module")
def scaled(tmp_path_factory):
    """Migrated and demo-loaded once, as the compose `migrate` service does, then the replicas and nginx;
    the tests share them, as they would share a deployment (each uses its own visitor)."""
    tmp_path = tmp_path_factory.mktemp("scale")
    proxy_port = free_port()
    ports = [free_port() for _ in range(REPLICAS)]
    nginx_conf, folders = nginx_config(tmp_path / "proxy", listen_port=proxy_port, app_ports=ports)
    env = production_env(
        tmp_path,
        DATABASE_URL=os.environ["DATABASE_URL"],
        REDIS_URL=redis_database(os.environ["REDIS_URL"], 7),
        MEDIA_ROOT=str(folders["media"]),
        PRIVATE_ROOT=str(folders["private"]),
        STATIC_ROOT=str(folders["static"]),
        DOWNLOAD_DELIVERY="x-accel",
        TRUSTED_PROXY_COUNT="1",
        FORWARDED_ALLOW_IPS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        SESSION_COOKIE_SECURE="false",
        CSRF_COOKIE_SECURE="false",
        MIGRATE_ON_START="false",
    )
    for args in (["migrate", "--noinput"], ["collectstatic", "--noinput"], ["load_demo", "--renditions=none"]):
        result = manage(env, *args)
        assert result.returncode == 0, result.stderr[-2000:]

    replicas = [start_replica(env, port) for port in ports]
    proxy = None
    try:
        for port, replica in zip(ports, replicas, strict=True):
            wait_for(f"http://127.0.0.1:{port}/health/", replica, f"replica on {port}")
        proxy = subprocess.Popen(
            [NGINX, "-e", "stderr", "-c", str(nginx_conf)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        wait_for(f"http://127.0.0.1:{proxy_port}/health/", proxy, "nginx")
        yield {
            "env": env,
            "replicas": [f"http://127.0.0.1:{port}" for port in ports],
            "proxy": f"http://127.0.0.1:{proxy_port}",
            "folders": folders,
        }
    finally:
        for process in [*replicas, *([proxy] if proxy else [])]:
            process.terminate()
            process.wait(timeout=10)


class Browser:
    """A cookie jar and the shopper's forwarded address, across hosts and ports (cookies ignore ports)."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def open(self, url, data=None):
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": self.csrf()}).encode() if data else None
        request = urllib.request.Request(url, data=body, headers={"X-Forwarded-For": CLIENT})
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def csrf(self):
        return next(cookie.value for cookie in self.jar if cookie.name == "csrftoken")


def test_a_cart_started_on_one_replica_is_there_on_the_other(scaled):
    first, second = scaled["replicas"]
    product = json.loads(
        shell(
            scaled["env"],
            "import json; from products.models import ProductPage; "
            "p = ProductPage.objects.live().filter(on_sale=True, kind='digital').order_by('pk').first(); "
            "print(json.dumps({'pk': p.pk, 'title': p.title, 'url': p.url}))",
        )
    )
    shopper = Browser()
    assert shopper.open(first + product["url"])[0] == 200  # the CSRF cookie
    status, _ = shopper.open(first + "/cart/add/", {"product": product["pk"], "quantity": 1})
    assert status == 200  # redirected back to the cart

    status, cart = shopper.open(second + "/cart/")
    assert status == 200 and product["title"] in cart


def test_a_rate_limit_counts_across_replicas(scaled):
    first, second = scaled["replicas"]
    shopper = Browser()
    shopper.open(first + "/orders/find/")
    ask = {"email": "someone@example.com", "number": "NOPE0000"}
    answers = [shopper.open(first + "/orders/find/", ask)[0] for _ in range(3)]
    assert answers == [200, 200, 200]  # within the per-email limit (3 an hour), each told "on its way"
    assert shopper.open(second + "/orders/find/", ask)[0] == 429  # the fourth, on the other replica


def test_nginx_serves_static_files_and_paid_downloads_and_both_replicas_are_ready(scaled):
    proxy = scaled["proxy"]
    grant_url = shell(
        scaled["env"],
        "from checkout.models import DownloadGrant; "
        "grant = DownloadGrant.objects.filter(line__order__user=None).order_by('-line__order__paid_at').first(); "
        "print(grant.get_absolute_url())",
    )  # a guest's paid file from the demo's orders
    status, headers, body = fetch(proxy + grant_url)
    assert status == 200 and headers["Server"].startswith("nginx")
    on_disk = {path.read_bytes() for path in Path(scaled["folders"]["private"]).rglob("*") if path.is_file()}
    assert body in on_disk  # the file itself, from the shared private folder, never through Python

    for replica in scaled["replicas"]:
        status, _, ready = fetch(replica + "/health/ready/")
        checks = json.loads(ready)
        assert status == 200 and checks["status"] == "ok", checks
