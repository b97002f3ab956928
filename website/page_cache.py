"""The whole-page cache: GETs of pages (and search results) are answered from the "pages" cache, for
anonymous and signed-in visitors alike.

What makes it safe:
- A page is the same for everyone: the templates of Wagtail's pages and of search read nothing about the
  visitor (no `request.user`, no session). What is per visitor (the header's account link, the wishlist
  hearts, "you bought this", the cart badge) is filled in by theme/static/js/site.js from one small private
  request, /account/visitor/ (accounts.visitor), and the `cart_count` cookie. So a signed-in shopper's render
  may be stored and served to anyone, and anyone's to them.
- Only such shared renders are stored (`is_shared_render`): only from Wagtail's page view and the search
  view, only for GET and HEAD, only with status 200, never for a page under a view restriction (password or
  groups: it renders per visitor), never when flash messages were shown, never for an editor (Wagtail's
  userbar is in their page), and never when the render set a cookie other than CSRF's (per-visitor state
  was made).
- Some visitors skip the cache entirely: those with a flash message pending (Django's `messages` cookie),
  and editors, whose `signed_in` hint cookie says "editor" so that they see the userbar; as do the admin,
  the cart, checkout and account pages. A forged hint only costs its sender a fresh render.
- The `signed_in` hint cookie (set and cleared by SignedInCookieMiddleware) carries no authority: it only
  tells site.js to ask /account/visitor/, which answers from the session, and tells the cache about
  editors. Without it a signed-in visitor gets the page everyone gets.
- Forms keep working: the CSRF token in stored HTML is replaced by a placeholder, and each hit gets the
  visitor's own token, so Django's CSRF cookie and the form agree. The token Django hands out is masked
  afresh for every response, signed in or not.
- Invalidation is by generation: every stored key contains the current generation, and anything that
  can change what a page shows (publishing, moving or deleting pages, snippets, settings, images, search
  promotions, sites, view restrictions, prices and stock) sets a new one after its transaction commits.
  Every process and every machine sharing the cache sees it at once; old entries simply expire. The keys
  carry the release's fingerprint too (website.release): a deploy never serves the last release's pages,
  which name static files the new image does not have.
- Tracking parameters (utm_*, fbclid, gclid, ...) are left out of the key: each click on an ad or a newsletter
  link carries its own, and gets the page its address without them keeps. Only that plain address's render is
  stored: one under a campaign names it (a buy form's `next`) and would hand it to every later visitor.
- An address with a parameter its view does not read (reads_parameters(), a page's `query_parameters`) is
  never stored: anyone can make up any number of them. It is answered with the entry of the address without
  them, when one is kept: storing a page also keeps, per path, which parameters the page there reads.
"""

import hashlib
import re
import uuid
from urllib.parse import unquote_plus

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.encoding import escape_uri_path, iri_to_uri

from . import release

SIGNED_IN_COOKIE = "signed_in"
# The hint's values. An older "1" (set httponly, so site.js could not read it) is replaced on the next render.
SHOPPER, EDITOR = "shopper", "editor"
BYPASS_COOKIES = ("messages",)
EDITOR_PERMISSION = "wagtailadmin.access_admin"  # what Wagtail's userbar asks
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
# Query parameters that only say where a visitor came from: the page is the same with or without them. Campaign
# tags (utm_*); click ids of Meta, Google (and its iOS and Display ones), Microsoft, TikTok, X, LinkedIn, Yandex;
# Google's own on a merchant's results (srsltid) and its cross-domain linker (_gl); Mailchimp's, HubSpot's and
# Marketo's e-mail ids; Instagram's share id.
TRACKING_PREFIX = "utm_"
TRACKING_PARAMETERS = frozenset((
    "fbclid", "gclid", "gbraid", "wbraid", "dclid", "srsltid", "_gl", "msclkid", "ttclid", "twclid",
    "li_fat_id", "yclid", "mc_cid", "mc_eid", "_hsenc", "_hsmi", "mkt_tok", "igshid",
))  # fmt: skip
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


# Whether this process last found the cache not answering (a Redis out of reach, website.redis_cache).
_unanswered = False


