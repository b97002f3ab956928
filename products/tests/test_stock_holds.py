"""The Stock screen's hook point (products.stock_holds): the screen learns what unpaid checkouts hold only from
the app registered there, works with none, and asks in a fixed number of queries however much is held."""

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from products.factories import ProductPageFactory
from products.stock_holds import NoHolds, register, stock_holds
from products.tests.test_stock_admin import STOCK, hold, rows
from website.tests.html import soup, text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def no_orders_app():
    """The Stock screen as it would be with no app that takes orders registered."""
    registered = stock_holds()
    register(NoHolds())
    yield
    register(registered)


def test_without_an_orders_app_nothing_is_held_and_nothing_can_be_released(editor_client, product_index, no_orders_app):
    mug = ProductPageFactory(parent=product_index, title="Studio Mug", sku="MUG-1", physical=True, stock=10)
    hold(mug, 2)  # an order exists, but no registered app says it holds anything

    response = editor_client.get(STOCK)

    assert [row.split(" Set")[0] for row in rows(response)] == ["Studio Mug MUG-1 10 0"]
    assert "No unpaid checkout holds stock right now." in text_of(soup(response))
    released = editor_client.post(reverse("products_release_hold", args=[1]), follow=True)
    assert "That checkout no longer holds stock" in released.text


def make_held_products(product_index, first, count):
    for number in range(first, first + count):
        product = ProductPageFactory(
            parent=product_index, title=f"Product {number}", sku=f"SKU-{number}", physical=True, stock=5
        )
        hold(product, 1)
        hold(product, 2)


def count_queries(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(STOCK)
    assert response.status_code == 200
    return len(queries), response


# The count before the screen asked through the hook point: the session and user, the admin's own lookups,
# the products with their held units (one query), and the holds with their lines (two).
STOCK_SCREEN_QUERIES = 10


def test_the_stock_screen_asks_in_a_fixed_number_of_queries(editor_client, product_index):
    make_held_products(product_index, 0, 1)
    editor_client.get(STOCK)  # the admin caches a few lookups on its first visit
    with_one, _ = count_queries(editor_client)
    make_held_products(product_index, 1, 4)
    with_five, response = count_queries(editor_client)

    assert with_one == with_five == STOCK_SCREEN_QUERIES
    assert [row.split(" Set")[0] for row in rows(response)][:2] == ["Product 0 SKU-0 5 3", "Product 1 SKU-1 5 3"]
