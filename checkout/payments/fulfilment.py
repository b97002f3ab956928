"""What a payment (or its undoing) does to an order. Every function here is idempotent: the webhook,
the success page and the reconcile command may all call it, in any order, any number of times.

The order row is locked (SELECT ... FOR UPDATE on PostgreSQL; SQLite's IMMEDIATE transactions already
serialise writers) before its status is read, so two callers at the same moment fulfil once."""

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

from products import inventory
from website.models import SiteSettings

from .. import lifecycle, recovery
from ..holds import expire_order, release_stock
from ..mail import notifications
from ..models import Dispute, DownloadGrant, Order, OrderLine, Refund
from .gateway import Gateway, PaymentProviderError, PaymentSession, from_minor_units, get_gateway, to_minor_units

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outcome:
    order: Order | None
    message: str


def _locked(order_number: str) -> Order | None:
    return Order.objects.select_for_update().filter(number=order_number).first()


def fulfil(session_id: str, gateway: Gateway | None = None) -> Outcome:
    """Ask the provider about a checkout and fulfil it if it is paid (the success page and reconcile)."""
    gateway = _configured(gateway)
    session = gateway.retrieve_session(session_id)
    if session is None:
        return Outcome(None, f"unknown payment session {session_id}")
    return fulfil_session(session)


def fulfil_session(session: PaymentSession) -> Outcome:
    """Mark the order paid and hand over what was bought, if the session says it is paid. The webhook passes
    the session from the signed event itself, so no provider call holds up its answer."""
    with transaction.atomic():
        order = _locked(session.order_number)
        if order is None:
            return Outcome(None, f"no order {session.order_number!r} for session {session.id}")
        if not session.is_paid:
            if _delayed(order, session):
                _await_payment(order, session)
                return Outcome(order, "awaiting the delayed payment, stock held")
            return Outcome(order, f"not paid yet ({session.status}, {session.payment_status})")
        if order.status not in {Order.Status.PENDING, Order.Status.AWAITING_PAYMENT} and not (
            order.status in Order.CLOSED_STATES and order.payment_session_id == session.id
        ):
            # Already fulfilled, refunded before it completed, disputed, or flagged: nothing more to do.
            _learn_promotion_code(order, session)
            return Outcome(order, f"already {order.status}")
        order.payment_intent_id = session.payment_intent
        order.shipping_address = session.shipping_address or order.shipping_address
        order.discount = from_minor_units(session.amount_discount, order.currency)
        order.promotion_code = session.promotion_code
        order.tax = from_minor_units(session.amount_tax, order.currency)
        paid_fields = ["payment_intent_id", "shipping_address", "discount", "promotion_code", "tax"]
        if not order.email and session.email:  # a guest's "Buy now": the address they gave Stripe's page
            order.email = session.email
            paid_fields.append("email")
        chosen = _chosen_shipping(order, session)
        if chosen is not None:
            # The order costs what the buyer chose on the payment page, no longer its preselected choice.
            order.shipping = Decimal(chosen["amount"])
            order.total = order.subtotal + order.shipping + (order.tax if order.tax_behavior == "exclusive" else 0)
            order.shipping_method = chosen["name"]
            order.shipping_rate_id = session.shipping_rate
            paid_fields += ["shipping", "total", "shipping_method", "shipping_rate_id"]
        if problem := _payment_problem(order, session, chosen):
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
        note = f"Payment {session.payment_intent} confirmed" if session.payment_intent else "Nothing to pay"
        _mark_paid(order, note=note, update_fields=paid_fields)
    _log_paid(order)
    return Outcome(order, "fulfilled")


def _delayed(order: Order, session: PaymentSession) -> bool:
    """Stripe completes a checkout paid by a delayed method (SEPA debit, bank transfer) with payment_status
    "unpaid", and says later whether the money came (checkout.session.async_payment_succeeded or _failed)."""
    return (
        session.status == "complete"
        and session.payment_status == "unpaid"
        and order.status == Order.Status.PENDING
        and session.id == order.payment_session_id
    )


def _await_payment(order: Order, session: PaymentSession) -> None:
    """The order waits, its stock held past the checkout's expiry (lapsed holds are pending orders only);
    nothing is handed over and no receipt goes out until the payment clears."""
    order.payment_intent_id = session.payment_intent
    order.shipping_address = session.shipping_address or order.shipping_address
    order.email = order.email or session.email
    lifecycle.transition(
        order,
        Order.Status.AWAITING_PAYMENT,
        note=f"Delayed payment {session.payment_intent} started; waiting for it to clear",
        update_fields=["payment_intent_id", "shipping_address", "email"],
    )


