"""Site-wide pieces of a page (header navigation, footer) kept rendered between requests.

Whole pages come from the page cache for everyone, signed in or not; a miss, an editor's page or one with
flash messages is rendered afresh. What the header and footer show is the same for everyone on a site, so
it is kept in the "fragments" cache under the page cache's generation: publishing, a settings change or a
snippet edit that empties the page cache makes these stale at the same moment, in every process. Nothing
per visitor is ever stored here (no CSRF token, no user, no current-page marker); the header's account name
is filled in by site.js (accounts/visitor.py).
"""

from django.conf import settings
from django.core.cache import caches

from wagtail.models import Site

from .page_cache import request_generation


def fragment_key(request, name):
    site = Site.find_for_request(request)
    return f"fragment:{request_generation(request)}:{site.pk if site else 0}:{name}"


def enabled(request):
    return settings.FRAGMENT_CACHE_SECONDS > 0 and not getattr(request, "is_preview", False)


def cached(request, name, build):
    """build() once per site and generation (always, in a preview: its page holds unsaved edits)."""
    if not enabled(request):
        return build()
    cache = caches["fragments"]
    key = fragment_key(request, name)
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, settings.FRAGMENT_CACHE_SECONDS)
    return value
