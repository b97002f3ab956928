"""API tokens: a verified account's email and password buy one; guesses are limited; DELETE revokes it."""

import pytest
from allauth.account.models import EmailAddress
from rest_framework.authtoken.models import Token

from django.test import Client

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db

TOKEN = "/api/v2/auth/token/"


def ask(client, body):
    return client.post(TOKEN, body, content_type="application/json")


def test_a_verified_shopper_gets_a_token_that_opens_the_cart(client, shopper):
    response = ask(client, {"email": "ADA@example.com ", "password": PASSWORD})
    assert response.status_code == 200
    key = response.json()["token"]
    assert key == Token.objects.get(user=shopper).key
    assert ask(client, {"email": shopper.email, "password": PASSWORD}).json()["token"] == key
    assert Client(HTTP_AUTHORIZATION=f"Token {key}").get("/api/v2/cart/").status_code == 200


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ({"email": "ada@example.com", "password": "wrong"}, "That email and password do not match an account."),
        ({"email": "nobody@example.com", "password": PASSWORD}, "That email and password do not match an account."),
        ({"email": "ada@example.com"}, "Send your email and password as strings."),
        ({"email": ["ada@example.com"], "password": PASSWORD}, "Send your email and password as strings."),
    ],
)
def test_wrong_or_missing_credentials_are_a_400_with_one_neutral_reason(client, shopper, body, reason):
    response = ask(client, body)
    assert (response.status_code, response.json()) == (400, {"detail": reason})
    assert not Token.objects.exists()


def test_an_unconfirmed_address_gets_no_token(client, shopper):
    EmailAddress.objects.update(verified=False)
    response = ask(client, {"email": shopper.email, "password": PASSWORD})
    assert (response.status_code, response.json()) == (
        400,
        {"detail": "Confirm your email address first: we sent you a link."},
    )
    assert not Token.objects.exists()


def test_guesses_for_one_account_from_one_address_are_limited_to_five_in_five_minutes(client, shopper):
    guesser = Client(REMOTE_ADDR="10.0.0.1")
    for _guess in range(5):
        assert ask(guesser, {"email": shopper.email, "password": "wrong"}).status_code == 400
    response = ask(guesser, {"email": shopper.email, "password": PASSWORD})
    assert response.status_code == 429
    assert not Token.objects.exists()
    # Not a lock on the account: its owner, elsewhere, still gets a token (tests/security/test_lockout.py).


def test_guesses_from_one_address_are_limited_to_ten_a_minute(client, shopper):
    for number in range(10):
        assert ask(client, {"email": f"guess{number}@example.com", "password": "wrong"}).status_code == 400
    assert ask(client, {"email": shopper.email, "password": PASSWORD}).status_code == 429


def test_delete_revokes_the_token(app, token):
    assert app.delete(TOKEN).status_code == 204
    assert app.get("/api/v2/cart/").status_code == 401
    assert Client().delete(TOKEN).status_code == 401
