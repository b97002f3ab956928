"""What a payment (or its undoing) does to an order. Every function here is idempotent: the webhook,
the success page and the reconcile command may all call it, in any order, any number of times.

The order row is locked (SELECT ... FOR UPDATE on PostgreSQL; SQLite's IMMEDIATE transactions already
serialise writers) before its status is read, so two callers at the same moment fulfil once."""

import logging
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from website.models import SiteSettings

from . import lifecycle, notifications
from .gateway import from_minor_units, get_gateway, to_minor_units
from .models import DownloadGrant, Order, Refund
from .orders import release_stock

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outcome:
    order: Order | None
    message: str


def _locked(order_number):
    return Order.objects.select_for_update().filter(number=order_number).first()


def fulfil(session_id, gateway=None):
    """Mark the order paid and hand over what was bought, if the provider says it is paid."""
    gateway = gateway or get_gateway()
    session = gateway.retrieve_session(session_id)
    if session is None:
        return Outcome(None, f"unknown payment session {session_id}")
    newly_paid = False
    with transaction.atomic():
        order = _locked(session.order_number)
        if order is None:
            return Outcome(None, f"no order {session.order_number!r} for session {session_id}")
        if not session.is_paid:
            return Outcome(order, f"not paid yet ({session.status}, {session.payment_status})")
        if order.status != Order.Status.PENDING and not (
            order.status in Order.CLOSED_STATES and order.payment_session_id == session.id
        ):
            # Already fulfilled, refunded before it completed, disputed, or flagged: nothing more to do.
            return Outcome(order, f"already {order.status}")
        problem = _payment_problem(order, session)
        order.payment_intent_id = session.payment_intent
        order.shipping_address = session.shipping_address or order.shipping_address
        paid_fields = ["payment_intent_id", "shipping_address"]
        if problem:
            order.review_reason = problem
            lifecycle.transition(
                order, Order.Status.REVIEW, note=problem, update_fields=["review_reason", *paid_fields]
            )
            notifications.queue(order, notifications.Kind.OWNER_PAYMENT_PROBLEM, data={"problem": problem})
            logger.error(
                "Order %s paid but not fulfilled: %s", order.number, problem,
                extra={"event": "order.review", "order": order.number, "reason": problem},
            )  # fmt: skip
            return Outcome(order, f"flagged for review: {problem}")
        if not order.stock_reserved:
            _retake_stock(order)
        _hand_over(order)
        order.paid_at = timezone.now()
        # The reservation becomes the sale: the units are gone for good, so nothing may release them.
        order.stock_reserved = False
        lifecycle.transition(
            order,
            Order.Status.PAID,
            note=f"Payment {session.payment_intent} confirmed",
            update_fields=["paid_at", "stock_reserved", *paid_fields],
        )
        notifications.queue(order, notifications.Kind.RECEIPT)
        notifications.queue(order, notifications.Kind.OWNER_NEW_ORDER)
        if not order.has_physical_lines:
            lifecycle.transition(order, Order.Status.COMPLETED, note="Digital order: delivered at payment")
        newly_paid = True
    if newly_paid:
        logger.info(
            "Order %s paid: %s %s", order.number, order.total, order.currency,
            extra={"event": "order.paid", "order": order.number, "total": order.total, "currency": order.currency},
        )  # fmt: skip
    return Outcome(order, "fulfilled")


def _payment_problem(order, session):
    if session.id != order.payment_session_id:
        return f"paid through an older checkout ({session.id}) after the cart changed"
    expected = to_minor_units(order.total, order.currency)
    if session.currency != order.currency or session.amount_total != expected:
        return (
            f"amount mismatch: paid {session.amount_total} {session.currency}, "
            f"order total is {expected} {order.currency}"
        )
    return ""


def _retake_stock(order):
    """A late payment for a checkout whose hold already lapsed: take the units again if they are there.
    If not, the sale still stands (the money is in) and the owner must sort it out."""
    from products import inventory

    for line in order.lines.filter(is_digital=False, product__isnull=False):
        if not inventory.reserve(line.product_id, line.quantity):
            logger.error("Order %s was paid after its hold lapsed; %s is oversold", order.number, line.sku)


def _hand_over(order):
    """Download grants for digital lines and membership groups for the buyer."""
    site_settings = SiteSettings.objects.filter(site__is_default_site=True).first() or SiteSettings()
    expires_at = DownloadGrant.expiry_from_now(site_settings.download_days)
    lines = list(order.lines.select_related("product").prefetch_related("product__deliverables"))
    for line in lines:
        product = line.product
        if product is None or not line.is_digital:
            continue
        limit = product.download_limit or site_settings.download_limit
        for deliverable in product.deliverables.all():
            DownloadGrant.objects.get_or_create(
                line=line,
                document_id=deliverable.document_id,
                defaults={"expires_at": expires_at, "max_downloads": limit},
            )
    _add_memberships(order, lines)


def grant_memberships(order):
    """The membership groups of an order that joined its buyer's account after it was paid (a guest order
    claimed by a verified address): those of its lines still paid for, and only while the order grants access."""
    if order.grants_access:
        _add_memberships(order, [line for line in order.lines.select_related("product") if not line.refunded])


