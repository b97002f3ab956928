"""Health probes, answered before host validation and SSL redirects so that a container's own
HEALTHCHECK (plain HTTP to 127.0.0.1) and a load balancer always reach them.

/health/ is liveness (the process answers, nothing else is touched); /health/ready/ is readiness
(the database and the caches answer), so a balancer stops sending traffic to a replica that has
lost its database without restarting it."""

import logging
import uuid

from django.core.cache import caches
from django.db import connections
from django.http import JsonResponse

LIVENESS_PATH = "/health/"
READINESS_PATH = "/health/ready/"
READINESS_CACHES = ("default", "pages")

logger = logging.getLogger(__name__)


def database_answers():
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone() == (1,)


def cache_answers(alias):
    # A unique key per probe: two replicas probing at once never read each other's value.
    key = f"health:{uuid.uuid4().hex}"
    cache = caches[alias]
    cache.set(key, "ok", timeout=10)
    try:
        return cache.get(key) == "ok"
    finally:
        cache.delete(key)


def readiness():
    """{"database": "ok" | "error", "cache:<alias>": ...}; a failure is logged, never shown."""
    probes = {"database": database_answers}
    probes.update({f"cache:{alias}": (lambda alias=alias: cache_answers(alias)) for alias in READINESS_CACHES})
    checks = {}
    for name, probe in probes.items():
        try:
            checks[name] = "ok" if probe() else "error"
        except Exception:
            logger.exception("Readiness check %s failed", name)
            checks[name] = "error"
    return checks


def probe_response(payload, status=200):
    response = JsonResponse(payload, status=status)
    response["Cache-Control"] = "no-store"
    return response


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        if request.path == LIVENESS_PATH:
            return probe_response({"status": "ok"})
        if request.path == READINESS_PATH:
            checks = readiness()
            ready = all(result == "ok" for result in checks.values())
            return probe_response({"status": "ok" if ready else "error", "checks": checks}, 200 if ready else 503)
        return self.get_response(request)
