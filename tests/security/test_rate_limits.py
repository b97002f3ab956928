"""Each rate limit an outsider can meet trips at its number, answers 429 with the reason, and changes nothing.

Counts live in the database (Redis under bin/with-services), allauth's in the default cache, cleared around
every test by conftest.py; tests/security/test_shared_limits.py proves them across two processes, and
tests/security/test_lockout.py that none locks an owner out. allauth's per-address limits are proven beside
the rest of the accounts tests (accounts/tests/test_auth.py: five failed log-ins for one address, twenty
sign-ups from one address, five password resets for one address); the download-renewal and find-my-order
limits in checkout/tests.
Here: the per-visitor-address side of allauth's limits, the admin log-in, checkout and download links.
"""

import pytest
from allauth.account.models import EmailAddress

from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.factories import SuperuserFactory, UserFactory
from checkout import views
from checkout.delivery import downloads
from checkout.models import DownloadLog, Order
from checkout.tests.shopping import buy, grant_for
from website import admin_login
from website.tests.html import soup, text_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site_settings")]

PASSWORD = "correct horse battery staple"  # UserFactory's
ADMIN_LOGIN = "/admin/login/"


def from_address(number):
    return {"REMOTE_ADDR": f"198.51.100.{number}"}


def logged_in(client):
    return client.session.get("_auth_user_id") is not None


# -- The shop's log-in and password reset (allauth), per visitor address ---------------------------


def test_failed_shop_log_ins_from_one_address_stop_at_ten_a_minute_whatever_the_account():
    ada = UserFactory(email="ada@example.com")
    EmailAddress.objects.create(user=ada, email=ada.email, verified=True, primary=True)
    client = Client(**from_address(1))
    guesses = [
        client.post(reverse("account_login"), {"login": f"guess{n}@example.com", "password": "x"}) for n in range(10)
    ]

    limited = client.post(reverse("account_login"), {"login": "ada@example.com", "password": PASSWORD})
    elsewhere = Client(**from_address(2)).post(reverse("account_login"), {"login": "x@example.com", "password": "x"})

    assert [guess.status_code for guess in guesses] == [200] * 10
    assert limited.status_code == 429 and "Too many attempts" in text_of(soup(limited).main)
    assert not logged_in(client)
    assert elsewhere.status_code == 200


def test_password_resets_from_one_address_stop_at_twenty_a_minute():
    client = Client(**from_address(3))
    answers = [client.post(reverse("account_reset_password"), {"email": f"r{n}@example.com"}) for n in range(21)]

    assert [answer.status_code for answer in answers] == [302] * 20 + [429]
    assert len(mail.outbox) == 20  # enumeration prevention mails unknown addresses too, up to the limit


# -- Wagtail's admin log-in --------------------------------------------------------------------------


@pytest.fixture
def editor(db):
    return SuperuserFactory(email="editor@example.com")


def admin_log_in(client, email, password):
    return client.post(ADMIN_LOGIN, {"username": email, "password": password})


def assert_admin_limited(response):
    assert response.status_code == 429
    assert response["Retry-After"] == str(admin_login.ATTEMPTS_PER_USERNAME_AND_IP[1])
    errors = text_of(soup(response).find(class_="messages"))
    assert "Too many log-in attempts" in errors
    assert soup(response).find("input", attrs={"name": "password"})  # the form again, to try later


def test_admin_log_ins_from_one_address_stop_at_ten_a_minute_whatever_the_account(editor):
    limit = admin_login.ATTEMPTS_PER_IP[0]
    client = Client(**from_address(5))
    guesses = [admin_log_in(client, f"guess{n}@example.com", "guess") for n in range(limit)]

    limited = admin_log_in(client, "editor@example.com", PASSWORD)
    elsewhere = Client(**from_address(6))

    assert [guess.status_code for guess in guesses] == [200] * limit
    assert_admin_limited(limited)
    assert not logged_in(client)
    assert admin_log_in(elsewhere, "editor@example.com", PASSWORD)["Location"] == "/admin/"
    assert logged_in(elsewhere)


# -- Checkout ----------------------------------------------------------------------------------------


def with_guide_in_cart(client, guide):
    client.post(reverse("checkout:cart_add"), {"product": guide.pk, "quantity": 1})
    return client


def assert_checkout_limited(response):
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert "many checkouts in a short while" in text_of(soup(response).find(role="status"))
    assert "Field Guide" in text_of(soup(response).main)  # the cart, as it was


def test_checkout_starts_stop_at_ten_a_minute_for_one_browser(client, fake_stripe, guide):
    with_guide_in_cart(client, guide)
    limit = views.CHECKOUT_STARTS_PER_SESSION[0]
    # Counted whether or not the form is right: a script need not fill it in to cost us a look.
    refused = [client.post(reverse("checkout:start"), {"email": "not an address"}) for _ in range(limit)]

    limited = client.post(reverse("checkout:start"), {"email": "buyer@example.com"})

    assert [answer.status_code for answer in refused] == [400] * limit
    assert_checkout_limited(limited)
    assert Order.objects.count() == 0 and fake_stripe.sessions == {}
    fresh = with_guide_in_cart(Client(), guide)
    assert fresh.post(reverse("checkout:start"), {"email": "buyer@example.com"}).status_code == 303


def test_checkout_starts_stop_at_thirty_a_minute_from_one_address(fake_stripe, guide):
    limit = views.CHECKOUT_STARTS_PER_IP[0]
    starts = [
        with_guide_in_cart(Client(**from_address(7)), guide).post(reverse("checkout:start"), {"email": "x"})
        for _ in range(limit)
    ]

    limited = with_guide_in_cart(Client(**from_address(7)), guide).post(reverse("checkout:start"), {"email": "x"})

    assert [start.status_code for start in starts] == [400] * limit
    assert_checkout_limited(limited)
    assert Order.objects.count() == 0


# -- Download links ----------------------------------------------------------------------------------


@pytest.mark.usefixtures("requests_commit")
def test_download_links_stop_at_sixty_a_minute_from_one_address_before_any_lookup(client, fake_stripe, guide):
    grant = grant_for(buy(client, fake_stripe, guide))
    limit = downloads.OPENINGS_PER_IP[0]
    guesses = [client.get(f"/downloads/{'a' * 43}{n:03d}/", **from_address(8)) for n in range(limit)]

    limited = client.get(grant.get_absolute_url(), **from_address(8))
    elsewhere = client.get(grant.get_absolute_url(), **from_address(9))

    assert [guess.status_code for guess in guesses] == [404] * limit
    assert limited.status_code == 429 and limited["Retry-After"] == "60"
    assert limited["Cache-Control"] == "private, no-store"
    assert "Please wait a minute" in text_of(soup(limited).main)
    assert elsewhere.status_code == 200
    assert DownloadLog.objects.count() == 1  # only the one let through
