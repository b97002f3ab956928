"""Sales figures for a period, each one database aggregate: revenue (what buyers paid, after promotion codes)
and orders per day, average order value, discounts, top products, refunds (succeeded; pending ones apart),
disputes and downloads per product. Days are calendar days in the site's time zone (TruncDate),
which SQLite and PostgreSQL compute alike."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, DecimalField, ExpressionWrapper, F, Sum
from django.db.models.functions import Coalesce, TruncDate

from ..models import Dispute, DownloadLog, Order, OrderLine, Refund

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
MONEY = DecimalField(max_digits=14, decimal_places=2)

# An order counts as a sale once it was paid, whatever happened to it later; refunds are reported separately.
SALE_STATES = Order.ACCESS_STATES | {Order.Status.REFUNDED, Order.Status.DISPUTED, Order.Status.CANCELLED}

TOP_PRODUCTS = 10

# What the buyer was charged: the order's total less its promotion discount.
PAID = ExpressionWrapper(F("total") - F("discount"), output_field=MONEY)


@dataclass(frozen=True)
class Day:
    date: date
    revenue: Decimal
    orders: int


@dataclass(frozen=True)
class SalesReport:
    start: date
    end: date
    days: list
    revenue: Decimal
    orders: int
    average_order_value: Decimal
    refunded: Decimal
    refunds: int
    discounts: Decimal
    pending_refunds: Decimal
    disputes: int
    disputes_lost: int
    top_products: list  # dicts: title, units, revenue
    downloads: list  # dicts: title, downloads

    @property
    def net_revenue(self):
        return self.revenue - self.refunded


def _money(value):
    # SQLite hands sums back with float noise in the last places (38.2000000000000); show cents.
    return (value or ZERO).quantize(CENT)


def _in_period(field, start, end):
    return {f"{field}__date__gte": start, f"{field}__date__lte": end}


def sales(start, end):
    """The report for the days `start` to `end`, both included."""
    orders = Order.objects.filter(status__in=SALE_STATES, **_in_period("paid_at", start, end))
    per_day = {
        row["day"]: row
        for row in orders.annotate(day=TruncDate("paid_at"))
        .values("day")
        .annotate(revenue=Sum(PAID), orders=Count("pk"))
        .order_by()
    }
    days = []
    for offset in range((end - start).days + 1):  # the days of the period, not its orders
        day = start + timedelta(days=offset)
        row = per_day.get(day, {})
        days.append(Day(day, _money(row.get("revenue")), row.get("orders", 0)))

    totals = orders.aggregate(
        revenue=Coalesce(Sum(PAID), ZERO, output_field=MONEY),
        discounts=Coalesce(Sum("discount"), ZERO, output_field=MONEY),
        orders=Count("pk"),
    )
    in_period = Refund.objects.filter(**_in_period("created_at", start, end))
    refunds = in_period.filter(status=Refund.Status.SUCCEEDED).aggregate(
        amount=Coalesce(Sum("amount"), ZERO, output_field=MONEY), count=Count("pk")
    )
    pending = in_period.filter(status__in=[Refund.Status.PENDING, Refund.Status.REQUIRES_ACTION]).aggregate(
        amount=Coalesce(Sum("amount"), ZERO, output_field=MONEY)
    )
    disputes = Dispute.objects.filter(**_in_period("created_at", start, end))
    line_total = ExpressionWrapper(F("unit_price") * F("quantity"), output_field=MONEY)
    top_products = [
        {**row, "revenue": _money(row["revenue"])}
        for row in OrderLine.objects.filter(order__in=orders, refunded=False)
        .values("sku", "title")
        .annotate(units=Sum("quantity"), revenue=Sum(line_total))
        .order_by("-revenue", "title")[:TOP_PRODUCTS]
    ]
    downloads = list(
        DownloadLog.objects.filter(**_in_period("created_at", start, end))
        .values(title=F("grant__line__title"))
        .annotate(downloads=Count("pk"))
        .order_by("-downloads", "title")
    )
    count, revenue = totals["orders"], _money(totals["revenue"])
    return SalesReport(
        start=start,
        end=end,
        days=days,
        revenue=revenue,
        orders=count,
        average_order_value=_money(revenue / count) if count else ZERO,
        refunded=_money(refunds["amount"]),
        refunds=refunds["count"],
        discounts=_money(totals["discounts"]),
        pending_refunds=_money(pending["amount"]),
        disputes=disputes.count(),
        disputes_lost=disputes.filter(status=Dispute.Status.LOST).count(),
        top_products=top_products,
        downloads=downloads,
    )


def chart_bars(days, *, height=160):
    """Bar heights (in SVG units) for each day's revenue, the tallest day filling `height`."""
    tallest = max((day.revenue for day in days), default=ZERO)
    return [
        {"day": day, "height": float(day.revenue / tallest * height) if tallest else 0.0, "index": index}
        for index, day in enumerate(days)
    ]
