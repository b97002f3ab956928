"""Add to cart answered as JSON for site.js (the drawer), and "Buy now": one item straight to Stripe Checkout
with the cart left as it was. The real stripe library talks to FakeStripe."""

from decimal import Decimal

import pytest
from allauth.account.models import EmailAddress

from django.test import Client
from django.urls import reverse

from accounts.factories import UserFactory
from checkout.cart import SESSION_KEY
from checkout.models import Order
from products.factories import ProductFileFactory, ProductPageFactory
from products.models import ProductPage

from .shopping import deliver

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("requests_commit")]

JSON = {"HTTP_ACCEPT": "application/json"}
BLOCK = "0b7e8c1a-6f0e-4d7a-9f3e-2c1d5a4b3e21"  # the teaser block's id on the page


@pytest.fixture
def ebook(product_index, site_settings):
    product = ProductPageFactory(parent=product_index, title="Field Guide", sku="EBOOK-1", price=Decimal("14.00"))
    ProductFileFactory(page=product)
    return product


@pytest.fixture
def mug(product_index, site_settings):
    return ProductPageFactory(
        parent=product_index, title="Studio Mug", sku="MUG-1", price=Decimal("14.50"), kind="physical", stock=2
    )


def add_json(client, product, **data):
    return client.post(reverse("checkout:cart_add"), {"product": product.pk, **data}, **JSON)


# -- Add to cart as JSON ------------------------------------------------------------------------------


def test_a_json_add_answers_the_cart_and_sets_the_count_cookie(client, fake_stripe, ebook, mug):
    add_json(client, mug, quantity=2)
    response = add_json(client, ebook, source_page=ebook.pk)
    assert response.status_code == 200
    body = response.json()
    assert body["message"] == "Added Field Guide to your cart." and body["error"] == ""
    cart = body["cart"]
    assert cart["count"] == 3
    assert [(line["title"], line["quantity"], line["total"]) for line in cart["lines"]] == [
        ("Studio Mug", 2, "$29.00"),
        ("Field Guide", 1, "$14.00"),
    ]
    assert cart["subtotal"] == "$43.00"
    assert cart["checkout"]["url"] == reverse("checkout:start") and cart["checkout"]["enabled"]
    assert cart["checkout"]["needs_cart"] == "" and cart["checkout"]["email"] == ""
    assert response.cookies["cart_count"].value == "3"
    assert client.session["cart_sources"][str(ebook.pk)]["page"] == ebook.pk


def test_out_of_stock_is_a_409_with_the_reason_and_the_cart_unchanged(client, fake_stripe, mug):
    add_json(client, mug, quantity=2)
    response = add_json(client, mug, quantity=1)
    assert response.status_code == 409
    assert response.json()["error"] == "Only 2 of Studio Mug can be ordered right now."
    assert response.json()["cart"]["count"] == 2


def test_an_unavailable_product_is_a_409(client, fake_stripe, mug):
    ProductPage.objects.filter(pk=mug.pk).update(stock=0)
    response = add_json(client, mug)
    assert response.status_code == 409 and response.json()["error"] == "Studio Mug is sold out."
    assert client.session.get(SESSION_KEY, {}) == {}


@pytest.mark.parametrize("quantity", ["0.5", "-1", "100", "lots"])
def test_a_bad_quantity_is_a_400_with_a_reason(client, fake_stripe, mug, quantity):
    response = add_json(client, mug, quantity=quantity)
    assert response.status_code == 400
    assert response.json()["error"] == "That quantity is not one we can take: choose between 1 and 99."


def test_an_unknown_product_is_a_json_404(client, fake_stripe, site_settings):
    response = client.post(reverse("checkout:cart_add"), {"product": 987654}, **JSON)
    assert response.status_code == 404 and response.json()["error"] == "That product is no longer on sale."


def test_a_json_add_needs_the_csrf_token(fake_stripe, ebook):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("checkout:cart_add"), {"product": ebook.pk}, **JSON)
    assert response.status_code == 403
    assert client.session.get(SESSION_KEY) is None


def test_the_summary_is_private_and_per_visitor(client, fake_stripe, ebook):
    add_json(client, ebook)
    response = client.get(reverse("checkout:cart_summary"))
    assert response["Cache-Control"] == "private, no-store"
    assert response.json()["cart"]["count"] == 1
    assert Client().get(reverse("checkout:cart_summary")).json()["cart"]["count"] == 0


def test_without_the_json_header_the_add_still_redirects(client, fake_stripe, ebook):
    response = client.post(reverse("checkout:cart_add"), {"product": ebook.pk, "next": ebook.url})
    assert response.status_code == 302 and response["Location"] == ebook.url


# -- Buy now ------------------------------------------------------------------------------------------


def buy_now(client, product, **data):
    return client.post(reverse("checkout:buy_now"), {"product": product.pk, "next": "/journal/post/", **data})


