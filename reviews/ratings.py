"""What products show of their approved reviews, registered with products.ratings from ReviewsConfig.ready."""

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, F, IntegerField, OuterRef, QuerySet, Subquery, Value, Window
from django.db.models.functions import Coalesce

from products.ratings import ProductRatings, ShownReview

from .models import Review

SHOWN = 10  # the newest approved reviews a product page lists; the count names them all


def _one_place(value) -> Decimal | None:
    return None if value is None else Decimal(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


class ReviewRatings:
    def with_ratings(self, products: QuerySet) -> QuerySet:
        approved = Review.objects.filter(product=OuterRef("pk"), status=Review.Status.APPROVED).order_by()
        per_product = approved.values("product")  # one group: the product's own
        return products.annotate(
            rating_average=Subquery(per_product.annotate(value=Avg("rating")).values("value")[:1]),
            rating_count=Coalesce(
                Subquery(per_product.annotate(value=Count("pk")).values("value")[:1]),
                Value(0),
                output_field=IntegerField(),
            ),
        )

    def of(self, product) -> ProductRatings:
        # One query: the newest page of reviews, each row carrying the count and average of all of them.
        rows = list(
            Review.objects.filter(product=product, status=Review.Status.APPROVED)
            .annotate(total=Window(Count("pk")), mean=Window(Avg("rating")))
            .order_by(F("published_at").desc(nulls_last=True), "-pk")[:SHOWN]
        )
        if not rows:
            return ProductRatings()
        return ProductRatings(
            average=_one_place(rows[0].mean),
            count=rows[0].total,
            newest=[
                ShownReview(author=row.author_name, rating=row.rating, body=row.body, published_at=row.published_at)
                for row in rows
            ],
        )
