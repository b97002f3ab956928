"""The site's URLs behind one trivial view, /bench/ok/, which goes through the whole middleware stack
(unlike /health/, answered by the first middleware): the floor every page is compared with."""

from django.http import HttpResponse
from django.urls import include, path


def ok(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bench/ok/", ok, name="bench_ok"),
    path("", include("config.urls")),
]
