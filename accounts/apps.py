from django.apps import AppConfig


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        # Imported here: these modules import models, which load only once the app registry is ready.
        from allauth.account.signals import email_confirmed

        from django.contrib.auth.signals import user_logged_in

        from .signals import claim_orders_at_login, claim_orders_on_email_confirmed

        email_confirmed.connect(claim_orders_on_email_confirmed, dispatch_uid="accounts.claim_orders_on_confirm")
        user_logged_in.connect(claim_orders_at_login, dispatch_uid="accounts.claim_orders_at_login")
