"""A page's first visit is routed by website.routes in two queries (every page on the path, then the page that
answers), and only where that gives Wagtail's own answer: each case below is routed both ways and compared."""

import pytest

from django.db import connection
from django.db.models import F
from django.test import Client
from django.test.utils import CaptureQueriesContext

from wagtail.models import Page, Site

from blog.factories import BlogPostPageFactory
from home.factories import HomePageFactory
from infopages.factories import InfoPageFactory
from products.factories import ProductCategoryFactory, ProductPageFactory
from products.models import ProductPage
from website.routes import _direct_route, _page_by_pk, _PageLoad
from website.tests.html import soup

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages(site, product_index, blog_index):
    ProductCategoryFactory(name="Ceramics", slug="ceramics")
    draft_parent = InfoPageFactory(parent=site.root_page, title="Guides", slug="guides")
    draft_parent.unpublish()
    return {
        "mug": ProductPageFactory(parent=product_index, title="Studio Mug", slug="studio-mug"),
        # A product whose slug is the first word of the shop index's own category/<slug>/ pattern.
        "named like a route": ProductPageFactory(parent=product_index, title="Category", slug="category"),
        "post": BlogPostPageFactory(parent=blog_index, title="Glazing notes", slug="glazing-notes"),
        "under a draft": InfoPageFactory(parent=draft_parent, title="Care", slug="care"),
        "draft": ProductPageFactory(parent=product_index, title="Not yet", slug="not-yet", live=False),
    }


def wagtail_route(request, site, path):
    """What Wagtail's own routing answers (Page.route_for_request, less its caching on the request)."""
    try:
        return site.root_page.specific.route(request, [part for part in path.split("/") if part])
    except Exception:  # noqa: BLE001 - Http404 and its Resolver404: "no page here", compared as None
        return None


def described(route):
    if route is None:
        return None
    view_args = tuple(getattr(arg, "__func__", arg) for arg in route.args)  # a routable page's bound view
    return (route.page.pk, type(route.page), view_args, route.kwargs)


DIRECT, WAGTAILS = "routed directly", "left to Wagtail"


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("shop/studio-mug/", DIRECT),
        ("shop/category/", DIRECT),  # the child page: the index's own pattern needs a slug after it
        ("shop/", DIRECT),  # a routable page itself: its index route
        ("journal/glazing-notes/", DIRECT),
        ("guides/care/", DIRECT),  # a live page under a draft one is served, as Wagtail serves it
        ("guides/", WAGTAILS),  # the draft itself is not: Wagtail answers its 404
        ("shop/not-yet/", WAGTAILS),
        ("shop/nothing-here/", WAGTAILS),
        ("shop/studio-mug/extra/", WAGTAILS),
        ("shop/category/ceramics/", DIRECT),  # the shop index's category route: the index's own route() answers
        ("shop/category/unknown/", DIRECT),  # and its 404 page for a category that is not there
        ("", WAGTAILS),  # the home page: nothing to walk
    ],
)
def test_a_direct_route_is_wagtails_own_answer(rf, site, pages, path, expected):
    found = Site.objects.select_related("root_page").get(pk=site.pk)  # as Wagtail's lookup finds it
    direct = _direct_route(rf.get("/" + path), found, path)
    wagtails = wagtail_route(rf.get("/" + path), site, path)

    if expected == DIRECT:
        assert direct is not None
        assert described(direct) == described(wagtails)
    else:
        assert direct is None


@pytest.mark.usefixtures("page_cache_missed")
@pytest.mark.parametrize(
    "path", ["shop/", "shop/studio-mug/", "shop/category/", "shop/category/ceramics/", "journal/glazing-notes/"]
)
def test_a_kept_route_is_wagtails_own_answer(rf, site, site_settings, pages, path):
    Client().get("/" + path)  # keeps the route

    with CaptureQueriesContext(connection) as captured:
        response = Client().get("/" + path)
    kept = response.wsgi_request._wagtail_route_for_request

    assert response.status_code == 200
    assert described(kept) == described(wagtail_route(rf.get("/" + path), site, path))
    assert not [query for query in captured if '"url_path" IN' in query["sql"]]  # not looked up again


