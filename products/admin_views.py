"""The owner's stock screen: every physical product's count, the units unpaid checkouts hold, and a form per
product to set a new count after a delivery or a stocktake. Each change is written to the page's history.
Below, each unpaid checkout that holds stock, with a button to release it: what is held, and the release,
come from the app that takes orders through products.stock_holds."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect
from django.utils import timezone
from django.views.generic import TemplateView, View

from wagtail.admin import messages
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.log_actions import log

from . import inventory
from .models import ProductPage
from .stock_holds import Outcome, stock_holds

STOCK_PERMISSION = "products.change_productpage"


def can_set_stock(user):
    return user.has_perm(STOCK_PERMISSION)


class StockChanged(Exception):
    """The count moved (a sale, or another edit) after the owner loaded the page."""


def set_counted_stock(product_id, quantity, *, expected, user):
    """Set a physical product's stock to the owner's count, if it still stands at `expected`, and log who
    changed it from what. Returns the page; raises StockChanged or ProductPage.DoesNotExist."""
    with transaction.atomic():
        page = ProductPage.objects.select_for_update(of=("self",)).get(pk=product_id, kind=ProductPage.Kind.PHYSICAL)
        if page.stock != expected:
            raise StockChanged(page.stock)
        if quantity != page.stock:
            inventory.set_stock(page.pk, quantity)
            log(instance=page, action="pagecart.stock_set", data={"from": page.stock, "to": quantity}, user=user)
    return page


class StockForm(forms.Form):
    product = forms.IntegerField(widget=forms.HiddenInput)
    # The count the owner saw, so a sale made meanwhile is not overwritten unnoticed.
    expected = forms.IntegerField(widget=forms.HiddenInput, required=False)
    stock = forms.IntegerField(min_value=0, label="New count")


def physical_products():
    """Physical products by title, each with `held`: the units pending checkouts hold (already out of stock)."""
    physical = ProductPage.objects.filter(kind=ProductPage.Kind.PHYSICAL)
    return stock_holds().with_held_units(physical).order_by("title", "pk")


class ReleaseHoldView(View):
    """POST: give an unpaid checkout's stock back at once, closing its payment page first."""

    http_method_names = ["post"]

    def dispatch(self, request, *args, **kwargs):
        if not can_set_stock(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, order_id):
        release = stock_holds().release(order_id, note=f"Hold released by {request.user.get_username()}")
        number = release.number
        if release.outcome is Outcome.GONE:
            messages.info(request, "That checkout no longer holds stock: it was paid, expired or released.")
        elif release.outcome is Outcome.PROVIDER_DOWN:
            messages.error(request, f"Order {number}: Stripe could not be reached, so the hold stays. Try again.")
        elif release.outcome is Outcome.RELEASED:
            messages.success(request, f"Order {number}: its payment page is closed and the stock is back.")
        else:
            messages.warning(request, f"Order {number} was paid meanwhile, so it keeps its stock.")
        return redirect("products_stock")


class StockView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "products/admin/stock.html"
    page_title = "Stock"
    header_icon = "clipboard-list"

    def dispatch(self, request, *args, **kwargs):
        if not can_set_stock(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def post(self, request, *args, **kwargs):
        form = StockForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                page = set_counted_stock(data["product"], data["stock"], expected=data["expected"], user=request.user)
            except ProductPage.DoesNotExist:
                messages.error(request, "That product no longer exists or is not a physical product.")
                return redirect(request.path)
            except StockChanged as changed:
                form.add_error(
                    "stock",
                    f"The stock changed to {changed.args[0]} since this page was loaded (a sale or another edit). "
                    "Check the count and save again.",
                )
            else:
                if data["stock"] == data["expected"]:
                    messages.info(request, f"{page.title}: the stock is already {data['stock']}.")
                else:
                    messages.success(request, f"{page.title}: stock set from {data['expected']} to {data['stock']}.")
                return redirect(request.path)
        messages.error(request, "The stock was not changed. Correct the count below.")
        return self.render_to_response(self.get_context_data(failed_form=form))

    def get_context_data(self, failed_form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        failed_product = failed_form.data.get("product") if failed_form else None
        context["rows"] = [
            (product, failed_form if str(product.pk) == failed_product else None) for product in physical_products()
        ]
        context["failed_form"] = failed_form
        context["holds"] = stock_holds().current()
        context["now"] = timezone.now()
        return context
