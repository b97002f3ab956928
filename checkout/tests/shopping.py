"""Paid orders made the way a shopper makes them: cart, checkout against FakeStripe, the signed webhook.
Refunds and disputes arrive by signed webhook too, as Stripe sends them."""

import json

from django.test import Client
from django.urls import reverse

from checkout.models import DownloadGrant, Order
from checkout.payments.gateway import StripeGateway

WEBHOOK = "/checkout/stripe/webhook/"


def deliver(fake, event):
    payload = json.dumps(event).encode()
    return Client().post(WEBHOOK, payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=fake.sign(payload))


def buy(client, fake, *products, email="buyer@example.com"):
    """Put the products in `client`'s cart, check out, pay, and return the paid order."""
    for product in products:
        client.post(reverse("checkout:cart_add"), {"product": product.pk, "quantity": 1})
    response = client.post(reverse("checkout:start"), {"email": email})
    assert response.status_code == 303, response.content[:500]
    order = Order.objects.get(email=email, status=Order.Status.PENDING)
    session = fake.complete_session(order.payment_session_id)
    outcome = deliver(fake, fake.event("checkout.session.completed", session)).json()["outcome"]
    assert outcome == "fulfilled", outcome
    order.refresh_from_db()
    return order


def refund(fake, order, amount_minor, *, lines=()):
    """Refund through Stripe (the fake) and deliver the events Stripe sends for it (refund.created and
    charge.refunded); `lines` names a partial refund's. Returns the answer to refund.created."""
    gateway = StripeGateway(fake.api_key, fake.base_url)
    gateway.client.v1.refunds.create(
        params={
            "payment_intent": order.payment_intent_id,
            "amount": amount_minor,
            "metadata": {"lines": ",".join(str(line.pk) for line in lines)},
        }
    )
    answers = {event["type"]: deliver(fake, event) for event in fake.take_events()}
    return answers["refund.created"]


def dispute(fake, order):
    """The buyer's bank opens a chargeback: FakeStripe's charge.dispute.created, delivered."""
    return deliver(fake, fake.open_dispute(order.payment_intent_id))


def grant_for(order, sku=None):
    grants = DownloadGrant.objects.filter(line__order=order).select_related("document")
    return grants.get(line__sku=sku) if sku else grants.get()


def mail_to(address):
    """The messages sent to `address` (the owner's notices go to Site settings' contact email)."""
    from django.core import mail

    return [message for message in mail.outbox if message.to == [address]]
