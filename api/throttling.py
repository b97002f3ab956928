"""DRF throttles counted by website.ratelimit (Redis, else the database: every worker sees the same count),
like the rest of the shop's limits."""

from rest_framework.throttling import BaseThrottle

from website.ratelimit import allow, client_ip


class PublicThrottle(BaseThrottle):
    """Pages, images and documents, per address: each call renders afresh, unlike cached HTML pages."""

    scope, limit, period = "api-public", 300, 60

    def allow_request(self, request, view):
        return allow(self.scope, client_ip(request), limit=self.limit, period=self.period)

    def wait(self):
        return self.period


class ShopperThrottle(PublicThrottle):
    """Each signed-in shopper's calls to the cart, checkout and order endpoints."""

    scope, limit, period = "api-shopper", 120, 60

    def allow_request(self, request, view):
        return allow(self.scope, request.user.pk, limit=self.limit, period=self.period)


class TokenIpThrottle(PublicThrottle):
    """Password guesses for API tokens, per address (allauth's log-in form allows 10 failures a minute)."""

    scope, limit, period = "api-token-ip", 10, 60


class TokenEmailThrottle(PublicThrottle):
    """Password guesses for one account from one address (as allauth's 5 per 5 minutes). Never per account
    alone, which anyone could use to lock its owner out; across addresses the account slows down instead
    (website/login_delay.py, in the view)."""

    scope, limit, period = "api-token-email-ip", 5, 300

    def allow_request(self, request, view):
        email = request.data.get("email") if isinstance(request.data, dict) else None
        if not isinstance(email, str):
            return True  # refused as invalid input by the view
        key = f"{email.strip().lower()} {client_ip(request)}"
        return allow(self.scope, key, limit=self.limit, period=self.period)
