"""The shop's listings (products.catalogue): filters, sort orders, pages, what search engines are told, the
category landing pages, and the SQL each page costs."""

import json
import xml.etree.ElementTree as ET
from datetime import timedelta
from decimal import Decimal

import pytest

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from wagtail.models import PageViewRestriction
from wagtail.test.utils.form_data import querydict_from_html

from demo.catalogue import fill_catalogue
from products.factories import ProductCategoryFactory, ProductPageFactory
from products.forms import CatalogueFilterForm
from products.models import ProductGalleryImage, ProductPage
from website.factories import ImageFactory
from website.tests.html import main_text, soup, text_of

pytestmark = pytest.mark.django_db

ROOT = "http://localhost"  # the test site's root URL
START = timezone.now() - timedelta(days=100)


def listed(page_soup):
    """Product titles in the order the listing shows them."""
    return [text_of(heading) for heading in page_soup.select("main article h2")]


def canonical(page_soup):
    return page_soup.find("link", rel="canonical")["href"]


def noindex(page_soup):
    robots = page_soup.find("meta", attrs={"name": "robots"})
    return robots is not None and "noindex" in robots["content"]


def notes(page_soup):
    status = page_soup.find("main").find(attrs={"role": "status"})
    return [text_of(item) for item in status.find_all("li")] if status else []


def count_text(page_soup):
    return text_of(page_soup.find(id="catalogue-count"))


@pytest.fixture
def categories(db):
    return {
        "brushes": ProductCategoryFactory(name="Brushes", slug="brushes", description="Digital brushes for painters."),
        "printables": ProductCategoryFactory(name="Printables", slug="printables", description="Print at home."),
        "studio": ProductCategoryFactory(name="Studio goods", slug="studio-goods", description="Things you can hold."),
        "empty": ProductCategoryFactory(name="Coming soon", slug="coming-soon", description="Nothing yet."),
    }


@pytest.fixture
def shop(site_settings, product_index, categories):
    """Five products, published a day apart in this order (so "newest" lists them in reverse)."""

    def product(day, title, price, categories, **extra):
        return ProductPageFactory(
            parent=product_index,
            title=title,
            price=Decimal(price),
            categories=categories,
            first_published_at=START + timedelta(days=day),
            **extra,
        )

    product(1, "Sable brushes", "24", [categories["brushes"]])
    product(2, "Gouache brushes", "12", [categories["brushes"]])
    product(3, "Weekly planner", "9", [categories["printables"]])
    product(4, "Canvas tote", "19", [categories["studio"]], physical=True)
    product(5, "Notebook", "12", [categories["studio"], categories["printables"]], physical=True)
    return product_index


NEWEST = ["Notebook", "Canvas tote", "Weekly planner", "Gouache brushes", "Sable brushes"]


def test_the_shop_lists_every_product_newest_first_with_a_count(get_soup, shop):
    _response, page = get_soup(shop.url)

    assert listed(page) == NEWEST
    assert count_text(page) == "5 products"
    assert canonical(page) == f"{ROOT}/shop/"
    assert not noindex(page)
    assert notes(page) == []


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"category": "brushes"}, ["Gouache brushes", "Sable brushes"]),
        ({"category": ["brushes", "studio-goods"]}, ["Notebook", "Canvas tote", "Gouache brushes", "Sable brushes"]),
        ({"min_price": "12"}, ["Notebook", "Canvas tote", "Gouache brushes", "Sable brushes"]),
        ({"max_price": "12"}, ["Notebook", "Weekly planner", "Gouache brushes"]),
        ({"min_price": "10", "max_price": "19"}, ["Notebook", "Canvas tote", "Gouache brushes"]),
        ({"min_price": "12", "max_price": "12.00"}, ["Notebook", "Gouache brushes"]),
        ({"kind": "physical"}, ["Notebook", "Canvas tote"]),
        ({"kind": "digital"}, ["Weekly planner", "Gouache brushes", "Sable brushes"]),
    ],
    ids=["category", "two-categories", "min-price", "max-price", "price-range", "exact-price", "physical", "digital"],
)
def test_each_filter_narrows_the_listing(get_soup, shop, query, expected):
    _response, page = get_soup(shop.url, data=query)

    assert listed(page) == expected
    assert count_text(page) == f"{len(expected)} products"
    assert notes(page) == []


