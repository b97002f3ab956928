"""Shipping physical lines: parcels with a carrier and a tracking number, delivery, and cancelling an order
before anything has left. Each verb locks the order, checks what it is asked against the order's lines, and
moves the order on through the lifecycle."""

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from products import inventory

from .. import lifecycle
from ..carriers import CARRIERS
from ..exceptions import OrderStateError, TransitionNotAllowed
from ..holds import release_stock
from ..mail import notifications
from ..models import Order, OrderLine, Shipment
from ..payments.gateway import Gateway, PaymentProviderError, get_gateway
from ..payments.refunds import refundable_amount

if TYPE_CHECKING:
    from website.types import AnyUser, User

S = Order.Status


SHIPPABLE_STATES = {S.PAID, S.PARTIALLY_SHIPPED, S.PARTIALLY_REFUNDED}


def _locked(order: Order) -> Order:
    return Order.objects.select_for_update().get(pk=order.pk)


def _waiting_lines(order: Order) -> list[OrderLine]:
    """Physical lines still to send: not in a parcel and not refunded."""
    return [line for line in order.lines.all() if not line.is_digital and not line.refunded and not line.shipment_id]


def ship(
    order: Order,
    lines: Iterable[OrderLine],
    *,
    carrier: str,
    tracking_number: str = "",
    actor: "AnyUser | None" = None,
) -> Shipment:
    """Put `lines` in one parcel. The order is shipped when no physical line is left waiting, else partly shipped."""
    if carrier not in CARRIERS:
        raise OrderStateError(f"Unknown carrier {carrier!r}.")
    wanted = {line.pk for line in lines}
    if not wanted:
        raise OrderStateError("Choose the lines in this parcel.")
    with transaction.atomic():
        order = _locked(order)
        if order.status not in SHIPPABLE_STATES:
            raise OrderStateError(f"A {order.get_status_display().lower()} order cannot be shipped.")
        waiting = {line.pk: line for line in _waiting_lines(order)}
        if not wanted <= waiting.keys():
            raise OrderStateError("Only physical lines that are not shipped or refunded can go in a parcel.")
        target = S.SHIPPED if wanted == waiting.keys() else S.PARTIALLY_SHIPPED
        shipment = Shipment.objects.create(
            order=order, carrier=carrier, tracking_number=tracking_number.strip(), shipped_by=_user(actor)
        )
        order.lines.filter(pk__in=wanted).update(shipment=shipment)
        note = f"{len(wanted)} line(s) with {shipment.carrier_name}"
        if shipment.tracking_number:
            note += f", tracking {shipment.tracking_number}"
        if order.status != target:  # a second parcel of a partly shipped order is not a new state
            lifecycle.transition(order, target, actor=actor, note=note)
        notifications.queue(order, notifications.Kind.SHIPPED, data={"shipment": shipment.pk})
    return shipment


def mark_delivered(order: Order, *, actor: "AnyUser | None" = None, note: str = "") -> Order:
    """Every parcel has arrived."""
    with transaction.atomic():
        order = _locked(order)
        if _waiting_lines(order) or not order.shipments.exists():
            raise OrderStateError("Only an order whose physical lines have all been shipped can be delivered.")
        lifecycle.transition(order, S.DELIVERED, actor=actor, note=note or "All parcels delivered")
        order.shipments.filter(delivered_at__isnull=True).update(delivered_at=timezone.now())
        notifications.queue(order, notifications.Kind.DELIVERED)
    return order


def complete(order: Order, *, actor: "AnyUser | None" = None, note: str = "") -> Order:
    with transaction.atomic():
        order = _locked(order)
        lifecycle.transition(order, S.COMPLETED, actor=actor, note=note)
    return order


def cancel(order: Order, *, actor: "AnyUser | None" = None, note: str = "") -> Order:
    """Cancel an order before anything has shipped: its physical units go back into stock and what is left of the
    payment is refunded through the provider. If the provider refuses, nothing changes."""
    with transaction.atomic():
        order = _locked(order)
        if not lifecycle.can_transition(order, S.CANCELLED):
            raise TransitionNotAllowed(order, S.CANCELLED)
        lines = list(order.lines.all())
        if any(line.shipment_id for line in lines):
            raise OrderStateError("Part of this order has shipped, so it cannot be cancelled; refund lines instead.")
        outstanding = refundable_amount(order)
        unrefunded = [line.pk for line in lines if not line.refunded]
        if order.stock_reserved:
            release_stock(order)  # a flagged order still holds its checkout's reservation
        else:
            for line in lines:
                if not line.is_digital and line.product_id:
                    inventory.release(line.product_id, line.quantity)
        lifecycle.transition(order, S.CANCELLED, actor=actor, note=note or "Cancelled before shipping")
        # Last, so a refusal rolls the cancellation back with it; the refund's outcome arrives as an event.
        if outstanding > 0 and order.payment_intent_id:
            _refund_rest(get_gateway(), order, outstanding, unrefunded)
    return order


def _refund_rest(gateway: Gateway | None, order: Order, amount: Decimal, line_ids: Sequence[int]) -> str:
    if gateway is None:
        raise OrderStateError("Payments are not configured, so the payment cannot be refunded.")
    try:
        return gateway.refund(order, amount, line_ids=line_ids)
    except PaymentProviderError as error:
        raise OrderStateError(str(error)) from error


def _user(actor: "AnyUser | None") -> "User | None":
    return actor if actor is not None and actor.is_authenticated else None
