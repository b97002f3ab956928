"""What an outsider can send, and what they get back: a clear 4xx or the form again with its errors, never
a 500, nothing half-stored, and whatever they typed shown back escaped.

Each test counts what a request could have changed (orders, users, contact messages, mail, payment events,
the visitor's cart) before and after. Run on SQLite and, through bin/with-services, on PostgreSQL, which
refuses NUL characters that SQLite stores.
"""

import json

import pytest
from allauth.account.models import EmailAddress
from rest_framework.authtoken.models import Token

from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from wagtail.contrib.forms.models import FormSubmission

from accounts.factories import SuperuserFactory, UserFactory
from accounts.models import User, WishlistItem
from checkout.models import DownloadLog, Order, PaymentEvent
from checkout.tests.shopping import WEBHOOK, buy
from infopages.factories import ContactPageFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("requests_commit")]

SCRIPT = "<script>alert(1)</script>"
# Typed into any text field: each must be stored as typed, refused as invalid, or never echoed raw.
HOSTILE_TEXT = {
    "script tag": SCRIPT,
    "attribute break-out": '"><img src=x onerror=alert(1)>',
    "right-to-left override": "Ada \u202egpj.exe",
    "emoji": "Ada \U0001f6d2\U0001f525",
    "zero-width characters": "A\u200bd\u200da\ufeff",
    "NUL byte": "Ada\x00Lovelace",
    "very long": "A" * 20_000,
}


@pytest.fixture
def contact(home_page, site_settings):
    return ContactPageFactory(parent=home_page, slug="contact")


@pytest.fixture
def shop(fake_stripe, guide, contact):
    """Everything an outsider can post to: a product, a contact page, Stripe (the fake) switched on."""
    return {"guide": guide, "contact": contact}


def snapshot(client):
    """Everything a request could have changed, as the visitor and the owner would see it."""
    return {
        "orders": Order.objects.count(),
        "users": User.objects.count(),
        "emails": EmailAddress.objects.count(),
        "contact messages": FormSubmission.objects.count(),
        "mails": len(mail.outbox),
        "payment events": PaymentEvent.objects.count(),
        "downloads": DownloadLog.objects.count(),
        "wishlist": WishlistItem.objects.count(),
        "cart": client.get(reverse("checkout:cart")).cookies["cart_count"].value,
    }


def assert_refused(response):
    """A clear refusal: a 4xx, or 200 with the form shown again. Never a 5xx, never a redirect onwards."""
    assert response.status_code < 500, response.content[:300]
    assert response.status_code not in (301, 302, 303), response.get("Location")


def assert_never_raw(response, text):
    """Whatever markup the visitor sent is not in the page as markup. (JSON may quote it: no browser renders
    application/json as a page, and production sends nosniff.)"""
    if response.get("Content-Type", "").startswith("application/json"):
        return
    for fragment in ("<script>", "<img src=x", "<svg"):
        if fragment in text.lower():
            assert fragment not in response.content.decode(errors="replace").lower()


# -- Form endpoints: bodies that are too big, too many, not UTF-8, or not a form ------------------------


FORMS = {
    "cart add": ("/cart/add/", lambda shop: {"product": shop["guide"].pk, "quantity": "1"}),
    "checkout": ("/checkout/", lambda shop: {"email": "buyer@example.com"}),
    "find my order": ("/orders/find/", lambda shop: {"email": "buyer@example.com", "number": "AB12CD34"}),
    "contact": ("/contact/", lambda shop: {"your_name": "Ada", "email": "ada@example.com", "message": "Hello"}),
    "sign-up": ("/account/signup/", lambda shop: {"email": "new@example.com", "password1": "a quiet lighthouse"}),
    "shop log-in": ("/account/login/", lambda shop: {"login": "ada@example.com", "password": "whatever"}),
    "password reset": ("/account/password/reset/", lambda shop: {"email": "ada@example.com"}),
    "admin log-in": ("/admin/login/", lambda shop: {"username": "editor@example.com", "password": "whatever"}),
}


def urlencoded(fields):
    return "&".join(f"{name}={value}" for name, value in fields)


