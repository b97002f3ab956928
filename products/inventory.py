"""Stock moves with single conditional UPDATEs, so two buyers of the last unit cannot both get it:
the database row lock decides, on SQLite and on PostgreSQL alike.

A move empties the page cache only when pages show it: when the stock was or is now STOCK_SHOWN_UP_TO or fewer
(the exact count, "only 3 left", "sold out"). Above that pages say "In stock", so a sale from a full shelf keeps
every cached page and kept page part.
"""

from django.db import transaction
from django.db.models import F

from website.page_cache import invalidate_after_commit

from .models import STOCK_SHOWN_UP_TO, ProductPage


def reserve(product_id: int | None, quantity: int) -> bool:
    """Take units out of stock if that many are there. True when reserved, False when not enough (or when the
    product is gone: an order line keeps None once its page is deleted)."""
    with transaction.atomic():
        taken = ProductPage.objects.filter(pk=product_id, stock__gte=quantity).update(stock=F("stock") - quantity)
        if taken:
            _invalidate_if_shown(product_id, lowest_since=0)
    return taken == 1


def release(product_id: int | None, quantity: int) -> None:
    """Put reserved units back (an expired or failed checkout); a deleted product (None) has nowhere to put them."""
    with transaction.atomic():
        if ProductPage.objects.filter(pk=product_id, stock__isnull=False).update(stock=F("stock") + quantity):
            _invalidate_if_shown(product_id, lowest_since=quantity)


def set_stock(product_id: int, quantity: int) -> None:
    """The owner's count, e.g. after a delivery or a stocktake."""
    if ProductPage.objects.filter(pk=product_id).update(stock=quantity):
        invalidate_after_commit()


def _invalidate_if_shown(product_id: int | None, lowest_since: int) -> None:
    """Empty the page cache (once the transaction commits) when pages show the stock before or after this move.
    Read in the same transaction as the UPDATE, whose row lock keeps other moves out until commit, so `stock` is
    this move's result; it was `stock - lowest_since` at its lowest (a release adds, a reserve takes)."""
    stock = ProductPage.objects.filter(pk=product_id).values_list("stock", flat=True).first()
    if stock is None or stock - lowest_since <= STOCK_SHOWN_UP_TO:
        invalidate_after_commit()
