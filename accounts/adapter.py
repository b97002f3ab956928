"""How allauth speaks for the shop: its mail carries the store's name, and a run of failed log-ins ends in
the same 429 page as allauth's other rate limits."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.core.ratelimit import respond_429
from allauth.utils import build_absolute_uri

from django.core.exceptions import ValidationError
from django.urls import reverse

from website import login_delay
from website.models import SiteSettings
from website.ratelimit import client_ip


def shop_settings(request):
    """The SiteSettings of the site serving the request, else the default site's, else the defaults."""
    if request is not None:
        try:
            return SiteSettings.for_request(request)
        except SiteSettings.DoesNotExist:
            pass
    return SiteSettings.for_default_site()


# The one log-in error, whether the address is unknown or the password wrong (enumeration prevention).
LOGIN_MISMATCH = "That email address and password don't match an account. Check them and try again."


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {**DefaultAccountAdapter.error_messages, "email_password_mismatch": LOGIN_MISMATCH}

    def send_mail(self, template_prefix, email, context):
        request = self.request
        site_settings = shop_settings(request)
        context = {
            "site_settings": site_settings,
            "brand_name": site_settings.brand_name,
            "shop_url": build_absolute_uri(request, "/") if request else "",
            "login_url": build_absolute_uri(request, reverse("account_login")) if request else "",
            "forgot_password_url": build_absolute_uri(request, reverse("account_reset_password")) if request else "",
            **context,
        }
        super().send_mail(template_prefix, email, context)

    def _get_login_attempts_cache_key(self, request, **credentials):
        # allauth's "5 failed log-ins per account" counts per account and address: counted per account alone,
        # anyone could lock the owner out with five wrong passwords. Across addresses the account slows
        # down instead (website/login_delay.py).
        return f"{super()._get_login_attempts_cache_key(request, **credentials)}:{client_ip(request)}"

    def authentication_failed(self, request, **credentials):
        super().authentication_failed(request, **credentials)
        login_delay.record_failure("shop", credentials.get("email") or "")

    def pre_authenticate(self, request, **credentials):
        # allauth reports "too many failed log-ins" as a form error; answer it like every other limit, with
        # the 429 page, so a script hammering one address gets the same signal as one hammering the view.
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError as error:
            if error.code == "too_many_login_attempts":
                raise ImmediateHttpResponse(respond_429(request)) from error
            raise
        login_delay.pause_before_checking("shop", credentials.get("email") or "")
