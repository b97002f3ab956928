"""The sales report against figures worked out by hand, its page and CSV exports, the dashboard panel, who may
see them, and a query count that does not grow with the orders."""

import csv
import io
from datetime import date, datetime
from decimal import Decimal

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from checkout.admin import reports
from checkout.factories import DownloadGrantFactory, DownloadLogFactory, OrderFactory, OrderLineFactory
from checkout.models import Dispute, Order, Refund

from .test_admin_orders import admin_user, assert_denied, client_for

pytestmark = pytest.mark.django_db

S = Order.Status
URL = "/admin/shop/sales/"


def at(day, hour=12):
    return timezone.make_aware(datetime(2026, 11, day, hour))


def sale(day, total, *lines, status=S.COMPLETED, hour=12):
    """A paid order on 2026-11-<day> with (title, sku, unit price, quantity, refunded) lines."""
    order = OrderFactory(status=status, total=Decimal(total), subtotal=Decimal(total), paid_at=at(day, hour))
    for title, sku, price, quantity, *refunded in lines:
        OrderLineFactory(
            order=order, title=title, sku=sku, unit_price=Decimal(price), quantity=quantity, refunded=bool(refunded)
        )
    return order


@pytest.fixture
def november(site_settings):
    """Worked out by hand below. Pending, failed, expired and flagged orders are no sales."""
    first = sale(3, "30.00", ("Mug", "MUG", "10.00", 3))
    sale(3, "8.20", ("Guide", "EBOOK", "8.20", 1), hour=23)
    sale(5, "48.20", ("Mug", "MUG", "10.00", 4), ("Guide", "EBOOK", "8.20", 1), status=S.SHIPPED)
    refunded = sale(6, "20.00", ("Print", "PRINT", "20.00", 1, "refunded"), status=S.REFUNDED)
    for status in (S.PENDING, S.FAILED, S.EXPIRED, S.REVIEW):
        sale(4, "99.00", ("Mug", "MUG", "10.00", 9), status=status)
    sale(12, "500.00", ("Mug", "MUG", "10.00", 50))  # outside the period
    Refund.objects.create(order=refunded, refund_id="re_1", amount=Decimal("20.00"))
    Refund.objects.filter(refund_id="re_1").update(created_at=at(6))
    grant = DownloadGrantFactory(line=first.lines.get())
    for _ in range(3):
        DownloadLogFactory(grant=grant)
    return first


def test_the_numbers_match_the_hand_worked_figures(november):
    report = reports.sales(date(2026, 11, 2), date(2026, 11, 7))

    # 30.00 + 8.20 + 48.20 + 20.00 = 106.40 over 4 orders; average 26.60.
    assert (report.revenue, report.orders, report.average_order_value) == (Decimal("106.40"), 4, Decimal("26.60"))
    assert [(day.date.day, day.revenue, day.orders) for day in report.days] == [
        (2, Decimal("0"), 0),
        (3, Decimal("38.20"), 2),
        (4, Decimal("0"), 0),
        (5, Decimal("48.20"), 1),
        (6, Decimal("20.00"), 1),
        (7, Decimal("0"), 0),
    ]
    assert (report.refunded, report.refunds, report.net_revenue) == (Decimal("20.00"), 1, Decimal("86.40"))
    # Mugs: 3 + 4 units, 70.00; guides: 2 units, 16.40; the refunded print is not a top product.
    assert [(p["title"], p["units"], p["revenue"]) for p in report.top_products] == [
        ("Mug", 7, Decimal("70.00")),
        ("Guide", 2, Decimal("16.40")),
    ]


def test_revenue_is_what_buyers_paid_after_discounts_and_refunds_count_only_when_they_succeed(november):
    discounted = sale(4, "50.00", ("Print", "PRINT", "50.00", 1))
    Order.objects.filter(pk=discounted.pk).update(discount=Decimal("5.00"), promotion_code="SPRING10")
    for refund_id, status in [("re_pending", "pending"), ("re_failed", "failed")]:
        Refund.objects.create(order=discounted, refund_id=refund_id, amount=Decimal("10.00"), status=status)
    Refund.objects.filter(refund_id__in=["re_pending", "re_failed"]).update(created_at=at(4))
    discounted.disputes.create(dispute_id="dp_1", amount=Decimal("45.00"), status="lost")
    Dispute.objects.update(created_at=at(4))

    report = reports.sales(date(2026, 11, 2), date(2026, 11, 7))

    # 106.40 as before, plus 50.00 less its 5.00 discount.
    assert (report.revenue, report.discounts, report.orders) == (Decimal("151.40"), Decimal("5.00"), 5)
    assert (report.refunded, report.refunds, report.pending_refunds) == (Decimal("20.00"), 1, Decimal("10.00"))
    assert (report.disputes, report.disputes_lost) == (1, 1)


