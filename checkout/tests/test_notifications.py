"""Who is told what about an order, in text and HTML, and that a mail server that is down loses nothing."""

import smtplib
from decimal import Decimal

import pytest

from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.test import Client

from checkout.delivery import shipping
from checkout.mail import notifications
from checkout.models import Notification, Order
from products.factories import ProductFileFactory, ProductPageFactory

from .shopping import buy, deliver, mail_to, refund
from .test_checkout import bought, completed

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("requests_commit")]

OWNER = "owner@example.com"
BUYER = "buyer@example.com"


class BrokenMailServer(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


@pytest.fixture
def mug(product_index, site_settings):
    site_settings.ships_to = "GB"
    site_settings.shipping_rate = Decimal("6.00")
    site_settings.save()
    return ProductPageFactory(
        parent=product_index, title="Studio Mug", sku="MUG-1", price=Decimal("14.50"), kind="physical", stock=3
    )


@pytest.fixture
def guide(product_index, site_settings):
    product = ProductPageFactory(parent=product_index, title="Field Guide", sku="EBOOK-1", price=Decimal("8.20"))
    ProductFileFactory(page=product)
    return product


def html_of(message):
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return html


def test_a_paid_order_mails_the_receipt_to_the_buyer_and_a_notice_to_the_owner(fake_stripe, mug):
    order = buy(Client(), fake_stripe, mug)

    [receipt] = mail_to(BUYER)
    assert receipt.subject == f"Your Pagecart order {order.number}"
    assert "Studio Mug" in receipt.body and "Studio Mug" in html_of(receipt)
    [notice] = mail_to(OWNER)
    assert notice.subject == f"New order {order.number}" and notice.reply_to == [BUYER]
    assert "$20.50" in notice.body and "Ship to: Ada Lovelace" in notice.body
    assert f"http://testserver/admin/shop/orders/inspect/{order.pk}/" in notice.body
    assert "Open the order in the admin" in html_of(notice)
    order.refresh_from_db()
    assert order.receipt_sent_at is not None
    assert set(Notification.objects.values_list("kind", "recipient")) == {
        ("receipt", BUYER),
        ("owner_new_order", OWNER),
    }
    assert not Notification.objects.filter(sent_at=None).exists()


def test_a_mismatched_payment_tells_the_owner_only(client, fake_stripe, guide):
    order, session = bought(client, fake_stripe, guide)

    completed(client, fake_stripe, session["id"], amount_total=100)

    assert not mail_to(BUYER)
    [notice] = mail_to(OWNER)
    assert notice.subject == f"Payment problem on order {order.number}"
    assert "needs review: amount mismatch: paid 100 USD, order total is 820 USD" in notice.body


def test_a_failed_delayed_payment_tells_the_owner(client, fake_stripe, guide):
    order, session = bought(client, fake_stripe, guide)
    fake_stripe.complete_session(session["id"], payment_status="unpaid")

    event = fake_stripe.event("checkout.session.async_payment_failed", fake_stripe.sessions[session["id"]])
    deliver(fake_stripe, event)

    [notice] = mail_to(OWNER)
    assert "payment failed: the delayed payment failed" in notice.body
    assert not mail_to(BUYER)


def test_shipping_mails_the_tracking_link(fake_stripe, mug, django_capture_on_commit_callbacks):
    order = buy(Client(), fake_stripe, mug)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        shipping.ship(order, list(order.lines.all()), carrier="ups", tracking_number="1Z999")

    [message] = mail.outbox
    assert message.to == [BUYER] and message.subject == f"Your Pagecart order {order.number} is on its way"
    assert "Track it: https://www.ups.com/track?tracknum=1Z999" in message.body
    assert 'href="https://www.ups.com/track?tracknum=1Z999"' in html_of(message)


def test_delivery_mails_the_buyer(fake_stripe, mug, django_capture_on_commit_callbacks):
    order = buy(Client(), fake_stripe, mug)
    with django_capture_on_commit_callbacks(execute=True):
        shipping.ship(order, list(order.lines.all()), carrier="other")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        shipping.mark_delivered(order)

    [message] = mail.outbox
    assert message.to == [BUYER] and message.subject == f"Your Pagecart order {order.number} has been delivered"
    assert "has been delivered" in html_of(message)


def test_a_refund_mails_the_buyer_the_amount(fake_stripe, guide):
    order = buy(Client(), fake_stripe, guide)
    mail.outbox.clear()

    refund(fake_stripe, order, 820)

    [message] = mail.outbox
    assert message.to == [BUYER] and message.subject == f"A refund for your Pagecart order {order.number}"
    assert "Refunded: $8.20" in message.body and "$8.20" in html_of(message)


def test_without_an_owner_address_the_owner_notice_is_skipped(fake_stripe, guide, site_settings, caplog):
    site_settings.contact_email = ""
    site_settings.save()

    buy(Client(), fake_stripe, guide)

    assert [message.to for message in mail.outbox] == [[BUYER]]
    assert "No owner address in Site settings" in caplog.text


def test_a_failed_send_keeps_the_change_and_the_command_retries_it(fake_stripe, mug, settings, caplog):
    settings.EMAIL_BACKEND = f"{__name__}.BrokenMailServer"

    order = buy(Client(), fake_stripe, mug)

    assert order.status == Order.Status.PAID and order.receipt_sent_at is None
    unsent = Notification.objects.filter(sent_at=None)
    assert unsent.count() == 2
    assert {n.last_error for n in unsent} == {"SMTPServerDisconnected: Connection unexpectedly closed"}
    assert "send_notifications will try again" in caplog.text

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("send_notifications")

    assert {tuple(message.to) for message in mail.outbox} == {(BUYER,), (OWNER,)}
    assert not Notification.objects.filter(sent_at=None).exists()
    order.refresh_from_db()
    assert order.receipt_sent_at is not None


def test_the_command_gives_up_after_the_last_attempt(fake_stripe, guide, settings):
    settings.EMAIL_BACKEND = f"{__name__}.BrokenMailServer"
    buy(Client(), fake_stripe, guide)
    Notification.objects.update(attempts=notifications.MAX_ATTEMPTS)

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("send_notifications")

    assert not mail.outbox and Notification.objects.filter(sent_at=None).count() == 2


def test_a_failed_refund_notice_keeps_the_refund(fake_stripe, guide, settings):
    order = buy(Client(), fake_stripe, guide)
    settings.EMAIL_BACKEND = f"{__name__}.BrokenMailServer"

    response = refund(fake_stripe, order, 820)

    order.refresh_from_db()
    assert response.status_code == 200 and order.status == Order.Status.REFUNDED
    assert Notification.objects.get(kind="refunded").sent_at is None
