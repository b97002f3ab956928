"""A page-cache miss that is not a new page: its head and main content (website.fragments.cached_page_part)
and its route (website.routes) are kept between requests under the page cache's generation. What a visitor
gets is the page a fresh render gives, with their own CSRF token, and any change shows at once."""

import json
import re
from decimal import Decimal

import pytest

from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wagtail.models import PageViewRestriction

from blog.factories import BlogPostPageFactory
from blog.models import BlogIndexPage
from infopages.factories import ContactPageFactory
from products.factories import ProductCategoryFactory, ProductPageFactory
from products.models import ProductCategory, ProductPage
from website import fragments, page_cache
from website.factories import ImageFactory
from website.tests.html import soup

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_missed")]

CSRF_VALUE = re.compile(r'(?<=name="csrfmiddlewaretoken" value=")[^"]*')
# The site settings are kept too (website.models.SiteSettings.for_request): a warm page loads only the routed page.
WARM_PAGE_QUERIES = 1


@pytest.fixture
def mug(product_index, site_settings, image):
    category = ProductCategoryFactory(name="Ceramics", slug="ceramics")
    return ProductPageFactory(
        parent=product_index,
        title="Studio Mug",
        sku="MUG-1",
        price=Decimal("14.50"),
        physical=True,
        stock=8,
        gallery=[image],
        categories=[category],
    )


def queries(client, url, **kwargs):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **kwargs)
    assert response.status_code == 200, f"GET {url} returned {response.status_code}"
    return response, len(captured)


def shared_html(response):
    return CSRF_VALUE.sub("", response.content.decode())


def test_a_warm_product_page_is_the_fresh_page_in_one_query(client, mug, settings):
    settings.FRAGMENT_CACHE_SECONDS = 0
    fresh, fresh_queries = queries(client, mug.url)
    settings.FRAGMENT_CACHE_SECONDS = 600
    client.get(mug.url)  # keeps the route and the parts

    warm, warm_queries = queries(Client(), mug.url)

    assert shared_html(warm) == shared_html(fresh)
    assert warm_queries == WARM_PAGE_QUERIES < fresh_queries
    assert soup(warm).find("script", type="application/ld+json")
    assert "Ceramics" in soup(warm).main.get_text()


def test_a_warm_blog_post_and_home_page_take_one_query_too(client, blog_index, site_settings, home_page):
    post = BlogPostPageFactory(parent=blog_index, title="Five gouache habits")
    for url in (post.url, home_page.url):
        client.get(url)

        assert queries(Client(), url)[1] == WARM_PAGE_QUERIES


def test_each_visitor_gets_their_own_working_csrf_token_in_a_kept_buy_form(mug):
    Client().get(mug.url)
    shopper = Client(enforce_csrf_checks=True)

    page = shopper.get(mug.url)
    token = (
        soup(page)
        .find("form", action=reverse("checkout:cart_add"))
        .find("input", attrs={"name": "csrfmiddlewaretoken"})["value"]
    )
    added = shopper.post(reverse("checkout:cart_add"), {"product": mug.pk, "quantity": 1, "csrfmiddlewaretoken": token})

    assert fragments_from_cache(page)
    assert added.status_code == 302
    assert shopper.cookies["cart_count"].value == "1"


def fragments_from_cache(response):
    """A kept part carries no token of anyone's but the visitor's, and no placeholder."""
    return "__pagecart_csrf_token__" not in response.content.decode()


def test_a_campaign_query_string_uses_the_kept_parts_and_paging_does_not(
    client, blog_index, site_settings, monkeypatch
):
    monkeypatch.setattr(BlogIndexPage, "page_size", 1)
    first = BlogPostPageFactory(parent=blog_index, title="Older post")
    second = BlogPostPageFactory(parent=blog_index, title="Newer post")
    client.get(blog_index.url)
    titles = {first.title, second.title}

    plain_queries = queries(Client(), blog_index.url)[1]
    page_one, campaign_queries = queries(Client(), blog_index.url, data={"utm_source": "news", "fbclid": "x"})
    page_two = client.get(blog_index.url, data={"page": 2})

    shown_one = {title for title in titles if title in soup(page_one).main.get_text()}
    shown_two = {title for title in titles if title in soup(page_two).main.get_text()}
    assert campaign_queries == plain_queries
    assert len(shown_one) == len(shown_two) == 1
    assert shown_one != shown_two


