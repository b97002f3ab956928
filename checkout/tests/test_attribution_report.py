"""The "which page sold it" figures, against hand-worked numbers: one query per table, refunds counted once."""

import csv
import io
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from blog.factories import BlogPostPageFactory
from checkout.admin import attribution_report
from checkout.factories import OrderFactory, OrderLineFactory
from checkout.models import Order

from .test_admin_orders import admin_user, assert_denied, client_for

BLOCK_A = "11111111-1111-4111-8111-111111111111"
BLOCK_B = "22222222-2222-4222-8222-222222222222"
DAY = datetime(2026, 3, 10, 12, tzinfo=timezone.get_current_timezone())


def sale(page, *lines, block="", paid=DAY, touches=None, refunded_amount=Decimal("0"), **order_fields):
    """An order paid on `paid` whose lines (price, quantity[, refunded]) came from `page` and `block`."""
    order = OrderFactory(paid_at=paid, touches=touches or {}, refunded_amount=refunded_amount, **order_fields)
    for price, quantity, *refunded in lines:
        OrderLineFactory(
            order=order,
            unit_price=Decimal(price),
            quantity=quantity,
            refunded=bool(refunded),
            source_page=page.pk if page else None,
            source_title=page.title if page else "",
            source_url=page.url if page else "",
            source_block=block,
        )
    return order


@pytest.fixture
def article(blog_index):
    return BlogPostPageFactory(parent=blog_index, title="Packing for a weekend")


def report(by, sort="-net"):
    return attribution_report.table(DAY.date(), DAY.date(), by=by, sort=sort)


def figures(row):
    return {name: row[name] for name in ("orders", "units", "refunded_units", "revenue", "refunds", "net")}


def test_the_same_product_in_two_blocks_of_one_page_is_two_rows_and_one_page(article):
    sale(article, ("10.00", 1), block=BLOCK_A)
    sale(article, ("10.00", 2), block=BLOCK_B)

    blocks = report("block", sort="revenue")
    [page_row] = report("page")

    assert [(row["page_id"], row["block"], row["revenue"]) for row in blocks] == [
        (article.pk, BLOCK_A, Decimal("10.00")),
        (article.pk, BLOCK_B, Decimal("20.00")),
    ]
    assert figures(page_row) == {
        "orders": 2, "units": 3, "refunded_units": 0,
        "revenue": Decimal("30.00"), "refunds": Decimal("0.00"), "net": Decimal("30.00"),
    }  # fmt: skip
    assert page_row["title"] == page_row["live_title"] == "Packing for a weekend"


def test_a_sale_from_the_product_page_itself_is_its_own_row(article, product_index):
    from products.factories import ProductPageFactory

    product = ProductPageFactory(parent=product_index, title="Canvas tote")
    sale(article, ("10.00", 1), block=BLOCK_A)
    sale(product, ("25.00", 1))

    rows = report("page")

    assert [(row["title"], row["revenue"]) for row in rows] == [
        ("Canvas tote", Decimal("25.00")),
        ("Packing for a weekend", Decimal("10.00")),
    ]


def test_a_page_deleted_or_moved_since_the_sale_still_reports_under_its_snapshot(article, blog_index, home_page):
    sale(article, ("10.00", 1))
    snapshot_url = article.url
    article.move(home_page, pos="last-child")
    moved = report("page")
    article.delete()

    [row] = report("page")

    assert moved[0]["url"] == snapshot_url and moved[0]["live_title"] == "Packing for a weekend"
    assert (row["title"], row["url"], row["live_title"], row["revenue"]) == (
        "Packing for a weekend",
        snapshot_url,
        None,
        Decimal("10.00"),
    )


