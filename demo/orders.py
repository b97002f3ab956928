"""Demo orders, so the sales dashboard has something to draw, the owner has a physical order to ship and
the buyers of digital products have their download links (the demo shopper's are on their Downloads page).

Each order has a fixed number and is made once: running the loader again leaves it alone, including whatever
the owner has done to it since (shipped it, cancelled it). Dates are counted back from the first load."""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from wagtail.models import Page

from checkout import attribution
from checkout.models import DownloadGrant, Order, OrderLine, OrderStatusChange, Shipment

from . import content

S = Order.Status

SHOPPER_ADDRESS = {
    "name": "Robin Shopper",
    "address": {
        "line1": "221 Canal Street",
        "line2": "Flat 4",
        "city": "Manchester",
        "postal_code": "M1 3HE",
        "state": "",
        "country": "GB",
    },
}


@dataclass(frozen=True)
class DemoOrder:
    number: str
    days_ago: int
    skus: tuple
    # The statuses after pending, in order; the last one is where the order stands.
    steps: tuple
    email: str = "guest@example.com"
    for_shopper: bool = False


DIGITAL = (S.PAID, S.COMPLETED)

ORDERS = [
    # The one to take from paid to delivered in the admin, while the shopper watches from their dashboard.
    DemoOrder("DEM00001", 0, (content.NOTEBOOK, content.STICKERS), (S.PAID,), for_shopper=True),
    DemoOrder("DEM00002", 2, (content.TOTE,), (S.PAID, S.SHIPPED), email="fern@example.com"),
    DemoOrder("DEM00003", 6, (content.NOTEBOOK,), (S.PAID, S.SHIPPED, S.DELIVERED), email="arlo@example.com"),
    DemoOrder("DEM00004", 9, (content.WORKBOOK,), (*DIGITAL, S.REFUNDED), email="june@example.com"),
    DemoOrder("DEM00005", 1, (content.RIVERSTONE, content.PAPER_GRAIN), DIGITAL, for_shopper=True),
    *(
        DemoOrder(f"DEM{10 + n:05d}", days_ago, skus, DIGITAL, email=f"reader{n}@example.com")
        for n, (days_ago, skus) in enumerate(
            [
                (1, (content.PLANNER,)),
                (3, (content.RIVERSTONE,)),
                (4, (content.STORIES, content.PLANNER)),
                (5, (content.PAPER_GRAIN,)),
                (7, (content.RIVERSTONE, content.WORKBOOK)),
                (8, (content.PLANNER,)),
                (11, (content.STORIES,)),
                (13, (content.RIVERSTONE,)),
                (15, (content.WORKBOOK, content.PAPER_GRAIN)),
                (18, (content.PLANNER,)),
                (21, (content.RIVERSTONE,)),
                (24, (content.STORIES,)),
                (27, (content.PLANNER, content.RIVERSTONE)),
            ]
        )
    ),
]


# Which page's teaser sold an order (Shop › Sold by; the other lines were bought on the product's own page) and
# the campaign of the visit, so the report has pages, blocks, campaigns and a refund on the first run.
GOUACHE_POST = "five-gouache-habits-for-digital-painting"
COLOUR_POST = "colour-scripts-from-open-films"
PLANNER_PAGE = "modular-weekly-planner"  # its body sells the workbook
NEWSLETTER = {"utm_source": "newsletter", "utm_medium": "email", "utm_campaign": "spring-brushes"}
SOCIAL = {"utm_source": "instagram", "utm_medium": "social", "utm_campaign": "colour-week"}
SOLD_BY = {
    "DEM00004": (PLANNER_PAGE, {}),
    "DEM00011": (COLOUR_POST, SOCIAL),
    "DEM00013": (GOUACHE_POST, NEWSLETTER),
    "DEM00014": (GOUACHE_POST, NEWSLETTER),
    "DEM00017": (COLOUR_POST, {}),
    "DEM00018": (GOUACHE_POST, {}),
    "DEM00020": (COLOUR_POST, SOCIAL),
    "DEM00022": (GOUACHE_POST, NEWSLETTER),
}


