"""/orders/find/: email + order number -> the order's private link, mailed to the order's own address, with
the same answer for any input so the page tells nobody who bought what."""

import re
from decimal import Decimal

import pytest

from django.core import mail
from django.test import Client
from django.urls import reverse

from checkout import views
from products.factories import ProductFileFactory, ProductPageFactory
from website.tests.html import soup

from .shopping import buy

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("requests_commit")]

FIND = "/orders/find/"


@pytest.fixture
def order(client, fake_stripe, product_index, site_settings):
    product = ProductPageFactory(parent=product_index, title="Field Guide", sku="GUIDE-1", price=Decimal("8.20"))
    ProductFileFactory(page=product)
    paid = buy(Client(), fake_stripe, product, email="jane@example.com")
    mail.outbox.clear()
    return paid


def messages_on(response):
    return [" ".join(p.get_text(" ").split()) for p in soup(response).select("[role=status] p")]


def test_the_url_is_named_and_the_page_has_the_form(client):
    response = client.get(reverse("checkout:find_order"))

    assert reverse("checkout:find_order") == FIND
    assert response.status_code == 200
    form = soup(response).find("form", action=FIND)
    assert form["method"] == "post"
    assert {field["name"] for field in form.find_all("input")} == {"csrfmiddlewaretoken", "email", "number"}


def test_a_match_emails_the_order_link_to_the_order_address(client, order, site):
    # Typed as people type: other case, spaces, a leading #.
    response = client.post(
        FIND, {"email": "Jane@Example.com", "number": f"#{order.number.lower()[:4]} {order.number.lower()[4:]}"}
    )

    assert response.status_code == 302 and response["Location"] == FIND
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["jane@example.com"]
    link = f"{site.root_url}{reverse('checkout:order', args=[order.number, order.access_token])}"
    assert link in message.body and f'href="{link}"' in message.alternatives[0][0]
    assert Client().get(re.search(r"https?://\S+/orders/\S+/", message.body).group(0)).status_code == 200


@pytest.mark.parametrize(
    "typed",
    [
        pytest.param({"email": "someone@example.com"}, id="other-email"),
        pytest.param({"number": "ZZZZZZZZ"}, id="unknown-number"),
        pytest.param({"email": "nobody@nowhere.example", "number": "ABCDEFGH"}, id="neither"),
    ],
)
def test_no_match_gets_the_same_answer_and_no_email(client, order, typed):
    def ask(browser, data):
        response = browser.post(FIND, data)
        return response.status_code, response["Location"], messages_on(browser.get(response["Location"]))

    data = {"email": "jane@example.com", "number": order.number, **typed}
    matched = ask(Client(), {"email": "jane@example.com", "number": order.number})
    mail.outbox.clear()

    status, location, shown = ask(client, data)

    assert (status, location) == matched[:2]
    echoed = [message.replace(data["email"], "EMAIL").replace(data["number"], "NUMBER") for message in shown]
    expected = [message.replace("jane@example.com", "EMAIL").replace(order.number, "NUMBER") for message in matched[2]]
    assert echoed == expected and "a link to it is on its way" in echoed[0]
    assert not mail.outbox


def test_bad_input_re_renders_the_form_with_its_errors(client, order):
    response = client.post(FIND, {"email": "not-an-address", "number": ""})

    assert response.status_code == 400
    page = soup(response)
    assert "Please check the highlighted fields." in page.find(attrs={"role": "alert"}).get_text()
    assert page.find(id="id_email_error") and page.find(id="id_number_error")
    assert page.find("input", attrs={"name": "email"})["value"] == "not-an-address"
    assert not mail.outbox


def test_requests_are_rate_limited_per_ip_address(client, order, monkeypatch):
    monkeypatch.setattr(views, "FIND_ORDER_PER_IP", (2, 3600))
    data = {"email": "jane@example.com", "number": order.number}

    statuses = [client.post(FIND, data, REMOTE_ADDR="198.51.100.9").status_code for _ in range(3)]
    elsewhere = Client().post(FIND, data, REMOTE_ADDR="198.51.100.10")

    assert statuses == [302, 302, 429] and elsewhere.status_code == 302
    assert len(mail.outbox) == 3


def test_requests_are_rate_limited_per_email_address(client, order):
    data = {"email": "jane@example.com", "number": order.number}
    limit = views.FIND_ORDER_PER_EMAIL[0]

    answers = [Client().post(FIND, data, REMOTE_ADDR=f"203.0.113.{n}") for n in range(1, limit + 2)]

    assert [answer.status_code for answer in answers] == [302] * limit + [429]
    assert "You have asked several times already" in soup(answers[-1]).find(attrs={"role": "alert"}).get_text()
    assert len(mail.outbox) == limit


def test_a_post_without_a_csrf_token_is_refused(order):
    browser = Client(enforce_csrf_checks=True)

    response = browser.post(FIND, {"email": "jane@example.com", "number": order.number})

    assert response.status_code == 403 and not mail.outbox


def test_the_footer_cart_and_order_pages_point_to_it(client, order):
    order_page = client.get(reverse("checkout:order", args=[order.number, order.access_token]))
    cart = client.get(reverse("checkout:cart"))

    for response in (order_page, cart):
        assert soup(response).find("footer").find("a", href=FIND)
        assert soup(response).find("main").find("a", href=FIND)
