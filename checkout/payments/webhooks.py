"""Stripe's webhook: verify the signature on the raw body, check the event's shape, record each event once,
hand it to fulfilment.

Stripe retries anything but a 2xx for days, so: a bad signature (or one dated too far from now, either way) is
400 and changes nothing; a body that is no event at all is 400; a signed event of a type we handle that lacks
what we need is 200 "ignored" and logged (no retry will mend it); an event we have seen, or one about an order
we do not know, is 200 and logged; a failure while handling it is 500 and leaves no record, so the retry gets a
clean second chance. Everything is handled from the signed event itself: no call to Stripe holds the answer."""

import json
import logging
import time
from collections.abc import Callable, Mapping
from typing import Any

import stripe

from django.conf import settings
from django.db import IntegrityError, transaction

from ..models import PaymentEvent
from . import fulfilment
from .fulfilment import Outcome
from .gateway import refund_lines_from_metadata, session_from_data

logger = logging.getLogger(__name__)

SIGNATURE_TOLERANCE = 300  # seconds, Stripe's default: older signatures are replays, newer ones forged clocks


class BadSignature(Exception):
    pass


class MalformedEvent(Exception):
    """Signed, but not a Stripe event: nothing to record."""


def verify(payload: bytes, signature: str) -> dict[str, Any]:
    """The event as a plain dict, if Stripe signed exactly these bytes within the tolerance of now."""
    if not settings.STRIPE_WEBHOOK_SECRET or not signature:
        raise BadSignature("missing signature or webhook secret")
    try:
        stripe.WebhookSignature.verify_header(
            payload.decode("utf-8"), signature, settings.STRIPE_WEBHOOK_SECRET, SIGNATURE_TOLERANCE
        )
    except (ValueError, UnicodeDecodeError, stripe.SignatureVerificationError) as error:
        raise BadSignature(str(error)) from error
    # stripe-python refuses old timestamps only; one from the future is as much a replay risk.
    timestamp = int(dict(part.split("=", 1) for part in signature.split(",") if "=" in part)["t"])
    if timestamp > time.time() + SIGNATURE_TOLERANCE:
        raise BadSignature("Timestamp is in the future")
    try:
        event = json.loads(payload)
    except ValueError as error:
        raise MalformedEvent(f"the body is not JSON ({error})") from error
    return _event_shape(event)


def _event_shape(event: object) -> dict[str, Any]:
    if not isinstance(event, dict):
        raise MalformedEvent(f"the body is a JSON {type(event).__name__}, not an event object")
    for field in ("id", "type"):
        if not isinstance(event.get(field), str) or not event[field]:
            raise MalformedEvent(f"the event has no {field}")
    if not isinstance(event.get("data"), dict) or not isinstance(event["data"].get("object"), dict):
        raise MalformedEvent("the event has no data.object")
    return event


# What each handled type needs in data.object: field -> accepted JSON types.
Shape = dict[str, tuple[type, ...]]
_TEXT: tuple[type, ...] = (str,)
_NUMBER: tuple[type, ...] = (int,)
_MAYBE_TEXT: tuple[type, ...] = (str, type(None))
_SESSION: Shape = {"id": _TEXT, "status": _TEXT, "payment_status": _TEXT}
_PAID_SESSION: Shape = {**_SESSION, "amount_total": _NUMBER, "currency": _TEXT}
_REFUND: Shape = {"id": _TEXT, "amount": _NUMBER, "currency": _TEXT, "status": _TEXT, "payment_intent": _MAYBE_TEXT}
_CHARGE: Shape = {"id": _TEXT, "amount_refunded": _NUMBER, "currency": _TEXT, "payment_intent": _MAYBE_TEXT}
_DISPUTE: Shape = {"id": _TEXT, "amount": _NUMBER, "currency": _TEXT, "status": _TEXT, "payment_intent": _MAYBE_TEXT}


def _missing(obj: Mapping[str, Any], shape: Shape) -> list[str]:
    return [
        field
        for field, types in shape.items()
        if not isinstance(obj.get(field), types) or isinstance(obj.get(field), bool)
    ]


def _refund(obj: Mapping[str, Any]) -> Outcome:
    return fulfilment.record_refund(
        refund_id=obj["id"],
        payment_intent=obj.get("payment_intent") or "",
        amount_minor=obj["amount"],
        currency=obj["currency"],
        line_ids=refund_lines_from_metadata(obj.get("metadata")),
        status=obj["status"],
        failure_reason=obj.get("failure_reason") or "",
    )


def _charge_refunded(obj: Mapping[str, Any]) -> Outcome:
    """Refunds are counted from their own refund.* events; this one only checks the ledger against the charge."""
    return fulfilment.check_charge_refunds(
        payment_intent=obj.get("payment_intent") or "",
        amount_refunded_minor=obj["amount_refunded"],
        currency=obj["currency"],
    )


def _dispute(obj: Mapping[str, Any]) -> Outcome:
    return fulfilment.record_dispute(
        dispute_id=obj["id"],
        payment_intent=obj.get("payment_intent") or "",
        amount_minor=obj["amount"],
        currency=obj["currency"],
        status=obj["status"],
        reason=obj.get("reason") or "",
    )


# type -> (the shape its object must have, its handler)
HANDLERS: dict[str, tuple[Shape, Callable[[Mapping[str, Any]], Outcome]]] = {
    "checkout.session.completed": (_PAID_SESSION, lambda obj: fulfilment.fulfil_session(session_from_data(obj))),
    "checkout.session.async_payment_succeeded": (
        _PAID_SESSION,
        lambda obj: fulfilment.fulfil_session(session_from_data(obj)),
    ),
    "checkout.session.async_payment_failed": (_SESSION, lambda obj: fulfilment.fail_session(session_from_data(obj))),
    "checkout.session.expired": (_SESSION, lambda obj: fulfilment.expire_session(session_from_data(obj))),
    "charge.refunded": (_CHARGE, _charge_refunded),
    "refund.created": (_REFUND, _refund),
    "refund.updated": (_REFUND, _refund),
    "refund.failed": (_REFUND, _refund),
    "charge.refund.updated": (_REFUND, _refund),
    "charge.dispute.created": (_DISPUTE, _dispute),
    "charge.dispute.updated": (_DISPUTE, _dispute),
    "charge.dispute.closed": (_DISPUTE, _dispute),
}


def handle(event: Mapping[str, Any]) -> str:
    """Handle one verified event exactly once. Returns a short description of what happened."""
    if event["type"] not in HANDLERS:
        return f"ignored {event['type']}"
    shape, handler = HANDLERS[event["type"]]
    obj = event["data"]["object"]
    if missing := _missing(obj, shape):
        logger.warning(
            "Stripe event %s (%s) ignored: data.object lacks %s", event["id"], event["type"], ", ".join(missing),
            extra={"event": "webhook.malformed", "stripe_event": event["id"], "stripe_type": event["type"]},
        )  # fmt: skip
        return f"ignored: malformed {event['type']} (no {', '.join(missing)})"
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
        outcome = handler(obj)
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