def test_made_up_parameters_use_the_kept_parts_and_a_filter_does_not(client, mug, product_index):
    """Anyone can add a parameter no page reads (`?x=<random>`): without the kept parts each would cost a fresh
    render of the whole page."""
    client.get(mug.url)
    client.get(product_index.url)
    plain_queries = queries(Client(), mug.url)[1]

    made_up, made_up_queries = queries(Client(), mug.url, data={"x": "8f3a", "ref": "producthunt"})
    listing_made_up = queries(Client(), product_index.url, data={"x": "1"})[1]
    filtered = queries(Client(), product_index.url, data={"kind": "physical"})[1]

    assert made_up_queries == plain_queries
    assert soup(made_up).h1.get_text(strip=True) == "Studio Mug"
    assert listing_made_up < filtered  # the listing's kept parts; a filter is listed afresh


def test_a_part_rendered_for_a_campaign_link_is_not_kept_for_anyone_else(mug):
    campaign = Client().get(mug.url, data={"utm_source": "newsletter", "utm_campaign": "spring"})
    plain = Client().get(mug.url)

    def next_of(response):
        return soup(response).find("form", action=reverse("checkout:cart_add")).find("input", attrs={"name": "next"})

    assert "utm_campaign=spring" in next_of(campaign)["value"]
    assert next_of(plain)["value"] == mug.url


def test_a_price_change_shows_at_once(client, commit, mug):
    client.get(mug.url)

    mug.price = Decimal("16.00")
    commit(lambda: mug.save_revision().publish())

    assert "16.00" in soup(client.get(mug.url)).h1.find_next("p", class_="text-3xl").get_text()


def test_new_brand_colours_show_in_every_kept_head_at_once(client, commit, mug, site_settings):
    client.get(mug.url)  # keeps the site-wide head: the theme colour, the icon, the brand colours

    site_settings.primary_colour = "#0f766e"
    commit(site_settings.save)
    head = soup(client.get(mug.url)).head

    assert head.find("meta", attrs={"name": "theme-color"})["content"] == "#0f766e"
    assert "--brand:#0f766e;" in head.style.get_text()
    assert "%230f766e" in head.find("link", rel="icon")["href"]


def test_unpublishing_turns_a_kept_route_into_a_404(client, commit, mug):
    client.get(mug.url)

    commit(mug.unpublish)

    assert client.get(mug.url).status_code == 404


def test_a_kept_route_whose_page_went_out_of_date_falls_back_to_wagtail(client, mug):
    client.get(mug.url)
    ProductPage.objects.filter(pk=mug.pk).update(live=False)  # no signal: the generation stays

    assert client.get(mug.url).status_code == 404


def test_a_renamed_page_moves_at_once(client, commit, mug):
    old_url = mug.url
    client.get(old_url)

    mug.slug = "studio-mug-large"
    commit(lambda: mug.save_revision().publish())
    mug.refresh_from_db()

    moved = client.get(old_url)  # Wagtail made a redirect from the old address
    assert (moved.status_code, moved["Location"]) == (301, mug.url)
    assert soup(client.get(mug.url)).h1.get_text(strip=True) == "Studio Mug"


def test_a_password_added_to_a_kept_page_asks_for_it_at_once(client, commit, mug):
    client.get(mug.url)

    commit(
        lambda: PageViewRestriction.objects.create(
            page=mug, restriction_type=PageViewRestriction.PASSWORD, password="s3cret"
        )
    )
    response = Client().get(mug.url)

    assert soup(response).find("input", attrs={"name": "password"})
    assert not soup(response).find("form", action=reverse("checkout:cart_add"))


def test_a_password_page_unlocked_by_one_visitor_keeps_nothing_for_another(site_settings, mug):
    restriction = PageViewRestriction.objects.create(
        page=mug, restriction_type=PageViewRestriction.PASSWORD, password="s3cret"
    )
    insider = Client()
    form = soup(insider.get(mug.url)).find("form")
    insider.post(form["action"], {"password": "s3cret", "return_url": mug.url})
    unlocked = [insider.get(mug.url) for _ in range(2)]

    stranger = Client().get(mug.url)

    assert restriction.pk
    assert all(soup(page).h1.get_text(strip=True) == "Studio Mug" for page in unlocked)
    assert soup(stranger).find("input", attrs={"name": "password"})
    assert "Studio Mug" not in stranger.content.decode()


