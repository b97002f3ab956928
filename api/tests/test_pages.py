"""Public pages: what the pages endpoint shows of products and posts, and what it never shows."""

from decimal import Decimal

import pytest

from wagtail.models import PageViewRestriction

from blog.factories import AuthorFactory, BlogPostPageFactory
from products.factories import ProductCategoryFactory, ProductPageFactory

pytestmark = pytest.mark.django_db

PAGES = "/api/v2/pages/"


def ids(response):
    assert response.status_code == 200, response.content[:500]
    return {item["id"] for item in response.json()["items"]}


def test_a_product_shows_price_currency_availability_sku_images_categories_and_body(client, ebook):
    data = client.get(f"{PAGES}{ebook.pk}/").json()
    assert data["price"] == "8.20"
    assert data["currency"] == "USD"
    assert data["availability"] == "in_stock"
    assert data["sku"] == "EBOOK-1"
    assert data["categories"] == [{"id": ebook.categories.get().pk, "name": "Kits", "slug": "kits"}]
    [picture] = data["images"]
    assert picture["url"].startswith("http://testserver/media/images/") and picture["width"] > 0
    assert isinstance(data["body_html"], str)


def test_product_listing_fields_are_chosen_with_fields(client, ebook):
    items = client.get(PAGES, {"type": "products.ProductPage", "fields": "price,currency,availability"}).json()["items"]
    assert [(item["title"], item["price"], item["currency"], item["availability"]) for item in items] == [
        ("Field Guide", "8.20", "USD", "in_stock")
    ]


def test_the_body_is_only_in_a_pages_own_view(client, ebook):
    response = client.get(PAGES, {"type": "products.ProductPage", "fields": "body_html"})
    assert response.status_code == 400
    assert response.json() == {"message": "unknown fields: body_html"}


def test_availability_says_sold_out_and_not_on_sale(client, product_index, site_settings):
    sold_out = ProductPageFactory(parent=product_index, physical=True, stock=0)
    withdrawn = ProductPageFactory(parent=product_index, on_sale=False)
    assert client.get(f"{PAGES}{sold_out.pk}/").json()["availability"] == "sold_out"
    assert client.get(f"{PAGES}{withdrawn.pk}/").json()["availability"] == "not_on_sale"


def test_a_blog_post_shows_author_date_summary_and_body(client, blog_index, site_settings):
    post = BlogPostPageFactory(parent=blog_index, author=AuthorFactory(name="Grace Hopper"), summary="Short.")
    data = client.get(f"{PAGES}{post.pk}/").json()
    assert data["author"]["name"] == "Grace Hopper"
    assert data["date"] == post.date.isoformat()
    assert data["summary"] == "Short."
    assert isinstance(data["body_html"], str) and data["body_html"]


def test_category_and_price_range_filter_products(client, product_index, site_settings, kits):
    cheap = ProductPageFactory(parent=product_index, price=Decimal("5.00"), categories=[kits])
    dear = ProductPageFactory(parent=product_index, price=Decimal("50.00"), categories=[kits])
    other = ProductPageFactory(parent=product_index, price=Decimal("5.00"), categories=[ProductCategoryFactory()])
    assert ids(client.get(PAGES, {"category": "kits"})) == {cheap.pk, dear.pk}
    assert ids(client.get(PAGES, {"price_min": "5", "price_max": "20"})) == {cheap.pk, other.pk}
    assert ids(client.get(PAGES, {"category": "kits", "price_min": "10.50"})) == {dear.pk}
    assert ids(client.get(PAGES, {"category": "no-such-category"})) == set()


def test_filtered_products_sort_by_price(client, product_index, site_settings, kits):
    dear = ProductPageFactory(parent=product_index, price=Decimal("50.00"), categories=[kits])
    cheap = ProductPageFactory(parent=product_index, price=Decimal("5.00"), categories=[kits])
    items = client.get(PAGES, {"category": "kits", "order": "-price"}).json()["items"]
    assert [item["id"] for item in items] == [dear.pk, cheap.pk]