def test_filters_combine(get_soup, shop):
    query = {"category": ["printables", "studio-goods"], "kind": "physical", "max_price": "15"}

    _response, page = get_soup(shop.url, data=query)

    assert listed(page) == ["Notebook"]
    assert count_text(page) == "1 product"
    form = page.find("form", id="catalogue-filters")
    assert {box["value"] for box in form.find_all("input", attrs={"name": "category"}) if box.has_attr("checked")} == {
        "printables",
        "studio-goods",
    }
    assert form.find("input", attrs={"name": "max_price"})["value"] == "15"
    assert form.find("input", attrs={"name": "kind", "value": "physical"}).has_attr("checked")


def test_active_filters_show_as_chips_that_remove_one_filter_each(get_soup, shop):
    _response, page = get_soup(
        shop.url, data={"category": "brushes", "min_price": "10", "kind": "digital", "sort": "name"}
    )

    chips = {link["aria-label"]: link["href"] for link in page.select("main a[aria-label^='Remove filter']")}

    assert chips == {
        "Remove filter: Brushes": "/shop/?min_price=10&kind=digital&sort=name",
        "Remove filter: From $10.00": "/shop/?category=brushes&kind=digital&sort=name",
        "Remove filter: Digital downloads": "/shop/?category=brushes&min_price=10&sort=name",
    }
    clear = [link["href"] for link in page.find("main").find_all("a") if text_of(link) in ("Clear", "Clear all")]
    assert clear == ["/shop/", "/shop/"]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("newest", NEWEST),
        ("price-asc", ["Weekly planner", "Gouache brushes", "Notebook", "Canvas tote", "Sable brushes"]),
        ("price-desc", ["Sable brushes", "Canvas tote", "Gouache brushes", "Notebook", "Weekly planner"]),
        ("name", ["Canvas tote", "Gouache brushes", "Notebook", "Sable brushes", "Weekly planner"]),
    ],
)
def test_each_sort_order_breaks_price_ties_by_name(get_soup, shop, sort, expected):
    _response, page = get_soup(shop.url, data={"sort": sort})

    assert listed(page) == expected  # Gouache brushes and Notebook both cost 12
    assert page.find("select", attrs={"name": "sort"}).find("option", selected=True)["value"] == sort


def test_name_order_ignores_case(get_soup, shop):
    ProductPageFactory(parent=shop, title="apron", first_published_at=START)

    _response, page = get_soup(shop.url, data={"sort": "name"})

    assert listed(page)[:2] == ["apron", "Canvas tote"]


@pytest.mark.parametrize("sort", ["newest", "price-asc", "price-desc", "name"])
def test_products_that_tie_keep_one_order_so_pages_neither_repeat_nor_skip_any(
    client, site_settings, product_index, sort
):
    moment = START + timedelta(days=1)
    products = [
        ProductPageFactory(
            parent=product_index, title="Same kit", slug=f"same-kit-{n}", price=Decimal("5"), first_published_at=moment
        )
        for n in range(15)
    ]

    hrefs = []
    for number in (1, 2):
        page = soup(client.get(product_index.url, {"sort": sort, "page": number}))
        hrefs += [heading.find("a")["href"] for heading in page.select("main article h2")]

    assert sorted(hrefs) == sorted(product.url for product in products)
    assert len(set(hrefs)) == 15


@pytest.mark.parametrize(
    ("query", "note"),
    [
        ({"min_price": "abc"}, "Price from: Enter a price as a number, like 25 or 19.99."),
        ({"min_price": "-1"}, "Price from: Enter a price of 0 or more."),
        ({"max_price": "1e400"}, "Price to: Enter a price below 100,000,000."),
        ({"max_price": "123456789012"}, "Price to: Enter a price below 100,000,000."),
        ({"min_price": "9.999"}, "Price from: Enter a price with at most 2 decimal places."),
        ({"min_price": "NaN"}, "Price from: Enter a price as a number, like 25 or 19.99."),
        ({"kind": "haunted"}, "Type: Choose digital downloads or physical products."),
        ({"sort": "random"}, "Sort by: That sort order is unknown, so the newest come first."),
        ({"category": "nope"}, "There is no category “nope”."),
    ],
)
def test_a_bad_value_is_left_out_with_a_note_and_never_an_error_page(get_soup, shop, query, note):
    _response, page = get_soup(shop.url, data=query)

    assert listed(page) == NEWEST
    assert notes(page) == [note]
    assert canonical(page) == f"{ROOT}/shop/"
    assert not noindex(page)


