"""`Cache-Control: private, no-store` and `X-Robots-Tag: noindex` on every answer that may show someone's own
data, so no shared cache or proxy keeps it, the browser's back button after log-out does not show it, and no
search engine lists an emailed order link that leaked.

Decided per request, not per view, so a new view is covered without anyone remembering to mark it:
- anything served to a signed-in visitor (every page behind a log-in, the admin included; DRF sets the token's
  user on the request too, so the API's cart and orders count), except a public page rendered the same as for
  everyone (website.page_cache.is_shared_render: nothing of the visitor's is in it but a masked CSRF token);
- anything reached through a secret in the URL (an order link, a download, a password-reset or email key);
- the shop's and the account's own pages, which read the visitor's session (cart, checkout, success page,
  find-my-order) and allauth's (log-in, sign-up, reset).
Public pages stay cacheable (website/page_cache.py).
"""

from .page_cache import is_shared_render

PRIVATE_NAMESPACES = {"checkout", "accounts", "api"}
SECRET_URL_PARTS = {"token", "key", "number", "session_id", "uidb36"}
PRIVATE = "private, no-store"


def shows_personal_data(request) -> bool:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and not is_shared_render(request):
        return True
    match = getattr(request, "resolver_match", None)
    if match is None:
        return False
    return bool(
        PRIVATE_NAMESPACES.intersection(match.namespaces)
        or SECRET_URL_PARTS.intersection(match.kwargs)
        or (match.url_name or "").startswith("account_")
    )


class PrivatePagesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if shows_personal_data(request):
            if "no-store" not in response.get("Cache-Control", ""):
                response["Cache-Control"] = PRIVATE
            response.setdefault("X-Robots-Tag", "noindex")
        return response
