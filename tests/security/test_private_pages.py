"""Every page that can show someone's own data answers `Cache-Control: private, no-store` and
`X-Robots-Tag: noindex` (website/private_pages.py).

The site's URL patterns are walked from the resolver, so a pattern added later is checked without anyone
listing it here: each one that sends an anonymous visitor to a log-in (or answers 401/403), and each one reached
through a secret in the URL (an order number, an access or download token, an emailed key), is requested as its
owner would and must carry both headers. Pages personal through the session (cart, checkout, success page,
find-my-order) are named, as nothing in their URL shows it. Wagtail's admin, behind its own log-in, is sampled.
"""

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from rest_framework.authtoken.models import Token

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter

from accounts.factories import UserFactory
from checkout.tests.shopping import buy, grant_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site_settings", "requests_commit")]

PASSWORD = "correct horse battery staple"  # UserFactory's
# Parameters that carry a secret: whoever has the URL sees the page.
SECRETS = {"number", "token", "key", "uidb36", "session_id"}
SESSION_PAGES = ["checkout:cart", "checkout:start", "checkout:success", "checkout:find_order"]
ADMIN_PAGES = ["/admin/", "/admin/shop/stock/", "/admin/pages/"]


def site_patterns(resolver=None, namespace=()):
    """(full name, pattern) of every named URL pattern outside Wagtail's admin."""
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            if str(entry.pattern).startswith("admin/"):
                continue
            yield from site_patterns(entry, (*namespace, entry.namespace) if entry.namespace else namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            yield ":".join((*namespace, entry.name)), entry


def parameters(pattern):
    """{name: is_int} of the pattern's captured parts, for path() and re_path() patterns alike."""
    converters = getattr(pattern.pattern, "converters", {})
    return {name: isinstance(converters.get(name), IntConverter) for name in pattern.pattern.regex.groupindex}


def answer(client, url):
    """The response to a GET, or to an empty POST where the view takes only POSTs."""
    response = client.get(url)
    return client.post(url) if response.status_code == 405 else response


def needs_log_in(response):
    if response.status_code in (401, 403):
        return True
    location = response.get("Location", "") if response.status_code in (301, 302, 303) else ""
    return "/login/" in location


@pytest.fixture
def owner(fake_stripe, guide):
    """A verified shopper, signed in, who bought the guide (an order, a download grant, an API token)."""
    user = UserFactory(email="buyer@example.com")
    address = EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    client = Client()
    client.force_login(user)
    order = buy(client, fake_stripe, guide, email=user.email)
    order.refresh_from_db()
    return {
        "client": client,
        "order": order,
        "grant": grant_for(order),
        "samples": {
            "number": order.number,
            "key": EmailConfirmationHMAC(address).key,
            "uidb36": user_pk_to_url_str(user),
            "session_id": order.payment_session_id,
        },
        "reset_key": default_token_generator.make_token(user),
        "api": Client(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}"),
    }


def positional(name, owner):
    """Wagtail's two patterns with unnamed groups: a document's file and a page's path."""
    document = owner["grant"].document
    known = {"wagtaildocs_serve": [document.pk, document.filename], "wagtail_serve": [""]}
    if name not in known:
        pytest.fail(f"{name} takes unnamed parts: give this test real values for them")
    return known[name]


def url_for(name, pattern, owner):
    if pattern.pattern.regex.groups > len(pattern.pattern.regex.groupindex):
        return reverse(name, args=positional(name, owner))
    values = {}
    for parameter, is_int in parameters(pattern).items():
        if parameter == "token":
            values[parameter] = owner["order"].access_token if name == "checkout:order" else owner["grant"].token
        elif parameter == "key" and "uidb36" in parameters(pattern):
            values[parameter] = owner["reset_key"]
        elif parameter in owner["samples"]:
            values[parameter] = owner["samples"][parameter]
        elif is_int:
            values[parameter] = owner["grant"].line.product_id  # a real product (the one cart line takes)
        else:
            pytest.fail(f"{name} takes <{parameter}>: give this test a real value for it")
    return reverse(name, kwargs=values)


def assert_private(response, what):
    assert "private" in response.get("Cache-Control", "") and "no-store" in response["Cache-Control"], what
    assert "noindex" in response.get("X-Robots-Tag", ""), what


def test_every_page_behind_a_log_in_or_a_secret_is_private_and_unindexed(owner):
    checked = []
    for name, pattern in site_patterns():
        url = url_for(name, pattern, owner)
        behind_secret = bool(SECRETS.intersection(parameters(pattern)))
        if not (behind_secret or needs_log_in(answer(Client(), url))):
            continue
        client = owner["api"] if name.startswith("api:") else owner["client"]
        assert_private(answer(client, url), f"{name} signed in ({url})")
        if behind_secret:
            assert_private(answer(Client(), url), f"{name} by its link alone ({url})")
        checked.append(name)

    # The walk found the pages the issue names, and more.
    assert {
        "checkout:order", "checkout:download", "accounts:dashboard", "accounts:orders", "accounts:order",
        "accounts:downloads", "accounts:settings", "api:cart", "api:orders", "api:order",
        "account_email", "account_change_password", "account_reset_password_from_key",
    } <= set(checked)  # fmt: skip


def test_pages_personal_through_the_session_are_private_and_unindexed(owner, guide):
    visitor = Client()
    visitor.post(reverse("checkout:cart_add"), {"product": guide.pk, "quantity": 1})
    for name in SESSION_PAGES:
        assert_private(answer(visitor, reverse(name)), name)
    success = visitor.get(reverse("checkout:success"), {"session_id": owner["order"].payment_session_id})
    assert_private(success, "the success page of a real payment")


def test_the_admin_is_private_and_unindexed(editor_client):
    for path in ADMIN_PAGES:
        assert_private(editor_client.get(path), path)


def test_public_pages_stay_cacheable(guide):
    for response in (Client().get(guide.url), Client().get("/robots.txt"), Client().get("/api/v2/pages/")):
        assert "no-store" not in response.get("Cache-Control", "")
        assert "X-Robots-Tag" not in response
