"""The two database-side steps of bench/load, run inside the shop with `manage.py shell -c`: what to ask for
(targets) and, afterwards, whether every checkout a shopper completed became exactly one paid order (count_check).
Each prints one line of JSON for bench/load_runner.py."""

import json
from collections import Counter
from pathlib import Path

from django.db.models import Count, F

from blog.models import BlogIndexPage, BlogPostPage
from checkout.models import DownloadGrant, Notification, Order, OrderLine, OrderStatusChange
from checkout.views import CHECKOUT_STARTS_PER_SESSION
from infopages.models import InfoPage
from products.models import ProductCategory, ProductIndexPage, ProductPage

SEARCHES = ["brush", "gouache", "texture", "lettering", "planner", "notebook", "sticker", "poster", "ink", "tote"]
# Physical products with fewer units than this are browsed but not bought, so a sell-out (a correct 409,
# but a failed checkout) does not turn up as an error in a one-minute run.
MIN_STOCK_TO_BUY = 40


def targets():
    def live(model):
        return model.objects.live().public().order_by("path")

    products = list(live(ProductPage).annotate(files=Count("deliverables")))
    shops = [page.url for page in live(ProductIndexPage)]
    slugs = ProductCategory.objects.values_list("slug", flat=True) if shops else []
    categories = [f"{shops[0]}category/{slug}/" for slug in slugs]
    buyable = [p for p in products if p.is_available and (p.is_digital or p.stock >= MIN_STOCK_TO_BUY)]
    print(
        json.dumps(
            {
                "pages": {
                    "home": ["/"],
                    "shop": shops + categories,
                    "product": [page.url for page in products],
                    "blog index": [page.url for page in live(BlogIndexPage)],
                    "blog post": [page.url for page in live(BlogPostPage)],
                    "info page": [page.url for page in live(InfoPage)],
                },
                "searches": SEARCHES,
                "buyable": [{"id": p.pk, "url": p.url, "digital": p.is_digital, "files": p.files} for p in buyable],
                # The shop's limit on checkout starts per session (count, seconds): a simulated shopper keeps under
                # it, as a real one does, so the shop's correct 429 does not count as a failure.
                "checkout starts per session": list(CHECKOUT_STARTS_PER_SESSION),
                # The demo's own orders are older than this: the count check looks only at newer ones.
                "last order": Order.objects.order_by("pk").values_list("pk", flat=True).last() or 0,
            }
        )
    )


def count_check(completed_path, fake_state_path, *, after_order):
    """Every checkout that reached the success page has exactly one paid order, under the number the page
        showed; nothing else was paid; nothing was paid twice; every paid download was granted once; every paid
        order has one receipt; and the shop and FakeStripe agree on which sessions were paid. Only orders with a
    primary key above `after_order` (placed during the run) are counted."""
    completed = [line.split() for line in Path(completed_path).read_text().splitlines() if line.strip()]
    fake = json.loads(Path(fake_state_path).read_text())
    shown = dict(completed)  # session id -> the order number its success page showed
    orders = Order.objects.filter(pk__gt=after_order)
    paid = orders.exclude(paid_at=None)
    paid_by_session = Counter(paid.values_list("payment_session_id", flat=True))
    number_by_session = dict(paid.values_list("payment_session_id", "number"))
    paid_twice = (
        OrderStatusChange.objects.filter(order__in=orders, to_status=Order.Status.PAID)
        .values("order")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    grants = DownloadGrant.objects.filter(line__order__in=orders)
    grants_twice = grants.values("line", "document").annotate(n=Count("id")).filter(n__gt=1)
    lines_missing_grants = (
        OrderLine.objects.filter(order__in=paid, is_digital=True)
        .annotate(n_grants=Count("grants", distinct=True), n_files=Count("product__deliverables", distinct=True))
        .exclude(n_grants=F("n_files"))
    )
    receipts = Counter(
        Notification.objects.filter(order__in=orders, kind=Notification.Kind.RECEIPT).values_list(
            "order__number", flat=True
        )
    )
    paid_numbers = set(paid.values_list("number", flat=True))
    print(
        json.dumps(
            {
                "completed checkouts": len(completed),
                "paid orders": paid.count(),
                "download grants": grants.count(),
                "orders by status": dict(Counter(orders.values_list("status", flat=True))),
                "problems": {
                    "checkouts completed twice": len(completed) - len(shown),
                    "completed checkouts without exactly one paid order": sum(
                        1 for session in shown if paid_by_session.get(session) != 1
                    ),
                    "success pages showing another order's number": sum(
                        1 for session, number in shown.items() if number_by_session.get(session) != number
                    ),
                    "paid orders no shopper completed": sum(1 for session in paid_by_session if session not in shown),
                    "orders paid twice": paid_twice.count(),
                    "download grants made twice": grants_twice.count(),
                    "paid digital lines without their grants": lines_missing_grants.count(),
                    "paid orders without exactly one receipt": sum(
                        1 for number in paid_numbers if receipts.get(number) != 1
                    ),
                    "sessions FakeStripe completed that the shop did not mark paid": len(
                        set(fake["completed"]) - set(paid_by_session)
                    ),
                    "webhook deliveries not answered 200": sum(
                        n for status, n in fake["webhook_answers"].items() if status != "200"
                    ),
                    "webhook deliveries missing": len(fake["completed"]) - sum(fake["webhook_answers"].values()),
                },
            }
        )
    )
