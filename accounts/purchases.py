"""What a signed-in shopper bought: their orders, the files those orders earned, and each download."""

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from checkout.models import DownloadGrant, DownloadLog, Order
from products.models import ProductPage

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


def last_purchase_of(user: User | AnonymousUser, product: ProductPage) -> Order | None:
    """The user's most recent order that gives them this product, if any (for "you own this")."""
    if not user.is_authenticated or product.pk is None:  # a new page's preview: nobody has bought it yet
        return None
    return (
        Order.objects.filter(user=user, status__in=Order.ACCESS_STATES, lines__product=product, lines__refunded=False)
        .order_by("-created_at")
        .first()
    )
