from django.apps import AppConfig


class CheckoutConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "checkout"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .signals import merge_cart_at_login

        user_logged_in.connect(merge_cart_at_login, dispatch_uid="checkout.merge_cart_at_login")