def fulfil_free(order: Order) -> Outcome:
    """An order that costs nothing: fulfilled at once, without the payment provider (which refuses a charge
    below its minimum)."""
    with transaction.atomic():
        locked = _locked(order.number)
        if locked is None:  # deleted meanwhile: nothing to fulfil
            return Outcome(None, f"no order {order.number!r}")
        if locked.status != Order.Status.PENDING or locked.amount_paid != 0:
            return Outcome(locked, f"already {locked.status}")
        _mark_paid(locked, note="Nothing to pay", update_fields=[])
    _log_paid(locked)
    return Outcome(locked, "fulfilled")


def _mark_paid(order: Order, *, note: str, update_fields: Sequence[str]) -> None:
    if not order.stock_reserved:
        _retake_stock(order)
    order.paid_at = timezone.now()
    # The reservation becomes the sale: the units are gone for good, so nothing may release them.
    order.stock_reserved = False
    lifecycle.transition(
        order, Order.Status.PAID, note=note, update_fields=["paid_at", "stock_reserved", *update_fields]
    )
    _claim_early_news(order)
    money_back = _money_back_state(order)
    if money_back in {Order.Status.REFUNDED, Order.Status.DISPUTED}:
        _settle(order, note="Refunded or disputed before the payment was confirmed")
        return
    _hand_over(order)
    notifications.queue(order, notifications.Kind.RECEIPT)
    notifications.queue(order, notifications.Kind.OWNER_NEW_ORDER)
    if not order.has_physical_lines:
        lifecycle.transition(order, Order.Status.COMPLETED, note="Digital order: delivered at payment")
    if money_back:
        _settle(order, note="Partly refunded before the payment was confirmed")


def _claim_early_news(order: Order) -> None:
    """Refunds and disputes that came before the completion event waited, order-less, for it; they decide
    what the order keeps."""
    if not order.payment_intent_id:
        return
    for refund in Refund.objects.filter(order=None, payment_intent_id=order.payment_intent_id):
        refund.order = order
        refund.save(update_fields=["order", "updated_at"])
        if refund.status == Refund.Status.SUCCEEDED:
            notifications.queue(order, notifications.Kind.REFUNDED, data={"refund": refund.pk})
    Dispute.objects.filter(order=None, payment_intent_id=order.payment_intent_id).update(order=order)


def _log_paid(order: Order) -> None:
    if order.paid_at:
        logger.info(
            "Order %s paid: %s %s", order.number, order.amount_paid, order.currency,
            extra={
                "event": "order.paid", "order": order.number, "total": order.total, "discount": order.discount,
                "currency": order.currency,
            },
        )  # fmt: skip


def _learn_promotion_code(order: Order, session: PaymentSession) -> None:
    """The webhook's session names the promotion code by id; a retrieved one carries the code the buyer typed."""
    if (
        order.promotion_code.startswith("promo_")
        and session.promotion_code
        and session.payment_intent == (order.payment_intent_id)
    ):
        order.promotion_code = session.promotion_code
        order.save(update_fields=["promotion_code", "updated_at"])


def _chosen_shipping(order: Order, session: PaymentSession) -> dict[str, Any] | None:
    """The offered shipping choice the buyer took, found by the session's shipping amount (and the rate's name
    when the session came with it expanded; the webhook's names only its id). None when the session charged
    shipping the order never offered."""
    offered = order.offered_shipping
    nothing = {"name": "", "amount": "0"}
    if session.shipping_amount is None:  # the session reports no shipping: the order's preselected choice
        return offered[0] if offered else nothing
    if not offered:
        return nothing if session.shipping_amount == 0 else None
    matches = [
        choice
        for choice in offered
        if to_minor_units(Decimal(choice["amount"]), order.currency) == session.shipping_amount
    ]
    named = [choice for choice in matches if choice["name"] == session.shipping_name]
    return next(iter(named or matches), None)