def test_the_bad_price_is_marked_in_the_form(get_soup, shop):
    _response, page = get_soup(shop.url, data={"min_price": "-1"})

    field = page.find("input", attrs={"name": "min_price"})
    assert field["aria-invalid"] == "true"
    assert field["value"] == "-1"  # as typed, to correct
    errors = page.find(id=field.find_parent("fieldset")["aria-describedby"])
    assert text_of(errors) == "Price from: Enter a price of 0 or more."


def test_a_bad_value_leaves_the_good_ones_in_force(get_soup, shop):
    _response, page = get_soup(shop.url, data={"category": ["nope", "brushes"], "kind": "digital", "max_price": "x"})

    assert listed(page) == ["Gouache brushes", "Sable brushes"]
    assert len(notes(page)) == 2
    assert canonical(page) == f"{ROOT}/shop/category/brushes/?kind=digital"


def test_a_lowest_price_above_the_highest_keeps_the_lowest_and_says_so(get_soup, shop):
    _response, page = get_soup(shop.url, data={"min_price": "20", "max_price": "10"})

    assert listed(page) == ["Sable brushes"]
    assert notes(page) == ["Price to: It is below the lowest price, so it was left out."]
    assert canonical(page) == f"{ROOT}/shop/?min_price=20"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("0", Decimal("0")), ("-0", Decimal("0")), (" 7.5 ", Decimal("7.5")), ("99999999.99", Decimal("99999999.99"))],
)
def test_the_form_reads_prices_as_typed(raw, expected):
    form = CatalogueFilterForm({"min_price": raw})

    assert form.is_valid(), form.errors
    assert form.cleaned_data["min_price"] == expected


def many_products(shop, count, **extra):
    return [
        ProductPageFactory(parent=shop, title=f"Kit {n:02d}", first_published_at=START + timedelta(days=n), **extra)
        for n in range(count)
    ]


@pytest.mark.parametrize(("number", "shown"), [("", 1), ("1", 1), ("2", 2)])
def test_a_listing_shows_the_page_asked_for(get_soup, site_settings, product_index, number, shown):
    many_products(product_index, 13)  # 12 a page

    _response, page = get_soup(product_index.url, data={"page": number})

    assert listed(page) == ([f"Kit {n:02d}" for n in range(12, 0, -1)] if shown == 1 else ["Kit 00"])
    assert f"page {shown} of 2" in count_text(page)
    assert notes(page) == []
    assert canonical(page) == f"{ROOT}/shop/" + ("?page=2" if shown == 2 else "")


# Words, zero, negatives, other spellings of a page and pages past the end: each a 404, so search engines
# drop the address instead of indexing another copy of the first or last page.
BAD_PAGE_NUMBERS = ["abc", "0", "-1", "1.5", "02", "+2", " 2", "3", "999", "9" * 30, "9" * 5000]


@pytest.mark.parametrize("number", BAD_PAGE_NUMBERS)
def test_a_page_number_that_names_no_page_is_a_404(client, site_settings, product_index, categories, number):
    many_products(product_index, 13, categories=[categories["brushes"]])

    for url in (product_index.url, f"{product_index.url}category/brushes/"):
        response = client.get(url, {"page": number, "sort": "name"})
        assert response.status_code == 404, url


def test_pagination_links_keep_the_filters_and_sort_order(get_soup, site_settings, product_index, categories):
    many_products(product_index, 13, categories=[categories["brushes"]])
    ProductPageFactory(parent=product_index, title="Tote", physical=True, categories=[categories["brushes"]])
    query = {"category": "brushes", "kind": "digital", "sort": "name"}

    _response, first = get_soup(product_index.url, data=query)
    next_link = first.find("nav", attrs={"aria-label": "Product pages"}).find("a", rel="next")["href"]
    _response, second = get_soup(f"{product_index.url}{next_link}")

    assert next_link.startswith("?")
    assert dict(pair.split("=") for pair in next_link[1:].split("&")) == {**query, "page": "2"}
    assert listed(second) == ["Kit 12"]
    assert canonical(second) == f"{ROOT}/shop/category/brushes/?kind=digital&page=2"


def test_no_match_says_so_and_offers_to_clear_the_filters(get_soup, shop):
    _response, page = get_soup(shop.url, data={"min_price": "1000", "sort": "name"})

    assert listed(page) == []
    assert count_text(page) == "0 products"
    text = main_text(page)
    assert "No products match these filters" in text
    clear = page.find("main").find("a", string=lambda s: s and "Clear filters" in s)
    assert clear["href"] == "/shop/"


