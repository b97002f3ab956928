"""What a signed-in shopper bought: their orders, the files those orders earned, and each download."""

from collections.abc import Iterable

from django.db.models import QuerySet

from checkout.models import DownloadGrant, DownloadLog, Order, OrderLine

from .models import User

# Checkouts that never became a purchase are noise in an order history.
UNPLACED_STATES = [Order.Status.PENDING, Order.Status.EXPIRED, Order.Status.FAILED]


def orders_for(user: User) -> QuerySet[Order]:
    return (
        Order.objects.filter(user=user)
        .exclude(status__in=UNPLACED_STATES)
        .prefetch_related("lines")
        .order_by("-created_at")
    )


def order_for(user: User, number: str) -> Order | None:
    """The user's own order with its lines; another person's order is simply not found."""
    return Order.objects.filter(user=user, number=number).prefetch_related("lines", *Order.PROGRESS_PREFETCH).first()


def grants_for(user: User) -> QuerySet[DownloadGrant]:
    """Every file the user's orders earned, newest first, with what the downloads page shows."""
    return (
        DownloadGrant.objects.filter(line__order__user=user)
        .exclude(line__order__status__in=UNPLACED_STATES)
        .select_related("line__order", "line__product", "document")
        .order_by("-created_at", "-pk")
    )


def download_history(user: User) -> QuerySet[DownloadLog]:
    return (
        DownloadLog.objects.filter(grant__line__order__user=user)
        .select_related("grant__document", "grant__line__order")
        .order_by("-created_at", "-pk")
    )


def last_purchases_of(user: User, product_ids: Iterable[int]) -> dict[int, Order]:
    """Of these products, the ones the user owns, each with the most recent order that gives it to them (for
    "you own this"): one query, whatever the number of products."""
    lines = (
        OrderLine.objects.filter(
            order__user=user, order__status__in=Order.ACCESS_STATES, product_id__in=product_ids, refunded=False
        )
        .select_related("order")
        .order_by("-order__created_at", "-pk")
    )
    latest: dict[int, Order] = {}
    for line in lines:
        if line.product_id is not None:  # filtered on it; the column itself may be null (a deleted product)
            latest.setdefault(line.product_id, line.order)
    return latest
