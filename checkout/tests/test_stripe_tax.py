"""Stripe Tax: off by default; on, each session asks Stripe to compute tax (automatic_tax), says whether prices and
shipping hold it (tax_behavior) and what each product is (tax_code), and takes a billing address when nothing
ships. Fulfilment checks the total with total_details.amount_tax and keeps the tax on the order, which the receipt,
order page, admin and CSV show. FakeStripe computes tax from a small table of rates by country."""

from decimal import Decimal

import pytest

from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from checkout.models import Order
from products.factories import ProductFileFactory, ProductPageFactory
from website.tests.html import soup

from .shopping import deliver, mail_to
from .test_admin_orders import inspect_url

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("requests_commit")]


@pytest.fixture
def ebook(product_index, shop):
    product = ProductPageFactory(
        parent=product_index, title="Field Guide", sku="EBOOK-1", price=Decimal("8.20"), tax_code="txcd_10302000"
    )
    ProductFileFactory(page=product)
    return product


def taxed(shop, *, inclusive):
    shop.automatic_tax, shop.prices_include_tax = True, inclusive
    shop.save()


def placed(client, fake, *products):
    for product in products:
        client.post(reverse("checkout:cart_add"), {"product": product.pk, "quantity": 1})
    assert client.post(reverse("checkout:start"), {"email": "buyer@example.com"}).status_code == 303
    order = Order.objects.get()
    create = next(request for request in fake.requests if request["path"] == "/v1/checkout/sessions")
    return order, create["params"]


def paid(fake, order, **completion):
    session = fake.complete_session(order.payment_session_id, **completion)
    outcome = deliver(fake, fake.event("checkout.session.completed", session)).json()["outcome"]
    order.refresh_from_db()
    return outcome, session


def test_stripe_tax_is_off_by_default(client, fake_stripe, ebook):
    order, params = placed(client, fake_stripe, ebook)
    assert "automatic_tax" not in params and "billing_address_collection" not in params
    assert "tax_behavior" not in params["line_items"][0]["price_data"]
    outcome, _ = paid(fake_stripe, order)
    assert outcome == "fulfilled" and order.tax == 0 and order.tax_behavior == ""


def test_tax_on_top_of_a_digital_order_comes_from_the_buyer_s_billing_country(client, fake_stripe, shop, ebook):
    taxed(shop, inclusive=False)
    order, params = placed(client, fake_stripe, ebook)

    assert params["automatic_tax"] == {"enabled": "true"} and params["billing_address_collection"] == "required"
    price = params["line_items"][0]["price_data"]
    assert price["tax_behavior"] == "exclusive" and price["product_data"]["tax_code"] == "txcd_10302000"

    outcome, session = paid(fake_stripe, order, billing_country="DE")

    assert session["total_details"]["amount_tax"] == 156 and session["amount_total"] == 976  # 19% of 8.20
    assert outcome == "fulfilled" and order.status == Order.Status.COMPLETED
    assert (order.tax, order.total, order.amount_paid) == (Decimal("1.56"), Decimal("9.76"), Decimal("9.76"))
    receipt = mail_to("buyer@example.com")[0].body
    assert "Tax: $1.56" in receipt and "Total paid: $9.76" in receipt


def test_tax_inside_the_prices_and_shipping_is_recorded_and_shown(client, fake_stripe, shop, mug):
    taxed(shop, inclusive=True)
    order, params = placed(client, fake_stripe, mug)

    rate = params["shipping_options"][0]["shipping_rate_data"]
    assert (rate["tax_behavior"], rate["tax_code"]) == ("inclusive", "txcd_92010001")
    assert "billing_address_collection" not in params  # the shipping address says where

    outcome, session = paid(fake_stripe, order)  # to the default address, in GB: 20% inside

    assert session["total_details"]["amount_tax"] == 242 + 100 and session["amount_total"] == 2050
    assert outcome == "fulfilled"
    assert (order.tax, order.total, order.shipping) == (Decimal("3.42"), Decimal("20.50"), Decimal("6.00"))
    page = " ".join(
        soup(client.get(reverse("checkout:order", args=[order.number, order.access_token]))).get_text(" ").split()
    )
    assert "Total $20.50 Includes tax $3.42" in page
    assert "Total paid: $20.50 (includes tax of $3.42)" in mail_to("buyer@example.com")[0].body


