"""Checkout's side of the products app's Stock screen (products.stock_holds): the units unpaid checkouts
hold, the holds themselves, and releasing one. Registered from CheckoutConfig.ready."""

from django.db.models import QuerySet

from products.stock_holds import Outcome, Release

from .. import holds
from ..orders import release_hold
from ..payments.gateway import PaymentProviderError, get_gateway


class CheckoutStockHolds:
    def with_held_units(self, products: QuerySet) -> QuerySet:
        return holds.with_held_units(products)

    def current(self) -> QuerySet:
        return holds.current_holds()

    def release(self, hold_id: int, *, note: str) -> Release:
        order = holds.current_holds().filter(pk=hold_id).first()
        if order is None:
            return Release(Outcome.GONE)
        try:
            released = release_hold(order, get_gateway(), note=note)
        except PaymentProviderError:
            return Release(Outcome.PROVIDER_DOWN, order.number)
        return Release(Outcome.RELEASED if released else Outcome.PAID, order.number)