BODIES = {
    "over DATA_UPLOAD_MAX_MEMORY_SIZE": lambda data: (
        urlencoded([*data.items(), ("padding", "x" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE)]),
        "application/x-www-form-urlencoded",
    ),
    "over DATA_UPLOAD_MAX_NUMBER_FIELDS": lambda data: (
        urlencoded([*data.items(), *((f"f{n}", "1") for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS))]),
        "application/x-www-form-urlencoded",
    ),
    "invalid UTF-8": lambda data: (
        b"&".join(f"{name}=".encode() + b"\xff\xfe\xc3(" for name in data),
        "application/x-www-form-urlencoded",
    ),
    "JSON to a form": lambda data: (json.dumps(data), "application/json"),
    "plain text": lambda data: (urlencoded(data.items()), "text/plain"),
    "multipart without a boundary": lambda data: (urlencoded(data.items()), "multipart/form-data"),
}


@pytest.mark.parametrize("body", BODIES.values(), ids=BODIES.keys())
@pytest.mark.parametrize("endpoint", FORMS.values(), ids=FORMS.keys())
def test_a_malformed_form_post_is_refused_and_changes_nothing(client, shop, endpoint, body):
    url, fields = endpoint
    payload, content_type = body(fields(shop))
    before = snapshot(client)

    response = client.generic("POST", url, payload, content_type=content_type)

    assert_refused(response)
    assert snapshot(client) == before


# -- The cart: quantities and product ids ----------------------------------------------------------------

NOT_A_QUANTITY = {
    "negative": "-1",
    "huge": "99999999999999999999",
    "over the line limit": "100",
    "not a number": "lots",
    "decimal": "1.5",
    "exponent": "1e3",
    "NaN": "NaN",
    "NUL byte": "1\x00",
}
NOT_A_PRODUCT = {
    "zero": "0",
    "negative": "-5",
    "huge": "99999999999999999999",
    "past the database's integers": str(2**31),
    "unknown": "987654",
    "not a number": "abc",
    "empty": "",
    "NUL byte": "\x00",
    "script": SCRIPT,
}


@pytest.mark.parametrize("quantity", NOT_A_QUANTITY.values(), ids=NOT_A_QUANTITY.keys())
@pytest.mark.parametrize("action", ["cart_add", "cart_update"])
def test_a_quantity_that_is_no_quantity_changes_nothing(client, guide, action, quantity):
    client.post(reverse("checkout:cart_add"), {"product": guide.pk, "quantity": 1})
    before = snapshot(client)

    response = client.post(reverse(f"checkout:{action}"), {"product": guide.pk, "quantity": quantity})

    assert response.status_code == 400
    assert "That cart change was not understood" in response.content.decode()
    assert snapshot(client) == before == {**before, "cart": "1"}


@pytest.mark.parametrize("product", NOT_A_PRODUCT.values(), ids=NOT_A_PRODUCT.keys())
@pytest.mark.parametrize("action", ["cart_add", "cart_update", "cart_remove"])
def test_a_product_id_that_is_no_product_changes_nothing(client, guide, action, product):
    client.post(reverse("checkout:cart_add"), {"product": guide.pk, "quantity": 1})
    before = snapshot(client)

    response = client.post(reverse(f"checkout:{action}"), {"product": product, "quantity": 1})

    assert response.status_code in (400, 404)
    assert_never_raw(response, product)
    assert snapshot(client) == before


def test_a_next_address_elsewhere_is_not_followed(client, guide):
    for target in ("https://evil.example/", "//evil.example/", "javascript:alert(1)", "/\\evil.example"):
        response = client.post(reverse("checkout:cart_add"), {"product": guide.pk, "quantity": 1, "next": target})
        assert response["Location"] == reverse("checkout:cart"), target


# -- API input ---------------------------------------------------------------------------------------------


