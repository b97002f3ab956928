"""Wagtail's admin log-in with a limit on attempts, counted in the shared cache like the shop's own limits.

allauth limits the shop's log-in; Wagtail's has none, and its accounts can publish pages and refund
orders. Past the limit the form comes back with the reason (and a 429) without checking the password,
so a guess made then learns nothing.
"""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from wagtail.admin.forms.auth import LoginForm
from wagtail.admin.views.account import LoginView

from website.ratelimit import allow, client_ip

# (attempts, seconds), as allauth's failed log-ins: 10 a minute from one address, 5 in 5 minutes for one
# account from anywhere. Every attempt counts: an editor who mistypes five times waits five minutes.
ATTEMPTS_PER_IP = (10, 60)
ATTEMPTS_PER_USERNAME = (5, 5 * 60)
TOO_MANY = "too_many_attempts"


class RateLimitedLoginForm(LoginForm):
    def clean(self):
        username = (self.cleaned_data.get("username") or "").strip().lower()
        per_ip, per_username = ATTEMPTS_PER_IP, ATTEMPTS_PER_USERNAME
        if not (
            allow("admin-login-ip", client_ip(self.request), limit=per_ip[0], period=per_ip[1])
            and (not username or allow("admin-login-user", username, limit=per_username[0], period=per_username[1]))
        ):
            raise ValidationError(
                "Too many log-in attempts. To keep the account safe, please wait a few minutes, then try again.",
                code=TOO_MANY,
            )
        return super().clean()


class RateLimitedLoginView(LoginView):
    def get_form_class(self):
        return RateLimitedLoginForm

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.has_error(NON_FIELD_ERRORS, TOO_MANY):
            response.status_code = 429
            response["Retry-After"] = str(ATTEMPTS_PER_USERNAME[1])
        return response
