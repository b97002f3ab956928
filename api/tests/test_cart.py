"""The cart endpoints follow the web cart's rules (checkout.cart), by token or by session."""

import pytest

from django.middleware.csrf import get_token
from django.test import Client

from checkout.models import SavedCart
from products.factories import ProductPageFactory

pytestmark = pytest.mark.django_db

CART, LINES = "/api/v2/cart/", "/api/v2/cart/lines/"


def line(product_id):
    return f"{LINES}{product_id}/"


def post(client, url, data, **extra):
    return client.post(url, data, content_type="application/json", **extra)


def patch(client, url, data, **extra):
    return client.patch(url, data, content_type="application/json", **extra)


def test_an_empty_cart(app):
    assert app.get(CART).json() == {
        "currency": "USD",
        "count": 0,
        "lines": [],
        "subtotal": "0.00",
        "shipping": None,
        "total": "0.00",
        "can_check_out": False,
    }


def test_add_update_and_remove(app, mug, ebook, site_settings):
    site_settings.shipping_rate = "4.00"
    site_settings.save()
    assert post(app, LINES, {"product": mug.pk, "quantity": 1}).status_code == 201
    response = post(app, LINES, {"product": ebook.pk})
    assert response.status_code == 201
    cart = response.json()
    assert [(item["sku"], item["quantity"], item["max_quantity"]) for item in cart["lines"]] == [
        ("MUG-1", 1, 2),
        ("EBOOK-1", 1, None),
    ]
    assert (cart["subtotal"], cart["shipping"], cart["total"]) == ("22.70", "4.00", "26.70")
    cart = patch(app, line(mug.pk), {"quantity": 2}).json()
    assert cart["lines"][0]["quantity"] == 2 and cart["count"] == 3
    cart = patch(app, line(mug.pk), {"quantity": 0}).json()
    assert [item["sku"] for item in cart["lines"]] == ["EBOOK-1"]
    cart = app.delete(line(ebook.pk)).json()
    assert cart["lines"] == [] and app.delete(line(ebook.pk)).status_code == 200


def test_a_token_cart_is_the_accounts_saved_cart_which_the_website_shares(app, shopper, ebook):
    post(app, LINES, {"product": ebook.pk})
    assert SavedCart.objects.get(user=shopper).items == {str(ebook.pk): 1}
    browser = Client()
    browser.post("/account/login/", {"login": shopper.email, "password": "correct horse battery staple"})
    assert [item["sku"] for item in browser.get(CART).json()["lines"]] == ["EBOOK-1"]


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ({}, "product: This field is required."),
        ({"product": "x"}, "product: Enter a whole number."),
        ({"product": 0}, "product: Ensure this value is greater than or equal to 1."),
        ({"product": 10**30}, "product: Ensure this value is less than or equal to 2147483647."),
        ({"product": 1, "quantity": 100}, "quantity: Ensure this value is less than or equal to 99."),
        ({"product": 1, "quantity": 1.5}, "quantity: Enter a whole number."),
    ],
)
def test_bad_line_input_is_a_400_with_the_reason_and_changes_nothing(app, shopper, body, reason):
    response = post(app, LINES, body)
    assert (response.status_code, response.json()) == (400, {"detail": reason})
    assert not SavedCart.objects.filter(user=shopper).exists()


def test_a_body_that_is_not_a_json_object_is_a_400(app, ebook):
    assert post(app, LINES, [ebook.pk]).json() == {"detail": "The request body must be a JSON object."}
    response = app.post(LINES, "{not json", content_type="application/json")
    assert response.status_code == 400 and response.json()["detail"].startswith("JSON parse error")


def test_a_body_that_is_not_json_at_all_is_a_415(app, ebook):
    response = app.post(LINES, {"product": ebook.pk})
    assert response.status_code == 415
    assert response.json() == {
        "detail": 'Unsupported media type "multipart/form-data; boundary=BoUnDaRyStRiNg" in request.'
    }


def test_a_product_that_is_not_on_the_site_is_a_404(app, product_index, site_settings):
    draft = ProductPageFactory(parent=product_index, draft=True)
    for response in (post(app, LINES, {"product": draft.pk}), patch(app, line(999999), {"quantity": 1})):
        assert (response.status_code, response.json()) == (404, {"detail": "No such product."})


@pytest.mark.parametrize(
    ("setup", "body", "reason"),
    [
        ("ebook", {"product": "ebook"}, "Field Guide is already in your cart."),
        ("", {"product": "sold_out"}, "Sold Out Mug is sold out."),
        ("", {"product": "mug", "quantity": 3}, "Only 2 of Studio Mug can be ordered right now."),
    ],
)
def test_the_web_carts_rules_refuse_with_a_409(app, ebook, mug, product_index, setup, body, reason):
    products = {
        "ebook": ebook,
        "mug": mug,
        "sold_out": ProductPageFactory(parent=product_index, title="Sold Out Mug", physical=True, stock=0),
    }
    if setup:
        post(app, LINES, {"product": products[setup].pk})
    before = app.get(CART).json()
    response = post(app, LINES, {**body, "product": products[body["product"]].pk})
    assert (response.status_code, response.json()) == (409, {"detail": reason})
    assert app.get(CART).json() == before


def test_updating_a_line_not_in_the_cart_is_a_409_and_a_missing_quantity_a_400(app, mug):
    response = patch(app, line(mug.pk), {"quantity": 1})
    assert (response.status_code, response.json()) == (409, {"detail": "Studio Mug is not in your cart."})
    response = patch(app, line(mug.pk), {})
    assert (response.status_code, response.json()) == (400, {"detail": "quantity: This field is required."})


# -- Authentication, CSRF, rate limits ----------------------------------------------------------------


def test_anonymous_callers_and_bad_tokens_get_a_401(client, ebook):
    for caller in (client, Client(HTTP_AUTHORIZATION="Token not-a-token")):
        response = post(caller, LINES, {"product": ebook.pk})
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == "Token"
        assert "detail" in response.json()


def test_a_session_change_needs_the_csrf_token(shopper, ebook):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(shopper)
    response = post(browser, LINES, {"product": ebook.pk})
    assert response.status_code == 403
    assert response.json() == {"detail": "CSRF Failed: CSRF cookie not set."}
    assert not SavedCart.objects.filter(user=shopper).exists()

    page = browser.get("/cart/")
    token = get_token(page.wsgi_request)
    browser.cookies["csrftoken"] = page.wsgi_request.META["CSRF_COOKIE"]
    assert post(browser, LINES, {"product": ebook.pk}, HTTP_X_CSRFTOKEN=token).status_code == 201
    assert browser.get(CART).json()["count"] == 1  # reading needs no token


def test_a_shopper_is_limited_to_120_calls_a_minute(app):
    for _ in range(120):
        assert app.get(CART).status_code == 200
    response = app.get(CART)
    assert response.status_code == 429
    assert response.json()["detail"].startswith("Request was throttled.")
