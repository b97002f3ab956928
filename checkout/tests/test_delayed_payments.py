"""Delayed payment methods (SEPA Direct Debit, bank transfers): Stripe completes the checkout with payment_status
"unpaid" and later sends checkout.session.async_payment_succeeded or _failed. The order waits, visibly, with its
stock held and nothing handed over; it is fulfilled exactly once, or cancelled with its stock released."""

import json
from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
import stripe

from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from checkout.admin.stock_holds import CheckoutStockHolds
from checkout.models import DownloadGrant, Order
from checkout.orders import release_lapsed_holds
from checkout.payments.gateway import get_gateway
from products.factories import ProductFileFactory, ProductPageFactory
from products.models import ProductPage
from website.tests.html import soup

from .shopping import WEBHOOK, deliver, mail_to
from .test_admin_orders import inspect_url

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("requests_commit")]

S = Order.Status


@pytest.fixture
def ebook(product_index, shop):
    product = ProductPageFactory(parent=product_index, title="Field Guide", sku="EBOOK-1", price=Decimal("8.20"))
    ProductFileFactory(page=product)
    return product


def stock_of(product):
    return ProductPage.objects.get(pk=product.pk).stock


def debited(client, fake, *products):
    """Check out and pay by bank debit: the completed session is unpaid and its event delivered."""
    for product in products:
        client.post(reverse("checkout:cart_add"), {"product": product.pk, "quantity": 1})
    assert client.post(reverse("checkout:start"), {"email": "buyer@example.com"}).status_code == 303
    order = Order.objects.get()
    session = fake.complete_session(order.payment_session_id, payment_status="unpaid")
    answer = deliver(fake, fake.event("checkout.session.completed", session)).json()["outcome"]
    assert answer == "awaiting the delayed payment, stock held"
    order.refresh_from_db()
    return order, session


def test_a_debit_on_its_way_leaves_the_order_waiting_with_its_stock_and_nothing_handed_over(
    client, fake_stripe, ebook, mug
):
    order, session = debited(client, fake_stripe, ebook, mug)

    assert order.status == S.AWAITING_PAYMENT and order.stock_reserved and stock_of(mug) == 2
    assert order.payment_intent_id == session["payment_intent"] and order.paid_at is None
    assert not DownloadGrant.objects.exists() and not mail_to("buyer@example.com")
    success = soup(client.get(reverse("checkout:success"), {"session_id": session["id"]}))
    assert "we're waiting for your payment to clear" in success.get_text()
    page = " ".join(
        soup(client.get(reverse("checkout:order", args=[order.number, order.access_token]))).get_text(" ").split()
    )
    assert "Awaiting bank payment" in page and "Download" not in page


def test_the_hold_of_a_debit_on_its_way_outlives_the_checkout_s_expiry(client, fake_stripe, mug):
    order, _ = debited(client, fake_stripe, mug)
    Order.objects.filter(pk=order.pk).update(expires_at=timezone.now() - timedelta(hours=3))

    assert release_lapsed_holds(get_gateway()) == 0

    order.refresh_from_db()
    assert order.status == S.AWAITING_PAYMENT and order.stock_reserved and stock_of(mug) == 2


def test_a_debit_that_clears_fulfils_the_order_once(client, fake_stripe, ebook, mug):
    order, session = debited(client, fake_stripe, ebook, mug)

    fake_stripe.settle_delayed_payment(session["id"])
    [event] = fake_stripe.take_events()
    again = fake_stripe.event(event["type"], event["data"]["object"])  # Stripe may send it twice, with two ids
    outcomes = [deliver(fake_stripe, e).json()["outcome"] for e in (event, event, again)]

    order.refresh_from_db()
    assert event["type"] == "checkout.session.async_payment_succeeded"
    assert outcomes == ["fulfilled", "already handled", "already paid"]
    assert order.status == S.PAID and not order.stock_reserved and stock_of(mug) == 2
    assert DownloadGrant.objects.count() == 1
    [receipt] = mail_to("buyer@example.com")
    assert "Field Guide" in receipt.body
    assert [change.to_status for change in order.status_changes.all()] == [S.AWAITING_PAYMENT, S.PAID]


def test_a_debit_that_fails_cancels_the_order_and_releases_its_stock_once(client, fake_stripe, mug):
    order, session = debited(client, fake_stripe, mug)

    fake_stripe.settle_delayed_payment(session["id"], succeeded=False)
    [event] = fake_stripe.take_events()
    again = fake_stripe.event(event["type"], event["data"]["object"])
    outcomes = [deliver(fake_stripe, e).json()["outcome"] for e in (event, event, again)]

    order.refresh_from_db()
    assert event["type"] == "checkout.session.async_payment_failed"
    assert event["data"]["object"]["payment_status"] == "unpaid"
    assert outcomes == ["payment failed, stock released", "already handled", "already failed"]
    assert order.status == S.FAILED and not order.stock_reserved and stock_of(mug) == 3
    assert not DownloadGrant.objects.exists() and not mail_to("buyer@example.com")
    [notice] = mail_to("owner@example.com")
    assert "the delayed payment failed" in notice.body


