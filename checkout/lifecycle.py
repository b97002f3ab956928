"""The order's states and the only steps between them. Every status change goes through `transition`, which
refuses a step the table does not allow (raising TransitionNotAllowed, having changed nothing) and records each
step it makes in the order's history with its time, actor and note.

Callers hold the order's row lock (or a transaction that serialises writers) around reading and changing it."""

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.dispatch import Signal
from django.utils import timezone

from .exceptions import TransitionNotAllowed
from .models import Order, OrderStatusChange

if TYPE_CHECKING:
    from website.types import AnyUser

S = Order.Status

# Sent after every step, inside the caller's transaction, with `order` (saved in its new state), `from_status`
# and `to_status`: apps above checkout (reviews) follow an order's refunds from it without checkout naming them.
order_status_changed = Signal()

# Refunds and chargebacks can arrive whenever money has been taken, so most states may go to them.
_MONEY_BACK = {S.PARTIALLY_REFUNDED, S.REFUNDED, S.DISPUTED}
_RESTORED = {S.PAID, S.PARTIALLY_SHIPPED, S.SHIPPED, S.DELIVERED, S.COMPLETED}

ALLOWED_TRANSITIONS: dict[str, set[Order.Status]] = {
    # A refund can beat the completion event, and a late payment can revive a lapsed checkout.
    S.PENDING: {S.PAID, S.REVIEW, S.FAILED, S.EXPIRED, S.AWAITING_PAYMENT} | _MONEY_BACK,
    # A delayed payment (SEPA debit, bank transfer) either clears or fails; no money has moved before it does.
    S.AWAITING_PAYMENT: {S.PAID, S.REVIEW, S.FAILED},
    S.FAILED: {S.PAID, S.REVIEW} | _MONEY_BACK,
    S.EXPIRED: {S.PAID, S.REVIEW} | _MONEY_BACK,
    S.REVIEW: {S.CANCELLED} | _MONEY_BACK,
    # Digital-only orders complete at once; physical ones wait for shipping.
    S.PAID: {S.COMPLETED, S.PARTIALLY_SHIPPED, S.SHIPPED, S.CANCELLED} | _MONEY_BACK,
    S.PARTIALLY_REFUNDED: {S.CANCELLED} | _RESTORED | _MONEY_BACK,
    S.PARTIALLY_SHIPPED: {S.SHIPPED} | _MONEY_BACK,
    S.SHIPPED: {S.DELIVERED} | _MONEY_BACK,
    S.DELIVERED: {S.COMPLETED} | _MONEY_BACK,
    S.COMPLETED: set(_MONEY_BACK),
    # A dispute won, or a refund that failed after it counted, puts the order back where it was.
    S.DISPUTED: {S.PARTIALLY_REFUNDED, S.REFUNDED} | _RESTORED,
    S.REFUNDED: {S.PARTIALLY_REFUNDED, S.DISPUTED} | _RESTORED,
    S.CANCELLED: set(),
}
# Partly refunded may go to partly refunded: a second partial refund is a step of its own in the history.


def can_transition(order: Order, to_status: str) -> bool:
    return to_status in ALLOWED_TRANSITIONS[order.status]


def transition(
    order: Order,
    to_status: str,
    *,
    actor: "AnyUser | None" = None,
    note: str = "",
    update_fields: Iterable[str] = (),
) -> OrderStatusChange:
    """Move `order` to `to_status`, saving it (with `update_fields` the caller changed too) and its history."""
    if not can_transition(order, to_status):
        raise TransitionNotAllowed(order, to_status)
    change = OrderStatusChange(
        order=order,
        from_status=order.status,
        to_status=to_status,
        actor=actor if actor is not None and actor.is_authenticated else None,
        note=note[:300],
        created_at=timezone.now(),
    )
    order.status = to_status
    order.save(update_fields=["status", "updated_at", *update_fields])
    change.save()
    order_status_changed.send(sender=Order, order=order, from_status=change.from_status, to_status=to_status)
    return change