def test_an_empty_shop_says_nothing_is_here_yet(get_soup, site_settings, product_index):
    _response, page = get_soup(product_index.url)

    assert "Nothing here yet" in main_text(page)


# What search engines are told.


def test_the_canonical_drops_sort_and_empty_values_and_orders_the_filters(get_soup, shop):
    query = {
        "sort": "price-desc",
        "kind": "digital",
        "max_price": "",
        "min_price": "10.50",
        "category": ["printables", "brushes", "brushes"],
        "utm_source": "newsletter",
    }

    _response, page = get_soup(shop.url, data=query)

    assert canonical(page) == f"{ROOT}/shop/?category=brushes&category=printables&min_price=10.5&kind=digital"
    assert page.find("meta", property="og:url")["content"] == canonical(page)


@pytest.mark.parametrize("sort", ["newest", "price-asc", "price-desc", "name"])
def test_a_sort_order_alone_is_the_shop_itself(get_soup, shop, sort):
    _response, page = get_soup(shop.url, data={"sort": sort})

    assert canonical(page) == f"{ROOT}/shop/"
    assert not noindex(page)


@pytest.mark.parametrize(
    ("query", "hidden"),
    [
        ({"category": "brushes"}, False),  # the landing page's own listing
        ({"category": "brushes", "sort": "name"}, False),
        ({"category": ["brushes", "printables"]}, True),
        ({"kind": "digital"}, True),
        ({"min_price": "5"}, True),
        ({"category": "brushes", "max_price": "20"}, True),
    ],
)
def test_only_the_shop_and_its_category_pages_are_indexed(get_soup, shop, query, hidden):
    _response, page = get_soup(shop.url, data=query)

    assert noindex(page) is hidden


def test_one_category_ticked_in_the_shop_points_search_engines_at_its_landing_page(get_soup, shop):
    _response, page = get_soup(shop.url, data={"category": "brushes", "sort": "name"})

    assert canonical(page) == f"{ROOT}/shop/category/brushes/"


def test_the_editors_noindex_and_canonical_still_rule_the_shop(get_soup, shop):
    shop.noindex = True
    shop.canonical_url = "https://shop.example.com/all/"
    shop.save_revision().publish()

    _response, plain = get_soup(shop.url)
    _response, category = get_soup(f"{shop.url}category/brushes/")

    assert canonical(plain) == "https://shop.example.com/all/"
    assert noindex(plain) and noindex(category)
    assert canonical(category) == f"{ROOT}/shop/category/brushes/"


# Category landing pages.


def test_a_category_has_its_own_landing_page(get_soup, shop, categories):
    url = f"{shop.url}category/brushes/"

    _response, page = get_soup(url)

    assert text_of(page.find("h1")) == "Brushes"
    assert "Digital brushes for painters." in main_text(page)
    assert listed(page) == ["Gouache brushes", "Sable brushes"]
    assert text_of(page.find("title")).startswith("Brushes |")
    assert page.find("meta", attrs={"name": "description"})["content"] == "Digital brushes for painters."
    assert page.find("meta", property="og:title")["content"] == "Brushes"
    assert canonical(page) == f"{ROOT}{url}"
    assert not noindex(page)
    crumbs = page.find("nav", attrs={"aria-label": "Breadcrumb"}).find_all("a")
    assert [(text_of(link), link["href"]) for link in crumbs] == [("Home", "/"), ("Shop", "/shop/"), ("Brushes", url)]
    assert crumbs[-1]["aria-current"] == "page"
    graph = json.loads(page.find("script", type="application/ld+json").string)["@graph"]
    trail = next(node for node in graph if node["@type"] == "BreadcrumbList")["itemListElement"]
    assert [item["item"] for item in trail] == [f"{ROOT}/", f"{ROOT}/shop/", f"{ROOT}{url}"]