def test_a_line_refunded_as_a_line_takes_its_whole_value_and_leaves_the_rest(article):
    # Two lines, the second refunded (the ledger settled 30.00 on it).
    sale(
        article,
        ("10.00", 1),
        ("15.00", 2, "refunded"),
        block=BLOCK_A,
        refunded_amount=Decimal("30.00"),
        status=Order.Status.PARTIALLY_REFUNDED,
    )

    [row] = report("page")

    assert figures(row) == {
        "orders": 1, "units": 3, "refunded_units": 2,
        "revenue": Decimal("40.00"), "refunds": Decimal("30.00"), "net": Decimal("10.00"),
    }  # fmt: skip


def test_money_refunded_without_lines_is_shared_by_value_and_counted_once(article, blog_index):
    other = BlogPostPageFactory(parent=blog_index, title="Other post")
    order = sale(article, ("10.00", 1), refunded_amount=Decimal("8.00"), status=Order.Status.PARTIALLY_REFUNDED)
    OrderLineFactory(order=order, unit_price=Decimal("30.00"), quantity=1, source_page=other.pk, source_title="Other")

    rows = {row["page_id"]: row for row in report("page")}

    assert (rows[article.pk]["refunds"], rows[other.pk]["refunds"]) == (Decimal("2.00"), Decimal("6.00"))
    assert rows[article.pk]["net"] + rows[other.pk]["net"] == Decimal("32.00")


def test_unpaid_orders_and_days_outside_the_period_do_not_count(article):
    sale(article, ("10.00", 1), status=Order.Status.PENDING, paid=None)
    sale(article, ("10.00", 1), paid=DAY - timedelta(days=1))

    assert report("page") == []


def test_campaigns_group_by_the_visits_last_or_first_touch_and_days_by_payment(article):
    social = {"utm_source": "instagram", "utm_medium": "social", "utm_campaign": "colour-week"}
    spring = {"first": social, "last": {"utm_source": "newsletter", "utm_medium": "email", "utm_campaign": "spring"}}
    sale(article, ("10.00", 1), touches=spring)
    sale(article, ("5.00", 1), touches=spring)
    sale(article, ("7.00", 1))

    campaigns = report("campaign")
    first = report("first_campaign")
    [day] = report("day")

    assert [(row["utm_source"], row["utm_campaign"], row["revenue"]) for row in campaigns] == [
        ("newsletter", "spring", Decimal("15.00")),
        (None, None, Decimal("7.00")),
    ]
    assert [(row["utm_campaign"], row["revenue"]) for row in first] == [
        ("colour-week", Decimal("15.00")),
        (None, Decimal("7.00")),
    ]
    assert (day["day"], day["orders"], day["revenue"]) == (DAY.date(), 3, Decimal("22.00"))


@pytest.mark.parametrize("by", list(attribution_report.DIMENSIONS))
def test_each_table_is_one_query_however_many_sales(article, by, django_assert_num_queries):
    for block in (BLOCK_A, BLOCK_B, ""):
        sale(article, ("10.00", 1), ("3.00", 2, "refunded"), block=block, refunded_amount=Decimal("7.00"))

    with django_assert_num_queries(1):
        report(by)


def test_a_pages_last_30_days_for_its_edit_view_in_one_query(article, django_assert_num_queries):
    now = timezone.now()
    sale(article, ("10.00", 2), paid=now)
    sale(article, ("6.00", 1, "refunded"), paid=now, refunded_amount=Decimal("6.00"))
    sale(article, ("99.00", 1), paid=now - timedelta(days=30))

    with django_assert_num_queries(1):
        sold = attribution_report.page_sales(article.pk)

    assert (sold.units, sold.net, sold.days) == (2, Decimal("20.00"), 30)


# -- in the admin -----------------------------------------------------------------------------------------

URL = "/admin/shop/sold-by/"
PERIOD = {"start": "2026-03-01", "end": "2026-03-31"}


def test_the_report_lists_each_block_of_a_page_with_its_figures(editor_client, site_settings, article):
    sale(article, ("10.00", 1), block=BLOCK_A)
    sale(article, ("10.00", 2), block=BLOCK_B)

    response = editor_client.get(URL, {**PERIOD, "by": "block", "sort": "-revenue"})

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("Packing for a weekend") == 2 and "$20.00" in html and "$10.00" in html
    assert html.index(BLOCK_B[:8]) < html.index(BLOCK_A[:8])


