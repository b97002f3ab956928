"""robots.txt: crawl everything public, skip the back office and per-visitor pages, point at the sitemap."""

from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

DISALLOWED_PATHS = (
    "/admin/",
    "/cart/",
    "/checkout/",
    "/account/",
    "/accounts/",
    "/downloads/",
    "/documents/",
    "/orders/",
)


@require_safe
@cache_control(public=True, max_age=60 * 60 * 24)
def robots_txt(request):
    lines = [
        "User-agent: *",
        *(f"Disallow: {path}" for path in DISALLOWED_PATHS),
        "Allow: /",
        "",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