def test_a_category_page_filters_and_sorts_within_its_category(get_soup, shop):
    url = f"{shop.url}category/studio-goods/"

    _response, page = get_soup(url, data={"sort": "price-asc", "max_price": "15", "category": "brushes"})

    assert listed(page) == ["Notebook"]  # the route's category rules; ?category= is ignored here
    assert page.find("form", id="catalogue-filters")["action"] == url
    assert canonical(page) == f"{ROOT}{url}?max_price=15"
    assert noindex(page)
    links = {text_of(link): link["href"] for link in page.find("nav", attrs={"aria-labelledby": True}).find_all("a")}
    assert links == {
        "All products": "/shop/?max_price=15&sort=price-asc",
        "Brushes": "/shop/category/brushes/?max_price=15&sort=price-asc",
        "Printables": "/shop/category/printables/?max_price=15&sort=price-asc",
        "Studio goods": "/shop/category/studio-goods/?max_price=15&sort=price-asc",
    }  # categories with nothing in them are not offered


def test_a_category_page_is_paginated_with_its_page_number_in_the_title_and_canonical(
    get_soup, site_settings, product_index, categories
):
    many_products(product_index, 13, categories=[categories["brushes"]])

    _response, page = get_soup(f"{product_index.url}category/brushes/", data={"page": "2"})

    assert listed(page) == ["Kit 00"]
    assert text_of(page.find("title")).startswith("Brushes – page 2 |")
    assert canonical(page) == f"{ROOT}/shop/category/brushes/?page=2"
    assert not noindex(page)


def test_an_empty_category_page_says_so_and_is_not_indexed(get_soup, shop):
    _response, page = get_soup(f"{shop.url}category/coming-soon/")

    assert "No products in Coming soon yet" in main_text(page)
    assert noindex(page)


@pytest.mark.parametrize("slug", ["nope", "BRUSHES", "brushes-extra"])
def test_an_unknown_category_is_not_found(client, shop, slug):
    assert client.get(f"{shop.url}category/{slug}/").status_code == 404


def test_the_sitemap_lists_each_category_page_that_has_products(client, shop, categories):
    private = ProductCategoryFactory(name="Members", slug="members")
    members_only = ProductPageFactory(parent=shop, title="Members kit", categories=[private])
    PageViewRestriction.objects.create(page=members_only, restriction_type=PageViewRestriction.PASSWORD, password="x")

    response = client.get(reverse("sitemap"))
    root = ET.fromstring(response.content)  # noqa: S314 - our own response
    ns = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    entries = {url.findtext("sm:loc", namespaces=ns): url.findtext("sm:lastmod", namespaces=ns) for url in root}

    landing_pages = {loc for loc in entries if "/category/" in loc}
    assert landing_pages == {f"{ROOT}/shop/category/{slug}/" for slug in ("brushes", "printables", "studio-goods")}
    assert entries[f"{ROOT}/shop/category/brushes/"] == (START + timedelta(days=2)).date().isoformat()


def test_the_shop_is_left_out_of_the_sitemap_with_its_category_pages_when_hidden(client, shop):
    shop.noindex = True
    shop.save_revision().publish()

    assert b"/category/" not in client.get(reverse("sitemap")).content


def test_search_suggestions_link_to_the_category_pages(get_soup, shop):
    _response, page = get_soup(reverse("search"), data={"q": "zeppelin"})

    links = {text_of(link): link["href"] for link in page.find("main").find_all("a")}
    assert links["Brushes"] == "/shop/category/brushes/"


# What is never listed.


def test_drafts_and_view_restricted_products_are_never_listed(get_soup, shop, categories):
    ProductPageFactory(parent=shop, title="Draft kit", draft=True, categories=[categories["brushes"]])
    secret = ProductPageFactory(parent=shop, title="Secret kit", categories=[categories["brushes"]])
    PageViewRestriction.objects.create(page=secret, restriction_type=PageViewRestriction.PASSWORD, password="x")
    members = ProductCategoryFactory(name="Members", slug="members")
    hidden = ProductPageFactory(parent=shop, title="Members kit", categories=[members])
    PageViewRestriction.objects.create(page=hidden, restriction_type=PageViewRestriction.GROUPS)

    for url, query in [(shop.url, {}), (shop.url, {"sort": "name"}), (f"{shop.url}category/brushes/", {})]:
        _response, page = get_soup(url, data=query)
        assert not {"Draft kit", "Secret kit", "Members kit"} & set(listed(page))

    _response, page = get_soup(shop.url)
    assert count_text(page) == "5 products"
    offered = [box["value"] for box in page.find("form", id="catalogue-filters").find_all("input", type="checkbox")]
    assert offered == ["brushes", "printables", "studio-goods"]  # not "members", whose only product is private