def test_buy_now_pays_for_one_item_and_leaves_the_cart_as_it_was(client, fake_stripe, ebook, mug, product_index):
    other = ProductPageFactory(parent=product_index, title="Planner", sku="PLAN-1", price=Decimal("5.00"))
    add_json(client, mug)
    add_json(client, other)
    response = buy_now(client, ebook, source_page=ebook.pk, source_block=BLOCK)
    assert response.status_code == 303
    order = Order.objects.get()
    assert response["Location"] == order.payment_url
    assert [(line.title, line.quantity) for line in order.lines.all()] == [("Field Guide", 1)]
    assert order.total == Decimal("14.00") and order.email == ""
    assert (order.lines.get().source_page, order.lines.get().source_block) == (
        ebook.pk,
        "0b7e8c1a-6f0e-4d7a-9f3e-2c1d5a4b3e21",
    )
    params = fake_stripe.requests[-1]["params"]
    assert "customer_email" not in params  # Stripe's page asks the guest
    assert params["allow_promotion_codes"] == "true"
    cart_before = dict(client.session[SESSION_KEY])

    session = fake_stripe.complete_session(order.payment_session_id, email="guest@example.com")
    assert deliver(fake_stripe, fake_stripe.event("checkout.session.completed", session)).json()["outcome"] == (
        "fulfilled"
    )
    page = client.get(reverse("checkout:success"), {"session_id": order.payment_session_id})
    assert page.status_code == 200 and "Field Guide" in page.content.decode()
    order.refresh_from_db()
    assert order.email == "guest@example.com" and order.grants_access
    assert client.session[SESSION_KEY] == cart_before == {str(mug.pk): 1, str(other.pk): 1}


def test_buy_now_twice_reuses_the_same_payment_page(client, fake_stripe, ebook):
    first = buy_now(client, ebook)
    assert buy_now(client, ebook)["Location"] == first["Location"]
    assert Order.objects.count() == 1


def test_buy_now_for_a_member_uses_their_verified_address_not_a_posted_one(client, fake_stripe, ebook):
    user = UserFactory(email="ada@example.com")
    EmailAddress.objects.create(user=user, email="ada@example.com", verified=True, primary=True)
    client.force_login(user)
    assert buy_now(client, ebook, email="thief@example.com").status_code == 303
    order = Order.objects.get()
    assert (order.email, order.user) == ("ada@example.com", user)
    assert fake_stripe.requests[-1]["params"]["customer_email"] == "ada@example.com"


def test_buy_now_for_a_member_without_a_verified_address_says_verify_first(client, fake_stripe, ebook):
    client.force_login(UserFactory(email="ada@example.com"))
    response = buy_now(client, ebook)
    assert response.status_code == 302 and response["Location"] == "/journal/post/"
    assert not Order.objects.exists()
    page = client.get(reverse("checkout:cart")).content.decode()
    assert "Confirm your email address before checking out" in page


def test_buy_now_for_an_item_that_ships_goes_to_the_cart_and_says_why(client, fake_stripe, mug):
    response = buy_now(client, mug, quantity=2)
    assert response.status_code == 302 and response["Location"] == reverse("checkout:cart")
    assert client.session[SESSION_KEY] == {str(mug.pk): 2}
    assert not Order.objects.exists()
    assert "choose where it ships, then check out" in client.get(response["Location"]).content.decode()


def test_buy_now_for_a_sold_out_item_says_so_and_holds_nothing(client, fake_stripe, mug):
    ProductPage.objects.filter(pk=mug.pk).update(stock=0)
    response = buy_now(client, mug)
    assert response["Location"] == "/journal/post/"
    assert "Studio Mug is sold out." in client.get(reverse("checkout:cart")).content.decode()
    assert not Order.objects.exists()


def test_buy_now_needs_the_csrf_token(fake_stripe, ebook):
    response = Client(enforce_csrf_checks=True).post(reverse("checkout:buy_now"), {"product": ebook.pk})
    assert response.status_code == 403 and not Order.objects.exists()


def test_buy_now_is_rate_limited_like_the_cart_checkout(client, fake_stripe, ebook, monkeypatch):
    monkeypatch.setattr("checkout.views.CHECKOUT_STARTS_PER_SESSION", (0, 60))
    monkeypatch.setattr("checkout.views.CHECKOUT_STARTS_PER_IP", (0, 60))
    response = buy_now(client, ebook)
    assert response.status_code == 302 and not Order.objects.exists()
    assert "many checkouts in a short while" in client.get(reverse("checkout:cart")).content.decode()


def test_buy_now_with_an_unknown_product_is_a_404(client, fake_stripe, site_settings):
    assert client.post(reverse("checkout:buy_now"), {"product": 987654}).status_code == 404


# -- The drawer's one-click checkout ------------------------------------------------------------------


def test_the_drawers_checkout_lets_stripe_ask_a_guest_for_the_email(client, fake_stripe, ebook):
    add_json(client, ebook)
    response = client.post(reverse("checkout:start"), {"email_on_payment_page": "1"})
    assert response.status_code == 303
    order = Order.objects.get()
    assert order.email == "" and "customer_email" not in fake_stripe.requests[-1]["params"]
    session = fake_stripe.complete_session(order.payment_session_id, email="late@example.com")
    deliver(fake_stripe, fake_stripe.event("checkout.session.completed", session))
    order.refresh_from_db()
    assert order.email == "late@example.com" and order.grants_access


def test_a_free_cart_still_needs_the_guests_email_here(client, fake_stripe, product_index, site_settings):
    free = ProductPageFactory(parent=product_index, title="Sampler", sku="FREE-1", price=Decimal("0.00"))
    add_json(client, free)
    assert add_json(client, free).json()["cart"]["checkout"]["needs_cart"].startswith("Enter your email")
    response = client.post(reverse("checkout:start"), {"email_on_payment_page": "1"})
    assert response.status_code == 400 and "your free items are sent there" in response.content.decode()
    assert not Order.objects.exists()


def test_buy_now_for_a_free_item_sends_a_guest_to_the_cart_for_the_email(client, fake_stripe, product_index):
    free = ProductPageFactory(parent=product_index, title="Sampler", sku="FREE-1", price=Decimal("0.00"))
    response = buy_now(client, free)
    assert response["Location"] == reverse("checkout:cart") and not Order.objects.exists()
    assert "enter your email to get it free" in client.get(response["Location"]).content.decode()
