"""Stock moves with single conditional UPDATEs, so two buyers of the last unit cannot both get it:
the database row lock decides, on SQLite and on PostgreSQL alike."""

from django.db.models import F

from website.page_cache import invalidate_after_commit

from .models import ProductPage


def reserve(product_id: int | None, quantity: int) -> bool:
    """Take units out of stock if that many are there. True when reserved, False when not enough (or when the
    product is gone: an order line keeps None once its page is deleted)."""
    taken = ProductPage.objects.filter(pk=product_id, stock__gte=quantity).update(stock=F("stock") - quantity)
    if taken:
        invalidate_after_commit()  # pages show stock ("only 3 left", "sold out")
    return taken == 1


def release(product_id: int | None, quantity: int) -> None:
    """Put reserved units back (an expired or failed checkout); a deleted product (None) has nowhere to put them."""
    if ProductPage.objects.filter(pk=product_id, stock__isnull=False).update(stock=F("stock") + quantity):
        invalidate_after_commit()


def set_stock(product_id: int, quantity: int) -> None:
    """The owner's count, e.g. after a delivery or a stocktake."""
    if ProductPage.objects.filter(pk=product_id).update(stock=quantity):
        invalidate_after_commit()
