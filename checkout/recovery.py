"""Abandoned-checkout recovery, with consent.

With CHECKOUT_RECOVERY on, Stripe's payment page asks the buyer whether they want promotional email
(consent_collection.promotions "auto"). When a checkout expires unpaid and its signed checkout.session.expired event
says the buyer opted in, the order is recorded as abandoned. The scheduler's `send_checkout_reminders` job then
sends one email, CHECKOUT_RECOVERY_DELAY seconds later (never for one older than CHECKOUT_RECOVERY_MAX_AGE, and
never when that order or a later one from the same address was paid), with a signed link that expires after
CHECKOUT_RECOVERY_LINK_DAYS and puts the order's items back in the visitor's cart.

Exactly once under two schedulers or a retry: each reminder is sent inside a transaction holding its row
(select_for_update, skip_locked where the database has it) and the row leaves WAITING in that transaction; a mail
server that refuses rolls the transaction back, so the next run tries again."""

import logging
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from .cart import Cart, purchasable_products
from .exceptions import CartError
from .mail.emails import build_message, site_context
from .models import AbandonedCheckout, Order

logger = logging.getLogger(__name__)

LINK_SALT = "checkout.recovery"
PAID_STATES = Order.ACCESS_STATES | {
    Order.Status.AWAITING_PAYMENT,
    Order.Status.REFUNDED,
    Order.Status.DISPUTED,
    Order.Status.REVIEW,
}


class BadRecoveryLink(Exception):
    """The link was altered, has expired, or names no abandoned checkout; the message is safe to show."""


def record_abandonment(order: Order, *, email: str, promotions_consent: str) -> bool:
    """Remember an expired checkout for a reminder, when recovery is on and the buyer opted in. True if recorded."""
    if not settings.CHECKOUT_RECOVERY or promotions_consent != "opt_in" or not email:
        return False
    order.refresh_from_db(fields=["status"])
    if order.status != Order.Status.EXPIRED:  # paid after all, or closed for another reason
        return False
    _recovery, created = AbandonedCheckout.objects.get_or_create(order=order, defaults={"email": email})
    return created


def _paid_since(abandoned: AbandonedCheckout) -> bool:
    """Whether the order, or one placed after it from the same address, has been paid."""
    return Order.objects.filter(
        email__iexact=abandoned.email, created_at__gte=abandoned.order.created_at, status__in=PAID_STATES
    ).exists()


def link_for(abandoned: AbandonedCheckout) -> str:
    return reverse("checkout:restore_cart", args=[signing.dumps(abandoned.pk, salt=LINK_SALT, compress=True)])


def _send_reminder(abandoned: AbandonedCheckout) -> None:
    """Raises what the mail server raises, so the caller's transaction rolls back."""
    order = abandoned.order
    _site_settings, root_url = site_context()
    message = build_message(
        order,
        to=abandoned.email,
        subject="You left something in your {brand} cart",
        template="checkout_reminder",
        context={
            "lines": list(order.lines.all()),
            "restore_url": root_url + link_for(abandoned),
            "link_days": settings.CHECKOUT_RECOVERY_LINK_DAYS,
        },
    )
    message.send()


@dataclass
class ReminderRun:
    sent: list[str] = field(default_factory=list)  # order numbers
    skipped: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def send_due_reminders(*, now=None) -> ReminderRun:
    """Send each reminder that is due, once."""
    now = now or timezone.now()
    run = ReminderRun()
    due = AbandonedCheckout.objects.filter(
        state=AbandonedCheckout.State.WAITING,
        abandoned_at__lte=now - timedelta(seconds=settings.CHECKOUT_RECOVERY_DELAY),
    )
    for pk in list(due.values_list("pk", flat=True)):
        try:
            with transaction.atomic():
                locked = due.filter(pk=pk).select_for_update(
                    skip_locked=connection.features.has_select_for_update_skip_locked
                )
                abandoned = locked.select_related("order").first()
                if abandoned is None:  # another scheduler has it, or has sent it
                    continue
                too_old = abandoned.abandoned_at < now - timedelta(seconds=settings.CHECKOUT_RECOVERY_MAX_AGE)
                if too_old or _paid_since(abandoned):
                    abandoned.state = AbandonedCheckout.State.SKIPPED
                    abandoned.save(update_fields=["state"])
                    run.skipped.append(abandoned.order.number)
                    continue
                abandoned.state = AbandonedCheckout.State.SENT
                abandoned.reminded_at = now
                abandoned.save(update_fields=["state", "reminded_at"])
                _send_reminder(abandoned)  # inside: a refusal rolls the state back to WAITING
                run.sent.append(abandoned.order.number)
        except Exception:
            logger.exception("The checkout reminder for abandoned checkout %s could not be sent; retried next run", pk)
            run.failed.append(str(pk))
    return run


@dataclass(frozen=True)
class Restored:
    added: list[str]  # titles
    dropped: list[str]  # titles no longer for sale, with why


def abandoned_from_link(token: str) -> AbandonedCheckout:
    try:
        pk = signing.loads(token, salt=LINK_SALT, max_age=timedelta(days=settings.CHECKOUT_RECOVERY_LINK_DAYS))
    except signing.SignatureExpired as error:
        raise BadRecoveryLink("This link to your cart has expired.") from error
    except signing.BadSignature as error:
        raise BadRecoveryLink("This link to your cart is not valid. Check that it was copied whole.") from error
    abandoned = AbandonedCheckout.objects.select_related("order").filter(pk=pk).first()
    if abandoned is None:
        raise BadRecoveryLink("This link to your cart is not valid any more.")
    return abandoned


def restore(abandoned: AbandonedCheckout, cart: Cart) -> Restored:
    """Put the abandoned order's items in the cart (beside what it holds, up to the order's quantities); items no
    longer for sale are left out."""
    added, dropped = [], []
    lines = list(abandoned.order.lines.all())
    for_sale = purchasable_products().in_bulk([line.product_id for line in lines if line.product_id])
    in_cart = {cart_line.product.pk: cart_line.quantity for cart_line in cart.lines}
    for line in lines:
        product = for_sale.get(line.product_id)
        if product is None:
            dropped.append(f"{line.title} is no longer for sale.")
            continue
        missing = line.quantity - in_cart.get(product.pk, 0)  # a second click adds nothing more
        try:
            if missing > 0:
                cart.add(product, missing)
        except CartError as error:
            dropped.append(str(error))
            continue
        added.append(product.title)
    AbandonedCheckout.objects.filter(pk=abandoned.pk, restored_at=None).update(restored_at=timezone.now())
    return Restored(added=added, dropped=dropped)
