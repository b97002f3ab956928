"""Stripe's webhook: verify the signature on the raw body, record each event once, hand it to fulfilment.

Stripe retries anything but a 2xx, so: a bad signature is 400 and changes nothing; an event we have
seen, or one about an order we do not know, is 200 and logged; a failure while handling it is 500 and
leaves no record, so the retry gets a clean second chance."""

import logging

import stripe

from django.conf import settings
from django.db import IntegrityError, transaction

from . import fulfilment
from .gateway import get_gateway
from .models import PaymentEvent

logger = logging.getLogger(__name__)

SIGNATURE_TOLERANCE = 300  # seconds, Stripe's default: older signatures are replays


class BadSignature(Exception):
    pass


def verify(payload, signature):
    """The event as a plain dict, if Stripe signed exactly these bytes recently with our secret."""
    if not settings.STRIPE_WEBHOOK_SECRET or not signature:
        raise BadSignature("missing signature or webhook secret")
    try:
        event = stripe.Webhook.construct_event(
            payload, signature, settings.STRIPE_WEBHOOK_SECRET, tolerance=SIGNATURE_TOLERANCE
        )
    except (ValueError, stripe.SignatureVerificationError) as error:
        raise BadSignature(str(error)) from error
    return event.to_dict(for_json=True)


def _session_id(obj):
    return obj["id"]


def _refund_lines(obj):
    raw = (obj.get("metadata") or {}).get("lines", "")
    return [int(pk) for pk in raw.split(",") if pk.strip().isdigit()]


def _charge_refunded(obj, gateway):
    # A charge.refunded event carries the charge; its refunds list is not always included, so a full
    # refund is recorded under the charge id and partial ones arrive as refund.* events with their ids.
    if not obj.get("refunded"):
        return fulfilment.Outcome(None, "partial refund on the charge; recorded from its refund event")
    return fulfilment.record_refund(
        refund_id=f"charge:{obj['id']}",
        payment_intent=obj.get("payment_intent") or "",
        amount_minor=obj["amount_refunded"],
        currency=obj["currency"],
        gateway=gateway,
    )


def _refund(obj, gateway):
    if obj.get("status") not in {"succeeded", "pending"}:
        return fulfilment.Outcome(None, f"refund {obj['id']} is {obj.get('status')}; nothing to do")
    return fulfilment.record_refund(
        refund_id=obj["id"],
        payment_intent=obj.get("payment_intent") or "",
        amount_minor=obj["amount"],
        currency=obj["currency"],
        line_ids=_refund_lines(obj),
        gateway=gateway,
    )


HANDLERS = {
    "checkout.session.completed": lambda obj, gateway: fulfilment.fulfil(_session_id(obj), gateway),
    "checkout.session.async_payment_succeeded": lambda obj, gateway: fulfilment.fulfil(_session_id(obj), gateway),
    "checkout.session.async_payment_failed": lambda obj, gateway: fulfilment.fail(_session_id(obj), gateway),
    "checkout.session.expired": lambda obj, gateway: fulfilment.expire(_session_id(obj), gateway),
    "charge.refunded": _charge_refunded,
    "refund.created": _refund,
    "refund.updated": _refund,
    "charge.refund.updated": _refund,
    "charge.dispute.created": lambda obj, gateway: fulfilment.record_dispute(
        payment_intent=obj.get("payment_intent") or "", gateway=gateway
    ),
}


def handle(event):
    """Handle one verified event exactly once. Returns a short description of what happened."""
    handler = HANDLERS.get(event["type"])
    if handler is None:
        return f"ignored {event['type']}"
    obj = event["data"]["object"]
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = PaymentEvent.objects.create(event_id=event["id"], type=event["type"], payload=obj)
        except IntegrityError:
            logger.info(
                "Stripe event %s (%s) was already handled", event["id"], event["type"],
                extra={"event": "webhook.duplicate", "stripe_event": event["id"], "stripe_type": event["type"]},
            )  # fmt: skip
            return "already handled"
        outcome = handler(obj, get_gateway())
        record.order = outcome.order
        record.outcome = outcome.message[:300]
        record.save(update_fields=["order", "outcome"])
    # No order for a known event type is worth a look (another shop on the same Stripe account, or lost data).
    logger.log(
        logging.INFO if outcome.order else logging.WARNING,
        "Stripe event %s (%s): %s", event["id"], event["type"], outcome.message,
        extra={
            "event": "webhook.handled",
            "stripe_event": event["id"],
            "stripe_type": event["type"],
            "order": outcome.order.number if outcome.order else None,
            "outcome": outcome.message,
        },
    )  # fmt: skip
    return outcome.message
