"""Refunds the owner starts from the admin. The provider is asked for the money back; the order changes only
when the provider confirms it (Stripe's refund webhook), or at once with the local test gateway, which sends
no webhooks."""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from wagtail.log_actions import log

from website.money import format_money, quantize

from ..models import Order, OrderLine, Refund
from .gateway import PaymentProviderError, get_gateway

if TYPE_CHECKING:
    from website.types import AnyUser

# Money can be given back while the buyer holds what they paid for, shipped or not.
REFUNDABLE_STATES = Order.ACCESS_STATES


class RefundError(Exception):
    """A refund that cannot be made; the message is safe to show the owner."""


@dataclass(frozen=True)
class RefundRequest:
    refund_id: str
    amount: Decimal
    # True when the order already shows the refund; False while the provider's confirmation is awaited.
    applied: bool


def check_refund(order: Order, lines: Iterable[OrderLine]) -> tuple[list[OrderLine], Decimal]:
    """The lines, read afresh and in order, and the amount refunding them gives back: their totals, plus
    shipping when they are the last unrefunded lines. Raises RefundError when they cannot be refunded."""
    if order.status not in REFUNDABLE_STATES:
        raise RefundError(f"Only paid orders can be refunded; this one is {order.get_status_display().lower()}.")
    if not order.payment_intent_id:
        raise RefundError("This order has no payment to refund.")
    wanted = {line.pk for line in lines}
    if not wanted:
        raise RefundError("Choose at least one line to refund.")
    # Read the lines again: the owner's page may predate a refund that the webhook has recorded since.
    order_lines = list(order.lines.all())
    chosen = [line for line in order_lines if line.pk in wanted]
    if len(chosen) != len(wanted):
        raise RefundError("Some of those lines are not part of this order.")
    if refunded := [line.title for line in chosen if line.refunded]:
        raise RefundError(f"Already refunded: {', '.join(refunded)}.")
    if pending := [line.title for line in chosen if line.pk in _lines_being_refunded(order)]:
        raise RefundError(f"A refund of {', '.join(pending)} is still pending at the payment provider.")
    outstanding = refundable_amount(order)
    amount = sum((line.line_total for line in chosen), Decimal("0"))
    if order.discount:
        # The buyer paid less than the list prices: each line gives back its share of what was paid.
        amount = quantize(amount * order.amount_paid / order.total, order.currency)
    if all(line.refunded or line.pk in wanted for line in order_lines):
        # The last lines: the rest of the payment, shipping included, and never more than is left of it.
        amount = min(amount + order.shipping, outstanding)
    if amount <= 0:
        raise RefundError("Those lines cost nothing, so there is nothing to refund.")
    if amount > outstanding:
        left = format_money(outstanding, order.currency)
        raise RefundError(f"That is more than is left to refund on this order ({left}).")
    return chosen, amount


def refundable_amount(order: Order) -> Decimal:
    """What is left of the payment once every refund not failed (pending ones too) is taken off."""
    live = order.refunds.exclude(status__in=[Refund.Status.FAILED, Refund.Status.CANCELED])
    return order.amount_paid - sum((refund.amount for refund in live), Decimal("0"))


def _lines_being_refunded(order: Order) -> set[int | None]:
    pending = order.refunds.filter(status__in=[Refund.Status.PENDING, Refund.Status.REQUIRES_ACTION])
    return set(pending.values_list("lines", flat=True))


def request_refund(order: Order, lines: Iterable[OrderLine], *, user: "AnyUser | None" = None) -> RefundRequest:
    """Ask the payment provider to refund `lines` (OrderLines of `order` not refunded yet), noting in the
    order's admin log who asked. Raises RefundError, having changed nothing, when the order or the lines
    cannot be refunded or the provider refuses."""
    lines, amount = check_refund(order, lines)
    gateway = get_gateway()
    if gateway is None:
        raise RefundError("Payments are not configured, so nothing can be refunded.")
    line_ids = [line.pk for line in lines]
    try:
        refund_id = gateway.refund(order, amount, line_ids=line_ids)
    except PaymentProviderError as error:
        raise RefundError(str(error)) from error
    log(
        instance=order,
        action="pagecart.refund_requested",
        data={"refund_id": refund_id, "amount": str(amount), "currency": order.currency, "lines": line_ids},
        user=user,
    )
    return RefundRequest(refund_id=refund_id, amount=amount, applied=gateway.settles_refunds_at_once)
