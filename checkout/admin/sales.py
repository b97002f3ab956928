"""The sales report in the Wagtail admin (Shop › Sales) with its CSV exports, and the dashboard panel on the
admin home page. Both need the permission to view orders; the numbers come from checkout.admin.reports."""

import csv
from datetime import timedelta

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils import timezone
from django.views.generic import TemplateView

from wagtail.admin.ui.components import Component
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from website.models import SiteSettings

from . import reports

VIEW_ORDERS = "checkout.view_order"
DEFAULT_DAYS = 30
LONGEST_PERIOD = 366


def can_see_sales(user):
    return user.has_perm(VIEW_ORDERS)


def last_days(days):
    today = timezone.localdate()
    return today - timedelta(days=days - 1), today


class PeriodForm(forms.Form):
    start = forms.DateField(label="From", widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="To", widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end:
            if start > end:
                raise forms.ValidationError("The period must start on or before the day it ends.")
            if (end - start).days >= LONGEST_PERIOD:
                raise forms.ValidationError(f"Choose a period of at most {LONGEST_PERIOD} days.")
        return cleaned


def _currency():
    return SiteSettings.for_default_site().currency


class ReportView(WagtailAdminTemplateMixin, TemplateView):
    """A Shop report: for those who may see orders."""

    def dispatch(self, request, *args, **kwargs):
        if not can_see_sales(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]


class SalesReportView(ReportView):
    template_name = "checkout/admin/sales_report.html"
    page_title = "Sales"
    header_icon = "table"

    def get(self, request, *args, **kwargs):
        start, end = last_days(DEFAULT_DAYS)
        form = PeriodForm(request.GET if "start" in request.GET else None, initial={"start": start, "end": end})
        if form.is_bound:
            if not form.is_valid():
                return self.render_to_response(self.get_context_data(form=form), status=400)
            start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        report = reports.sales(start, end)
        export = request.GET.get("export")
        if export in EXPORTS:
            return EXPORTS[export](report)
        return self.render_to_response(self.get_context_data(form=form, report=report))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if report := kwargs.get("report"):
            context.update(chart=chart_context(report), currency=_currency(), query=self.request.GET.urlencode())
        return context


def chart_context(report, *, height=160, bar_width=14, gap=4):
    bars = reports.chart_bars(report.days, height=height)
    for bar in bars:
        bar["x"] = bar["index"] * (bar_width + gap)
        bar["y"] = height - bar["height"]
    return {"bars": bars, "height": height, "width": len(bars) * (bar_width + gap), "bar_width": bar_width}


def _csv_response(filename, header, rows):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(header)
    writer.writerows(rows)
    return response


def _period(report):
    return f"{report.start:%Y-%m-%d}-to-{report.end:%Y-%m-%d}"


def export_days(report):
    rows = [(day.date.isoformat(), day.orders, day.revenue) for day in report.days]
    rows.append(("total", report.orders, report.revenue))
    return _csv_response(f"sales-by-day-{_period(report)}.csv", ["date", "orders", "revenue"], rows)


def export_products(report):
    rows = [(row["title"], row["sku"], row["units"], row["revenue"]) for row in report.top_products]
    return _csv_response(f"top-products-{_period(report)}.csv", ["product", "sku", "units", "revenue"], rows)


EXPORTS = {"days": export_days, "products": export_products}


class SalesPanel(Component):
    """The last 30 days at a glance on the admin home page, for those who may see orders."""

    name = "sales"
    template_name = "checkout/admin/sales_panel.html"
    order = 50

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        report = reports.sales(*last_days(DEFAULT_DAYS))
        context.update(report=report, chart=chart_context(report, height=80, bar_width=8, gap=2), currency=_currency())
        return context
