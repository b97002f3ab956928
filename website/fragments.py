"""Site-wide pieces of a page (header navigation, footer) kept rendered between requests.

Whole pages come from the page cache for everyone, signed in or not; a miss, an editor's page or one with
flash messages is rendered afresh. What the header and footer show is the same for everyone on a site, so
it is kept in the "fragments" cache under the page cache's generation: publishing, a settings change or a
snippet edit that empties the page cache makes these stale at the same moment, in every process. Nothing
per visitor is ever stored here (no CSRF token, no user, no current-page marker); the header's account name
is filled in by site.js (accounts/visitor.py).

A page's own parts (its head and its main content) are kept the same way, per page address: a visit the
whole-page cache cannot answer (a campaign's link whose plain address is not kept yet, an editor, a flash
message pending, a cache entry evicted) still skips rendering the page's blocks, pictures and structured data.
Only a plain GET of a Wagtail page's own address qualifies; forms keep working because each stored CSRF token is
swapped for the visitor's own, as the page cache does.
"""

import hashlib

from django.conf import settings
from django.core.cache import caches

from wagtail.models import Site

from .page_cache import SKIP_ATTR, is_tracking_parameter, request_generation, with_csrf_token, without_csrf_token


def fragment_key(request, name):
    site = Site.find_for_request(request)
    return f"fragment:{request_generation(request)}:{site.pk if site else 0}:{name}"


def enabled(request):
    # No generation: the page cache does not answer, and what is kept now could not be made stale by a publish.
    return (
        settings.FRAGMENT_CACHE_SECONDS > 0
        and not getattr(request, "is_preview", False)
        and request_generation(request) is not None
    )


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


# What kept_in_process() holds: {fragment key: value}, the keys carrying their generation. Bounded: a new
# generation's values replace the old ones, which are dropped all at once when there are too many.
_IN_PROCESS: dict[str, object] = {}
IN_PROCESS_KEPT = 128


def kept_in_process(request, name, build):
    """As cached(), and kept in this process's memory too for the rest of the generation, for the site-wide
    values every request reads: the header, the footer, the site settings, what search keeps. Each read of
    the fragments cache was a round trip to Redis (about 0.2 ms, eight of them on a search) or an unpickling
    (a model instance: the site settings). Only site-wide values belong here, a handful per generation, never
    one per page. The same object serves every request: callers copy it before changing it."""
    if not enabled(request):
        return build()
    key = fragment_key(request, name)
    try:
        return _IN_PROCESS[key]
    except KeyError:
        pass
    value = cached(request, name, build)
    if len(_IN_PROCESS) >= IN_PROCESS_KEPT:
        _IN_PROCESS.clear()
    _IN_PROCESS[key] = value
    return value


def cached_each(request, names, build):
    """{name: value} for each of `names`, kept as cached() keeps one; build(names not kept) makes the rest, as a
    {name: value} for each, in one go (so what they need can be fetched together)."""
    if not enabled(request):
        return build(names)
    cache = caches["fragments"]
    keys = {name: fragment_key(request, name) for name in names}
    kept = cache.get_many(keys.values())
    values = {name: kept[key] for name, key in keys.items() if key in kept}
    if missing := [name for name in names if name not in values]:
        built = build(missing)
        cache.set_many({keys[name]: value for name, value in built.items()}, settings.FRAGMENT_CACHE_SECONDS)
        values.update(built)
    return values


def _reads_none_of_its_parameters(request, page):
    """Whether none of the address's query parameters is one the page reads (paging, filters): the page is then
    the one its plain address shows. A page that does not say which it reads is allowed tracking ones only."""
    read = getattr(page, "query_parameters", None)
    if read is None:
        return all(map(is_tracking_parameter, request.GET))
    return not any(name in read for name in request.GET)


def page_fragment_allowed(request, page):
    """Whether `page`'s parts may come from (and go to) the cache on this request: a GET of the Wagtail page
    routed to, at its own address (or one of a routable page's own, such as a shop category), not under a view
    restriction, without query parameters that change what it shows (paging, filters, a form's values)."""
    if not enabled(request) or request.method not in ("GET", "HEAD") or page is None:
        return False
    if getattr(request, SKIP_ATTR, False):  # under a view restriction: what it shows depends on the visitor
        return False
    match = getattr(request, "resolver_match", None)
    route = getattr(request, "_wagtail_route_for_request", None)
    return (
        match is not None
        and match.url_name == "wagtail_serve"
        and route is not None
        and route[0].pk == page.pk
        and _at_own_address(request, route)
        and _reads_none_of_its_parameters(request, page)
    )


def _at_own_address(request, route):
    """Wagtail's route to the page itself has no arguments; a routable page's route names the view one of its
    own patterns resolves the address to (the shop's index, a category's landing page), whose answer depends
    on the address alone, as a page's does."""
    if not route[1] and not route[2]:
        return True
    return not route[2] and getattr(request, "routable_resolver_match", None) is not None


def cached_page_part(request, page, name, build):
    """build() once per page address, part and generation; the CSRF token in it is always the visitor's."""
    if not page_fragment_allowed(request, page):
        return build()
    cache = caches["fragments"]
    address = hashlib.sha256(f"{request.scheme}://{request.get_host()}{request.path}".encode()).hexdigest()
    key = f"page-part:{request_generation(request)}:{page.pk}:{address}:{name}"
    value = cache.get(key)
    if value is None:
        value = without_csrf_token(str(build()))
        # Kept only from the plain address: a render under a campaign's query string names it (a buy form's
        # `next`), and another visitor would carry that campaign on.
        if not request.META.get("QUERY_STRING"):
            cache.set(key, value, settings.FRAGMENT_CACHE_SECONDS)
    return with_csrf_token(value, request)
