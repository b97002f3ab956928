from django.apps import AppConfig


class CheckoutConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "checkout"

    def ready(self):
        # Imported here: the app registry must be ready before the models these modules import load.
        from django.contrib.auth.signals import user_logged_in

        from products.stock_holds import register as register_stock_holds

        from .admin.stock_holds import CheckoutStockHolds
        from .payments.fulfilment import record_settled_refund
        from .payments.gateway import refund_settled
        from .signals import merge_cart_at_login

        user_logged_in.connect(merge_cart_at_login, dispatch_uid="checkout.merge_cart_at_login")
        refund_settled.connect(record_settled_refund, dispatch_uid="checkout.record_settled_refund")
        # The Stock screen (products) learns what unpaid checkouts hold, and releases them, through this.
        register_stock_holds(CheckoutStockHolds())