def test_a_shop_category_keeps_its_parts_and_shows_what_a_fresh_render_shows(client, mug, product_index, settings):
    url = product_index.url + "category/ceramics/"
    settings.FRAGMENT_CACHE_SECONDS = 0
    fresh, fresh_queries = queries(client, url)
    settings.FRAGMENT_CACHE_SECONDS = 600
    client.get(url)

    warm, warm_queries = queries(Client(), url)

    assert shared_html(warm) == shared_html(fresh)
    assert soup(warm).h1.get_text(strip=True) == "Ceramics" and "Studio Mug" in soup(warm).main.get_text()
    assert warm_queries == WARM_PAGE_QUERIES + 1 < fresh_queries  # the page, and the category the address names
    assert fragments_from_cache(warm)


def test_each_shop_category_keeps_its_own_parts_and_a_changed_category_shows_at_once(
    client, commit, mug, product_index
):
    ProductCategoryFactory(name="Glassware", slug="glassware")
    ProductPageFactory(
        parent=product_index, title="Walnut Tray", categories=[ProductCategory.objects.get(slug="glassware")]
    )
    for slug in ("ceramics", "glassware", "ceramics", "glassware"):
        client.get(f"{product_index.url}category/{slug}/")

    ceramics = soup(Client().get(f"{product_index.url}category/ceramics/"))
    glassware = soup(Client().get(f"{product_index.url}category/glassware/"))
    category = ProductCategory.objects.get(slug="ceramics")
    category.name = "Stoneware"
    commit(category.save)
    renamed = soup(Client().get(f"{product_index.url}category/ceramics/"))

    assert "Studio Mug" in ceramics.main.get_text() and "Walnut Tray" not in ceramics.main.get_text()
    assert "Walnut Tray" in glassware.main.get_text() and "Studio Mug" not in glassware.main.get_text()
    assert renamed.h1.get_text(strip=True) == "Stoneware"


def test_a_category_that_is_not_there_is_a_404_every_time_and_nothing_is_kept(client, mug, product_index):
    url = product_index.url + "category/nothing-here/"

    answers = [Client().get(url).status_code for _ in range(3)]

    assert answers == [404, 404, 404]
    assert not [key for key in caches["fragments"]._cache if "nothing-here" in key]


def test_the_shop_at_its_own_address_keeps_its_parts_and_shows_what_a_fresh_render_shows(client, mug, settings):
    shop = mug.get_parent().specific
    settings.FRAGMENT_CACHE_SECONDS = 0
    fresh, fresh_queries = queries(client, shop.url)
    settings.FRAGMENT_CACHE_SECONDS = 600
    client.get(shop.url)

    warm, warm_queries = queries(Client(), shop.url)

    assert shared_html(warm) == shared_html(fresh)
    assert "Studio Mug" in soup(warm).main.get_text()
    assert soup(warm).title.get_text().startswith(shop.seo_title or shop.title)
    assert warm_queries == WARM_PAGE_QUERIES < fresh_queries
    assert fragments_from_cache(warm)


def test_the_shops_other_pages_filters_and_sort_orders_are_rendered_every_time(client, mug, product_index, monkeypatch):
    monkeypatch.setattr(type(product_index), "page_size", 1)
    ProductPageFactory(parent=product_index, title="Walnut Tray", price=Decimal("30.00"))
    client.get(product_index.url)
    first = soup(Client().get(product_index.url)).main.get_text()

    second = Client().get(product_index.url, data={"page": 2})
    cheapest = Client().get(product_index.url, data={"sort": "price-asc"})
    ceramics = Client().get(product_index.url, data={"category": "ceramics", "page": 1})

    def shown(text):
        return {title for title in ("Studio Mug", "Walnut Tray") if title in text}

    assert len(shown(first)) == len(shown(soup(second).main.get_text())) == 1
    assert shown(first) != shown(soup(second).main.get_text())
    assert "page 2" in soup(second).title.get_text()
    assert "Studio Mug" in soup(cheapest).main.get_text()
    assert "Studio Mug" in soup(ceramics).main.get_text() and "Walnut Tray" not in soup(ceramics).main.get_text()
    assert Client().get(product_index.url, data={"page": 3}).status_code == 404