@pytest.mark.parametrize("value", ["abc", "-1", "1.234", "NaN", "Infinity", "1e9"])
def test_a_bad_price_is_a_400_with_the_reason(client, ebook, value):
    response = client.get(PAGES, {"price_min": value})
    assert response.status_code == 400
    assert response.json() == {"message": "price_min must be an amount such as 10 or 19.99"}


def test_product_filters_on_another_page_type_are_a_400(client, ebook):
    response = client.get(PAGES, {"type": "blog.BlogPostPage", "category": "kits"})
    assert response.status_code == 400
    assert "type=products.ProductPage" in response.json()["message"]


@pytest.mark.parametrize("query", [{"price": "abc"}, {"categories": "abc"}, {"date": "yesterday"}])
def test_a_field_filter_value_of_the_wrong_kind_is_a_400(client, ebook, query):
    response = client.get(
        PAGES,
        {"type": "products.ProductPage", **query} if "date" not in query else {"type": "blog.BlogPostPage", **query},
    )
    assert response.status_code == 400
    assert response.json()["message"].startswith("field filter error")


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"type": "nope.Nope"}, "type doesn't exist"),
        ({"offset": "-1"}, "offset must be a positive integer"),
        ({"offset": "99999999999999999999"}, "offset cannot be higher than 1000000"),
        ({"limit": "21"}, "limit cannot be higher than 20"),
        ({"site": "example.com"}, "query parameter is not an operation or a recognised field: site"),
        ({"search": "kit", "search_operator": "xor"}, "search_operator must be 'and' or 'or'"),
        ({"fields": "nope"}, "unknown fields: nope"),
        ({"fields": ""}, "fields cannot be empty: give a value or leave fields out"),
        ({"type": ""}, "type cannot be empty: give a value or leave type out"),
    ],
)
def test_bad_listing_parameters_are_a_400_with_the_reason(client, ebook, query, message):
    response = client.get(PAGES, query)
    assert response.status_code == 400
    assert response.json() == {"message": message}


def test_search_finds_products_by_words_and_ignores_query_syntax(client, ebook):
    assert ids(client.get(PAGES, {"search": "field"})) == {ebook.pk}
    assert ids(client.get(PAGES, {"search": 'field* ("guide:'})) == {ebook.pk}
    assert ids(client.get(PAGES, {"search": "*:()"})) == set()


def test_an_unknown_page_is_a_404(client, site):
    response = client.get(f"{PAGES}999999/")
    assert response.status_code == 404
    assert response.json() == {"message": "No Page matches the given query."}


# -- Visibility -------------------------------------------------------------------------------------


def test_unpublished_pages_never_appear(client, product_index, site_settings):
    draft = ProductPageFactory(parent=product_index, draft=True)
    assert draft.pk not in ids(client.get(PAGES))
    assert client.get(f"{PAGES}{draft.pk}/").status_code == 404


@pytest.mark.parametrize("restriction_type", [PageViewRestriction.LOGIN, PageViewRestriction.PASSWORD])
def test_restricted_pages_and_their_children_never_appear_even_to_who_may_see_them(
    client, shopper, product_index, ebook, restriction_type
):
    PageViewRestriction.objects.create(page=product_index, restriction_type=restriction_type, password="secret")
    client.force_login(shopper)
    listed = ids(client.get(PAGES))
    assert product_index.pk not in listed and ebook.pk not in listed
    assert client.get(f"{PAGES}{ebook.pk}/").status_code == 404
    assert client.get(f"{PAGES}find/", {"html_path": "/shop/"}).status_code == 404


def test_noindex_pages_are_listed_but_never_found_by_search(client, product_index, site_settings):
    hidden = ProductPageFactory(parent=product_index, title="Secret planner", noindex=True)
    assert hidden.pk in ids(client.get(PAGES))
    assert ids(client.get(PAGES, {"search": "planner"})) == set()
