"""Orders as they stand after checkout, for tests that are about what happens next (not how they were paid)."""

from datetime import timedelta
from decimal import Decimal

import factory

from django.utils import timezone

from website.factories import DocumentFactory

from .models import DownloadGrant, DownloadLog, Order, OrderLine


class OrderFactory(factory.django.DjangoModelFactory):
    """A paid order; pass `status=` for another state. Totals are set by hand where a test needs them."""

    email = factory.Sequence(lambda n: f"buyer{n}@example.com")
    status = Order.Status.PAID
    currency = "USD"
    subtotal = Decimal("10.00")
    total = Decimal("10.00")
    paid_at = factory.LazyFunction(timezone.now)

    class Meta:
        model = Order


class OrderLineFactory(factory.django.DjangoModelFactory):
    order = factory.SubFactory(OrderFactory)
    product = None
    title = factory.LazyAttribute(lambda line: line.product.title if line.product else "Field Guide")
    sku = factory.LazyAttribute(lambda line: line.product.sku if line.product else "EBOOK-1")
    is_digital = True
    unit_price = Decimal("10.00")
    quantity = 1

    class Meta:
        model = OrderLine


class DownloadGrantFactory(factory.django.DjangoModelFactory):
    line = factory.SubFactory(OrderLineFactory)
    document = factory.SubFactory(DocumentFactory)
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))
    max_downloads = 5

    class Meta:
        model = DownloadGrant


class DownloadLogFactory(factory.django.DjangoModelFactory):
    grant = factory.SubFactory(DownloadGrantFactory)
    ip_address = "203.0.113.7"
    user_agent = "Mozilla/5.0 (test)"
    bytes_sent = 1024

    class Meta:
        model = DownloadLog
