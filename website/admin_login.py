"""Wagtail's admin log-in with limits on attempts, counted where every worker sees them, like the shop's.

allauth limits the shop's log-in; Wagtail's has none, and its accounts can publish pages and refund
orders. Past a limit the form comes back with the reason (and a 429) without checking the password, so
a guess made then learns nothing. The limits are per address, never per account alone: five wrong
passwords from anywhere must not lock the editor out. Across addresses an account slows down instead
(website/login_delay.py).
"""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from wagtail.admin.forms.auth import LoginForm
from wagtail.admin.views.account import LoginView

from . import login_delay
from .ratelimit import allow, client_ip

# (attempts, seconds), as allauth's failed log-ins: 10 a minute from one address, and 5 in 5 minutes for
# one account from one address.
ATTEMPTS_PER_IP = (10, 60)
ATTEMPTS_PER_USERNAME_AND_IP = (5, 5 * 60)
TOO_MANY = "too_many_attempts"


class RateLimitedLoginForm(LoginForm):
    def clean(self):
        username = (self.cleaned_data.get("username") or "").strip().lower()
        address = client_ip(self.request)
        per_ip, per_account = ATTEMPTS_PER_IP, ATTEMPTS_PER_USERNAME_AND_IP
        if not (
            allow("admin-login-ip", address, limit=per_ip[0], period=per_ip[1])
            and (
                not username
                or allow("admin-login-user-ip", f"{username} {address}", limit=per_account[0], period=per_account[1])
            )
        ):
            raise ValidationError(
                "Too many log-in attempts. To keep the account safe, please wait a few minutes, then try again.",
                code=TOO_MANY,
            )
        if username:
            login_delay.pause_before_checking("admin", username)
        try:
            return super().clean()
        except ValidationError:
            if username:
                login_delay.record_failure("admin", username)
            raise


class RateLimitedLoginView(LoginView):
    def get_form_class(self):
        return RateLimitedLoginForm

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.has_error(NON_FIELD_ERRORS, TOO_MANY):
            response.status_code = 429
            response["Retry-After"] = str(ATTEMPTS_PER_USERNAME_AND_IP[1])
        return response
