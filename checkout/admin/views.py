"""The owner's view of orders in the Wagtail admin: a read-only, filterable list with a CSV export, and an
order page that shows everything that happened to an order and can start a refund."""

import datetime

import django_filters

from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import redirect
from django.urls import path
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property

from wagtail.admin import messages
from wagtail.admin.admin_url_finder import ModelAdminURLFinder
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, StatusTagColumn
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.models import ModelLogEntry

from website.money import format_money

from .. import carriers, lifecycle
from ..delivery import shipping
from ..exceptions import OrderStateError
from ..models import DownloadGrant, Order, OrderLine, Refund
from ..payments.refunds import REFUNDABLE_STATES, RefundError, check_refund, request_refund


class OrderFilterSet(WagtailFilterSet):
    status = django_filters.MultipleChoiceFilter(choices=Order.Status.choices, widget=forms.CheckboxSelectMultiple)
    created_at = django_filters.DateFromToRangeFilter(label="Created", widget=DateRangePickerWidget)

    class Meta:
        model = Order
        fields = ["status", "created_at"]


def _csv_datetime(value):
    return timezone.localtime(value).isoformat(timespec="seconds")


def _csv_text(value):
    # Shoppers type their email: keep a spreadsheet from reading one that starts like a formula as a formula.
    return f"'{value}" if value[:1] in ("=", "+", "-", "@") else value


def _when(field_name):
    """A column accessor showing a date and time the way the order page does: 22 Nov 2026, 12:39."""

    def accessor(order):
        value = getattr(order, field_name)
        return date_format(timezone.localtime(value), "j M Y, H:i") if value else ""

    return accessor


class OrderIndexView(IndexView):
    # Seeing orders takes the view permission; add, change and delete do not imply it here.
    any_permission_required = ["view"]
    # CSV only: XLSX needs openpyxl, which the shop does not install.
    FORMATS = (IndexView.FORMAT_CSV,)
    custom_field_preprocess = {"email": {IndexView.FORMAT_CSV: _csv_text}}
    custom_value_preprocess = {
        **IndexView.custom_value_preprocess,
        datetime.datetime: {IndexView.FORMAT_CSV: _csv_datetime},
    }

    @cached_property
    def header_more_buttons(self):
        return [button for button in super().header_more_buttons if button.url != self.xlsx_export_url]


class RefundForm(forms.Form):
    """Which lines to refund. The first POST shows the owner what would be refunded; the refund happens only
    when they confirm that summary."""

    lines = forms.ModelMultipleChoiceField(queryset=OrderLine.objects.none(), required=False)
    whole_order = forms.BooleanField(required=False)
    confirm = forms.BooleanField(required=False)

    def __init__(self, *args, order, **kwargs):
        super().__init__(*args, **kwargs)
        # Any line of this order is accepted here, so refunding one twice gets the refund service's message.
        self.fields["lines"].queryset = order.lines.all()
        self.order = order

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("whole_order"):
            cleaned["lines"] = list(self.order.lines.filter(refunded=False))
        elif not cleaned.get("lines"):
            raise forms.ValidationError("Choose the lines to refund, or refund the whole order.")
        return cleaned


