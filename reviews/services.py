"""The verbs of reviews: who may write one, writing and editing it, moderating it, and taking it down when
the buyer's money for the product has all gone back."""

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone

from checkout.models import Order, OrderLine

from .models import Review, display_name


class AlreadyReviewed(Exception):
    """The buyer has a review of this product already (one per product per buyer)."""


def owns(user, product_id: int) -> bool:
    """Whether `user` bought the product in an order that still gives it to them: paid (or on its way) and not
    refunded for that product. The same test as "you bought this" on the product page."""
    if not user.is_authenticated:
        return False
    return OrderLine.objects.filter(
        order__user=user, order__status__in=Order.ACCESS_STATES, product_id=product_id, refunded=False
    ).exists()


def own_review(user, product_id: int) -> Review | None:
    return Review.objects.filter(user=user, product_id=product_id).first()


def write(*, user, product, rating: int, body: str) -> Review:
    """A new review, pending moderation. AlreadyReviewed when the buyer has one (the database's constraint
    decides, so two tabs at once still make one)."""
    try:
        with transaction.atomic():
            return Review.objects.create(
                user=user, product=product, rating=rating, body=body, author_name=display_name(user)
            )
    except IntegrityError as error:
        raise AlreadyReviewed from error


def edit(review: Review, *, rating: int, body: str) -> Review:
    """The buyer's changes, which go back to the moderators: nothing new is shown before they approve it."""
    review.rating, review.body = rating, body
    review.author_name = display_name(review.user)
    review.status, review.published_at = Review.Status.PENDING, None
    review.save(update_fields=["rating", "body", "author_name", "status", "published_at", "updated_at"])
    return review


def approve(reviews: Iterable[Review]) -> int:
    """Approve these; the ones already approved keep their date. Removed ones stay removed."""
    ids = [review.pk for review in reviews]
    now = timezone.now()
    waiting = Review.objects.filter(pk__in=ids).exclude(status__in=[Review.Status.APPROVED, Review.Status.REMOVED])
    count = 0
    for review in waiting:  # one by one so that each save reaches the page cache's signal and the admin's log
        review.status, review.published_at = Review.Status.APPROVED, now
        review.save(update_fields=["status", "published_at", "updated_at"])
        count += 1
    return count


def reject(reviews: Iterable[Review]) -> int:
    count = 0
    for review in reviews:
        if review.status not in (Review.Status.REJECTED, Review.Status.REMOVED):
            review.status = Review.Status.REJECTED
            review.save(update_fields=["status", "updated_at"])
            count += 1
    return count


def remove_unverified(order: Order) -> int:
    """After money went back on `order`: take down its buyer's reviews of the products they no longer own (a
    full refund; a partial one that refunded the product's line). Another order still giving them the product
    keeps the review. Returns how many were taken down."""
    if order.user_id is None:
        return 0
    product_ids = {line.product_id for line in order.lines.all() if line.product_id is not None}
    reviews = Review.objects.filter(user_id=order.user_id, product_id__in=product_ids).exclude(
        status=Review.Status.REMOVED
    )
    taken = 0
    for review in reviews.select_related("user"):
        if not owns(review.user, review.product_id):
            review.status = Review.Status.REMOVED
            review.removed_note = f"Order {order.number} refunded ({order.get_status_display().lower()})."
            review.save(update_fields=["status", "removed_note", "updated_at"])
            taken += 1
    return taken