def _payment_problem(order: Order, session: PaymentSession, chosen: dict[str, Any] | None) -> str:
    if session.id != order.payment_session_id:
        return f"paid through an older checkout ({session.id}) after the cart changed"
    if chosen is None:
        offered = ", ".join(choice["amount"] for choice in order.offered_shipping) or "none"
        return (
            f"shipping mismatch: paid {session.shipping_amount} {session.currency} for shipping, "
            f"the order offered {offered} {order.currency}"
        )
    # Stripe takes a promotion code's discount off the items; the payment must be the rest, to the cent.
    subtotal = to_minor_units(order.subtotal, order.currency)
    expected = subtotal + to_minor_units(order.shipping, order.currency) - session.amount_discount
    if order.tax_behavior == "exclusive":  # Stripe Tax added it on top; inclusive tax is inside the prices
        expected += session.amount_tax
    if session.currency != order.currency or session.amount_total != expected or session.amount_discount > subtotal:
        discount = f" after a discount of {session.amount_discount}" if session.amount_discount else ""
        return (
            f"amount mismatch: paid {session.amount_total} {session.currency}, "
            f"order total is {expected} {order.currency}{discount}"
        )
    return ""


def _retake_stock(order: Order) -> None:
    """A late payment for a checkout whose hold already lapsed: take the units again if they are there.
    If not, the sale still stands (the money is in) and the owner must sort it out."""
    for line in order.lines.filter(is_digital=False, product__isnull=False):
        if not inventory.reserve(line.product_id, line.quantity):
            logger.error("Order %s was paid after its hold lapsed; %s is oversold", order.number, line.sku)


def _hand_over(order: Order) -> None:
    """Download grants for digital lines and membership groups for the buyer."""
    site_settings = SiteSettings.for_default_site()
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


def grant_memberships(order: Order) -> None:
    """The membership groups of an order that joined its buyer's account after it was paid (a guest order
    claimed by a verified address): those of its lines still paid for, and only while the order grants access."""
    if order.grants_access:
        _add_memberships(order, [line for line in order.lines.select_related("product") if not line.refunded])


def _add_memberships(order: Order, lines: Iterable[OrderLine]) -> None:
    groups = {
        line.product.membership_group_id
        for line in lines
        if line.is_digital and line.product and line.product.membership_group_id
    }
    if groups and order.user is not None:
        order.user.groups.add(*groups)


def _remove_memberships(order: Order, lines: Iterable[OrderLine]) -> None:
    groups = [line.product.membership_group_id for line in lines if line.product and line.product.membership_group_id]
    if groups and order.user is not None:
        order.user.groups.remove(*groups)


def expire(session_id: str, gateway: Gateway | None = None) -> Outcome:
    gateway = _configured(gateway)
    return expire_session(gateway.retrieve_session(session_id) or _unknown(session_id))


def expire_session(session: PaymentSession) -> Outcome:
    """The payment page expired: release the stock once."""
    order = Order.objects.filter(number=session.order_number).first() if session.order_number else None
    if order is None:
        return Outcome(None, f"no order for session {session.id}")
    if order.payment_session_id != session.id:
        return Outcome(order, "an older checkout of this order expired; the current one is unaffected")
    released = expire_order(order)
    if recovery.record_abandonment(
        order, email=session.email or order.email, promotions_consent=session.promotions_consent
    ):
        return Outcome(order, "expired, stock released, reminder due" if released else "abandoned, reminder due")
    return Outcome(order, "expired, stock released" if released else f"already {order.status}")


def fail_session(session: PaymentSession) -> Outcome:
    """The delayed payment failed: release the stock once and tell the owner."""
    order = Order.objects.filter(number=session.order_number).first() if session.order_number else None
    if order is None:
        return Outcome(None, f"no order for session {session.id}")
    closed = expire_order(order, status=Order.Status.FAILED)
    if closed:
        notifications.queue(
            order, notifications.Kind.OWNER_PAYMENT_PROBLEM, data={"problem": "the delayed payment failed"}
        )
    return Outcome(order, "payment failed, stock released" if closed else f"already {order.status}")


def _configured(gateway: Gateway | None) -> Gateway:
    """The gateway given, else the configured one; PaymentProviderError when there is none."""
    gateway = gateway or get_gateway()
    if gateway is None:
        raise PaymentProviderError("No payment provider is configured.")
    return gateway


def _unknown(session_id: str) -> PaymentSession:
    return PaymentSession(
        id=session_id, url="", status="", payment_status="", amount_total=0, currency="", order_number="",
        payment_intent="",
    )  # fmt: skip