class ShipmentForm(forms.Form):
    """A parcel: which physical lines are in it, who carries it and its tracking number."""

    lines = forms.ModelMultipleChoiceField(
        queryset=OrderLine.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose the lines in this parcel."},
    )
    carrier = forms.ChoiceField(choices=carriers.CARRIER_CHOICES)
    tracking_number = forms.CharField(max_length=64, required=False, strip=True)

    def __init__(self, *args, order, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lines"].queryset = order.lines.filter(is_digital=False)
        self.fields["lines"].label_from_instance = lambda line: f"{line.quantity} × {line.title} ({line.sku})"


class OrderStepForm(forms.Form):
    """Delivered, completed or cancelled, with an optional note for the order's history."""

    note = forms.CharField(max_length=300, required=False, strip=True)


class OrderInspectView(InspectView):
    any_permission_required = ["view"]
    template_name = "checkout/admin/order_inspect.html"
    page_title = "Order"

    def get_page_subtitle(self):
        return self.object.number

    @cached_property
    def can_change(self):
        return self.user_has_permission("change")

    @cached_property
    def refundable(self):
        return self.object.status in REFUNDABLE_STATES and any(not line.refunded for line in self.object.lines.all())

    def get_fields_context(self):
        return []  # The template lays the order out itself.

    def post(self, request, *args, **kwargs):
        if not self.can_change:
            raise PermissionDenied
        step = request.POST.get("step")
        if step == "ship":
            return self._ship(request)
        if step in self.STEPS:
            return self._step(request, step)
        return self._refund(request)

    # Step name -> (service, message once done). Each service checks the order's state itself.
    STEPS = {
        "deliver": (shipping.mark_delivered, "Order marked delivered; the customer has been emailed."),
        "complete": (shipping.complete, "Order completed."),
        "cancel": (
            shipping.cancel,
            "Order cancelled: its stock is back and the rest of the payment is being refunded.",
        ),
    }

    def _ship(self, request):
        form = ShipmentForm(request.POST, order=self.object)
        if form.is_valid():
            try:
                shipment = shipping.ship(
                    self.object,
                    form.cleaned_data["lines"],
                    carrier=form.cleaned_data["carrier"],
                    tracking_number=form.cleaned_data["tracking_number"],
                    actor=request.user,
                )
            except OrderStateError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, f"Shipped with {shipment.carrier_name}; the customer has been emailed.")
                return redirect(request.path)
        return self.render_to_response(self.get_context_data(shipment_form=form))

    def _step(self, request, step):
        service, done = self.STEPS[step]
        form = OrderStepForm(request.POST)
        if form.is_valid():
            try:
                service(self.object, actor=request.user, note=form.cleaned_data["note"])
            except OrderStateError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, done)
                return redirect(request.path)
        return self.render_to_response(self.get_context_data(step_form=form, failed_step=step))

    def _refund(self, request):
        form = RefundForm(request.POST, order=self.object)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(refund_form=form))
        try:
            if not form.cleaned_data["confirm"]:
                lines, amount = check_refund(self.object, form.cleaned_data["lines"])
                preview = {
                    "lines": lines,
                    "amount": amount,
                    "revokes_downloads": any(line.is_digital for line in lines),
                }
                return self.render_to_response(self.get_context_data(refund_form=form, refund_preview=preview))
            result = request_refund(self.object, form.cleaned_data["lines"], user=request.user)
        except RefundError as error:
            form.add_error(None, str(error))
            return self.render_to_response(self.get_context_data(refund_form=form))
        amount = format_money(result.amount, self.object.currency)
        if result.applied:
            messages.success(request, f"Refunded {amount} ({result.refund_id}).")
        else:
            messages.success(
                request,
                f"Refund of {amount} requested ({result.refund_id}). The order will show it once Stripe confirms it.",
            )
        return redirect(request.path)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        order = self.object
        lines = list(
            order.lines.select_related("product").prefetch_related(
                Prefetch("grants", queryset=DownloadGrant.objects.select_related("document"))
            )
        )
        context.update(
            order=order,
            lines=lines,
            grants=[grant for line in lines for grant in line.grants.all()],
            refunds=Refund.objects.filter(order=order).prefetch_related("lines").order_by("created_at"),
            disputes=order.disputes.all(),
            events=order.events.order_by("-received_at"),
            admin_actions=ModelLogEntry.objects.for_instance(order).select_related("user").order_by("-timestamp"),
            can_refund=self.can_change,
            refundable=self.refundable,
            history=order.status_changes.select_related("actor"),
            shipments=order.shipments.prefetch_related("lines").select_related("shipped_by"),
            **self._steps(order, lines),
            selected_lines={str(pk) for pk in self.request.POST.getlist("lines")},
            **kwargs,
        )
        context.setdefault("shipment_form", ShipmentForm(order=order))
        return context

    def _steps(self, order, lines):
        """Which of the lifecycle's buttons the owner gets on this order."""
        if not self.can_change:
            return {}
        physical = [line for line in lines if not line.is_digital and not line.refunded]
        waiting = [line for line in physical if not line.shipment_id]
        all_sent = bool(physical) and not waiting
        return {
            "can_ship": order.status in shipping.SHIPPABLE_STATES and bool(waiting),
            "can_deliver": all_sent and lifecycle.can_transition(order, Order.Status.DELIVERED),
            "can_complete": order.status == Order.Status.DELIVERED,
            "can_cancel": lifecycle.can_transition(order, Order.Status.CANCELLED)
            and not any(line.shipment_id for line in lines),
        }