def _generation(cache):
    """The shared generation, with this release's fingerprint in front: a deploy starts with nothing kept. None
    while the cache does not answer: nothing may then be read or kept under a generation, since a publish in
    the meantime could not end it. The first process to find it answering again starts a new one, for what was
    published while it did not."""
    global _unanswered
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, uuid.uuid4().hex, None)
        generation = cache.get(GENERATION_KEY)
    if generation is None:
        _unanswered = True
        return None
    if _unanswered:
        _unanswered = False
        generation = uuid.uuid4().hex
        cache.set(GENERATION_KEY, generation, None)
    return f"{release.fingerprint()}.{generation}"


def request_generation(request):
    """The current generation, read once per request: fragments cached under it (website.fragments) go
    stale exactly when whole pages do. None while the cache does not answer: keep nothing."""
    if not hasattr(request, "_page_cache_generation"):
        request._page_cache_generation = _generation(page_cache())
    return request._page_cache_generation


def _may_use_cache(request):
    return (
        request.method in ("GET", "HEAD")
        and not any(request.COOKIES.get(name) for name in BYPASS_COOKIES)  # a cookie deleted is sent empty
        and request.COOKIES.get(SIGNED_IN_COOKIE) != EDITOR
        and not request.path.startswith(BYPASS_PREFIXES)
        and len(request.META.get("QUERY_STRING", "")) <= MAX_QUERY_LENGTH
    )


def is_tracking_parameter(name: str) -> bool:
    return name.startswith(TRACKING_PREFIX) or name in TRACKING_PARAMETERS


def _query_with(request, keep) -> str:
    """The query string with only the parameters whose name `keep` accepts, as sent (order and encoding kept)."""
    pairs = request.META.get("QUERY_STRING", "").split("&")
    return "&".join(pair for pair in pairs if pair and keep(unquote_plus(pair.split("=")[0])))


def _untracked_query(request) -> tuple[str, bool]:
    """The query string without its tracking parameters, and whether it had any. A click on an ad or a
    newsletter link carries its own fbclid, gclid or utm_ values: without them it asks for the page its plain
    address shows."""
    if not any(map(is_tracking_parameter, request.GET)):
        return request.META.get("QUERY_STRING", ""), False
    return _query_with(request, lambda name: not is_tracking_parameter(name)), True


def reads_parameters(request, names) -> None:
    """Declare the query parameters a view's answer depends on. Another parameter does not change the page, so
    an address with one is not stored: anyone can make up any number of them, and each would be a page stored
    that no one asks for again. A Wagtail page declares them as `query_parameters`."""
    request._parameters_read = frozenset(names)


def parameters_read(request) -> frozenset[str] | None:
    """The query parameters this request's view reads, or None when it declared none."""
    declared = getattr(request, "_parameters_read", None)
    route = getattr(request, "_wagtail_route_for_request", None)
    if declared is None and route is not None and hasattr(route[0], "query_parameters"):
        declared = frozenset(route[0].query_parameters)
    return declared


def has_unread_parameters(request) -> bool:
    """Whether the address names a parameter its view does not read (tracking ones aside)."""
    read = parameters_read(request)
    return read is not None and any(name not in read and not is_tracking_parameter(name) for name in request.GET)


def _key(request, query=None, kind="page"):
    """The same key for a page's address with or without tracking parameters (its path is as Django's
    get_full_path() writes it), or for the address with `query` instead; None while the cache does not answer."""
    generation = request_generation(request)
    if generation is None:
        return None
    if query is None:
        query, _tracked = _untracked_query(request)
    full_path = escape_uri_path(request.path) + (f"?{iri_to_uri(query)}" if query else "")
    address = f"{request.scheme}://{request.get_host()}{full_path}"
    digest = hashlib.sha256(address.encode()).hexdigest()
    return f"{kind}:{generation}:{digest}"


def is_editor(user) -> bool:
    return user.is_authenticated and user.has_perm(EDITOR_PERMISSION)


def is_shared_render(request) -> bool:
    """Whether this request's page is the one everyone gets, whoever asked: so it may be stored, and it is
    not private to a signed-in visitor (website.private_pages)."""
    match = getattr(request, "resolver_match", None)
    if (
        request.method not in ("GET", "HEAD")
        or match is None
        or match.url_name not in CACHEABLE_VIEWS
        or getattr(request, SKIP_ATTR, False)
    ):
        return False
    messages = getattr(request, "_messages", None)
    if messages is not None and messages.used:  # the page listed this visitor's flash messages
        return False
    user = getattr(request, "user", None)
    return user is None or not is_editor(user)