def test_the_csv_export_has_a_row_per_page(editor_client, site_settings, article):
    sale(article, ("10.00", 2), ("4.00", 1, "refunded"), refunded_amount=Decimal("4.00"))

    response = editor_client.get(URL, {**PERIOD, "by": "page", "export": "csv"})

    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert response["Content-Disposition"] == 'attachment; filename="sold-by-page-2026-03-01-to-2026-03-31.csv"'
    assert rows[0] == ["page_id", "title", "url", "live_title", *attribution_report.FIGURES]
    assert rows[1] == [
        str(article.pk),
        article.title,
        article.url,
        article.title,
        "1",
        "3",
        "1",
        "24.00",
        "4.00",
        "20.00",
    ]


@pytest.mark.parametrize("query", [{"by": "nonsense"}, {"sort": "; DROP"}, {"page": "x"}, {"start": "2026-04-01"}])
def test_a_bad_query_re_renders_the_form_with_a_400(editor_client, site_settings, query):
    response = editor_client.get(URL, {**PERIOD, "by": "page", **query})

    assert response.status_code == 400


def test_only_those_who_may_see_orders_see_the_report_and_the_edit_view_line(site_settings, article):
    editor = client_for(admin_user("add_page", "change_page", "access_admin"))
    viewer = client_for(admin_user("view_order"))

    assert_denied(editor.get(URL))
    assert viewer.get(URL).status_code == 200


def test_a_pages_edit_view_says_what_it_sold_in_the_same_queries_however_many_sales(
    editor_client, site_settings, article, django_assert_num_queries
):
    edit = f"/admin/pages/{article.pk}/edit/"
    sale(article, ("10.00", 2), paid=timezone.now())
    editor_client.get(edit)  # the caches a first admin request fills
    with CaptureQueriesContext(connection) as few:
        first = editor_client.get(edit).content.decode()
    for _ in range(5):
        sale(article, ("10.00", 1), paid=timezone.now(), block=BLOCK_A)

    with django_assert_num_queries(len(few.captured_queries)):
        later = editor_client.get(edit).content.decode()

    assert "This page sold 2 items, $20.00, in the last 30 days" in first
    assert "This page sold 7 items, $70.00, in the last 30 days" in later


def test_the_admin_order_page_says_which_page_sold_each_line_and_the_visits_campaign(editor_client, article):
    campaign = {"last": {"utm_source": "newsletter", "utm_medium": "email", "utm_campaign": "spring", "landing": "/j/"}}
    order = sale(article, ("10.00", 1), block=BLOCK_A, touches=campaign)

    html = editor_client.get(reverse("shop_orders:inspect", args=[order.pk])).content.decode()

    assert "Sold by Packing for a weekend, in a block" in html
    assert "newsletter / email / spring, landed on /j/" in html


NEW_YORK = ZoneInfo("America/New_York")


@pytest.mark.parametrize(
    ("moment", "counted"),
    [
        (datetime(2026, 3, 10, 0, 0, tzinfo=NEW_YORK), True),
        (datetime(2026, 3, 10, 23, 59, 59, tzinfo=NEW_YORK), True),
        (datetime(2026, 3, 9, 23, 59, 59, tzinfo=NEW_YORK), False),
        (datetime(2026, 3, 11, 0, 0, tzinfo=NEW_YORK), False),
    ],
)
def test_a_day_runs_from_midnight_to_midnight_in_the_shops_time_zone(article, moment, counted):
    sale(article, ("10.00", 1), paid=moment)

    with timezone.override(NEW_YORK):
        rows = attribution_report.table(date(2026, 3, 10), date(2026, 3, 10), by="page")

    assert len(rows) == int(counted)
