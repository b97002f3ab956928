"""Liveness probe, answered before host validation and SSL redirects so that a container's own
HEALTHCHECK (plain HTTP to 127.0.0.1) and a load balancer always reach it."""

from django.http import JsonResponse

LIVENESS_PATH = "/health/"


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == LIVENESS_PATH and request.method in ("GET", "HEAD"):
            response = JsonResponse({"status": "ok"})
            response["Cache-Control"] = "no-store"
            return response
        return self.get_response(request)