def test_a_cleared_debit_for_another_amount_is_flagged_not_fulfilled(client, fake_stripe, ebook):
    order, session = debited(client, fake_stripe, ebook)
    cleared = fake_stripe.settle_delayed_payment(session["id"])
    cleared["amount_total"] = 100

    deliver(fake_stripe, fake_stripe.event("checkout.session.async_payment_succeeded", cleared))

    order.refresh_from_db()
    assert order.status == S.REVIEW and not DownloadGrant.objects.exists()


def test_a_badly_signed_clearing_event_changes_nothing(client, fake_stripe, ebook):
    order, session = debited(client, fake_stripe, ebook)
    fake_stripe.settle_delayed_payment(session["id"])
    [event] = fake_stripe.take_events()
    payload = json.dumps(event).encode()

    response = Client().post(
        WEBHOOK,
        payload,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=fake_stripe.sign(payload, secret="whsec_other"),
    )

    order.refresh_from_db()
    assert response.status_code == 400 and order.status == S.AWAITING_PAYMENT


def test_the_admin_order_page_shows_the_waiting_order(client, fake_stripe, mug, editor_client):
    order, _ = debited(Client(), fake_stripe, mug)
    assert "Awaiting bank payment" in editor_client.get(inspect_url(order)).content.decode()


# -- The fake's side, as Stripe documents it ---------------------------------------------------------------


def test_only_an_unpaid_completed_session_can_settle(fake_stripe, settings, client, ebook):
    client.post(reverse("checkout:cart_add"), {"product": ebook.pk, "quantity": 1})
    client.post(reverse("checkout:start"), {"email": "buyer@example.com"})
    session_id = Order.objects.get().payment_session_id
    with pytest.raises(Exception, match="no delayed payment to settle"):
        fake_stripe.settle_delayed_payment(session_id)  # still open
    fake_stripe.complete_session(session_id)
    with pytest.raises(Exception, match="no delayed payment to settle"):
        fake_stripe.settle_delayed_payment(session_id)  # paid by card already


def test_the_hosted_page_s_bank_debit_completes_the_session_unpaid(fake_stripe, settings, client, ebook):
    client.post(reverse("checkout:cart_add"), {"product": ebook.pk, "quantity": 1})
    client.post(reverse("checkout:start"), {"email": "buyer@example.com"})
    order = Order.objects.get()

    status, _, _ = fake_stripe.hosted_page("POST", f"/pay/{order.payment_session_id}", b"action=pay_later")

    stripe_client = stripe.StripeClient(fake_stripe.api_key, base_addresses={"api": fake_stripe.base_url})
    session = stripe_client.v1.checkout.sessions.retrieve(order.payment_session_id)
    assert status == 303 and (session.status, session.payment_status) == ("complete", "unpaid")
    assert session.payment_intent.startswith("pi_")


def test_reconcile_catches_up_on_lost_debit_events(client, fake_stripe, ebook, mug, django_capture_on_commit_callbacks):
    cleared, cleared_session = debited(client, fake_stripe, ebook)
    fake_stripe.settle_delayed_payment(cleared_session["id"])
    other = Client()
    other.post(reverse("checkout:cart_add"), {"product": mug.pk, "quantity": 1})
    other.post(reverse("checkout:start"), {"email": "late@example.com"})
    started = Order.objects.get(email="late@example.com")
    fake_stripe.complete_session(started.payment_session_id, payment_status="unpaid")
    fake_stripe.take_events()  # neither event arrives

    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("reconcile_orders", "--older-than", "0", stdout=out)

    cleared.refresh_from_db()
    started.refresh_from_db()
    assert cleared.status == S.COMPLETED and len(mail_to("buyer@example.com")) == 1
    assert started.status == S.AWAITING_PAYMENT and stock_of(mug) == 2
    assert "fulfilled: 1" in out.getvalue() and "awaiting payment: 1" in out.getvalue()


def test_the_stock_screen_counts_a_debit_on_its_way_as_held_but_offers_no_release(client, fake_stripe, mug):
    debited(client, fake_stripe, mug)

    [product] = CheckoutStockHolds().with_held_units(ProductPage.objects.filter(pk=mug.pk))
    assert product.held == 1 and not CheckoutStockHolds().current().exists()
