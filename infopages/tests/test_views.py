import logging

import pytest

from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.test import override_settings

from wagtail.contrib.forms.models import FormSubmission

from infopages.factories import ContactPageFactory, InfoPageFactory
from website.factories import SiteSettingsFactory
from website.tests.html import main_text, soup, text_of

pytestmark = pytest.mark.django_db


class FailingEmailBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("SMTP server unreachable")


MESSAGE = {"your_name": "Ada Shopper", "email": "ada@example.com", "message": "Where is my order #1042?"}


def test_an_info_page_shows_its_title_intro_and_body(get_soup, site_settings, home_page):
    page = InfoPageFactory(
        parent=home_page,
        title="Shipping and returns",
        intro="How we ship and how to send things back.",
        body=[
            {"type": "heading", "value": {"text": "Returns", "level": "h2"}},
            {"type": "paragraph", "value": "<p>Send it back within <b>30 days</b>.</p>"},
        ],
    )

    _response, html = get_soup(page.url)

    assert text_of(html.find("h1")) == "Shipping and returns"
    assert "How we ship and how to send things back." in main_text(html)
    assert text_of(html.find("h2", id="returns")) == "Returns"
    assert html.find("main").find("b", string="30 days") is not None


def test_info_pages_nest_and_show_their_trail(get_soup, site_settings, home_page):
    policies = InfoPageFactory(parent=home_page, title="Policies", slug="policies")
    privacy = InfoPageFactory(parent=policies, title="Privacy", slug="privacy")

    _response, html = get_soup(privacy.url)

    assert privacy.url == "/policies/privacy/"
    assert html.find("a", href=policies.url) is not None


def test_the_contact_page_shows_its_form(get_soup, site_settings, home_page):
    contact = ContactPageFactory(parent=home_page, intro="<p>Questions about an order?</p>")

    _response, html = get_soup(contact.url)

    assert text_of(html.find("h1")) == "Contact"
    assert "Questions about an order?" in main_text(html)
    form = html.find("main").find("form", method="post")
    assert form is not None
    assert form.find("input", attrs={"name": "your_name"}) is not None
    assert form.find("input", attrs={"name": "email", "type": "email"}) is not None
    assert form.find("textarea", attrs={"name": "message"}) is not None
    labels = {text_of(label) for label in form.find_all("label")}
    assert {"Your name", "Email", "Message"} <= {label.rstrip(" *") for label in labels}
    assert form.find(["button", "input"], attrs={"type": "submit"}) is not None


def test_a_message_is_stored_and_mailed_to_the_pages_address(client, site_settings, home_page):
    contact = ContactPageFactory(parent=home_page, to_address="orders@example.com", subject="Website message")

    response = client.post(contact.url, MESSAGE)

    assert response.status_code == 200
    submission = FormSubmission.objects.get(page=contact)
    assert submission.get_data()["message"] == "Where is my order #1042?"
    [email] = mail.outbox
    assert email.to == ["orders@example.com"]
    assert email.subject == "Website message"
    assert "Where is my order #1042?" in email.body
    assert "ada@example.com" in email.body
    assert "Thanks, we will reply within two working days." in main_text(soup(response))


def test_without_a_to_address_the_message_goes_to_the_shops_contact_email(client, site, home_page):
    SiteSettingsFactory(site=site, contact_email="hello@northwind.example")
    contact = ContactPageFactory(parent=home_page, to_address="")

    response = client.post(contact.url, MESSAGE)

    assert response.status_code == 200
    assert FormSubmission.objects.filter(page=contact).count() == 1
    [email] = mail.outbox
    assert email.to == ["hello@northwind.example"]


def test_with_no_address_anywhere_the_message_is_still_stored(client, site, home_page):
    SiteSettingsFactory(site=site, contact_email="")
    contact = ContactPageFactory(parent=home_page, to_address="")

    response = client.post(contact.url, MESSAGE)

    assert response.status_code == 200
    assert FormSubmission.objects.filter(page=contact).count() == 1
    assert mail.outbox == []


@override_settings(EMAIL_BACKEND=f"{__name__}.FailingEmailBackend")
def test_when_mail_fails_the_message_is_kept_and_the_visitor_is_thanked(client, site_settings, home_page, caplog):
    contact = ContactPageFactory(parent=home_page)

    with caplog.at_level(logging.ERROR, logger="infopages.models"):
        response = client.post(contact.url, MESSAGE)

    assert response.status_code == 200
    assert "Thanks, we will reply within two working days." in main_text(soup(response))
    submission = FormSubmission.objects.get(page=contact)
    assert submission.get_data()["your_name"] == "Ada Shopper"
    assert any("SMTP server unreachable" in (record.exc_text or str(record.exc_info)) for record in caplog.records)


def test_an_incomplete_message_is_shown_again_with_errors_and_not_stored(client, site_settings, home_page):
    contact = ContactPageFactory(parent=home_page)

    response = client.post(contact.url, {**MESSAGE, "email": "not-an-address", "message": ""})

    assert response.status_code == 200
    html = soup(response)
    assert html.find("form", method="post") is not None
    assert html.find(attrs={"role": "alert"}) is not None or "error" in str(html).lower()
    assert html.find("input", attrs={"name": "your_name"})["value"] == "Ada Shopper"
    assert not FormSubmission.objects.exists()
    assert mail.outbox == []
