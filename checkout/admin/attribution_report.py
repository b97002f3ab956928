"""Which pages sold: revenue, orders, units and refunds per page, per block, per campaign or per day, read from
the order lines' attribution (checkout/attribution.py). Each table is one query (values + annotate), the same
SQL on SQLite and PostgreSQL.

The rules, written down once:
- A sale is a line of an order paid in the period, in the states Shop › Sales counts (whatever happened to it
  later), on the day it was paid.
- Revenue is the line's price times its quantity as sold: promotion discounts and shipping belong to the whole
  order, not to a page, and are left out.
- Refunds are read from the ledger as it settled on the lines, never by adding up Refund rows again (that
  would count a refund twice beside Order.refunded_amount): a line refunded as a line (the owner chose it, or
  the whole order came back) counts its whole value as refunded; money refunded without naming lines (a partial
  refund made in Stripe's dashboard) is shared among the order's other lines in proportion to their value, and
  never more than their value. A refund counts against the sale it undoes, whenever it was made (Shop › Sales
  counts refunds on their own day instead). Net is revenue less refunds.
- Units are as sold; refunded units are the units of lines refunded as lines.
- A campaign is the UTM values of the visit that led to the order: its last touch (the one that brought the
  buyer back to buy) or its first (the one that brought them at all); orders without one group as none.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Case, Count, F, Max, OuterRef, Q, Subquery, Sum, When
from django.db.models.fields.json import KeyTextTransform, KeyTransform
from django.db.models.functions import Coalesce, Greatest, Least, TruncDate
from django.utils import timezone

from wagtail.models import Page

from ..models import OrderLine
from .reports import MONEY, SALE_STATES, ZERO, _money

LINE_VALUE = F("unit_price") * F("quantity")


def _order_lines_total(*, refunded):
    """The value of the order's lines refunded as lines (or of the others), as a correlated subquery."""
    lines = OrderLine.objects.filter(order=OuterRef("order"), refunded=refunded).order_by().values("order")
    return Coalesce(Subquery(lines.annotate(value=Sum(LINE_VALUE)).values("value")), ZERO, output_field=MONEY)


def _refund_share():
    """What of this line's value came back (see the rules above)."""
    unnamed = Greatest(F("order__refunded_amount") - _order_lines_total(refunded=True), ZERO, output_field=MONEY)
    kept = _order_lines_total(refunded=False)
    return Case(
        When(refunded=True, then=LINE_VALUE),
        When(order__refunded_amount__gt=0, then=Least(LINE_VALUE * unnamed / kept, LINE_VALUE, output_field=MONEY)),
        default=ZERO,
        output_field=MONEY,
    )


def _campaign(touch):
    """The UTM values of the visit's first or last touch (Order.touches), as three GROUP BY columns."""
    return {
        field: KeyTextTransform(field, KeyTransform(touch, "order__touches"))
        for field in ("utm_source", "utm_medium", "utm_campaign")
    }


@dataclass(frozen=True)
class Dimension:
    label: str
    keys: dict  # the GROUP BY columns, name -> expression or field
    extra: dict  # shown beside them, one value per group


DIMENSIONS = {
    "page": Dimension(
        "Page",
        {"page_id": F("source_page")},
        {"title": Max("source_title"), "url": Max("source_url")},
    ),
    "block": Dimension(
        "Block",
        {"page_id": F("source_page"), "block": F("source_block")},
        {"title": Max("source_title"), "url": Max("source_url")},
    ),
    "campaign": Dimension("Campaign (last touch)", _campaign("last"), {}),
    "first_campaign": Dimension("Campaign (first touch)", _campaign("first"), {}),
    "day": Dimension("Day", {"day": TruncDate("order__paid_at")}, {}),
}
FIGURES = ("orders", "units", "refunded_units", "revenue", "refunds", "net")
SORTS = {*FIGURES, "title", "day"}


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _sales_lines(start: date, end: date):
    # A range of moments, not `paid_at__date`: on SQLite that calls a Python function on every order's
    # timestamp (half the report's time with 10,000 orders), and no index can help it anywhere.
    return OrderLine.objects.filter(
        order__status__in=SALE_STATES,
        order__paid_at__gte=_day_start(start),
        order__paid_at__lt=_day_start(end + timedelta(days=1)),
    )


def _figures():
    return {
        "orders": Count("order", distinct=True),
        "units": Sum("quantity"),
        "refunded_units": Coalesce(Sum("quantity", filter=Q(refunded=True)), 0),
        "revenue": Coalesce(Sum(LINE_VALUE, output_field=MONEY), ZERO, output_field=MONEY),
        "refunds": Coalesce(Sum(_refund_share()), ZERO, output_field=MONEY),
    }


def table(start: date, end: date, *, by: str = "page", sort: str = "-net", page_id: int | None = None) -> list[dict]:
    """One row per page (or block, campaign, day) that sold in the days `start` to `end`, both included;
    `page_id` keeps one page's sales."""
    dimension = DIMENSIONS[by]
    lines = _sales_lines(start, end)
    if page_id is not None:
        lines = lines.filter(source_page=page_id)
    rows = (
        lines.annotate(**dimension.keys)
        .values(*dimension.keys)
        .annotate(**dimension.extra, **_figures())
        .annotate(net=F("revenue") - F("refunds"))
    )
    if by in ("page", "block"):
        # Whether the page is still there (its title now), in the same query: a deleted one keeps its snapshot.
        rows = rows.annotate(live_title=Subquery(Page.objects.filter(pk=OuterRef("source_page")).values("title")[:1]))
    field = sort.lstrip("-")
    if field not in SORTS or (field in ("title", "day") and field not in {*dimension.keys, *dimension.extra}):
        field = "net"
    descending = sort.startswith("-")
    order = F(field).desc(nulls_last=True) if descending else F(field).asc(nulls_last=True)
    return [_cleaned(row) for row in rows.order_by(order, *dimension.keys)]


def _cleaned(row):
    for name in ("revenue", "refunds", "net"):
        row[name] = _money(row[name])
    return row


@dataclass(frozen=True)
class PageSales:
    """Net of refunds: units kept and the money kept."""

    units: int
    net: Decimal
    days: int


def page_sales(page_id: int, *, days: int = 30) -> PageSales:
    """What a page sold in the last `days` days, for its edit view: one query."""
    end = timezone.localdate()
    figures = _sales_lines(end - timedelta(days=days - 1), end).filter(source_page=page_id).aggregate(**_figures())
    units = (figures["units"] or 0) - figures["refunded_units"]
    return PageSales(units, _money(figures["revenue"] - figures["refunds"]), days)