class OrderURLFinder(ModelAdminURLFinder):
    """Orders have no edit view: links to an order (site history, for one) go to its order page."""

    edit_url_name = "shop_orders:inspect"

    def get_edit_url(self, instance):
        if self.user and not self.permission_policy.user_has_permission(self.user, "view"):
            return None
        return self.construct_edit_url(instance)


class OrderViewSet(ModelViewSet):
    model = Order
    name = "orders"
    url_prefix = "shop/orders"
    url_namespace = "shop_orders"
    icon = "list-ul"
    menu_label = "Orders"
    menu_hook = "register_shop_menu_item"
    menu_order = 100
    add_to_reference_index = False
    copy_view_enabled = False
    inspect_view_enabled = True
    index_view_class = OrderIndexView
    inspect_view_class = OrderInspectView

    list_display = [
        "number",
        "email",
        StatusTagColumn(
            "status",
            accessor="get_status_display",
            label="Status",
            sort_key="status",
            primary=lambda order: order.status == Order.Status.REVIEW,
        ),
        Column("total", accessor="total_display", label="Total", sort_key="total"),
        Column("created_at", accessor=_when("created_at"), label="Created", sort_key="created_at"),
        Column("paid_at", accessor=_when("paid_at"), label="Paid", sort_key="paid_at"),
    ]
    filterset_class = OrderFilterSet
    search_fields = ["number", "email"]
    ordering = "-created_at"
    list_per_page = 50
    list_export = [
        "number",
        "email",
        "get_status_display",
        "currency",
        "subtotal",
        "shipping",
        "shipping_method",
        "ship_to",
        "tax",
        "tax_behavior",
        "total",
        "discount",
        "promotion_code",
        "amount_paid",
        "refunded_amount",
        "pending_refund_amount",
        "dispute_display",
        "created_at",
        "paid_at",
    ]
    export_headings = {
        "get_status_display": "Status",
        "amount_paid": "Paid",
        "refunded_amount": "Refunded",
        "pending_refund_amount": "Refund pending",
        "dispute_display": "Dispute",
        "shipping_method": "Shipping choice",
        "ship_to": "Ship to country",
        "tax_behavior": "Tax in prices",
    }
    export_filename = "orders"

    def get_common_view_kwargs(self, **kwargs):
        # Orders are made by checkouts and changed by payments, never typed in: no add, edit or delete views.
        return super().get_common_view_kwargs(
            add_url_name=None,
            edit_url_name=None,
            delete_url_name=None,
            history_url_name=None,
            usage_url_name=None,
            **kwargs,
        )

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path(f"inspect/<{self.pk_path_converter}:pk>/", self.inspect_view, name="inspect"),
        ]

    def get_permissions_to_register(self):
        # The group editor offers what the order screens use: view to see orders, change to refund them.
        return super().get_permissions_to_register().filter(codename__in=["view_order", "change_order"])

    @property
    def url_finder_class(self):
        return type("OrderURLFinder", (OrderURLFinder,), {"permission_policy": self.permission_policy})
