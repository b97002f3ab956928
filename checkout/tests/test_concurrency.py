"""Races that oversell or double-fulfil in other shops, run with real threads and real commits on the
database under test (SQLite here, PostgreSQL in `make test-services`)."""

import json
import threading
from decimal import Decimal

import pytest

from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse

from checkout.models import DownloadGrant, Order
from products.factories import ProductFileFactory, ProductPageFactory
from products.models import ProductPage

# serialized_rollback restores what migrations created (the root page, the default locale) after each flush.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def at_once(*calls):
    """Run the calls in threads released together; return their results in order."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)
    errors = []

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except Exception as error:  # noqa: BLE001 - reported below, with the thread's error
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    return results


@pytest.fixture
def last_mug(product_index, site_settings):
    return ProductPageFactory(parent=product_index, title="Last Mug", sku="MUG-9", kind="physical", stock=1)


def shopper_with(product):
    client = Client()
    client.post(reverse("checkout:cart_add"), {"product": product.pk, "quantity": 1})
    return client


def test_two_checkouts_for_the_last_unit_exactly_one_wins(fake_stripe, last_mug):
    first, second = shopper_with(last_mug), shopper_with(last_mug)

    def checkout(client, email):
        return lambda: client.post(reverse("checkout:start"), {"email": email}).status_code

    statuses = at_once(checkout(first, "a@example.com"), checkout(second, "b@example.com"))

    assert sorted(statuses) == [303, 409]
    assert ProductPage.objects.get(pk=last_mug.pk).stock == 0
    assert Order.objects.filter(stock_reserved=True).count() == 1
    assert len(fake_stripe.sessions) == 1


def test_webhook_and_success_page_at_the_same_moment_fulfil_once(fake_stripe, product_index, site_settings):
    ebook = ProductPageFactory(parent=product_index, title="Guide", sku="EB-9", price=Decimal("8.20"))
    ProductFileFactory(page=ebook)
    buyer = shopper_with(ebook)
    assert buyer.post(reverse("checkout:start"), {"email": "buyer@example.com"}).status_code == 303
    order = Order.objects.get()
    session = fake_stripe.complete_session(order.payment_session_id)
    payload = json.dumps(fake_stripe.event("checkout.session.completed", session)).encode()
    signature = fake_stripe.sign(payload)
    webhook = Client()

    at_once(
        lambda: webhook.post(
            "/checkout/stripe/webhook/", payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=signature
        ),
        lambda: buyer.get(reverse("checkout:success"), {"session_id": session["id"]}),
    )

    order.refresh_from_db()
    assert order.status == Order.Status.COMPLETED
    assert DownloadGrant.objects.count() == 1
    assert [message.to for message in mail.outbox] == [["buyer@example.com"], ["owner@example.com"]]
