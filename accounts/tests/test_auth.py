"""Shopper accounts through allauth: sign-up with email verification, log-in and out, password reset and
change, no account enumeration, rate limits, and every page in the shop's own layout."""

import re
from urllib.parse import urlsplit

import pytest
from allauth.account.models import EmailAddress

from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from wagtail.models import PageViewRestriction

from accounts.factories import UserFactory
from accounts.models import User
from website.tests.html import soup, text_of

pytestmark = pytest.mark.django_db

BRAND = "Northwind Studio"
PASSWORD = "correct horse battery staple"  # UserFactory's
NEW_PASSWORD = "a quiet lighthouse at dawn"


@pytest.fixture(autouse=True)
def shop(site_settings):
    site_settings.brand_name = BRAND
    site_settings.save()
    return site_settings


def verified_user(email="ada@example.com"):
    user = UserFactory(email=email)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def sign_up(client, email, password=NEW_PASSWORD):
    return client.post(reverse("account_signup"), {"email": email, "password1": password, "password2": password})


def log_in(client, email, password=PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def link_in(message, path_prefix):
    """The path of the first link in the mail's text that starts with `path_prefix`."""
    for url in re.findall(r"https?://\S+", message.body):
        path = urlsplit(url).path
        if path.startswith(path_prefix):
            return path
    raise AssertionError(f"no {path_prefix} link in: {message.body}")


def logged_in_user_id(client):
    return client.session.get("_auth_user_id")


def page_text(response):
    """What a visitor reads: header, messages, main and footer, without the CSRF tokens."""
    return text_of(soup(response).body)


def assert_site_page(response, title):
    """The shop's own frame (brand in the header, footer), a <title>, one <h1>, and kept out of search."""
    page = soup(response)
    assert BRAND in text_of(page.find("header"))
    assert page.find("footer") is not None
    assert page.find("main", id="main") is not None
    assert page.title.string.strip() == f"{title} | {BRAND}"
    assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    assert len(page.find_all("h1")) == 1


# Sign-up and verification


def test_sign_up_mails_a_branded_link_that_confirms_and_lands_on_the_dashboard(client):
    response = sign_up(client, "grace@example.com")

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert logged_in_user_id(client) is None
    [message] = mail.outbox
    assert message.to == ["grace@example.com"]
    assert BRAND in message.subject
    assert BRAND in message.body
    confirm_path = link_in(message, "/account/confirm-email/")

    # Opening the link only shows a button: a mail scanner following it confirms nothing.
    page = client.get(confirm_path)
    assert page.status_code == 200
    assert "grace@example.com" in text_of(soup(page).main)
    # allauth signs the form's key afresh (with the time in it), so it matches the mailed one up to the time.
    action = soup(page).main.find("form", method="post")["action"]
    assert action.split(":")[0] == confirm_path.split(":")[0]
    assert not EmailAddress.objects.get(email="grace@example.com").verified

    response = client.post(confirm_path)

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:dashboard")
    assert EmailAddress.objects.get(email="grace@example.com").verified
    user = User.objects.get(email="grace@example.com")
    assert logged_in_user_id(client) == str(user.pk)
    assert client.get(reverse("accounts:dashboard")).status_code == 200


def test_the_confirmation_link_from_another_browser_confirms_and_asks_to_log_in(client):
    sign_up(client, "grace@example.com")
    confirm_path = link_in(mail.outbox[0], "/account/confirm-email/")

    other_browser = Client()
    response = other_browser.post(confirm_path)

    assert response.status_code == 302
    assert response["Location"] == reverse("account_login")
    assert logged_in_user_id(other_browser) is None
    assert EmailAddress.objects.get(email="grace@example.com").verified
    assert log_in(other_browser, "grace@example.com", NEW_PASSWORD)["Location"] == reverse("accounts:dashboard")


def test_an_account_cannot_log_in_before_its_address_is_verified(client):
    sign_up(client, "grace@example.com")

    browser = Client()
    response = log_in(browser, "grace@example.com", NEW_PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert logged_in_user_id(browser) is None
    dashboard = browser.get(reverse("accounts:dashboard"))
    assert dashboard.status_code == 302
    assert dashboard["Location"].startswith(reverse("account_login"))


def test_an_expired_or_wrong_confirmation_link_says_so(client):
    response = client.get(reverse("account_confirm_email", args=["not-a-real-key"]))

    assert response.status_code == 200
    assert "This link has expired" in text_of(soup(response).main)


# Logging in and out


def test_a_verified_shopper_logs_in_with_their_email_in_any_case(client):
    user = verified_user("ada@example.com")

    response = log_in(client, "Ada@Example.COM")

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:dashboard")
    assert logged_in_user_id(client) == str(user.pk)


def test_log_out_takes_a_post_with_a_csrf_token_and_a_get_only_asks():
    user = verified_user()
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)

    page = browser.get(reverse("account_logout"))
    assert page.status_code == 200
    assert logged_in_user_id(browser) == str(user.pk)
    form = soup(page).main.find("form", method="post")
    assert form["action"] == reverse("account_logout")

    forged = browser.post(reverse("account_logout"))
    assert forged.status_code == 403
    assert logged_in_user_id(browser) == str(user.pk)

    token = form.find("input", attrs={"name": "csrfmiddlewaretoken"})["value"]
    response = browser.post(reverse("account_logout"), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert logged_in_user_id(browser) is None


def test_wagtail_page_privacy_sends_visitors_to_the_shop_log_in(client, home_page):
    PageViewRestriction.objects.create(page=home_page, restriction_type=PageViewRestriction.LOGIN)

    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login") + "?next=/")


# Passwords


def test_password_reset_round_trip(client):
    user = verified_user("ada@example.com")

    response = client.post(reverse("account_reset_password"), {"email": "ada@example.com"})

    assert response["Location"] == reverse("account_reset_password_done")
    [message] = mail.outbox
    assert message.to == ["ada@example.com"]
    assert BRAND in message.subject
    key_path = link_in(message, "/account/password/reset/key/")

    form_page = client.get(key_path, follow=True)
    assert form_page.status_code == 200
    assert "Choose a new password" in text_of(soup(form_page).main)
    set_path = form_page.redirect_chain[-1][0] if form_page.redirect_chain else key_path
    response = client.post(set_path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_from_key_done")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert "password was reset" in mail.outbox[-1].subject
    # The link works once.
    assert "doesn't work any more" in text_of(soup(client.get(key_path, follow=True)).main)
    browser = Client()
    assert log_in(browser, "ada@example.com", PASSWORD).status_code == 200
    assert log_in(browser, "ada@example.com", NEW_PASSWORD)["Location"] == reverse("accounts:dashboard")


def test_password_change(client):
    user = verified_user("ada@example.com")
    client.force_login(user)

    mismatch = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": "something else entirely"},
    )
    assert mismatch.status_code == 200
    user.refresh_from_db()
    assert user.check_password(PASSWORD)

    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert logged_in_user_id(client) == str(user.pk)  # still logged in on this device
    [notice] = mail.outbox
    assert notice.to == ["ada@example.com"]
    assert notice.subject == f"Your {BRAND} password was changed"


def test_password_change_needs_the_current_password(client):
    user = verified_user("ada@example.com")
    client.force_login(user)

    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": "not my password", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 200
    field = soup(response).find("input", attrs={"name": "oldpassword"})
    assert field["aria-invalid"] == "true"
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


# No account enumeration


def test_password_reset_for_an_unknown_address_answers_exactly_like_a_known_one():
    verified_user("ada@example.com")
    known, unknown = Client(), Client()

    known_response = known.post(reverse("account_reset_password"), {"email": "ada@example.com"})
    unknown_response = unknown.post(reverse("account_reset_password"), {"email": "nobody@example.com"})

    assert known_response.status_code == unknown_response.status_code == 302
    assert known_response["Location"] == unknown_response["Location"]
    assert page_text(known.get(known_response["Location"])) == page_text(unknown.get(unknown_response["Location"]))
    # Each address hears only about itself.
    assert sorted(message.to[0] for message in mail.outbox) == ["ada@example.com", "nobody@example.com"]
    [no_account] = [message for message in mail.outbox if message.to == ["nobody@example.com"]]
    assert "/account/password/reset/key/" not in no_account.body


def test_signing_up_with_a_taken_address_shows_the_same_page_and_mails_only_the_owner():
    owner = verified_user("ada@example.com")
    newcomer, impostor = Client(), Client()

    fresh = sign_up(newcomer, "grace@example.com")
    taken = sign_up(impostor, "Ada@Example.com", password="an impostor's own password")

    assert fresh.status_code == taken.status_code == 302
    assert fresh["Location"] == taken["Location"] == reverse("account_email_verification_sent")
    fresh_page = page_text(newcomer.get(fresh["Location"])).replace("grace@example.com", "ADDRESS")
    taken_page = page_text(impostor.get(taken["Location"])).replace("ada@example.com", "ADDRESS")
    assert fresh_page == taken_page
    # No second account, the owner's password untouched, and only the owner told.
    assert User.objects.filter(email__iexact="ada@example.com").count() == 1
    owner.refresh_from_db()
    assert owner.check_password(PASSWORD)
    [to_owner] = [message for message in mail.outbox if message.to == ["ada@example.com"]]
    assert to_owner.subject == f"You already have a {BRAND} account"
    assert "/account/confirm-email/" not in to_owner.body
    assert "/account/password/reset/" in to_owner.body
    assert [message.to for message in mail.outbox] == [["grace@example.com"], ["ada@example.com"]]


def test_the_log_in_error_is_the_same_for_an_unknown_address_and_a_wrong_password():
    verified_user("ada@example.com")

    wrong_password = log_in(Client(), "ada@example.com", "not the password")
    unknown_address = log_in(Client(), "nobody@example.com", "not the password")

    assert wrong_password.status_code == unknown_address.status_code == 200
    error = text_of(soup(wrong_password).find(role="alert"))
    assert error == text_of(soup(unknown_address).find(role="alert"))
    assert error == "That email address and password don't match an account. Check them and try again."
    assert page_text(wrong_password).replace("ada@example.com", "ADDRESS") == page_text(unknown_address).replace(
        "nobody@example.com", "ADDRESS"
    )


# Rate limits (allauth's defaults, counted in the default cache)


def assert_rate_limited(response):
    assert response.status_code == 429
    page = soup(response)
    assert BRAND in text_of(page.find("header"))
    assert "Too many attempts" in text_of(page.main)
    assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex"


def test_repeated_failed_log_ins_end_in_the_429_page(client):
    verified_user("ada@example.com")
    for _attempt in range(5):
        assert log_in(client, "ada@example.com", "guessing").status_code == 200

    assert_rate_limited(log_in(client, "ada@example.com", "guessing"))
    # Locked for this address even with the right password, until the window passes.
    assert_rate_limited(log_in(client, "ada@example.com"))
    assert logged_in_user_id(client) is None
    assert mail.outbox == []

    cache.clear()  # the counts live in the cache (local memory here, Redis in production)
    assert log_in(client, "ada@example.com")["Location"] == reverse("accounts:dashboard")


def test_repeated_sign_ups_end_in_the_429_page(client):
    for number in range(20):
        assert sign_up(client, f"shopper{number}@example.com").status_code == 302
    assert len(mail.outbox) == 20

    assert_rate_limited(sign_up(client, "one-too-many@example.com"))

    assert len(mail.outbox) == 20
    assert not User.objects.filter(email="one-too-many@example.com").exists()


def test_repeated_password_reset_requests_end_in_the_429_page(client):
    verified_user("ada@example.com")
    for _attempt in range(5):
        assert client.post(reverse("account_reset_password"), {"email": "ada@example.com"}).status_code == 302
    assert len(mail.outbox) == 5

    assert_rate_limited(client.post(reverse("account_reset_password"), {"email": "ada@example.com"}))

    assert len(mail.outbox) == 5


# Every page in the shop's layout, accessible forms


ANONYMOUS_PAGES = [
    ("account_login", (), "Log in"),
    ("account_signup", (), "Create an account"),
    ("account_reset_password", (), "Reset your password"),
    ("account_reset_password_done", (), "Check your email"),
    ("account_email_verification_sent", (), "Check your email"),
    ("account_inactive", (), "Account inactive"),
    ("account_confirm_email", ("not-a-real-key",), "Confirm your email address"),
    ("account_reset_password_from_key", ("0", "not-a-real-key"), "Reset link expired"),
    ("account_reset_password_from_key_done", (), "Password changed"),
]

SIGNED_IN_PAGES = [
    ("account_email", "Email addresses"),
    ("account_change_password", "Change your password"),
    ("account_logout", "Log out"),
    ("account_reauthenticate", "Confirm it's you"),
]


@pytest.mark.parametrize(("name", "args", "title"), ANONYMOUS_PAGES)
def test_every_page_before_log_in_has_the_shop_layout_and_noindex(client, name, args, title):
    response = client.get(reverse(name, args=args))

    assert response.status_code == 200
    assert_site_page(response, title)


@pytest.mark.parametrize(("name", "title"), SIGNED_IN_PAGES)
def test_every_signed_in_page_has_the_shop_layout_and_noindex(client, name, title):
    client.force_login(verified_user())

    response = client.get(reverse(name))

    assert response.status_code == 200
    assert_site_page(response, title)


def test_the_set_password_page_serves_accounts_without_one(client):
    user = verified_user()
    user.set_unusable_password()
    user.save()
    client.force_login(user)

    response = client.get(reverse("account_set_password"))

    assert response.status_code == 200
    assert_site_page(response, "Set a password")


@pytest.mark.parametrize("name", ["account_email", "account_change_password"])
def test_email_and_password_settings_sit_in_the_account_area_under_settings(client, name):
    client.force_login(verified_user())

    page = soup(client.get(reverse(name)))

    nav = page.find("nav", attrs={"aria-label": "Your account"})
    links = {text_of(a): a["href"] for a in nav.find_all("a")}
    assert links["Overview"] == reverse("accounts:dashboard")
    assert nav.find("a", attrs={"aria-current": "page"})["href"] == reverse("accounts:settings")
    log_out = nav.find("form")
    assert log_out["method"] == "post" and log_out["action"] == reverse("account_logout")
    settings_page = soup(client.get(reverse("accounts:settings")))
    assert settings_page.find("a", href=reverse("account_email"))
    assert settings_page.find("a", href=reverse("account_change_password"))


def test_the_email_page_lists_addresses_and_adds_one(client):
    user = verified_user("ada@example.com")
    client.force_login(user)

    response = client.post(reverse("account_email"), {"action_add": "", "email": "ada.work@example.com"})

    assert response.status_code == 302
    page = soup(client.get(reverse("account_email")))
    rows = [text_of(row) for row in page.main.select("li")]
    assert any("ada.work@example.com" in row and "Not confirmed" in row for row in rows)
    assert any("ada@example.com" in row and "Primary" in row and "Confirmed" in row for row in rows)
    [message] = mail.outbox
    assert message.to == ["ada.work@example.com"] and BRAND in message.subject


def test_form_errors_are_tied_to_their_fields(client):
    response = client.post(reverse("account_signup"), {"email": "not-an-email", "password1": "1234", "password2": ""})

    assert response.status_code == 200
    page = soup(response)
    for name in ("email", "password1", "password2"):
        field = page.find("input", attrs={"name": name})
        assert field["aria-invalid"] == "true"
        label = page.find("label", attrs={"for": field["id"]})
        assert label is not None and text_of(label)
        error = page.find(id=f"{field['id']}_error")
        assert error is not None and text_of(error)
        assert error["id"] in field["aria-describedby"].split()
    assert page.find("input", attrs={"name": "email"})["autocomplete"] == "email"
    assert page.find("input", attrs={"name": "password1"})["autocomplete"] == "new-password"
    assert page.find("input", attrs={"name": "password2"})["autocomplete"] == "new-password"


def test_the_log_in_form_has_labels_and_autocomplete(client):
    page = soup(client.get(reverse("account_login")))

    email = page.find("input", attrs={"name": "login"})
    password = page.find("input", attrs={"name": "password"})
    assert email["type"] == "email" and email["autocomplete"] == "email"
    assert password["type"] == "password" and password["autocomplete"] == "current-password"
    assert text_of(page.find("label", attrs={"for": email["id"]})) == "Email"
    assert text_of(page.find("label", attrs={"for": password["id"]})) == "Password"
    reset = page.find(id=password["aria-describedby"]).find("a")
    assert reset["href"] == reverse("account_reset_password")
