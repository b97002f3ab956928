"""/health/ says the process answers; /health/ready/ says the database and the caches answer.
Both are JSON, never cached, and answered whatever the Host header or scheme."""

import json
import socket
import subprocess
import sys

import pytest

from django.core.cache import caches

from .servers import PROJECT, production_env


def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_liveness_answers_without_touching_the_database(client):
    # No django_db mark: a query here would fail the test.
    response = client.get("/health/", HTTP_HOST="unknown.example.org")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_readiness_reports_the_database_and_both_caches(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/health/ready/", HTTP_HOST="unknown.example.org")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "no-store"
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "cache:default": "ok", "cache:pages": "ok"},
    }


@pytest.mark.django_db
def test_readiness_leaves_no_probe_keys_in_the_cache(client, settings):
    # Local memory, whose keys can be listed, whichever cache the suite runs with.
    settings.CACHES = {**settings.CACHES, "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    client.get("/health/ready/")

    assert not [key for key in caches["default"]._cache if "health:" in key]


@pytest.mark.django_db
def test_readiness_is_503_when_the_cache_does_not_answer(client, settings, caplog):
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 1},
        },
    }

    response = client.get("/health/ready/")

    assert response.status_code == 503
    assert response["Cache-Control"] == "no-store"
    assert response.json() == {
        "status": "error",
        "checks": {"database": "ok", "cache:default": "error", "cache:pages": "ok"},
    }
    assert "Readiness check cache:default failed" in caplog.text
    assert "Connection refused" not in response.content.decode()  # the cause is logged, not shown


def test_readiness_is_503_when_the_database_does_not_answer(tmp_path):
    """A fresh process on production settings with PostgreSQL on a port nobody listens on."""
    env = production_env(
        tmp_path,
        ALLOWED_HOSTS="shop.example.com",
        DATABASE_URL=f"postgres://pagecart:secret@127.0.0.1:{closed_port()}/pagecart",
    )
    script = (
        "import django, json; django.setup(); from django.test import Client; "
        "r = Client().get('/health/ready/'); print(json.dumps([r.status_code, r.json()]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=PROJECT, env=env, capture_output=True, text=True, timeout=60
    )

    assert result.returncode == 0, result.stderr
    status, payload = json.loads(result.stdout.strip().splitlines()[-1])
    assert status == 503
    assert payload["checks"]["database"] == "error"
    # Without Redis the default cache is a table in that database (shared rate limits), so it fails with it.
    assert payload["checks"]["cache:default"] == "error"
    assert payload["checks"]["cache:pages"] == "ok"
