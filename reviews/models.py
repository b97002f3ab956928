"""Reviews of products by the people who bought them, moderated before anyone sees them."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from wagtail.admin.panels import FieldPanel, FieldRowPanel

MAX_BODY = 2000
MIN_RATING, MAX_RATING = 1, 5


class Review(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        # Taken down without a moderator: the buyer got all their money back for the product.
        REMOVED = "removed", "Removed (refunded)"

    product = models.ForeignKey("products.ProductPage", on_delete=models.CASCADE, related_name="reviews")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviews")
    rating = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(MIN_RATING), MaxValueValidator(MAX_RATING)],
        help_text="1 to 5 stars.",
    )
    body = models.TextField("review", max_length=MAX_BODY)
    # The name the public sees, taken from the account when written: a first name and an initial, never an email.
    author_name = models.CharField(max_length=80)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # When it was last approved: what the page and its JSON-LD call its date.
    published_at = models.DateTimeField(null=True, blank=True)
    # Why it was taken down (the refund that took it), kept with the review as its record.
    removed_note = models.CharField(max_length=300, blank=True)

    panels = [
        FieldRowPanel([FieldPanel("status"), FieldPanel("rating", read_only=True)]),
        FieldPanel("author_name", read_only=True),
        FieldPanel("body", read_only=True),
        FieldPanel("removed_note", read_only=True),
    ]

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["product", "user"], name="reviews_one_per_buyer"),
            models.CheckConstraint(
                condition=models.Q(rating__gte=MIN_RATING, rating__lte=MAX_RATING), name="reviews_rating_1_to_5"
            ),
        ]
        indexes = [models.Index(fields=["product", "status", "-published_at"], name="reviews_shown")]
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.rating}★ by {self.author_name}"

    def save(self, *args, **kwargs):
        # Approved in the edit form or in bulk alike: the page dates it from its (latest) approval.
        if self.status == self.Status.APPROVED and self.published_at is None:
            self.published_at = timezone.now()
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "published_at"}
        super().save(*args, **kwargs)


def display_name(user) -> str:
    """ "Ada S." for Ada Shopper; "Verified buyer" for an account without a name."""
    first, last = user.first_name.strip(), user.last_name.strip()
    if not first:
        return "Verified buyer"
    return f"{first} {last[0]}." if last else first