def _add_memberships(order, lines):
    groups = {
        line.product.membership_group_id
        for line in lines
        if line.is_digital and line.product and line.product.membership_group_id
    }
    if order.user_id and groups:
        order.user.groups.add(*groups)


def _revoke(order, lines):
    """Take back downloads and memberships for refunded lines."""
    DownloadGrant.objects.filter(line__in=lines, revoked_at__isnull=True).update(revoked_at=timezone.now())
    _remove_memberships(order, lines)


def _remove_memberships(order, lines):
    groups = [line.product.membership_group_id for line in lines if line.product and line.product.membership_group_id]
    if order.user_id and groups:
        order.user.groups.remove(*groups)


def expire(session_id, gateway=None):
    """The payment page expired or the delayed payment failed: release the stock once."""
    from .orders import expire_order

    gateway = gateway or get_gateway()
    session = gateway.retrieve_session(session_id)
    order = Order.objects.filter(number=session.order_number).first() if session else None
    if order is None:
        return Outcome(None, f"no order for session {session_id}")
    if order.payment_session_id != session_id:
        return Outcome(order, "an older checkout of this order expired; the current one is unaffected")
    return Outcome(order, "expired, stock released" if expire_order(order) else f"already {order.status}")


def fail(session_id, gateway=None):
    from .orders import expire_order

    gateway = gateway or get_gateway()
    session = gateway.retrieve_session(session_id)
    order = Order.objects.filter(number=session.order_number).first() if session else None
    if order is None:
        return Outcome(None, f"no order for session {session_id}")
    closed = expire_order(order, status=Order.Status.FAILED)
    if closed:
        notifications.queue(
            order, notifications.Kind.OWNER_PAYMENT_PROBLEM, data={"problem": "the delayed payment failed"}
        )
    return Outcome(order, "payment failed, stock released" if closed else f"already {order.status}")


def _order_for_payment(payment_intent, gateway):
    order = Order.objects.filter(payment_intent_id=payment_intent).first() if payment_intent else None
    if order is None and payment_intent:
        # The refund or dispute can arrive before the completed event: ask which checkout it paid for.
        session = gateway.session_for_payment_intent(payment_intent)
        if session:
            order = Order.objects.filter(number=session.order_number).first()
    return order


def record_refund(*, refund_id, payment_intent, amount_minor, currency, line_ids=(), gateway=None):
    """A refund the provider confirmed: record it once, revoke the refunded lines (all of them for a full
    refund) and mark the order refunded or partly refunded."""
    gateway = gateway or get_gateway()
    with transaction.atomic():
        order = _order_for_payment(payment_intent, gateway)
        if order is None:
            return Outcome(None, f"no order for payment {payment_intent}")
        order = Order.objects.select_for_update().get(pk=order.pk)
        amount = from_minor_units(amount_minor, currency)
        refund, created = Refund.objects.get_or_create(order=order, refund_id=refund_id, defaults={"amount": amount})
        if not created:
            return Outcome(order, f"refund {refund_id} already recorded")
        order.payment_intent_id = order.payment_intent_id or payment_intent
        order.refunded_amount = sum((r.amount for r in order.refunds.all()), Decimal("0"))
        full = order.refunded_amount >= order.total
        lines = list(order.lines.select_related("product"))
        refunded_lines = lines if full else [line for line in lines if line.pk in set(line_ids)]
        refund.lines.set(refunded_lines)
        for line in refunded_lines:
            line.refunded = True
            line.save(update_fields=["refunded"])
        _revoke(order, refunded_lines)
        if order.stock_reserved:
            release_stock(order)
        fields = ["refunded_amount", "payment_intent_id"]
        target = Order.Status.REFUNDED if full else Order.Status.PARTIALLY_REFUNDED
        note = f"Refund {refund_id} of {amount} {currency.upper()}"
        if lifecycle.can_transition(order, target):
            lifecycle.transition(order, target, note=note, update_fields=fields)
        else:
            # The money is back with the buyer whatever the order's state (a cancelled order's refund, for one).
            order.save(update_fields=[*fields, "updated_at"])
            logger.info("Order %s stays %s after %s", order.number, order.status, note)
        notifications.queue(order, notifications.Kind.REFUNDED, data={"refund": refund.pk})
    return Outcome(order, f"refund {refund_id} recorded ({order.get_status_display().lower()})")


def record_dispute(*, payment_intent, gateway=None):
    """A chargeback: suspend access until it is settled."""
    gateway = gateway or get_gateway()
    with transaction.atomic():
        order = _order_for_payment(payment_intent, gateway)
        if order is None:
            return Outcome(None, f"no order for payment {payment_intent}")
        order = Order.objects.select_for_update().get(pk=order.pk)
        if not lifecycle.can_transition(order, Order.Status.DISPUTED):
            return Outcome(order, f"already {order.status}")
        order.payment_intent_id = order.payment_intent_id or payment_intent
        lifecycle.transition(
            order, Order.Status.DISPUTED, note="Chargeback opened", update_fields=["payment_intent_id"]
        )
        notifications.queue(
            order, notifications.Kind.OWNER_PAYMENT_PROBLEM, data={"problem": "the buyer disputed the payment"}
        )
        # Downloads check the order's status, so they stop now; memberships must be taken away.
        _remove_memberships(order, list(order.lines.select_related("product")))
    return Outcome(order, "disputed: access suspended")