def test_tax_on_top_of_shipping_still_matches_the_offered_rate(client, fake_stripe, shop, mug):
    taxed(shop, inclusive=False)
    order, _ = placed(client, fake_stripe, mug)

    outcome, session = paid(fake_stripe, order)

    assert session["shipping_cost"]["amount_total"] == 720  # Stripe's shipping total has its tax in it
    assert outcome == "fulfilled" and order.shipping_method == "Standard shipping"
    assert (order.shipping, order.tax, order.total) == (Decimal("6.00"), Decimal("4.10"), Decimal("24.60"))


def test_a_taxed_total_that_does_not_add_up_is_flagged(client, fake_stripe, shop, ebook):
    taxed(shop, inclusive=False)
    order, _ = placed(client, fake_stripe, ebook)

    outcome, _ = paid(fake_stripe, order, billing_country="DE", amount_total=820)  # the tax left out

    assert outcome.startswith("flagged for review") and order.status == Order.Status.REVIEW
    assert "amount mismatch: paid 820 USD, order total is 976 USD" in order.review_reason


def test_a_country_the_table_does_not_tax_pays_none(client, fake_stripe, shop, ebook):
    taxed(shop, inclusive=False)
    order, _ = placed(client, fake_stripe, ebook)
    outcome, session = paid(fake_stripe, order, billing_country="JP")
    assert session["automatic_tax"] == {"enabled": True, "liability": None, "provider": "stripe", "status": "complete"}
    assert outcome == "fulfilled" and order.tax == 0 and order.total == Decimal("8.20")


def test_the_admin_order_page_and_csv_show_the_tax(fake_stripe, shop, ebook, editor_client):
    taxed(shop, inclusive=False)
    order, _ = placed(Client(), fake_stripe, ebook)
    paid(fake_stripe, order, billing_country="DE")

    facts = " ".join(soup(editor_client.get(inspect_url(order))).get_text(" ").split())
    csv = b"".join(editor_client.get(reverse("shop_orders:index") + "?export=csv").streaming_content).decode()

    assert "Tax (Stripe Tax) $1.56 added to the prices" in facts
    header, row = csv.splitlines()[:2]
    assert "Tax,Tax in prices" in header and ",1.56,exclusive," in row


@pytest.mark.parametrize("code", ["txcd_1", "TXCD_10000000", "10000000"])
def test_a_product_s_tax_code_must_be_stripe_s_shape(ebook, code):
    ebook.tax_code = code
    with pytest.raises(ValidationError, match="txcd_10000000"):
        ebook.full_clean()


def test_a_us_physical_sale_ships_to_its_address_and_owes_no_tax_where_the_shop_is_not_registered(
    client, fake_stripe, shop, mug
):
    taxed(shop, inclusive=False)
    order, params = placed(client, fake_stripe, mug)
    new_york = {
        "name": "Grace Hopper",
        "address": {
            "line1": "1 Liberty Plaza", "line2": None, "city": "New York", "state": "NY",
            "postal_code": "10006", "country": "US",
        },
    }  # fmt: skip

    outcome, session = paid(fake_stripe, order, shipping_details=new_york)

    assert "US" in params["shipping_address_collection"]["allowed_countries"]
    assert session["total_details"]["amount_tax"] == 0
    assert outcome == "fulfilled" and order.status == Order.Status.PAID
    assert order.shipping_address["address"]["country"] == "US"
    assert (order.shipping, order.tax, order.total) == (Decimal("6.00"), Decimal("0.00"), Decimal("20.50"))
    assert "Total paid: $20.50" in mail_to("buyer@example.com")[0].body
