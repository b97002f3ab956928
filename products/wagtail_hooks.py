from django.contrib.auth.models import Permission
from django.urls import path, reverse

from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.log_actions import LogFormatter

from .admin_views import ReleaseHoldView, StockView, can_set_stock
from .files import product_file_chooser

# The owner's back office: Stock is registered here, Orders by the checkout app, each into this hook.
shop_menu = Menu(register_hook_name="register_shop_menu_item", construct_hook_name="construct_shop_menu")


@hooks.register("register_admin_menu_item")
def register_shop_menu():
    # Just below Pages (100); hidden when the user may see nothing in it.
    return SubmenuMenuItem("Shop", shop_menu, name="shop", icon_name="tag", order=150)


@hooks.register("register_admin_urls")
def register_stock_url():
    return [
        path("shop/stock/", StockView.as_view(), name="products_stock"),
        path("shop/stock/holds/<int:order_id>/release/", ReleaseHoldView.as_view(), name="products_release_hold"),
    ]


class StockMenuItem(MenuItem):
    def is_shown(self, request):
        return can_set_stock(request.user)


@hooks.register("register_shop_menu_item")
def register_stock_menu_item():
    return StockMenuItem("Stock", reverse("products_stock"), name="stock", icon_name="clipboard-list", order=200)


@hooks.register("register_permissions")
def register_stock_permission():
    # Lets the group editor grant the Stock screen (Wagtail's page permissions do not cover it).
    return Permission.objects.filter(content_type__app_label="products", codename="change_productpage")


@hooks.register("register_log_actions")
def register_stock_log_action(actions):
    @actions.register_action("pagecart.stock_set")
    class StockSet(LogFormatter):
        label = "Set stock"

        def format_message(self, log_entry):
            try:
                return f"Stock set from {log_entry.data['from']} to {log_entry.data['to']}"
            except (KeyError, TypeError):
                return "Stock set"


@hooks.register("register_admin_viewset")
def register_product_file_chooser():
    return product_file_chooser
