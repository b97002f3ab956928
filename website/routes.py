"""Page routing kept between requests.

Wagtail finds the page for a path one level at a time, two queries a level (the child by slug, then its
specific row), after finding the site: five queries and about half of a product page's time once its parts
come from the fragment cache. The answer (which site, which page) only changes when a page is published,
moved, unpublished or deleted, or a site is edited, and each of those sets a new page-cache generation
(website.page_cache). So the route of a plain page address is kept under that generation, in the fragments
cache, and a later request for the same host and path loads the page by its id in one query.

A routable page's route (the shop, or one of its category pages) is kept as the page and the path components
below it: the page's own patterns resolve them again, in Python, on each visit, as Wagtail's routing would. What
is never kept: a route whose page does not sit at the path's own address or, below it, its own patterns'
answer, and anything when the fragment cache is off. A kept route whose page is no longer live falls back to
Wagtail's own routing, which then answers 404. The page's view
restrictions are kept with its route (saving or deleting one sets a new generation too) and still checked on
every request: Wagtail's before_serve_page hook runs as before, only without its two queries.

A page's first visit (a route not kept yet) is found in two queries rather than two a level: every page on the
path by its url_path in one, then the page that answers. Each page on the way must hand the path on to its
child by slug as Wagtail's own Page.route does, or be a routable page (the shop index) whose own patterns then
decide, as in Wagtail; a page type with a route() of its own, a missing page (a 404) and the home page itself
(one query for Wagtail) are left to Wagtail's routing.

The site a request's host names is kept the same way for every view, not only pages: finding it costs a query
with a CASE ordering that takes longer to build than to run (about 1.7 ms), and search, the cart, checkout and
the API all ask for it (links, settings, the header). Editing a site sets a new generation.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from django.db import connections, router
from django.http import Http404

from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page, Site
from wagtail.url_routing import RouteResult

from .page_cache import request_generation

SERVE_VIEW = "wagtail_serve"


def _key(request):
    return f"route:{request_generation(request)}:{request._get_raw_host()}:{request.path}"


def _site_key(request):
    return f"site:{request_generation(request)}:{request._get_raw_host()}:{request.get_port()}"


def _keeping(request):
    """Whether routes and sites are kept on this request (not while the page cache does not answer: a route kept
    then could outlive the page's move or unpublishing, which could not start a new generation)."""
    return settings.FRAGMENT_CACHE_SECONDS > 0 and request_generation(request) is not None


def _serves_pages(request):
    match = getattr(request, "resolver_match", None)
    return match is not None and match.url_name == SERVE_VIEW


def _kept_route(request):
    """(site, page, the path components below the page) of a route kept for this request's address, if its page is
    still live."""
    kept = caches["fragments"].get(_key(request))
    if kept is None:
        return None
    site, content_type_id, page_id, restrictions, below = kept
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    page = _page_by_pk(model, page_id) if model is not None else None
    if page is None or not page.live:
        return None
    # Read by Wagtail's privacy check through BasePage.get_view_restrictions (a restriction saved or deleted
    # sets a new generation, so these are the page's current ones).
    page._view_restrictions = restrictions
    return site, page, below


class _PageLoad:
    """`model.objects.filter(pk=...)` with its SQL, columns and converters as the ORM builds them, built once per
    page type and database. Building the query compiles each of a page type's forty-odd columns: that took 0.36
    ms of the 0.43 that loading the page did, on every visit to a page whose parts are kept (an uncached privacy
    page took 1.1 ms in all, and takes 0.66 now). Running the kept SQL and making the page from its row, as the
    ORM's own iteration does (`from_db`), takes 0.07 ms."""

    PK_PLACEHOLDER = -918273645  # no page's pk: marks the parameter each load puts its own pk in

    def __init__(self, compiler, sql, params, slot):
        self.compiler = compiler  # its converters read the connection's settings (time zone), never query
        self.sql = sql
        self.params = params
        self.slot = slot
        select_fields = compiler.klass_info["select_fields"]
        self.attnames = [
            column.target.attname for column, _sql, _alias in compiler.select[select_fields[0] : select_fields[-1] + 1]
        ]
        self.converters = compiler.get_converters([column for column, _sql, _alias in compiler.select])

    @classmethod
    def of(cls, queryset):
        """The load for a queryset filtered by PK_PLACEHOLDER, or None when its rows are more than one model's own
        columns (related rows, annotations: only the ORM's own iteration knows what to make of them)."""
        compiler = queryset.query.get_compiler(queryset.db)
        sql, params = compiler.as_sql()
        slots = [index for index, param in enumerate(params) if param == cls.PK_PLACEHOLDER]
        klass_info = compiler.klass_info
        if len(slots) != 1 or not klass_info or klass_info.get("related_klass_infos") or compiler.annotation_col_map:
            return None
        return cls(compiler, sql, tuple(params), slots[0])

    def page(self, pk):
        params = list(self.params)
        params[self.slot] = pk
        db = self.compiler.using
        with connections[db].cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        model = self.compiler.klass_info["model"]
        pages = [model.from_db(db, self.attnames, row) for row in self.compiler.apply_converters(rows, self.converters)]
        return pages[0] if pages else None


_PAGE_LOADS: dict[tuple[str, type[Page]], _PageLoad | None] = {}


def _page_by_pk(model, pk):
    """The page of this type with this pk, or None: as `model.objects.filter(pk=pk).first()`, in a kept query."""
    key = (router.db_for_read(model), model)
    if key not in _PAGE_LOADS:
        _PAGE_LOADS[key] = _PageLoad.of(model.objects.using(key[0]).filter(pk=_PageLoad.PK_PLACEHOLDER).order_by())
    load = _PAGE_LOADS[key]
    if load is None:
        return model.objects.filter(pk=pk).order_by().first()
    return load.page(pk)


def _below_the_page(route, path):
    """The path components below the route's page when the route can be kept: none for a page at its own address,
    those a routable page's own patterns resolve to the route's view and arguments for one of its sub-pages (a
    shop category); None when the route is not one of those."""
    if not isinstance(route, RouteResult) or route.kwargs:
        return None
    page = route.page
    components = [component for component in path.split("/") if component]
    for depth in range(len(components), -1, -1):
        own_address = "/" + "".join(f"{component}/" for component in components[:depth])
        if page.url_path.endswith(own_address):
            below = components[depth:]
            break
    else:
        return None
    if not route.args:
        return None if below else below
    if not isinstance(page, RoutablePageMixin):
        return None
    try:
        view, args, kwargs = page.resolve_subpage("/" + "".join(f"{component}/" for component in below))
    except Http404:
        return None
    view_of_route, args_of_route, kwargs_of_route = route.args
    same_view = getattr(view, "__func__", view) == getattr(view_of_route, "__func__", view_of_route)
    return below if same_view and tuple(args) == tuple(args_of_route) and kwargs == kwargs_of_route else None


def _bare(site):
    """The site's own fields and its root page's address, without the root page routing attached to it (a fifth
    of the size kept)."""
    bare = Site(**{field.attname: getattr(site, field.attname) for field in Site._meta.concrete_fields})
    bare._state.adding = False
    bare._state.db = site._state.db
    bare.root_url_path = _root_url_path(site)
    return bare


def _root_url_path(site):
    """The url_path of the site's root page, when known without a query (Wagtail's lookup joins the root page)."""
    if "root_page" in site._state.fields_cache:
        return site.root_page.url_path
    return getattr(site, "root_url_path", None)


def _hands_on(model, components):
    """Whether Wagtail's routing of `components` below a page of this type goes on to the child they name
    (True), stops at the page itself (False), or is the page type's own business (None: a route() of its own)."""
    if model.route is Page.route:
        return bool(components)
    if model.route is RoutablePageMixin.route:
        try:
            model.get_resolver().resolve("/" + "".join(f"{component}/" for component in components))
        except Http404:  # Resolver404: none of its own patterns matches, so it hands on to its children
            return bool(components)
        return False
    return None


def _direct_route(request, site, path):
    """Wagtail's route for `path` under `site`, found in two queries, or None to leave it to Wagtail's routing (a
    404 included, so that its answer stays Wagtail's own).

    Wagtail walks down from the site's root page, each page handing the rest of the path to its child by slug,
    until a page keeps it: the last one, or a routable page whose own patterns match the rest (a shop category).
    That page's own route() then answers, as it does here: only the pages on the way are found differently."""
    root_url_path = _root_url_path(site)
    components = [component for component in path.split("/") if component]
    if not components or root_url_path is None or getattr(settings, "WAGTAIL_I18N_ENABLED", False):
        return None
    addresses = [
        root_url_path + "".join(f"{part}/" for part in components[:depth]) for depth in range(len(components) + 1)
    ]
    rows = Page.objects.filter(url_path__in=addresses).order_by().values_list("url_path", "pk", "content_type_id")
    found = {url_path: (pk, content_type_id) for url_path, pk, content_type_id in rows}
    if len(found) != len(rows):  # two pages at one address: not a tree Wagtail keeps
        return None
    for depth, address in enumerate(addresses):
        if address not in found:  # Wagtail's walk ends here in a 404: its own answer
            return None
        pk, content_type_id = found[address]
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        hands_on = _hands_on(model, components[depth:]) if model is not None else None
        if hands_on is None:
            return None
        if not hands_on:
            page = _page_by_pk(model, pk)
            try:
                return page.route(request, components[depth:]) if page is not None else None
            except Http404:
                return None
    return None


class RouteCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        site_to_keep = False
        if not hasattr(request, "_wagtail_site") and _keeping(request):
            site = caches["fragments"].get(_site_key(request))
            if site is not None:
                request._wagtail_site = site  # Site.find_for_request reads this first
            else:
                site_to_keep = True
        response = self.get_response(request)
        if site_to_keep and getattr(request, "_wagtail_site", None) is not None:
            caches["fragments"].set(_site_key(request), _bare(request._wagtail_site), settings.FRAGMENT_CACHE_SECONDS)
        route = getattr(request, "_wagtail_route_for_request", None)
        site = getattr(request, "_wagtail_site", None)
        # Only a page's answer is kept: a routable page can route an address it then answers 404 (a category that
        # is not there), and keeping those would let anyone fill the cache with made-up addresses.
        keep = getattr(request, "_route_to_keep", False) and response.status_code == 200
        below = _below_the_page(route, request.path) if keep else None
        if site is not None and below is not None:
            page = route.page
            content_type_id = ContentType.objects.get_for_model(page, for_concrete_model=False).pk
            kept = (_bare(site), content_type_id, page.pk, list(page.get_view_restrictions()), below)
            caches["fragments"].set(_key(request), kept, settings.FRAGMENT_CACHE_SECONDS)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not _serves_pages(request) or hasattr(request, "_wagtail_route_for_request"):
            return None
        keeping = _keeping(request)
        kept = _kept_route(request) if keeping else None
        if kept is None:
            request._route_to_keep = keeping  # kept once the page has answered
            site = Site.find_for_request(request)
            route = (
                _direct_route(request, site, view_args[0] if view_args else request.path) if site is not None else None
            )
            if route is not None:
                request._wagtail_route_for_request = route  # else Wagtail routes it, as it would have
            return None
        site, page, below = kept
        if not hasattr(request, "_wagtail_site"):
            request._wagtail_site = site
        # Page.route_for_request reads this first. A routable page resolves the path below it to its view again,
        # in Python, as Wagtail's routing would.
        request._wagtail_route_for_request = (
            page.route(request, below) if isinstance(page, RoutablePageMixin) else RouteResult(page)
        )
        return None
