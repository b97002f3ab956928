from django.urls import path, reverse

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.log_actions import LogFormatter

from website.money import format_money

from .admin.attribution import AttributionReportView
from .admin.sales import SalesPanel, SalesReportView, can_see_sales
from .admin.shipping_zones import ShippingZoneViewSet
from .admin.views import OrderViewSet


@hooks.register("register_admin_viewset")
def register_order_viewset():
    return OrderViewSet()


@hooks.register("register_admin_viewset")
def register_shipping_zone_viewset():
    return ShippingZoneViewSet()


@hooks.register("register_log_actions")
def register_refund_log_action(actions):
    @actions.register_action("pagecart.refund_requested")
    class RefundRequested(LogFormatter):
        label = "Request refund"

        def format_message(self, log_entry):
            data = log_entry.data
            try:
                return f"Asked for a refund of {format_money(data['amount'], data['currency'])} ({data['refund_id']})"
            except (KeyError, TypeError):
                return "Asked for a refund"


@hooks.register("register_admin_urls")
def register_sales_report_url():
    return [
        path("shop/sales/", SalesReportView.as_view(), name="shop_sales"),
        path("shop/sold-by/", AttributionReportView.as_view(), name="shop_sold_by"),
    ]


class SalesMenuItem(MenuItem):
    def is_shown(self, request):
        return can_see_sales(request.user)


@hooks.register("register_shop_menu_item")
def register_sales_menu_item():
    return SalesMenuItem("Sales", reverse("shop_sales"), name="sales", icon_name="table", order=50)


@hooks.register("register_shop_menu_item")
def register_sold_by_menu_item():
    return SalesMenuItem("Sold by", reverse("shop_sold_by"), name="sold-by", icon_name="doc-full", order=55)


@hooks.register("construct_homepage_panels")
def add_sales_panel(request, panels):
    if can_see_sales(request.user):
        panels.append(SalesPanel())