def load_orders(products, site_settings, *, shopper, now, report):
    """Make the demo orders that do not exist yet. `products` maps SKUs to the demo's product pages."""
    existing = set(Order.objects.filter(number__in=[spec.number for spec in ORDERS]).values_list("number", flat=True))
    for spec in ORDERS:
        if spec.number in existing:
            report.note("demo orders", "unchanged")
            continue
        _make(spec, [products[sku] for sku in spec.skus], site_settings, shopper, now)
        report.note("demo orders", "created")


def _make(spec, products, site_settings, shopper, now):
    placed = now - timedelta(days=spec.days_ago, hours=2)
    physical = any(not product.is_digital for product in products)
    subtotal = sum((product.price for product in products), Decimal("0"))
    shipping = site_settings.shipping_rate if physical else Decimal("0")
    user = shopper if spec.for_shopper else None
    order = Order.objects.create(
        number=spec.number,
        email=user.email if user else spec.email,
        user=user,
        currency=site_settings.currency,
        subtotal=subtotal,
        shipping=shipping,
        total=subtotal + shipping,
        payment_intent_id=f"pi_demo_{spec.number}",
        shipping_address=SHOPPER_ADDRESS if physical else {},
        paid_at=placed + timedelta(minutes=3),
        receipt_sent_at=placed + timedelta(minutes=3),
    )
    Order.objects.filter(pk=order.pk).update(created_at=placed)
    lines = OrderLine.objects.bulk_create(
        OrderLine.snapshot(product, 1, order=order, refunded=S.REFUNDED in spec.steps) for product in products
    )
    _attribute(spec, order, lines)
    previous = S.PENDING
    for index, status in enumerate(spec.steps):
        when = placed + timedelta(minutes=3, hours=20 * index)
        OrderStatusChange.objects.create(order=order, from_status=previous, to_status=status, created_at=when)
        if status == S.SHIPPED:
            shipment = Shipment.objects.create(
                order=order, carrier="royal_mail", tracking_number=f"RM{spec.number}GB", shipped_at=when
            )
            OrderLine.objects.filter(pk__in=[line.pk for line in lines if not line.is_digital]).update(
                shipment=shipment
            )
        if status == S.DELIVERED:
            order.shipments.update(delivered_at=when)
        previous = status
    if S.REFUNDED not in spec.steps:
        _grant_downloads(lines, site_settings, paid_at=order.paid_at)
    refunded = order.total if S.REFUNDED in spec.steps else Decimal("0")
    Order.objects.filter(pk=order.pk).update(status=previous, refunded_amount=refunded)
    if refunded:
        order.refunds.create(refund_id=f"re_demo_{spec.number}", amount=refunded).lines.set(lines)


def _attribute(spec, order, lines):
    """Each line sold by the teaser of its product on the order's page in SOLD_BY, else by its own page."""
    slug, campaign = SOLD_BY.get(spec.number, ("", {}))
    page = Page.objects.filter(slug=slug).first() if slug else None
    teasers = _teasers(page.specific) if page else {}
    sources = {
        line.product_id: {"page": page.pk, "block": teasers[line.product_id]}
        if line.product_id in teasers
        else {"page": line.product_id, "block": ""}
        for line in lines
    }
    fields = attribution.line_fields(sources)
    for line in lines:
        OrderLine.objects.filter(pk=line.pk).update(**fields[line.product_id])
    if campaign:
        touch = {"landing": page.url, **campaign}
        Order.objects.filter(pk=order.pk).update(touches={"first": touch, "last": touch})


def _teasers(page):
    """Product id -> the id of the product teaser block selling it in the page's body."""
    return {
        block.value["product"].pk: block.id
        for block in page.body
        if block.block_type == "product_teaser" and block.value["product"]
    }


def _grant_downloads(lines, site_settings, *, paid_at):
    """The links fulfilment would have made at payment, so they run out when those would have."""
    expires_at = paid_at + timedelta(days=site_settings.download_days)
    DownloadGrant.objects.bulk_create(
        DownloadGrant(
            line=line,
            document_id=deliverable.document_id,
            expires_at=expires_at,
            max_downloads=line.product.download_limit or site_settings.download_limit,
        )
        for line in lines
        if line.is_digital
        for deliverable in line.product.deliverables.all()
    )