def _locked_for_payment(payment_intent: str) -> Order | None:
    """The order a payment belongs to, locked; None while its checkout's completion has not arrived."""
    if not payment_intent:
        return None
    return Order.objects.select_for_update().filter(payment_intent_id=payment_intent).first()


# The order of a refund's states: an older event (pending) never overwrites a newer one (succeeded, failed).
_REFUND_PROGRESS = {"pending": 0, "requires_action": 0, "succeeded": 1, "failed": 2, "canceled": 2}


def record_settled_refund(sender: type, *, signal: Signal, **refund: Any) -> Outcome:
    """The receiver of gateway.refund_settled: a gateway's own news of a refund, entered as Stripe's is. (A signal
    also sends itself as `signal`, which record_refund does not take.)"""
    return record_refund(**refund)


def record_refund(
    *,
    refund_id: str,
    payment_intent: str,
    amount_minor: int,
    currency: str,
    line_ids: Iterable[int] = (),
    status: str = "succeeded",
    failure_reason: str = "",
) -> Outcome:
    """One refund's news from the provider (refund.created, refund.updated, refund.failed), entered in the
    ledger under its refund id. Only a succeeded refund counts: then its lines (all of them once the whole
    payment is back) lose their downloads and memberships; a refund that fails after it counted gives them back."""
    with transaction.atomic():
        order = _locked_for_payment(payment_intent)
        refund = Refund.objects.select_for_update().filter(refund_id=refund_id).first()
        if refund is None:
            refund = Refund(refund_id=refund_id, payment_intent_id=payment_intent, status="")
        before = refund.status
        if before and _REFUND_PROGRESS.get(status, 0) < _REFUND_PROGRESS.get(before, 0):
            return Outcome(order, f"refund {refund_id} is already {before}; this {status} news is older")
        if before == status and refund.order_id == (order.pk if order else None):
            return Outcome(order, f"refund {refund_id} already recorded as {status}")
        refund.order = order
        refund.amount = from_minor_units(amount_minor, currency)
        refund.status = status
        refund.failure_reason = failure_reason or ""
        refund.save()
        if order is None:
            return Outcome(
                None, f"refund {refund_id} ({status}) kept until the order of payment {payment_intent} is known"
            )
        if not refund.lines.exists():
            refund.lines.set(order.lines.filter(pk__in=line_ids))
        _settle(order, note=f"Refund {refund_id} of {refund.amount} {currency.upper()} {status}")
        if status == Refund.Status.SUCCEEDED and before != status:
            notifications.queue(order, notifications.Kind.REFUNDED, data={"refund": refund.pk})
        if status in {Refund.Status.FAILED, Refund.Status.CANCELED} and before == Refund.Status.SUCCEEDED:
            problem = f"refund {refund_id} failed after it was made ({failure_reason or status}); access is restored"
            notifications.queue(order, notifications.Kind.OWNER_PAYMENT_PROBLEM, data={"problem": problem})
    return Outcome(order, f"refund {refund_id} {status} ({order.get_status_display().lower()})")


def record_dispute(
    *, dispute_id: str, payment_intent: str, amount_minor: int, currency: str, status: str, reason: str = ""
) -> Outcome:
    """A chargeback opened, changed or closed: open and lost ones keep the buyer's access away; one won (or an
    inquiry closed) gives it back."""
    with transaction.atomic():
        order = _locked_for_payment(payment_intent)
        dispute, created = Dispute.objects.select_for_update().get_or_create(
            dispute_id=dispute_id,
            defaults={"payment_intent_id": payment_intent, "amount": from_minor_units(amount_minor, currency)},
        )
        before = dispute.status
        dispute.order, dispute.status, dispute.reason = order, status, reason or dispute.reason
        dispute.save()
        if order is None:
            return Outcome(
                None, f"dispute {dispute_id} ({status}) kept until the order of payment {payment_intent} is known"
            )
        _settle(order, note=f"Chargeback {dispute_id} {dispute.get_status_display().lower()}")
        if created or (before != status and not dispute.keeps_access_away):
            problem = (
                "the buyer disputed the payment" if created else f"the dispute closed: {dispute.get_status_display()}"
            )
            notifications.queue(order, notifications.Kind.OWNER_PAYMENT_PROBLEM, data={"problem": problem})
    return Outcome(order, f"dispute {dispute_id} {status} ({order.get_status_display().lower()})")