def test_a_form_posted_with_mistakes_shows_them_not_the_kept_empty_form(client, home_page, site_settings):
    contact = ContactPageFactory(parent=home_page)
    client.get(contact.url)

    response = client.post(contact.url, {"your_name": "Robin", "email": "not an email", "message": "Hello"})

    assert response.status_code == 200
    assert soup(response).find(id="id_email_error")
    assert soup(response).find("input", attrs={"name": "your_name"})["value"] == "Robin"


def test_a_preview_never_reads_or_fills_kept_parts(rf, mug):
    request = rf.get(mug.url)
    request.is_preview = True

    assert not fragments.page_fragment_allowed(request, mug)


def test_a_search_finds_its_site_kept_without_a_query_and_an_edited_site_at_once(client, commit, site, site_settings):
    client.get(reverse("search"), {"q": "mug"})  # keeps the site for this host

    with CaptureQueriesContext(connection) as captured:
        warm = Client().get(reverse("search"), {"q": "linen"})
    site_queries = [query for query in captured if 'FROM "wagtailcore_site"' in query["sql"]]  # before the next request
    site.site_name = "Renamed"
    commit(site.save)
    edited = client.get(reverse("search"), {"q": "linen"})

    assert warm.wsgi_request._wagtail_site.pk == site.pk
    assert not site_queries
    assert edited.wsgi_request._wagtail_site.site_name == "Renamed"


def breadcrumb_names(response):
    return [link.get_text(strip=True) for link in soup(response).find("nav", attrs={"aria-label": "Breadcrumb"})("a")]


def jsonld_node(response, kind):
    graph = json.loads(soup(response).find("script", type="application/ld+json").string)["@graph"]
    return next(node for node in graph if node["@type"] == kind)


def jsonld_trail(response):
    return [item["name"] for item in jsonld_node(response, "BreadcrumbList")["itemListElement"]]


def organization(response):
    return jsonld_node(response, "OnlineStore")


def test_products_under_one_parent_share_its_kept_trail_and_logo(client, mug, product_index, site_settings, image):
    site_settings.logo = ImageFactory(title="Logo")
    site_settings.save()
    brush = ProductPageFactory(parent=product_index, title="Sable Brush", gallery=[image])
    client.get(mug.url)  # cuts the logo's pictures, as the running shop did long ago
    page_cache.invalidate()  # a new generation, as after any publish
    client.get(mug.url)  # the first product page under the shop keeps the trail, the home page and the settings

    with CaptureQueriesContext(connection) as captured:
        response = Client().get(brush.url)  # a first visit: its own parts are rendered, not kept yet
    statements = [query["sql"] for query in captured]
    logo_id = site_settings.logo.pk

    assert breadcrumb_names(response) == ["Home", "Shop", "Sable Brush"]
    assert jsonld_trail(response) == ["Home", "Shop", "Sable Brush"]
    assert organization(response)["logo"]["url"].endswith(".png")
    assert not [sql for sql in statements if '"wagtailcore_page"."depth" > 2' in sql]  # the ancestors
    assert not [sql for sql in statements if 'FROM "website_sitesettings"' in sql]
    assert not [
        sql
        for sql in statements
        if ('FROM "wagtailimages_image"' in sql or 'FROM "wagtailimages_rendition"' in sql)
        and re.search(rf"(= {logo_id}\b|IN \({logo_id}\))", sql)
    ]


def test_a_renamed_parent_shows_in_every_trail_at_once(client, commit, mug, product_index):
    brush = ProductPageFactory(parent=product_index, title="Sable Brush")
    client.get(mug.url)

    product_index.title = "Store"
    commit(lambda: product_index.save_revision().publish())

    assert breadcrumb_names(client.get(brush.url)) == ["Home", "Store", "Sable Brush"]
    assert jsonld_trail(client.get(mug.url)) == ["Home", "Store", "Studio Mug"]