def test_downloads_are_counted_per_product_on_the_day_they_happen(november):
    today = timezone.localdate()
    assert reports.sales(today, today).downloads == [{"title": "Mug", "downloads": 3}]
    assert reports.sales(date(2026, 11, 2), date(2026, 11, 7)).downloads == []


def test_an_empty_period_is_all_zeroes(site_settings):
    report = reports.sales(date(2026, 1, 1), date(2026, 1, 3))

    assert (report.revenue, report.orders, report.average_order_value, report.refunded) == (0, 0, 0, 0)
    assert [day.orders for day in report.days] == [0, 0, 0]


def test_the_chart_scales_the_best_day_to_full_height():
    days = [reports.Day(date(2026, 11, 1), Decimal("50"), 1), reports.Day(date(2026, 11, 2), Decimal("200"), 2)]
    assert [bar["height"] for bar in reports.chart_bars(days, height=100)] == [25.0, 100.0]
    assert [bar["height"] for bar in reports.chart_bars(days[:0], height=100)] == []


def test_the_report_page_shows_the_period(editor_client, november):
    response = editor_client.get(URL, {"start": "2026-11-02", "end": "2026-11-07"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "$106.40" in page and "$26.60" in page and "$86.40" in page
    assert page.count('class="sales-chart__bar"') == 6
    assert "Sat 7 Nov: $0.00, 0 orders" in page and "Tue 3 Nov: $38.20, 2 orders" in page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"start": "2026-11-07", "end": "2026-11-02"}, "The period must start on or before the day it ends."),
        ({"start": "2025-01-01", "end": "2026-11-02"}, "Choose a period of at most 366 days."),
        ({"start": "yesterday", "end": "2026-11-02"}, "Enter a valid date."),
    ],
)
def test_a_bad_period_re_renders_with_the_message(editor_client, november, query, message):
    response = editor_client.get(URL, query)

    assert response.status_code == 400 and message in response.content.decode()


def test_the_csv_exports(editor_client, november):
    period = {"start": "2026-11-03", "end": "2026-11-05"}

    days = editor_client.get(URL, {**period, "export": "days"})
    products = editor_client.get(URL, {**period, "export": "products"})

    assert days["Content-Disposition"] == 'attachment; filename="sales-by-day-2026-11-03-to-2026-11-05.csv"'
    assert list(csv.reader(io.StringIO(days.content.decode()))) == [
        ["date", "orders", "revenue"],
        ["2026-11-03", "2", "38.20"],
        ["2026-11-04", "0", "0.00"],
        ["2026-11-05", "1", "48.20"],
        ["total", "3", "86.40"],
    ]
    assert list(csv.reader(io.StringIO(products.content.decode()))) == [
        ["product", "sku", "units", "revenue"],
        ["Mug", "MUG", "7", "70.00"],
        ["Guide", "EBOOK", "2", "16.40"],
    ]


def test_the_admin_home_shows_the_sales_panel(editor_client, site_settings):
    OrderFactory(total=Decimal("12.00"), paid_at=timezone.now(), status=S.COMPLETED)

    page = editor_client.get("/admin/").content.decode()

    assert "Sales, last 30 days" in page and "$12.00" in page and 'href="/admin/shop/sales/"' in page


def test_an_editor_without_the_order_permission_sees_no_sales(site_settings):
    editor = client_for(admin_user("add_page", "change_page"))

    assert_denied(editor.get(URL))
    assert_denied(editor.get(URL, {"export": "days"}))
    assert "Sales, last 30 days" not in editor.get("/admin/").content.decode()


def test_a_viewer_of_orders_sees_the_sales(site_settings):
    viewer = client_for(admin_user("view_order"))

    assert viewer.get(URL).status_code == 200
    assert "Sales, last 30 days" in viewer.get("/admin/").content.decode()


def test_the_report_costs_the_same_queries_however_many_orders(editor_client, site_settings, django_assert_num_queries):
    def orders(count):
        for day in range(1, count + 1):
            sale(day % 28 + 1, "10.00", (f"Product {day}", f"SKU-{day}", "10.00", 1))

    period = {"start": "2026-11-01", "end": "2026-11-30"}
    orders(2)
    with CaptureQueriesContext(connection) as few:
        editor_client.get(URL, period)
    orders(40)
    with django_assert_num_queries(len(few.captured_queries)):
        assert editor_client.get(URL, period).status_code == 200
