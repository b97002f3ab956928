"""The whole-page cache: anonymous GETs of pages (and search results) are answered from the "pages" cache.

What makes it safe:
- Only responses rendered for an anonymous visitor are stored, only from Wagtail's page view and the
  search view, only with status 200, never for a page under a view restriction (password or groups),
  and never when the render set a cookie other than CSRF's (per-visitor state was made).
- Visitors who are signed in carry a `signed_in` marker cookie (set and cleared by
  SignedInCookieMiddleware), and visitors with a flash message pending carry Django's `messages`
  cookie: both bypass the cache entirely, as do the admin, the cart, checkout and account pages.
- Forms keep working: the CSRF token in stored HTML is replaced by a placeholder, and each hit gets the
  visitor's own token, so Django's CSRF cookie and the form agree.
- Invalidation is by generation: every stored key contains the current generation, and anything that
  can change what a page shows (publishing, moving or deleting pages, snippets, settings, images, search
  promotions, sites, prices and stock) sets a new one after its transaction commits. Every process and
  every machine sharing the cache sees it at once; old entries simply expire.
"""

import hashlib
import re
import uuid

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse
from django.middleware.csrf import get_token

SIGNED_IN_COOKIE = "signed_in"
BYPASS_COOKIES = (SIGNED_IN_COOKIE, "messages")
# Never even looked up: these are per-visitor or not pages at all.
BYPASS_PREFIXES = (
    "/admin/",
    "/account/",
    "/cart/",
    "/checkout/",
    "/orders/",
    "/downloads/",
    "/documents/",
    "/api/",
    "/static/",
    "/media/",
)
CACHEABLE_VIEWS = {"wagtail_serve", "search"}
MAX_QUERY_LENGTH = 300
GENERATION_KEY = "generation"
HIT_HEADER = "X-Page-Cache"
SKIP_ATTR = "_page_cache_skip"
CSRF_INPUT = re.compile(r'(<input type="hidden" name="csrfmiddlewaretoken" value=")[^"]*(">)')
CSRF_PLACEHOLDER = "__pagecart_csrf_token__"
KEPT_HEADERS_EXCLUDED = {"set-cookie", HIT_HEADER.lower(), "content-length"}


def page_cache():
    return caches["pages"]


def invalidate():
    """Make every stored page unreachable, for every process sharing the cache."""
    page_cache().set(GENERATION_KEY, uuid.uuid4().hex, None)


def invalidate_after_commit(*args, **kwargs):
    """Signal-friendly: invalidate once the current transaction commits (at once outside one), so a
    request rendering in between cannot store the old content under the new generation."""
    transaction.on_commit(invalidate)


def skip(request):
    """Keep this request's response out of the cache (e.g. a page under a view restriction)."""
    setattr(request, SKIP_ATTR, True)


def _generation(cache):
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, uuid.uuid4().hex, None)
        generation = cache.get(GENERATION_KEY)
    return generation


def request_generation(request):
    """The current generation, read once per request: fragments cached under it (website.fragments) go
    stale exactly when whole pages do."""
    if not hasattr(request, "_page_cache_generation"):
        request._page_cache_generation = _generation(page_cache())
    return request._page_cache_generation


def _may_use_cache(request):
    return (
        request.method in ("GET", "HEAD")
        and not any(name in request.COOKIES for name in BYPASS_COOKIES)
        and not request.path.startswith(BYPASS_PREFIXES)
        and len(request.META.get("QUERY_STRING", "")) <= MAX_QUERY_LENGTH
    )


def _key(request, cache):
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    digest = hashlib.sha256(address.encode()).hexdigest()
    return f"page:{_generation(cache)}:{digest}"


def _may_store(request, response):
    match = getattr(request, "resolver_match", None)
    if (
        response.status_code != 200
        or response.streaming
        or getattr(request, SKIP_ATTR, False)
        or match is None
        or match.url_name not in CACHEABLE_VIEWS
        or "private" in response.get("Cache-Control", "")
        or "no-store" in response.get("Cache-Control", "")
    ):
        return False
    if any(name != settings.CSRF_COOKIE_NAME for name in response.cookies):
        return False
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated)


def _stored(response):
    content = CSRF_INPUT.sub(rf"\g<1>{CSRF_PLACEHOLDER}\g<2>", response.content.decode(response.charset))
    headers = {name: value for name, value in response.items() if name.lower() not in KEPT_HEADERS_EXCLUDED}
    return {"content": content, "headers": headers, "charset": response.charset}


def _from_stored(stored, request):
    content = stored["content"]
    if CSRF_PLACEHOLDER in content:
        content = content.replace(CSRF_PLACEHOLDER, get_token(request))
    response = HttpResponse(content, headers=stored["headers"], charset=stored["charset"])
    response[HIT_HEADER] = "hit"
    return response


class PageCacheMiddleware:
    """Sits after CsrfViewMiddleware (so a hit can hand out a token and have its cookie set) and before
    the authentication middleware (so a hit never loads a session)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = settings.PAGE_CACHE_SECONDS
        if not seconds or not _may_use_cache(request):
            return self.get_response(request)
        cache = page_cache()
        key = _key(request, cache)
        stored = cache.get(key)
        if stored is not None:
            return _from_stored(stored, request)
        response = self.get_response(request)
        if _may_store(request, response):
            cache.set(key, _stored(response), seconds)
            response[HIT_HEADER] = "miss"
        return response


class SignedInCookieMiddleware:
    """Marks signed-in browsers with a cookie the page cache can see without loading the session. It
    carries no authority: without it a signed-in visitor just gets the anonymous page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if signed_in and SIGNED_IN_COOKIE not in request.COOKIES:
            response.set_cookie(
                SIGNED_IN_COOKIE,
                "1",
                max_age=settings.SESSION_COOKIE_AGE,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        elif not signed_in and SIGNED_IN_COOKIE in request.COOKIES:
            response.delete_cookie(SIGNED_IN_COOKIE, samesite="Lax")
        return response


def register_cache_dependency(*models):
    """Empty the cache whenever one of these models is saved or deleted. Each app names the snippets its pages
    show, from its AppConfig.ready: snippets registered through wagtail_hooks are not known yet when apps are
    ready, and this module sits below every app, so it cannot name them itself. Safe to call twice."""
    for model in models:
        uid = f"page_cache.{model._meta.label}"
        post_save.connect(invalidate_after_commit, sender=model, dispatch_uid=f"{uid}.save")
        post_delete.connect(invalidate_after_commit, sender=model, dispatch_uid=f"{uid}.delete")


def connect_invalidation():
    """Everything a page can show, wired to invalidate(). Prices change only by publishing; stock moves
    call invalidate_after_commit() from products.inventory; apps add their snippets with
    register_cache_dependency()."""
    from wagtail.contrib.search_promotions.models import SearchPromotion
    from wagtail.contrib.settings.registry import registry as settings_registry
    from wagtail.images import get_image_model
    from wagtail.models import Site, get_page_models
    from wagtail.signals import page_published, page_unpublished, post_page_move
    from wagtail.snippets.models import get_snippet_models

    for name, signal in [("published", page_published), ("unpublished", page_unpublished), ("moved", post_page_move)]:
        signal.connect(invalidate_after_commit, dispatch_uid=f"page_cache.page_{name}")
    for model in get_page_models():
        post_delete.connect(
            invalidate_after_commit, sender=model, dispatch_uid=f"page_cache.{model._meta.label}.delete"
        )
    register_cache_dependency(*get_snippet_models(), *settings_registry, get_image_model(), Site, SearchPromotion)
