"""Stock held by unpaid checkouts: reserving it, giving it back exactly once, closing a checkout that will not
be paid, and the caps that keep anyone from holding it all: one browser, one address and one email may each
hold only so many physical units at a time. Without them a script could
start checkouts for every unit in stock and leave every other shopper looking at "sold out" for half an hour.
"""

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from products import inventory

from . import lifecycle
from .exceptions import CartError
from .models import Order, OrderLine


def current_holds() -> QuerySet[Order]:
    """Pending orders holding physical stock, the soonest to lapse first, with their lines."""
    physical = OrderLine.objects.filter(is_digital=False).values("order_id")
    return (
        Order.objects.filter(status=Order.Status.PENDING, stock_reserved=True, pk__in=physical)
        .prefetch_related("lines")
        .order_by("expires_at", "pk")
    )


def with_held_units(products: QuerySet) -> QuerySet:
    """Product pages annotated with `held`: the units pending checkouts and delayed payments on their way hold
    (already out of their stock), counted in the same query as the pages. Only pending checkouts are listed to
    release (current_holds): a debit on its way is the buyer's."""
    waiting = [Order.Status.PENDING, Order.Status.AWAITING_PAYMENT]
    held = Q(order_lines__order__status__in=waiting, order_lines__order__stock_reserved=True)
    return products.annotate(held=Coalesce(Sum("order_lines__quantity", filter=held), 0))


def lapsed_holds() -> QuerySet[Order]:
    return current_holds().filter(expires_at__lte=timezone.now())


def _held_units(owner: Q, *, excluding: int | None) -> int:
    lines = OrderLine.objects.filter(
        is_digital=False,
        order__status=Order.Status.PENDING,
        order__stock_reserved=True,
        order__expires_at__gt=timezone.now(),
    ).filter(owner)
    if excluding is not None:
        lines = lines.exclude(order_id=excluding)
    return lines.aggregate(units=Sum("quantity"))["units"] or 0


def check_caps(units: int, *, email: str, session_key: str, ip: str | None, excluding: int | None = None) -> None:
    """Raise CartError, with what to do, when holding `units` more would take the browser, address or email
    past its cap. `excluding` is the order this checkout replaces, whose units go back first."""
    if not units:
        return  # digital items hold nothing
    caps = [
        (
            settings.CHECKOUT_HOLD_UNITS_PER_EMAIL,
            Q(order__email__iexact=email) if email else None,
            "for one email address",
        ),
        (settings.CHECKOUT_HOLD_UNITS_PER_SESSION, Q(order__held_by_session=session_key) if session_key else None, ""),
        (settings.CHECKOUT_HOLD_UNITS_PER_IP, Q(order__held_by_ip=ip) if ip else None, "from one network"),
    ]
    for cap, owner, whose in caps:
        held = _held_units(owner, excluding=excluding) if owner is not None else 0
        if held + units > cap:
            already = f" ({held} already held by checkouts not yet paid)" if held else ""
            raise CartError(
                f"To keep stock fair for every shopper, checkouts {whose or 'in one browser'} can hold at most "
                f"{cap} items at a time{already}. Lower the quantities in your cart, or finish paying for your "
                "other checkout first."
            )


def release_stock(order: Order) -> bool:
    """Give back the units an order holds, once: the flag flips in the same UPDATE that guards it."""
    with transaction.atomic():
        if not Order.objects.filter(pk=order.pk, stock_reserved=True).update(stock_reserved=False):
            return False
        for line in order.lines.filter(is_digital=False, product__isnull=False):
            inventory.release(line.product_id, line.quantity)
    order.stock_reserved = False
    return True


def reserve_stock(order: Order) -> None:
    """Hold every physical unit or none (the transaction rolls the partial holds back)."""
    for line in order.lines.filter(is_digital=False):
        if not inventory.reserve(line.product_id, line.quantity):
            raise CartError(f"Sorry, {line.title} sold out while you were shopping. Your cart has been updated.")
    Order.objects.filter(pk=order.pk).update(stock_reserved=True)
    order.stock_reserved = True


def expire_order(order: Order, status: str = Order.Status.EXPIRED, *, note: str = "") -> bool:
    """A checkout that will not be paid: close it and release its stock exactly once. A delayed payment that is
    on its way keeps its stock until it fails (status FAILED)."""
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        awaiting = locked.status == Order.Status.AWAITING_PAYMENT
        closed = locked.status == Order.Status.PENDING or (awaiting and status == Order.Status.FAILED)
        if closed:
            default_note = "Checkout expired" if status == Order.Status.EXPIRED else "Payment failed"
            lifecycle.transition(locked, status, note=note or default_note)
        if closed or not awaiting:
            release_stock(order)
    if closed:
        order.status = status
    return closed
