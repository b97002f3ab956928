"""Emails about an order's progress. `queue` stores a Notification in the caller's transaction, so it exists
exactly when the change it reports does, and sends it once that transaction commits. A send that fails is
logged and left for `manage.py send_notifications`; it never blocks or undoes the change."""

import logging
from collections.abc import Callable, Mapping
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from ..grants import file_links
from ..models import Notification, Order, Refund, Shipment
from .emails import build_message, site_context

# The template context of one kind of notification, from its order and its data.
ContextBuilder = Callable[[Order, Mapping[str, Any]], dict[str, Any]]

logger = logging.getLogger(__name__)

Kind = Notification.Kind

# A message that fails this many times is left for a person to look at (its last error is kept).
MAX_ATTEMPTS = 5

CUSTOMER_KINDS = {Kind.RECEIPT, Kind.SHIPPED, Kind.DELIVERED, Kind.REFUNDED}

SUBJECTS: dict[str, str] = {
    Kind.RECEIPT: "Your {brand} order {number}",
    Kind.SHIPPED: "Your {brand} order {number} is on its way",
    Kind.DELIVERED: "Your {brand} order {number} has been delivered",
    Kind.REFUNDED: "A refund for your {brand} order {number}",
    Kind.OWNER_NEW_ORDER: "New order {number}",
    Kind.OWNER_PAYMENT_PROBLEM: "Payment problem on order {number}",
}


def owner_email() -> str:
    """The shop owner's address: the contact email in Site settings."""
    site_settings, _root_url = site_context()
    return site_settings.contact_email


def queue(order: Order, kind: str, *, data: Mapping[str, Any] | None = None) -> Notification | None:
    """Owe `kind` of email about `order` to its customer or to the owner; returns the Notification, or None
    when there is nobody to send it to (no contact email set for the owner's notices)."""
    recipient = order.email if kind in CUSTOMER_KINDS else owner_email()
    if not recipient:
        logger.warning("No owner address in Site settings: the %s notice for order %s is not sent", kind, order.number)
        return None
    notification = Notification.objects.create(order=order, kind=kind, recipient=recipient, data=data or {})
    transaction.on_commit(lambda: send(notification))
    return notification


def send(notification: Notification) -> bool:
    """Try to send one notification now. True when sent; a failure is counted, logged and kept for a retry."""
    try:
        build(notification).send()
    except Exception as error:
        Notification.objects.filter(pk=notification.pk).update(
            attempts=F("attempts") + 1, last_error=f"{type(error).__name__}: {error}"[:300]
        )
        logger.exception(
            "The %s email for order %s could not be sent; the order keeps its status and "
            "send_notifications will try again",
            notification.kind,
            notification.order.number,
        )
        return False
    now = timezone.now()
    Notification.objects.filter(pk=notification.pk).update(sent_at=now, attempts=F("attempts") + 1, last_error="")
    if notification.kind == Kind.RECEIPT:
        Order.objects.filter(pk=notification.order_id).update(receipt_sent_at=now)
    return True


def send_unsent() -> tuple[int, int]:
    """Send every notification still owed (the retry command). Returns (sent, failed)."""
    sent = failed = 0
    owed = Notification.objects.filter(sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS).select_related("order")
    for notification in owed:
        if send(notification):
            sent += 1
        else:
            failed += 1
    return sent, failed


def build(notification: Notification) -> EmailMultiAlternatives:
    """The message for a notification, rendered from templates/checkout/email/<kind>.txt and .html."""
    order = notification.order
    context = _CONTEXT[notification.kind](order, notification.data)
    reply_to = [order.email] if notification.kind not in CUSTOMER_KINDS else None
    return build_message(
        order,
        to=notification.recipient,
        subject=SUBJECTS[notification.kind],
        template=notification.kind,
        context=context,
        reply_to=reply_to,
    )


def _receipt(order: Order, data: Mapping[str, Any]) -> dict[str, Any]:
    return {"lines": order.lines.all(), "files": file_links(order)}


def _shipped(order: Order, data: Mapping[str, Any]) -> dict[str, Any]:
    shipment = Shipment.objects.prefetch_related("lines").get(pk=data["shipment"], order=order)
    return {"shipment": shipment, "waiting": order.lines.filter(is_digital=False, shipment=None, refunded=False)}


def _delivered(order: Order, data: Mapping[str, Any]) -> dict[str, Any]:
    return {"shipments": order.shipments.prefetch_related("lines")}


def _refunded(order: Order, data: Mapping[str, Any]) -> dict[str, Any]:
    return {"refund": Refund.objects.prefetch_related("lines").get(pk=data["refund"], order=order)}


def _owner(order: Order, data: Mapping[str, Any]) -> dict[str, Any]:
    admin_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("shop_orders:inspect", args=[order.pk])
    return {"lines": order.lines.all(), "admin_url": admin_url, "problem": data.get("problem", "")}


_CONTEXT: dict[str, ContextBuilder] = {
    Kind.RECEIPT: _receipt,
    Kind.SHIPPED: _shipped,
    Kind.DELIVERED: _delivered,
    Kind.REFUNDED: _refunded,
    Kind.OWNER_NEW_ORDER: _owner,
    Kind.OWNER_PAYMENT_PROBLEM: _owner,
}
