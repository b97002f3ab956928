from checkout.models import Order

from .services import remove_unverified

MONEY_BACK = {Order.Status.REFUNDED, Order.Status.PARTIALLY_REFUNDED}


def take_down_refunded(sender, *, order, to_status, **kwargs):
    """A refund may leave the buyer owning the product no more: their review of it comes down with it."""
    if to_status in MONEY_BACK:
        remove_unverified(order)