def test_a_category_page_of_the_shop_is_served(site_settings, pages):
    response = Client().get("/shop/category/ceramics/")

    assert response.status_code == 200
    assert soup(response).h1.get_text(strip=True) == "Ceramics"


def test_a_first_visit_is_routed_without_walking_the_tree(site_settings, pages):
    with CaptureQueriesContext(connection) as captured:
        response = Client().get(pages["mug"].url)
    statements = [query["sql"] for query in captured]

    assert soup(response).h1.get_text(strip=True) == "Studio Mug"
    # Wagtail's walk asks for each level's child by slug; the direct route asks once for every address.
    assert not [sql for sql in statements if '"wagtailcore_page"."slug" =' in sql]
    assert len([sql for sql in statements if '"wagtailcore_page"."url_path" IN' in sql]) == 1


def test_the_answers_a_visitor_gets_are_wagtails(site_settings, pages):
    visitor = Client()

    assert soup(visitor.get("/guides/care/")).h1.get_text(strip=True) == "Care"
    assert visitor.get("/guides/").status_code == 404
    assert visitor.get(pages["draft"].url or "/shop/not-yet/").status_code == 404
    assert visitor.get("/shop/nothing-here/").status_code == 404


def test_each_site_routes_under_its_own_root(settings, site, site_settings, pages):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "second.example"]
    other_root = HomePageFactory(parent=Page.get_first_root_node(), title="Second shop", slug="second-shop")
    Site.objects.create(hostname="second.example", port=80, root_page=other_root)
    InfoPageFactory(parent=other_root, title="Second care", slug="care")
    guides = Page.objects.get(slug="guides")
    guides.specific.save_revision().publish()

    assert soup(Client().get("/guides/care/")).h1.get_text(strip=True) == "Care"
    assert soup(Client(HTTP_HOST="second.example").get("/care/")).h1.get_text(strip=True) == "Second care"
    assert Client(HTTP_HOST="second.example").get("/guides/care/").status_code == 404


def field_values(page):
    return {field.attname: getattr(page, field.attname) for field in type(page)._meta.concrete_fields}


@pytest.mark.parametrize("name", ["mug", "post", "under a draft", "draft"])
def test_a_page_loaded_by_its_kept_query_is_the_orms_page(pages, name):
    expected = type(pages[name]).objects.get(pk=pages[name].pk)

    with CaptureQueriesContext(connection) as captured:
        first = _page_by_pk(type(expected), expected.pk)
        again = _page_by_pk(type(expected), expected.pk)

    assert len(captured) == 2
    for loaded in (first, again):
        assert type(loaded) is type(expected)
        assert field_values(loaded) == field_values(expected)  # converted: datetimes, prices, the StreamField
        assert (loaded._state.db, loaded._state.adding) == ("default", False)
    assert first is not again
    assert _page_by_pk(type(expected), 10**9) is None


def test_the_page_of_a_kept_query_is_saved_like_any_other(pages):
    mug = _page_by_pk(ProductPage, pages["mug"].pk)
    mug.title = "Studio Mug, glazed"
    mug.save_revision().publish()

    assert ProductPage.objects.get(pk=mug.pk).title == "Studio Mug, glazed"


def test_a_query_with_rows_of_other_models_is_left_to_the_orm(pages):
    placeholder = _PageLoad.PK_PLACEHOLDER
    mugs = ProductPage.objects.filter(pk=placeholder)

    assert _PageLoad.of(mugs.order_by()) is not None
    assert _PageLoad.of(mugs.select_related("owner")) is None  # the owner's row would be dropped
    assert _PageLoad.of(mugs.annotate(twice=F("price") * 2)) is None
    assert _PageLoad.of(mugs.filter(owner_id=placeholder)) is None  # which of the two is the pk
