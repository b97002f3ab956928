from django.apps import AppConfig


class CheckoutConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "checkout"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        # Models (and what imports them) load only once the app registry is ready.
        from products.stock_holds import register as register_stock_holds

        from .signals import merge_cart_at_login
        from .stock_screen import CheckoutStockHolds

        user_logged_in.connect(merge_cart_at_login, dispatch_uid="checkout.merge_cart_at_login")
        # The Stock screen (products) learns what unpaid checkouts hold, and releases them, through this.
        register_stock_holds(CheckoutStockHolds())
