import factory

from accounts.factories import UserFactory

from .models import Review


class ReviewFactory(factory.django.DjangoModelFactory):
    """An approved review; pass `status=` for another. Give it `product=`; its buyer need not own it here."""

    user = factory.SubFactory(UserFactory)
    rating = 5
    body = "Does what it says, and does it well."
    author_name = "Ada S."
    status = Review.Status.APPROVED

    class Meta:
        model = Review
