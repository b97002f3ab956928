"""The shopper's orders and download links: their own only; anyone else's order is simply not found."""

from decimal import Decimal

import pytest

from checkout.models import DownloadGrant, Order, OrderLine, Refund
from website.factories import DocumentFactory

from .conftest import verified_user

pytestmark = pytest.mark.django_db

ORDERS = "/api/v2/orders/"


def placed_order(user, *, status=Order.Status.PAID, files=1, ebook=None):
    order = Order.objects.create(
        user=user, email=user.email, status=status, currency="USD", subtotal=Decimal("8.20"), total=Decimal("8.20")
    )
    if status == Order.Status.PAID:
        order.paid_at = order.created_at
        order.save()
    line = OrderLine.objects.create(
        order=order, product=ebook, title="Field Guide", sku="EBOOK-1", is_digital=True, unit_price="8.20", quantity=1
    )
    for _ in range(files):
        DownloadGrant.objects.create(
            line=line, document=DocumentFactory(), expires_at=DownloadGrant.expiry_from_now(30), max_downloads=5
        )
    return order


def test_the_list_shows_placed_orders_newest_first_and_nobody_elses(app, shopper, ebook):
    older, newer = placed_order(shopper, ebook=ebook), placed_order(shopper, ebook=ebook)
    placed_order(shopper, status=Order.Status.PENDING)
    placed_order(verified_user("someone@example.com"))
    body = app.get(ORDERS).json()
    assert body["count"] == 2
    assert [order["number"] for order in body["orders"]] == [newer.number, older.number]
    assert body["orders"][0]["lines"] == [
        {
            "product": ebook.pk,
            "title": "Field Guide",
            "sku": "EBOOK-1",
            "quantity": 1,
            "unit_price": "8.20",
            "refunded": False,
        }
    ]
    assert [order["number"] for order in app.get(ORDERS, {"limit": 1, "offset": 1}).json()["orders"]] == [older.number]


def test_an_order_shows_its_download_links(app, shopper):
    order = placed_order(shopper)
    [file] = app.get(f"{ORDERS}{order.number}/").json()["files"]
    grant = DownloadGrant.objects.get()
    assert file["state"] == "ready" and file["downloads_left"] == 5
    assert file["url"] == f"http://testserver/downloads/{grant.token}/"


def test_a_refunded_file_says_why_and_has_no_link(app, shopper):
    order = placed_order(shopper)
    OrderLine.objects.update(refunded=True)
    [file] = app.get(f"{ORDERS}{order.number}/").json()["files"]
    assert file["url"] is None and file["state"] != "ready" and file["note"]


def test_an_order_shows_its_discount_refund_states_and_disputes(app, shopper):
    order = placed_order(shopper)
    Order.objects.filter(pk=order.pk).update(discount=Decimal("0.82"), promotion_code="SPRING10")
    order.refunds.create(refund_id="re_1", amount=Decimal("2.00"), status=Refund.Status.PENDING)
    order.refunds.create(refund_id="re_2", amount=Decimal("1.00"), status=Refund.Status.FAILED)
    order.disputes.create(dispute_id="dp_1", amount=Decimal("7.38"), status="won")

    body = app.get(f"{ORDERS}{order.number}/").json()

    assert (body["total"], body["discount"], body["promotion_code"], body["amount_paid"]) == (
        "8.20",
        "0.82",
        "SPRING10",
        "7.38",
    )
    assert [(refund["amount"], refund["status"]) for refund in body["refunds"]] == [
        ("2.00", "pending"),
        ("1.00", "failed"),
    ]
    assert body["disputes"] == [{"amount": "7.38", "status": "won"}]
    assert app.get(ORDERS).json()["orders"][0]["amount_paid"] == "7.38"


def test_another_shoppers_order_and_an_unknown_number_are_a_404(app):
    theirs = placed_order(verified_user("someone@example.com"))
    for number in (theirs.number, "NOSUCH00"):
        response = app.get(f"{ORDERS}{number}/")
        assert (response.status_code, response.json()) == (404, {"detail": "No such order."})


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ({"limit": "0"}, "limit must be a whole number from 1 to 100."),
        ({"limit": "101"}, "limit must be a whole number from 1 to 100."),
        ({"limit": "x"}, "limit must be a whole number from 1 to 100."),
        ({"offset": "-1"}, "offset must be a whole number from 0 to 1000000."),
    ],
)
def test_bad_paging_is_a_400_with_the_reason(app, query, reason):
    response = app.get(ORDERS, query)
    assert (response.status_code, response.json()) == (400, {"detail": reason})


def test_orders_need_a_signed_in_shopper(client):
    assert client.get(ORDERS).status_code == 401
