"""/account/visitor/: a signed-in visitor's own parts of a shared page (name, saved and bought products, cart
count), for site.js; nobody else's, never stored, in a constant number of queries."""

from datetime import UTC, datetime

import pytest

from django.test import Client
from django.urls import reverse

from accounts.factories import UserFactory
from accounts.models import WishlistItem
from accounts.visitor import MAX_PRODUCTS
from checkout.factories import OrderFactory, OrderLineFactory
from checkout.models import Order
from products.factories import ProductPageFactory
from website.page_cache import SHOPPER, SIGNED_IN_COOKIE

pytestmark = pytest.mark.django_db

URL = reverse("accounts:visitor")


@pytest.fixture
def products(product_index, site_settings):
    return [ProductPageFactory(parent=product_index, title=f"Print {n}") for n in range(3)]


@pytest.fixture
def shopper():
    return UserFactory(email="ada@example.com", first_name="Ada")


def signed_in(user):
    """Signed in, with the hint cookie a log-in sets (website.page_cache), as a browser that asks would be."""
    client = Client()
    client.force_login(user)
    client.cookies[SIGNED_IN_COOKIE] = SHOPPER
    return client


def placed(user, when, **kwargs):
    order = OrderFactory(user=user, email=user.email, **kwargs)
    Order.objects.filter(pk=order.pk).update(created_at=when)  # created_at is set on save
    return order


def ask(client, products=(), **kwargs):
    return client.get(URL, {"products": ",".join(str(product.pk) for product in products)}, **kwargs)


def test_an_anonymous_visitor_is_told_only_that_they_are_not_signed_in(client, products):
    response = ask(client, products)

    assert response.status_code == 200
    assert response.json() == {"signed_in": False}
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_a_shopper_gets_their_name_saved_and_bought_products_and_cart_count(shopper, products):
    first, second, third = products
    WishlistItem.objects.create(user=shopper, product=first)
    WishlistItem.objects.create(user=shopper, product=third)
    order = placed(shopper, datetime(2026, 11, 3, 10, tzinfo=UTC))
    OrderLineFactory(order=order, product=second)
    client = signed_in(shopper)
    client.post(reverse("checkout:cart_add"), {"product": first.pk, "quantity": 1})

    response = ask(client, products)

    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    parts = response.json()
    assert parts["signed_in"] is True
    assert parts["name"] == "Ada"
    assert parts["cart_count"] == 1
    assert parts["wishlist"] == sorted([first.pk, third.pk])
    assert parts["owned"] == {
        str(second.pk): {"bought_on": "3 Nov 2026", "order_url": reverse("accounts:order", args=[order.number])}
    }
    assert parts["urls"] == {
        "wishlist_add": reverse("accounts:wishlist_add"),
        "wishlist_remove": reverse("accounts:wishlist_remove"),
    }


def test_a_shopper_without_a_first_name_is_shown_by_their_email(products):
    assert ask(signed_in(UserFactory(email="grace@example.com", first_name="")), products).json()["name"] == (
        "grace@example.com"
    )


def test_only_the_products_asked_about_are_answered(shopper, products):
    for product in products:
        WishlistItem.objects.create(user=shopper, product=product)
        OrderLineFactory(order=OrderFactory(user=shopper, email=shopper.email), product=product)

    parts = ask(signed_in(shopper), products[:1]).json()

    assert parts["wishlist"] == [products[0].pk]
    assert list(parts["owned"]) == [str(products[0].pk)]


def test_the_latest_order_of_a_product_bought_twice_is_the_one_linked(shopper, products):
    older = placed(shopper, datetime(2026, 1, 5, tzinfo=UTC))
    newer = placed(shopper, datetime(2026, 6, 5, tzinfo=UTC))
    for order in (older, newer):
        OrderLineFactory(order=order, product=products[0])

    owned = ask(signed_in(shopper), products[:1]).json()["owned"][str(products[0].pk)]

    assert owned == {"bought_on": "5 Jun 2026", "order_url": reverse("accounts:order", args=[newer.number])}


@pytest.mark.parametrize("status", [Order.Status.PENDING, Order.Status.EXPIRED, Order.Status.REFUNDED])
def test_an_unplaced_or_refunded_order_does_not_count_as_owning(shopper, products, status):
    OrderLineFactory(order=OrderFactory(user=shopper, email=shopper.email, status=status), product=products[0])

    assert ask(signed_in(shopper), products).json()["owned"] == {}


def test_a_refunded_line_does_not_count_as_owning(shopper, products):
    OrderLineFactory(order=OrderFactory(user=shopper, email=shopper.email), product=products[0], refunded=True)

    assert ask(signed_in(shopper), products).json()["owned"] == {}


def test_nobody_learns_anything_of_another_shoppers(shopper, products):
    WishlistItem.objects.create(user=shopper, product=products[0])
    OrderLineFactory(order=OrderFactory(user=shopper, email=shopper.email), product=products[1])
    someone_else = signed_in(UserFactory(email="mallory@example.com", first_name="Mallory"))

    parts = ask(someone_else, products, data_user=shopper.pk).json()

    assert (parts["name"], parts["wishlist"], parts["owned"], parts["cart_count"]) == ("Mallory", [], {}, 0)


@pytest.mark.parametrize("count", [1, MAX_PRODUCTS])
def test_the_answer_costs_the_same_four_queries_for_one_product_or_a_hundred(
    shopper, product_index, site_settings, django_assert_num_queries, count
):
    """The session, its user, the saved products among those asked about, the purchases among them."""
    client = signed_in(shopper)
    ids = ",".join(str(pk) for pk in range(1, count + 1))

    with django_assert_num_queries(4):
        response = client.get(URL, {"products": ids})

    assert response.status_code == 200


@pytest.mark.parametrize("value", ["abc", "1,,2", "-1", "1;2", "１", "1" * 19, ",".join(["1"] * (MAX_PRODUCTS + 1))])
def test_a_malformed_product_list_is_a_clear_400(shopper, value):
    response = signed_in(shopper).get(URL, {"products": value})

    assert response.status_code == 400
    assert response.json()["error"]


def test_without_products_it_still_says_who_is_signed_in(shopper):
    parts = signed_in(shopper).get(URL).json()

    assert (parts["name"], parts["wishlist"], parts["owned"]) == ("Ada", [], {})


def test_it_answers_only_gets(shopper):
    assert signed_in(shopper).post(URL).status_code == 405
