"""Failed log-ins cannot be aimed at an owner (OWASP ASVS 2.2): the guesser's address is throttled, per
account and overall, while the owner with the right password gets in from another address. Past a few
failures from anywhere an account slows down (website/login_delay.py), but never locks.

The shop's log-in (allauth), Wagtail's admin log-in and the API's token endpoint alike.
"""

import time

import pytest
from allauth.account.models import EmailAddress

from django.test import Client
from django.urls import reverse

from accounts.factories import SuperuserFactory, UserFactory
from website import admin_login, login_delay

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site_settings")]

PASSWORD = "correct horse battery staple"  # the factories'
TOKEN = "/api/v2/auth/token/"


def from_address(number):
    return Client(REMOTE_ADDR=f"198.51.100.{number}")


def logged_in(client):
    return client.session.get("_auth_user_id") is not None


@pytest.fixture
def owner():
    user = UserFactory(email="ada@example.com")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


@pytest.fixture
def editor():
    return SuperuserFactory(email="editor@example.com")


def shop_log_in(client, password):
    return client.post(reverse("account_login"), {"login": "ada@example.com", "password": password})


def admin_log_in(client, password):
    return client.post("/admin/login/", {"username": "editor@example.com", "password": password})


def token_for(client, password):
    return client.post(TOKEN, {"email": "ada@example.com", "password": password}, content_type="application/json")


@pytest.fixture
def slow_after_two(settings):
    settings.LOGIN_DELAY_FREE_FAILURES = 2
    settings.LOGIN_DELAY_SECONDS = 0.2
    settings.LOGIN_DELAY_MAX_SECONDS = 0.4


# -- The shop's log-in -----------------------------------------------------------------------------------


@pytest.mark.usefixtures("owner")
def test_five_wrong_passwords_throttle_the_guessers_address_not_the_owner():
    attacker = from_address(1)
    guesses = [shop_log_in(attacker, "guess") for _ in range(5)]

    attacker_right = shop_log_in(attacker, PASSWORD)
    owner = from_address(2)
    owner_answer = shop_log_in(owner, PASSWORD)

    assert [guess.status_code for guess in guesses] == [200] * 5
    assert attacker_right.status_code == 429 and not logged_in(attacker)
    assert owner_answer["Location"] == reverse("accounts:dashboard") and logged_in(owner)


@pytest.mark.usefixtures("owner", "slow_after_two")
def test_failures_from_many_addresses_slow_the_account_down_but_the_owner_still_gets_in():
    for number in range(4):
        assert shop_log_in(from_address(number), "guess").status_code == 200
    assert login_delay.seconds_before_checking("shop", "ADA@example.com ") == 0.4  # 0.2, doubled, capped

    owner = from_address(99)
    started = time.monotonic()
    answer = shop_log_in(owner, PASSWORD)

    assert time.monotonic() - started >= 0.4
    assert answer["Location"] == reverse("accounts:dashboard") and logged_in(owner)
    assert login_delay.seconds_before_checking("shop", "somebody.else@example.com") == 0


# -- Wagtail's admin log-in ------------------------------------------------------------------------------


@pytest.mark.usefixtures("editor")
def test_five_wrong_admin_passwords_throttle_the_guessers_address_not_the_editor():
    limit = admin_login.ATTEMPTS_PER_USERNAME_AND_IP[0]
    attacker = from_address(3)
    guesses = [admin_log_in(attacker, "guess") for _ in range(limit)]

    attacker_right = admin_log_in(attacker, PASSWORD)
    editor = from_address(4)
    editor_answer = admin_log_in(editor, PASSWORD)

    assert [guess.status_code for guess in guesses] == [200] * limit
    assert attacker_right.status_code == 429 and not logged_in(attacker)
    assert editor_answer["Location"] == "/admin/" and logged_in(editor)


@pytest.mark.usefixtures("editor", "slow_after_two")
def test_admin_failures_from_many_addresses_slow_the_account_down_but_the_editor_still_gets_in():
    for number in range(4):
        assert admin_log_in(from_address(10 + number), "guess").status_code == 200

    editor = from_address(98)
    started = time.monotonic()
    answer = admin_log_in(editor, PASSWORD)

    assert time.monotonic() - started >= 0.4
    assert answer["Location"] == "/admin/" and logged_in(editor)


# -- The API's tokens ------------------------------------------------------------------------------------


@pytest.mark.usefixtures("owner")
def test_five_wrong_token_passwords_throttle_the_guessers_address_not_the_owner():
    attacker = from_address(5)
    guesses = [token_for(attacker, "guess") for _ in range(5)]

    attacker_right = token_for(attacker, PASSWORD)
    owner_answer = token_for(from_address(6), PASSWORD)

    assert [guess.status_code for guess in guesses] == [400] * 5
    assert attacker_right.status_code == 429
    assert owner_answer.status_code == 200 and owner_answer.json()["token"]
