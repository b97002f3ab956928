import pytest

from django.contrib.auth.models import AnonymousUser

from accounts.factories import UserFactory
from checkout.models import Order
from checkout.payments.fulfilment import record_refund
from reviews import services
from reviews.factories import ReviewFactory
from reviews.models import Review, display_name

from .conftest import paid_order

pytestmark = pytest.mark.django_db


def refund(order, cents, *, lines=(), refund_id="re_1"):
    record_refund(
        refund_id=refund_id,
        payment_intent=order.payment_intent_id,
        amount_minor=cents,
        currency="usd",
        line_ids=[line.pk for line in lines],
    )


def test_only_a_signed_in_buyer_with_a_paid_order_owns_a_product(buyer, product):
    assert services.owns(buyer, product.pk)
    assert not services.owns(AnonymousUser(), product.pk)
    assert not services.owns(UserFactory(), product.pk)
    stranger = UserFactory()
    unpaid = paid_order(stranger, product, number="PENDING1")
    Order.objects.filter(pk=unpaid.pk).update(status=Order.Status.PENDING)
    assert not services.owns(stranger, product.pk)  # an unpaid checkout is no purchase


def test_a_buyer_writes_one_review_per_product_and_the_database_refuses_a_second(buyer, product):
    review = services.write(user=buyer, product=product, rating=4, body="Clear maps.")

    assert (review.status, review.author_name, review.published_at) == (Review.Status.PENDING, "Ada S.", None)
    with pytest.raises(services.AlreadyReviewed):
        services.write(user=buyer, product=product, rating=5, body="Again.")
    assert Review.objects.count() == 1


def test_the_database_refuses_a_rating_outside_one_to_five(buyer, product):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        Review.objects.create(user=buyer, product=product, rating=6, body="Too good.", author_name="Ada S.")


def test_a_display_name_is_a_first_name_and_initial_never_an_email():
    assert display_name(UserFactory.build(first_name="Ada", last_name="Shopper")) == "Ada S."
    assert display_name(UserFactory.build(first_name="Ada", last_name="")) == "Ada"
    assert display_name(UserFactory.build(first_name=" ", last_name="X", email="a@example.com")) == "Verified buyer"


def test_approving_dates_a_review_and_editing_sends_it_back_to_moderation(buyer, product):
    review = services.write(user=buyer, product=product, rating=4, body="Clear maps.")

    assert services.approve([review]) == 1
    review.refresh_from_db()
    assert review.status == Review.Status.APPROVED and review.published_at is not None
    assert services.approve([review]) == 0  # already approved: keeps its date

    services.edit(review, rating=2, body="Changed my mind.")
    review.refresh_from_db()
    assert (review.status, review.rating, review.published_at) == (Review.Status.PENDING, 2, None)
    assert services.reject([review]) == 1
    review.refresh_from_db()
    assert review.status == Review.Status.REJECTED


def test_a_full_refund_takes_the_review_down_with_a_note(buyer, product, other_product):
    review = ReviewFactory(user=buyer, product=product)
    other = ReviewFactory(user=buyer, product=other_product)

    refund(buyer.order, 2000)

    review.refresh_from_db()
    other.refresh_from_db()
    assert Order.objects.get(pk=buyer.order.pk).status == Order.Status.REFUNDED
    assert review.status == other.status == Review.Status.REMOVED
    assert review.removed_note == "Order ORDER001 refunded (refunded)."
    assert services.approve([review]) == 0  # a moderator cannot bring it back while the money is back


def test_a_partial_refund_of_another_line_keeps_the_review_and_one_of_its_line_takes_it_down(
    buyer, product, other_product
):
    review = ReviewFactory(user=buyer, product=product)
    other = ReviewFactory(user=buyer, product=other_product)
    brush_line = buyer.order.lines.get(product=other_product)

    refund(buyer.order, 500)  # money back for a complaint, no line refunded
    refund(buyer.order, 1000, lines=[brush_line], refund_id="re_2")

    review.refresh_from_db()
    other.refresh_from_db()
    assert Order.objects.get(pk=buyer.order.pk).status == Order.Status.PARTIALLY_REFUNDED
    assert review.status == Review.Status.APPROVED
    assert other.status == Review.Status.REMOVED


def test_another_paid_order_of_the_product_keeps_the_buyer_verified(buyer, product):
    paid_order(buyer, product, number="ORDER002")
    review = ReviewFactory(user=buyer, product=product)

    refund(buyer.order, 2000)

    review.refresh_from_db()
    assert review.status == Review.Status.APPROVED
