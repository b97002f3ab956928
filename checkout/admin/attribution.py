"""Shop › Sold by: the "which page sold it" report with its CSV export, and the line on each page's edit view.
Both need the permission to view orders; the numbers come from checkout.admin.attribution_report."""

from urllib.parse import urlencode

from django import forms
from django.urls import reverse

from ..attribution import MAX_ID
from . import attribution_report
from .sales import DEFAULT_DAYS, PeriodForm, ReportView, _csv_response, _currency, can_see_sales, last_days

SORT_CHOICES = [
    ("-net", "Net revenue, highest first"),
    ("-revenue", "Revenue, highest first"),
    ("-orders", "Orders, most first"),
    ("-units", "Units, most first"),
    ("-refunds", "Refunds, highest first"),
    ("title", "Page title"),
    ("day", "Day"),
]


class AttributionForm(PeriodForm):
    by = forms.ChoiceField(
        label="Per", choices=[(name, dimension.label) for name, dimension in attribution_report.DIMENSIONS.items()]
    )
    sort = forms.ChoiceField(label="Sort by", choices=SORT_CHOICES, required=False)
    page = forms.IntegerField(label="Page id", min_value=1, max_value=MAX_ID, required=False)


class AttributionReportView(ReportView):
    template_name = "checkout/admin/attribution_report.html"
    page_title = "Sold by"
    header_icon = "doc-full"

    def get(self, request, *args, **kwargs):
        form = query_form(request.GET)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        values = form.cleaned_data
        rows = rows_for(values)
        if request.GET.get("export") == "csv":
            return export(rows, values["by"], values["start"], values["end"])
        label = attribution_report.DIMENSIONS[values["by"]].label
        context = self.get_context_data(form=form, rows=rows, by=values["by"], by_label=label, currency=_currency())
        context["query"] = request.GET.urlencode()
        return self.render_to_response(context)


def query_form(params):
    """The report's parameters (here and in the API), each defaulting to the last 30 days per page."""
    start, end = last_days(DEFAULT_DAYS)
    defaults = {"start": start.isoformat(), "end": end.isoformat(), "by": "page", "sort": "-net"}
    return AttributionForm({**defaults, **params.dict()})


def rows_for(values):
    return attribution_report.table(
        values["start"], values["end"], by=values["by"], sort=values["sort"] or "-net", page_id=values["page"]
    )


def export(rows, by, start, end):
    keys = list(attribution_report.DIMENSIONS[by].keys)
    if by in ("page", "block"):
        keys += ["title", "url", "live_title"]
    header = [*keys, *attribution_report.FIGURES]
    lines = [[row.get(name) if row.get(name) is not None else "" for name in header] for row in rows]
    return _csv_response(f"sold-by-{by}-{start:%Y-%m-%d}-to-{end:%Y-%m-%d}.csv", header, lines)


def edit_view_summary(request, page):
    """The line above a page's editor: what it sold in the last 30 days, for those who may see orders."""
    if page is None or not page.pk or not can_see_sales(request.user):
        return None
    sold = attribution_report.page_sales(page.pk, days=DEFAULT_DAYS)
    start, end = last_days(DEFAULT_DAYS)
    query = urlencode({"start": start, "end": end, "by": "block", "page": page.pk})
    return {"sold": sold, "currency": _currency(), "report_url": f"{reverse('shop_sold_by')}?{query}"}
