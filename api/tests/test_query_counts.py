"""Each list endpoint costs the same, pinned, number of SQL queries however much it lists.

Measured with warm caches (renditions made, site root paths cached), as on a running site. A change that
adds a query on purpose updates PINNED; one that costs a query per item fails.
"""

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext

from blog.factories import AuthorFactory, BlogPostPageFactory
from products.factories import ProductCategoryFactory, ProductPageFactory
from website.factories import ImageFactory

from .test_orders import placed_order

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("requests_commit")]

# Small: 1-2 items; large: 10-20 (an order with 6 files for "order").
PINNED = {
    "products": 10,
    "posts": 8,
    "images": 14,  # the private "Product files" collection every shop has: Wagtail reads its restriction
    "cart": 7,
    "orders": 4,
    "order": 8,  # with its status history and parcels (issue 10), refunds and disputes (issue 18)
}
PRODUCT_FIELDS = "summary,sku,price,currency,availability,images,categories"


def queries(client, url, params=None):
    assert client.get(url, params).status_code == 200  # makes renditions, fills the caches
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    # Not the rate limit's one upsert (none under Redis): what the listing itself costs.
    count = sum("ratelimitcount" not in query["sql"] for query in captured)
    assert response.status_code == 200, response.content[:300]
    return count


def measure(name, small, large):
    assert (small, large) == (PINNED[name], PINNED[name]), f"{name}: {small} then {large}; pinned at {PINNED[name]}"


def add_products(product_index, count):
    category = ProductCategoryFactory()
    for _ in range(count):
        ProductPageFactory(parent=product_index, gallery=[ImageFactory(), ImageFactory()], categories=[category])


def test_the_product_listing(client, product_index, site_settings):
    add_products(product_index, 2)
    params = {"type": "products.ProductPage", "fields": PRODUCT_FIELDS}
    small = queries(client, "/api/v2/pages/", params)
    add_products(product_index, 18)
    measure("products", small, queries(client, "/api/v2/pages/", params))


def test_the_post_listing(client, blog_index, site_settings):
    def add_posts(count):
        for _ in range(count):
            BlogPostPageFactory(parent=blog_index, author=AuthorFactory(), hero_image=ImageFactory())

    params = {"type": "blog.BlogPostPage", "fields": "summary,date,author,hero_image,categories"}
    add_posts(2)
    small = queries(client, "/api/v2/pages/", params)
    add_posts(18)
    measure("posts", small, queries(client, "/api/v2/pages/", params))


def test_the_image_listing(client, site):
    ImageFactory.create_batch(2)
    small = queries(client, "/api/v2/images/")
    ImageFactory.create_batch(18)
    measure("images", small, queries(client, "/api/v2/images/"))


def test_the_cart(app, product_index, site_settings):
    def fill(count):
        for _ in range(count):
            product = ProductPageFactory(parent=product_index, gallery=[ImageFactory()])
            app.post("/api/v2/cart/lines/", {"product": product.pk}, content_type="application/json")

    fill(1)
    small = queries(app, "/api/v2/cart/")
    fill(9)
    measure("cart", small, queries(app, "/api/v2/cart/"))


def test_the_order_list_and_an_order(app, shopper):
    first = placed_order(shopper, files=1)
    small = queries(app, "/api/v2/orders/"), queries(app, f"/api/v2/orders/{first.number}/")
    for _ in range(9):
        placed_order(shopper, files=1)
    many_files = placed_order(shopper, files=6)
    measure("orders", small[0], queries(app, "/api/v2/orders/"))
    measure("order", small[1], queries(app, f"/api/v2/orders/{many_files.number}/"))