def test_the_editor_can_still_preview_the_shop_and_its_seo(editor_client, shop):
    edit_url = reverse("wagtailadmin_pages:edit", args=[shop.pk])
    preview_url = reverse("wagtailadmin_pages:preview_on_edit", args=[shop.pk])
    data = querydict_from_html(editor_client.get(edit_url).content.decode(), form_id="page-edit-form")
    data["title"] = "The whole shop"

    for mode in ("", "wagtail-seo"):
        assert editor_client.post(f"{preview_url}?mode={mode}", data).json()["is_valid"]
        response = editor_client.get(preview_url, {"mode": mode})
        assert response.status_code == 200
        assert "The whole shop" in response.content.decode()
    assert "Notebook" in text_of(soup(editor_client.get(preview_url, {"mode": ""})))


# What each page costs.


def add_products(shop, numbers, *, category, images):
    """Products added to the page tree one by one (what makes them cost ~15 ms each), their gallery images and
    category in two bulk inserts."""
    products = [
        shop.add_child(
            instance=ProductPage(
                title=f"Kit {n}",
                slug=f"kit-{n}",
                summary="A kit.",
                price=Decimal(n % 40 + 1),
                sku=f"KIT-{n}",
                kind=ProductPage.Kind.PHYSICAL if n % 3 == 0 else ProductPage.Kind.DIGITAL,
                stock=5 if n % 3 == 0 else None,
                first_published_at=START + timedelta(minutes=n),
            )
        )
        for n in numbers
    ]
    ProductGalleryImage.objects.bulk_create(
        ProductGalleryImage(page=product, image=images[n % len(images)], sort_order=0)
        for n, product in zip(numbers, products, strict=True)
    )
    ProductPage.categories.through.objects.bulk_create(
        ProductPage.categories.through(productpage=product, productcategory=category) for product in products
    )


# Queries per page, with warm caches: the site and page lookups, settings and navigation the layout needs, then
# the listing's own seven (view restrictions, categories, count, the page of products, their gallery images,
# their categories, the images' renditions); a category page adds its category. A change that adds a query on
# purpose updates these; one that makes a page cost a query per product fails.
PINNED = {"shop": 16, "category": 17, "filtered shop": 16, "category page 2": 17}


def test_the_shop_and_a_category_page_take_the_same_queries_for_10000_products_as_for_13(
    client, site_settings, product_index, django_assert_num_queries
):
    category = ProductCategoryFactory(name="Brushes", slug="brushes")
    images = [ImageFactory(title=f"Kit {n}") for n in range(12)]  # each card on a page shows its own image
    urls = {
        "shop": product_index.url,
        "category": f"{product_index.url}category/brushes/",
        "filtered shop": f"{product_index.url}?category=brushes&kind=digital&min_price=1&sort=price-desc",
        "category page 2": f"{product_index.url}category/brushes/?sort=name&page=2",
    }

    add_products(product_index, range(13), category=category, images=images)  # two pages: page 2 exists
    measured = {}
    for name, url in urls.items():
        client.get(url)  # the first request makes the cards' renditions and fills the caches
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        measured[name] = len(queries)
    assert measured == PINNED

    # The rest in bulk, as `load_demo --products` writes them: one by one, 10,000 pages would take minutes.
    fill_catalogue(10_000, shop=product_index, images=images, categories=[category], index=False)

    for name, url in urls.items():
        client.get(url)
        with django_assert_num_queries(measured[name]):
            response = client.get(url)
        assert len(soup(response).select("main article")) == 12


def test_a_page_of_twelve_cards_costs_the_queries_of_one_even_with_a_cold_cache(
    client, site_settings, product_index, django_assert_num_queries
):
    """The cards' renditions are prefetched: with nothing cached, a listing does not look each one up."""
    images = [ImageFactory(title=f"Kit {n}") for n in range(12)]
    category = ProductCategoryFactory(name="Brushes", slug="brushes")

    def cold_queries():
        client.get(product_index.url)  # makes any missing renditions
        cache.clear()  # Wagtail keeps renditions in the default cache; without it each is a query
        with CaptureQueriesContext(connection) as queries:
            client.get(product_index.url)
        return len(queries)

    add_products(product_index, range(1), category=category, images=images)
    one_card = cold_queries()
    add_products(product_index, range(1, 12), category=category, images=images)
    client.get(product_index.url)
    cache.clear()

    with django_assert_num_queries(one_card):
        response = client.get(product_index.url)
    assert len(soup(response).select("main article img")) == 12
