"""OrderLine.snapshot(): one place that copies a product page into an order line, so what was sold stays as it
was sold whatever the page says later."""

from decimal import Decimal

import pytest

from checkout.models import Order, OrderLine
from products.factories import ProductPageFactory
from products.models import ProductPage

pytestmark = pytest.mark.django_db


def test_a_snapshot_copies_the_pages_current_title_sku_kind_and_price(product_index):
    mug = ProductPageFactory(
        parent=product_index, title="Studio Mug", sku="MUG-1", price=Decimal("14.50"), physical=True
    )
    mug.title, mug.price = "Studio Mug, glazed", Decimal("16.00")
    mug.save_revision().publish()
    current = ProductPage.objects.get(pk=mug.pk)

    line = OrderLine.snapshot(current, 3)

    assert line.pk is None and line.product == current
    assert (line.title, line.sku, line.is_digital, line.unit_price, line.quantity) == (
        "Studio Mug, glazed",
        "MUG-1",
        False,
        Decimal("16.00"),
        3,
    )
    assert line.line_total == Decimal("48.00")


def test_a_saved_snapshot_keeps_what_was_sold_after_the_page_changes(product_index):
    ebook = ProductPageFactory(parent=product_index, title="Field Guide", sku="EBOOK-1", price=Decimal("8.20"))
    order = Order.objects.create(
        email="buyer@example.com", currency="USD", subtotal=Decimal("8.20"), total=Decimal("8.20")
    )
    OrderLine.snapshot(ebook, 1, order=order, refunded=True).save()

    ebook.title, ebook.price = "Field Guide, second edition", Decimal("12.00")
    ebook.save_revision().publish()

    line = order.lines.get()
    assert (line.title, line.is_digital, line.unit_price, line.refunded) == ("Field Guide", True, Decimal("8.20"), True)
