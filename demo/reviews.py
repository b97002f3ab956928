"""A few approved reviews from demo buyers, so product pages, cards and their JSON-LD show stars. Each reviewer is
the buyer of a demo order (made by demo.orders): the order joins their account, as a guest order does when its
buyer signs up. Found by order number and product, so running it again changes nothing."""

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from checkout.models import Order
from reviews.models import Review, display_name

# (order, reviewer's first and last name, rating, text)
REVIEWS = [
    (
        "DEM00010",
        ("Maya", "Lindqvist"),
        5,
        "The weekly spreads fit how I plan: one glance on Monday and I know.",
    ),
    (
        "DEM00011",
        ("Tomás", "Reyes"),
        5,
        "Riverstone brushes feel like real gouache, with a lovely wet edge.",
    ),
    ("DEM00012", ("Priya", "Nair"), 4, "Lovely short stories with art to match. I wanted one or two more of them."),
    ("DEM00013", ("Jonas", "Berg"), 4, "Subtle paper grain that doesn't fight the brush. Easy to tone down per layer."),
    ("DEM00014", ("Elif", "Kaya"), 5, "Both brush sets open straight in Procreate; the workbook exercises are fun."),
    ("DEM00016", ("Sam", "Okafor"), 3, "Good stories, though the print-at-home layout wastes a little paper."),
]


def load_reviews(report) -> None:
    orders = Order.objects.filter(number__in=[number for number, *_ in REVIEWS]).prefetch_related("lines")
    by_number = {order.number: order for order in orders}
    for number, (first, last), rating, body in REVIEWS:
        order = by_number.get(number)
        line = next((line for line in order.lines.all() if line.product_id), None) if order else None
        if line is None:  # the demo orders were not made (a partial load): nothing to review
            continue
        user, _ = get_user_model().objects.get_or_create(
            email=order.email, defaults={"first_name": first, "last_name": last, "password": make_password(None)}
        )
        if order.user_id is None:
            Order.objects.filter(pk=order.pk).update(user=user)
        _, created = Review.objects.get_or_create(
            product_id=line.product_id,
            user=user,
            defaults={
                "rating": rating,
                "body": body,
                "author_name": display_name(user),
                "status": Review.Status.APPROVED,
            },
        )
        report.note("demo reviews", "created" if created else "unchanged")
