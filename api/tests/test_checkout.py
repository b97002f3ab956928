"""Starting a checkout from the app: the same order and Stripe session the web checkout makes, through the
real stripe library talking to FakeStripe."""

import pytest
from allauth.account.models import EmailAddress

from django.test import Client

from checkout.models import Order, ShippingRate, ShippingZone
from checkout.tests.shopping import deliver
from products.models import ProductPage

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("requests_commit")]

CHECKOUT = "/api/v2/checkout/"


def add(app, product, quantity=1):
    response = app.post(
        "/api/v2/cart/lines/", {"product": product.pk, "quantity": quantity}, content_type="application/json"
    )
    assert response.status_code == 201, response.content


def stock_of(product):
    return ProductPage.objects.get(pk=product.pk).stock


def test_checkout_answers_the_stripe_checkout_url_for_a_pending_order_with_stock_held(app, fake_stripe, shopper, mug):
    add(app, mug)
    response = app.post(CHECKOUT)
    assert response.status_code == 201, response.content
    body = response.json()
    order = Order.objects.get(number=body["order"])
    assert (order.status, order.user, order.email, order.total) == (Order.Status.PENDING, shopper, shopper.email, 14.5)
    assert body["payment_url"] == order.payment_url and body["payment_url"].startswith(f"{fake_stripe.base_url}/pay/")
    assert stock_of(mug) == 1
    assert app.post(CHECKOUT).json() == body  # a double submit replays the same session


def test_a_changed_cart_gets_a_new_session_and_the_paid_order_appears_with_its_files(app, fake_stripe, ebook, mug):
    add(app, ebook)
    first = app.post(CHECKOUT).json()
    add(app, mug)
    second = app.post(CHECKOUT).json()
    assert second["order"] == first["order"] and second["payment_url"] != first["payment_url"]
    order = Order.objects.get(number=second["order"])
    assert order.revision == 2
    session = fake_stripe.complete_session(order.payment_session_id)
    assert deliver(fake_stripe, fake_stripe.event("checkout.session.completed", session)).status_code == 200
    detail = app.get(f"/api/v2/orders/{order.number}/").json()
    assert detail["status"] == "paid"
    [file] = detail["files"]
    assert file["state"] == "ready" and file["url"].startswith("http://testserver/downloads/")


def test_an_empty_cart_is_a_409(app, fake_stripe):
    response = app.post(CHECKOUT)
    assert (response.status_code, response.json()) == (409, {"detail": "Your cart is empty."})
    assert not Order.objects.exists()


def test_a_cart_with_a_sold_out_line_is_a_409_and_places_nothing(app, fake_stripe, mug):
    add(app, mug, 2)
    ProductPage.objects.filter(pk=mug.pk).update(stock=1)
    response = app.post(CHECKOUT)
    assert response.status_code == 409
    assert response.json()["detail"].startswith("Some items need your attention")
    assert not Order.objects.exists()


def test_when_stripe_is_down_it_is_a_502_and_the_stock_comes_back(app, fake_stripe, mug):
    add(app, mug)
    fake_stripe.fail_next("/v1/checkout/sessions", status=500, times=3)
    response = app.post(CHECKOUT)
    assert response.status_code == 502
    assert response.json()["detail"].startswith("The payment provider could not be reached.")
    assert stock_of(mug) == 2
    assert Order.objects.get().status == Order.Status.FAILED


def test_without_payment_keys_checkout_is_a_503(app, settings, ebook):
    settings.STRIPE_SECRET_KEY = ""
    add(app, ebook)
    response = app.post(CHECKOUT)
    assert (response.status_code, response.json()["detail"]) == (
        503,
        "Online payment is switched off at the moment. Your cart is saved.",
    )
    assert not Order.objects.exists()


def test_checkout_by_session_needs_the_csrf_token_and_anonymous_callers_a_login(fake_stripe, shopper, ebook):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(shopper)
    assert browser.post(CHECKOUT).status_code == 403
    assert Client().post(CHECKOUT).status_code == 401
    assert not Order.objects.exists()


def test_with_shipping_zones_a_cart_that_ships_is_a_409_and_places_nothing(app, fake_stripe, mug):
    europe = ShippingZone.objects.create(name="Europe", countries="DE")
    ShippingRate.objects.create(zone=europe, name="Standard", price=5)
    add(app, mug)

    response = app.post(CHECKOUT)

    assert (response.status_code, response.json()) == (409, {"detail": "Choose the country your order ships to."})
    assert not Order.objects.exists() and stock_of(mug) == 2


def test_the_receipt_goes_to_the_primary_verified_address_not_the_account_field(app, fake_stripe, shopper, ebook):
    EmailAddress.objects.filter(user=shopper).update(primary=False)
    EmailAddress.objects.create(user=shopper, email="ada.new@example.com", verified=True, primary=True)
    add(app, ebook)
    response = app.post(CHECKOUT, {"email": "thief@example.com"}, content_type="application/json")
    assert response.status_code == 201, response.content
    assert Order.objects.get(number=response.json()["order"]).email == "ada.new@example.com"


def test_an_account_without_a_verified_address_is_told_to_verify_first(app, fake_stripe, shopper, ebook):
    add(app, ebook)
    EmailAddress.objects.filter(user=shopper).update(verified=False)
    response = app.post(CHECKOUT)
    assert response.status_code == 403
    assert "Confirm your email address" in response.json()["detail"]
    assert not Order.objects.exists()
