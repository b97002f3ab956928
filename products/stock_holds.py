"""Stock held by unpaid checkouts, as the Stock screen shows it, and how the screen releases a hold.

Holding stock is the business of the app that takes orders, and that app (checkout) sits above products, so
products names none of its code: the app registers its StockHolds from its AppConfig.ready. Until one is
registered nothing is held and there is no hold to release.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from typing import Protocol

from django.db.models import IntegerField, QuerySet, Value


class Outcome(Enum):
    GONE = "gone"  # it holds no stock any more: paid, expired or released already
    RELEASED = "released"  # its payment page is closed and its units are back on sale
    PAID = "paid"  # paid while being released, so it keeps its units
    PROVIDER_DOWN = "provider_down"  # its payment page could not be closed, so the hold stays


@dataclass(frozen=True)
class Release:
    outcome: Outcome
    number: str = ""  # the order's number, for the owner's message


class StockHolds(Protocol):
    def with_held_units(self, products: QuerySet) -> QuerySet:
        """`products` annotated with `held`: the units pending checkouts hold (already out of stock)."""

    def current(self) -> Iterable:
        """The holds, soonest to lapse first. Each has pk, number, email, held_by_ip, created_at, expires_at
        and lines (each with title, quantity, is_digital), as the screen's table shows them."""

    def release(self, hold_id: int, *, note: str) -> Release:
        """Give a hold's stock back at once, closing its payment page first."""


class NoHolds:
    """What the screen shows when no app that takes orders is installed."""

    def with_held_units(self, products: QuerySet) -> QuerySet:
        return products.annotate(held=Value(0, output_field=IntegerField()))

    def current(self) -> list:
        return []

    def release(self, hold_id: int, *, note: str) -> Release:
        return Release(Outcome.GONE)


_registered: StockHolds = NoHolds()


def register(holds: StockHolds) -> None:
    global _registered
    _registered = holds


def stock_holds() -> StockHolds:
    return _registered