def _may_store(request, response):
    if (
        response.status_code != 200
        or response.streaming
        or not is_shared_render(request)
        or "private" in response.get("Cache-Control", "")
        or "no-store" in response.get("Cache-Control", "")
    ):
        return False
    return all(name == settings.CSRF_COOKIE_NAME for name in response.cookies)


def without_csrf_token(html):
    """Markup fit to store and share: each form's CSRF token replaced by a placeholder."""
    return CSRF_INPUT.sub(rf"\g<1>{CSRF_PLACEHOLDER}\g<2>", html)


def with_csrf_token(html, request):
    """Stored markup made this visitor's: the placeholder replaced by their own token."""
    return html.replace(CSRF_PLACEHOLDER, get_token(request)) if CSRF_PLACEHOLDER in html else html


def _stored(response):
    content = without_csrf_token(response.content.decode(response.charset))
    headers = {name: value for name, value in response.items() if name.lower() not in KEPT_HEADERS_EXCLUDED}
    return {"content": content, "headers": headers, "charset": response.charset}


def _reads_key(request):
    """Where the parameters the page at this path reads are kept, beside its entries (by path: the query aside)."""
    return _key(request, query="", kind="reads")


def _kept_without_unread_parameters(request, cache):
    """The entry of this address without the parameters its page does not read (`?x=<anything>` made up, a
    `ref` no page looks at), if one is kept."""
    read = cache.get(_reads_key(request))
    if read is None:
        return None
    query = _query_with(request, read.__contains__)
    if query == _untracked_query(request)[0]:
        return None  # nothing to leave out: the address itself was looked up
    return cache.get(_key(request, query=query))


def _from_stored(stored, request):
    content = with_csrf_token(stored["content"], request)
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
        key = _key(request)
        if key is None:
            return self.get_response(request)
        cache = page_cache()
        stored = cache.get(key)
        if stored is None and request.GET:
            stored = _kept_without_unread_parameters(request, cache)
        if stored is not None:
            return _from_stored(stored, request)
        response = self.get_response(request)
        # Stored only from the address without tracking parameters: a render under a campaign's names it (a buy
        # form's `next`), and every later visitor would carry that campaign on.
        if _may_store(request, response) and not _untracked_query(request)[1] and not has_unread_parameters(request):
            cache.set(key, _stored(response), seconds)
            if (read := parameters_read(request)) is not None:
                cache.set(_reads_key(request), sorted(read), seconds)
            response[HIT_HEADER] = "miss"
        return response


class SignedInCookieMiddleware:
    """Marks signed-in browsers with a hint cookie: site.js reads it to ask /account/visitor/ for the
    visitor's parts of a page, and the page cache lets editors past it to see Wagtail's userbar. It carries
    no authority (see the module's docstring), so it is readable by script."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        hint = request.COOKIES.get(SIGNED_IN_COOKIE)
        if signed_in and hint not in (SHOPPER, EDITOR):
            response.set_cookie(
                SIGNED_IN_COOKIE,
                EDITOR if is_editor(user) else SHOPPER,
                max_age=settings.SESSION_COOKIE_AGE,
                secure=settings.SESSION_COOKIE_SECURE,
                samesite="Lax",
            )
        elif not signed_in and hint:
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
    from wagtail.models import PageViewRestriction, Site, get_page_models
    from wagtail.signals import page_published, page_unpublished, post_page_move
    from wagtail.snippets.models import get_snippet_models

    for name, signal in [("published", page_published), ("unpublished", page_unpublished), ("moved", post_page_move)]:
        signal.connect(invalidate_after_commit, dispatch_uid=f"page_cache.page_{name}")
    for model in get_page_models():
        post_delete.connect(
            invalidate_after_commit, sender=model, dispatch_uid=f"page_cache.{model._meta.label}.delete"
        )
    # A page that gains a password or group restriction must stop being served to everyone at once.
    register_cache_dependency(
        *get_snippet_models(), *settings_registry, get_image_model(), Site, SearchPromotion, PageViewRestriction
    )