def _money_back_state(order: Order) -> Order.Status | None:
    """DISPUTED, REFUNDED, PARTIALLY_REFUNDED as the ledger says, or None when no money has gone back."""
    if order.disputes.exclude(status__in=Dispute.SETTLED_FOR_SHOP).exists():
        return Order.Status.DISPUTED
    refunded = sum((refund.amount for refund in order.refunds.filter(status=Refund.Status.SUCCEEDED)), Decimal("0"))
    if refunded and refunded >= order.amount_paid:
        return Order.Status.REFUNDED
    return Order.Status.PARTIALLY_REFUNDED if refunded else None


def _status_before_money_back(order: Order) -> str:
    """Where an order goes when the money comes back to the shop (a refund failed, a dispute was won)."""
    money_back = {Order.Status.PARTIALLY_REFUNDED, Order.Status.REFUNDED, Order.Status.DISPUTED}
    change = order.status_changes.exclude(to_status__in=money_back).order_by("-created_at", "-pk").first()
    return change.to_status if change else Order.Status.PAID


def _settle(order: Order, *, note: str) -> None:
    """Bring the order in line with its ledger: the amount refunded, which lines are refunded, who may download
    and belong, and its status. Called under the order's lock after any refund or dispute news."""
    succeeded = list(order.refunds.filter(status=Refund.Status.SUCCEEDED).prefetch_related("lines"))
    order.refunded_amount = sum((refund.amount for refund in succeeded), Decimal("0"))
    full = bool(succeeded) and order.refunded_amount >= order.amount_paid
    lines = list(order.lines.select_related("product"))
    refunded_ids = {line.pk for line in lines} if full else {line.pk for r in succeeded for line in r.lines.all()}
    for line in lines:
        if line.refunded != (line.pk in refunded_ids):
            line.refunded = line.pk in refunded_ids
            line.save(update_fields=["refunded"])
    refunded = [line for line in lines if line.refunded]
    kept = [line for line in lines if not line.refunded]
    DownloadGrant.objects.filter(line__in=refunded, revoked_at__isnull=True).update(revoked_at=timezone.now())
    # Only grants a refund took: a refund that failed, or a dispute won, gives back exactly those.
    DownloadGrant.objects.filter(line__in=kept, revoked_at__isnull=False, line__order=order).update(revoked_at=None)
    if full and order.stock_reserved:
        release_stock(order)
    target = _money_back_state(order) or _status_before_money_back(order)
    _remove_memberships(order, refunded if target != Order.Status.DISPUTED else lines)
    fields = ["refunded_amount"]
    changed = target != order.status or target == Order.Status.PARTIALLY_REFUNDED
    if changed and lifecycle.can_transition(order, target):
        lifecycle.transition(order, target, note=note, update_fields=fields)
    else:
        # The money moves whatever the order's state (a cancelled order's refund, for one).
        order.save(update_fields=[*fields, "updated_at"])
        if changed:
            logger.info("Order %s stays %s after %s", order.number, order.status, note)
    if order.grants_access:
        _add_memberships(order, kept)


def check_charge_refunds(*, payment_intent: str, amount_refunded_minor: int, currency: str) -> Outcome:
    """charge.refunded comes with every refund, beside its refund.created: it counts nothing (that would count
    the refund twice) and only says whether the ledger agrees with the charge."""
    order = Order.objects.filter(payment_intent_id=payment_intent).first() if payment_intent else None
    if order is None:
        return Outcome(None, f"no order for payment {payment_intent}")
    charge_says = from_minor_units(amount_refunded_minor, currency)
    live = order.refunds.exclude(status__in=[Refund.Status.FAILED, Refund.Status.CANCELED])
    ledger_says = sum((refund.amount for refund in live), Decimal("0"))
    if charge_says == ledger_says:
        return Outcome(order, f"charge refunds agree with the ledger ({ledger_says})")
    logger.warning(
        "Order %s: the charge shows %s refunded, the ledger %s; its refund events will settle it",
        order.number, charge_says, ledger_says,
        extra={"event": "refund.mismatch", "order": order.number},
    )  # fmt: skip
    return Outcome(
        order, f"the charge shows {charge_says} refunded, the ledger {ledger_says}; waiting for refund events"
    )