@pytest.fixture
def app(site_settings):
    user = UserFactory(email="ada@example.com")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return Client(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")


# Refused by both the add (POST) and the change (PATCH, whose product is the URL's).
API_BODIES = {
    "not JSON": ("{'quantity': 1", "application/json"),
    "a JSON list": ("[1, 2]", "application/json"),
    "a JSON string": ('"<script>"', "application/json"),
    "a form": ("product=1&quantity=1", "application/x-www-form-urlencoded"),
    "quantity as text": ('{"product": 1, "quantity": "<script>"}', "application/json"),
    "quantity negative": ('{"product": 1, "quantity": -1}', "application/json"),
    "quantity NUL": ('{"product": 1, "quantity": "\\u0000"}', "application/json"),
    "quantity infinite": ('{"product": 1, "quantity": 1e400}', "application/json"),
    "nested thousands deep": ("[" * 100_000 + "]" * 100_000, "application/json"),
    "invalid UTF-8": (b'{"quantity": "\xff\xfe"}', "application/json"),
}
# Refused by the add, which reads the product from the body.
API_PRODUCTS = {
    "product NUL": ('{"product": "\\u0000", "quantity": 1}', "application/json"),
    "product huge": ('{"product": 99999999999999999999999, "quantity": 1}', "application/json"),
    "product an object": ('{"product": {"$gt": 0}, "quantity": 1}', "application/json"),
}
LINES, LINE = "/api/v2/cart/lines/", "/api/v2/cart/lines/{pk}/"
CART_CHANGES = [
    *(pytest.param("POST", LINES, body, id=f"add-{name}") for name, body in {**API_BODIES, **API_PRODUCTS}.items()),
    *(pytest.param("PATCH", LINE, body, id=f"change-{name}") for name, body in API_BODIES.items()),
]


@pytest.mark.parametrize("method, url, body", CART_CHANGES)
def test_the_cart_api_refuses_bad_input_with_a_json_4xx(app, guide, method, url, body):
    payload, content_type = body
    app.post(LINES, {"product": guide.pk, "quantity": 1}, content_type="application/json")

    response = app.generic(method, url.format(pk=guide.pk), payload, content_type=content_type)

    assert 400 <= response.status_code < 500, response.content[:300]
    assert response["Content-Type"] == "application/json"
    assert "detail" in response.json()
    assert app.get("/api/v2/cart/").json()["count"] == 1


@pytest.mark.parametrize("text", HOSTILE_TEXT.values(), ids=HOSTILE_TEXT.keys())
def test_the_token_api_refuses_hostile_credentials_with_a_json_400(client, site_settings, text):
    response = client.post("/api/v2/auth/token/", {"email": text, "password": text}, content_type="application/json")

    assert response.status_code == 400 and response["Content-Type"] == "application/json"
    assert Token.objects.count() == 0


def test_a_json_body_over_the_upload_limit_is_refused(app, guide):
    padding = "x" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    body = json.dumps({"product": guide.pk, "quantity": 1, "padding": padding})

    response = app.post(LINES, body, content_type="application/json")

    assert response.status_code == 400  # Django's RequestDataTooBig, as for a form
    assert app.get("/api/v2/cart/").json()["count"] == 0


# -- Text fields: unicode, NUL and markup in everything an outsider can type -------------------------------


@pytest.mark.parametrize("text", HOSTILE_TEXT.values(), ids=HOSTILE_TEXT.keys())
def test_the_contact_form_stores_text_as_typed_or_refuses_it_and_never_echoes_markup(client, contact, text):
    data = {"your_name": text, "email": "ada@example.com", "message": f"About my order: {text}"}

    response = client.post(contact.url, data)
    bad_email = client.post(contact.url, {**data, "email": text})

    assert response.status_code == 200 and bad_email.status_code == 200
    assert_never_raw(response, text)
    assert_never_raw(bad_email, text)
    stored = [submission.get_data() for submission in FormSubmission.objects.all()]
    if "\x00" in text:
        assert stored == []  # Django's fields refuse NUL: PostgreSQL could not store it
        assert "Null characters are not allowed" in response.content.decode()
    elif len(text) > 255:
        assert stored == []  # a one-line field holds 255 characters
        assert "Ensure this value has at most 255 characters" in response.content.decode()
    else:
        assert [(entry["your_name"], entry["email"]) for entry in stored] == [(text, "ada@example.com")]
    assert len(mail.outbox) == len(stored)


@pytest.mark.parametrize("text", HOSTILE_TEXT.values(), ids=HOSTILE_TEXT.keys())
def test_an_email_field_refuses_hostile_text_and_shows_it_back_escaped(client, shop, text):
    """Sign-up, checkout and find-my-order: no account, order or mail from an address that is not one."""
    client.post(reverse("checkout:cart_add"), {"product": shop["guide"].pk, "quantity": 1})
    before = snapshot(client)
    answers = {
        "sign-up": client.post(reverse("account_signup"), {"email": text, "password1": "a quiet lighthouse"}),
        "checkout": client.post(reverse("checkout:start"), {"email": text}),
        "find my order": client.post(reverse("checkout:find_order"), {"email": text, "number": text[:20]}),
        "password reset": client.post(reverse("account_reset_password"), {"email": text}),
    }

    for name, response in answers.items():
        assert response.status_code in (200, 400), name
        assert_never_raw(response, text)
    assert snapshot(client) == before


@pytest.mark.parametrize("text", HOSTILE_TEXT.values(), ids=HOSTILE_TEXT.keys())
def test_an_order_number_is_shown_back_escaped_whatever_it_holds(client, site_settings, text):
    response = client.post(reverse("checkout:find_order"), {"email": "ada@example.com", "number": text}, follow=True)

    assert response.status_code in (200, 400)
    assert_never_raw(response, text.upper())
    assert mail.outbox == []


# -- Ids and tokens in URLs ------------------------------------------------------------------------------

BAD_IDS = {
    "not a number": "abc",
    "negative": "-1",
    "huge": "99999999999999999999",
    "past the database's integers": str(2**63),
    "NUL byte": "%00",
    "unicode digits": "%D9%A3",
    "script": "%3Cscript%3E",
}
ID_URLS = {
    "API page": "/api/v2/pages/{}/",
    "API image": "/api/v2/images/{}/",
    "API document": "/api/v2/documents/{}/",
    "API cart line": "/api/v2/cart/lines/{}/",
    "API order": "/api/v2/orders/{}/",
    "order page": "/orders/{}/{}/",
    "account order": "/account/orders/{}/",
    "document": "/documents/{}/guide.pdf",
    "test payment": "/checkout/test-payment/{}/",
    "page path": "/{}/",
    "checkout success": "/checkout/success/?session_id={}",
    "search page": "/search/?q=guide&page={}",
    "shop page": "/shop/?page={}",
}


@pytest.mark.parametrize("bad", BAD_IDS.values(), ids=BAD_IDS.keys())
@pytest.mark.parametrize("url", ID_URLS.values(), ids=ID_URLS.keys())
def test_an_id_that_is_no_id_is_not_found(client, app, fake_stripe, product_index, url, bad):
    client.force_login(UserFactory(email="grace@example.com"))

    for visitor in (client, app):
        response = visitor.get(url.format(bad, bad))
        assert response.status_code in (200, 302, 400, 401, 403, 404, 405), (visitor, response.content[:300])
        assert_never_raw(response, "<script>")


QUERIES = {
    "search": "/search/?q={}",
    "search category": "/search/?q=guide&category={}",
    "shop page": "/shop/?page={}",
    "API pages search": "/api/v2/pages/?search={}",
    "API pages category": "/api/v2/pages/?type=products.ProductPage&category={}",
    "API pages price": "/api/v2/pages/?type=products.ProductPage&price_min={}",
    "API pages type": "/api/v2/pages/?type={}",
    "API pages slug": "/api/v2/pages/?slug={}",
    "API pages order": "/api/v2/pages/?order={}",
    "API pages fields": "/api/v2/pages/?fields={}",
    "API pages child_of": "/api/v2/pages/?child_of={}",
    "API pages offset": "/api/v2/pages/?offset={}",
    "API images title": "/api/v2/images/?title={}",
    "API orders limit": "/api/v2/orders/?limit={}",
    "checkout success": "/checkout/success/?session_id={}",
}
JUNK = {"NUL byte": "%00", "NUL inside": "a%00b", "script": "%3Cscript%3E", "huge": "9" * 30, "long": "a" * 5000}


@pytest.mark.parametrize("junk", JUNK.values(), ids=JUNK.keys())
@pytest.mark.parametrize("url", QUERIES.values(), ids=QUERIES.keys())
def test_junk_in_a_query_parameter_is_a_4xx_or_ignored(app, fake_stripe, product_index, url, junk):
    response = app.get(url.format(junk))

    assert response.status_code in (200, 400, 404), response.content[:300]
    assert_never_raw(response, "<script>")


TOKENS = {
    "path traversal": "../../etc/passwd",
    "encoded traversal": "..%2F..%2Fetc%2Fpasswd",
    "double-encoded traversal": "%252e%252e%252fetc%252fpasswd",
    "dots": "....................",
    "backslashes": "..%5C..%5Cwindows%5Cwin.ini",
    "NUL byte": "a" * 30 + "%00",
    "very long": "a" * 10_000,
    "unicode": "%E2%80%AEfdp.exe" + "a" * 30,
    "script": "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
}


@pytest.mark.parametrize("token", TOKENS.values(), ids=TOKENS.keys())
def test_a_download_token_that_is_no_token_is_not_found_and_serves_nothing(client, fake_stripe, guide, token):
    buy(client, fake_stripe, guide)
    before = snapshot(client)

    answers = [client.get(f"/downloads/{token}/"), client.post(f"/downloads/{token}/renew/")]

    for response in answers:
        assert response.status_code == 404
        assert b"root:" not in response.content and b"%PDF" not in response.content
        assert_never_raw(response, "<script>")
    assert snapshot(client) == before


# -- Without a CSRF token ---------------------------------------------------------------------------------


@pytest.mark.parametrize("endpoint", FORMS.values(), ids=FORMS.keys())
def test_a_post_without_a_csrf_token_is_refused_with_403_and_changes_nothing(shop, endpoint):
    SuperuserFactory(email="editor@example.com")
    browser = Client(enforce_csrf_checks=True)
    url, fields = endpoint
    before = snapshot(browser)

    response = browser.post(url, fields(shop))

    assert response.status_code == 403
    assert snapshot(browser) == before


def test_signed_in_changes_without_a_csrf_token_are_refused(guide, site_settings):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(UserFactory(email="grace@example.com"))
    before = snapshot(browser)

    answers = [
        browser.post(reverse("accounts:wishlist_add"), {"product": guide.pk}),
        browser.post(reverse("checkout:cart_update"), {"product": guide.pk, "quantity": 1}),
        browser.post(reverse("checkout:cart_remove"), {"product": guide.pk}),
        browser.post(f"/downloads/{'a' * 43}/renew/"),
        browser.post("/api/v2/cart/lines/", {"product": guide.pk, "quantity": 1}, content_type="application/json"),
        browser.post(reverse("account_logout")),
    ]

    assert [answer.status_code for answer in answers] == [403] * len(answers)
    assert snapshot(browser) == before and browser.session.get("_auth_user_id")


@pytest.mark.parametrize(
    "signature",
    ["", "garbage", "t=1,v1=deadbeef", "t=99999999999999999999,v1=" + "0" * 64, "t=\x00,v1=\x00", "v1=" * 1000],
    ids=["none", "garbage", "wrong", "huge timestamp", "NUL", "repeated"],
)
def test_the_webhook_needs_no_csrf_token_but_refuses_a_bad_signature_with_400(fake_stripe, guide, signature):
    browser = Client(enforce_csrf_checks=True)
    event = fake_stripe.event("checkout.session.completed", {"id": "cs_test_1", "object": "checkout.session"})
    before = snapshot(browser)
    payload = json.dumps(event)

    response = browser.post(WEBHOOK, payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=signature)

    assert response.status_code == 400 and "Bad signature" in response.json()["error"]
    assert snapshot(browser) == before
