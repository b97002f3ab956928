"""Star ratings from reviews, as product pages, their JSON-LD and product cards show them.

Reviews are the business of an app above products (reviews: it reads orders to know who bought what), so
products names none of its code: that app registers its Ratings from its AppConfig.ready. Until one is
registered no product has a rating.
"""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Protocol

from django.db.models import DecimalField, IntegerField, QuerySet, Value


@dataclass(frozen=True)
class ShownReview:
    author: str  # a display name only, never an address
    rating: int
    body: str
    published_at: datetime


@dataclass(frozen=True)
class ProductRatings:
    average: Decimal | None = None  # to one decimal place; None when nothing is approved
    count: int = 0  # every approved review
    newest: list[ShownReview] = field(default_factory=list)  # the newest approved ones, at most a page's worth


class Ratings(Protocol):
    def with_ratings(self, products: QuerySet) -> QuerySet:
        """`products` annotated with `rating_average` and `rating_count` (approved reviews), in the same query."""

    def of(self, product) -> ProductRatings:
        """A product page's ratings: average, count and the newest approved reviews."""


class NoRatings:
    def with_ratings(self, products: QuerySet) -> QuerySet:
        return products.annotate(
            rating_average=Value(None, output_field=DecimalField(max_digits=2, decimal_places=1)),
            rating_count=Value(0, output_field=IntegerField()),
        )

    def of(self, product) -> ProductRatings:
        return ProductRatings()


_registered: Ratings = NoRatings()


def register(ratings: Ratings) -> None:
    global _registered
    _registered = ratings


def rating_provider() -> Ratings:
    return _registered
