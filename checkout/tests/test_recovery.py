"""Abandoned-checkout recovery: one reminder, with consent collected by Stripe Checkout, never to a buyer who paid,
with a signed link that puts the checkout's items back in the cart."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest

from django.core import mail, signing
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from checkout import recovery
from checkout.models import AbandonedCheckout, Order
from products.factories import ProductPageFactory

from .shopping import buy, deliver, mail_to

pytestmark = pytest.mark.django_db

EMAIL = "buyer@example.com"


class BrokenMailServer:
    """An email backend whose server refuses every message."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("the mail server is down")


@pytest.fixture(autouse=True)
def recovery_on(settings):
    settings.CHECKOUT_RECOVERY = True
    settings.CHECKOUT_RECOVERY_DELAY = 3600
    settings.CHECKOUT_RECOVERY_MAX_AGE = 3 * 24 * 3600
    return settings


@pytest.fixture
def guide(product_index, site_settings):
    return ProductPageFactory(parent=product_index, title="Field Guide", sku="GUIDE-1", price=Decimal("8.20"))


@pytest.fixture
def planner(product_index, site_settings):
    return ProductPageFactory(parent=product_index, title="Weekly Planner", sku="PLAN-1", price=Decimal("12.00"))


def abandon(client, fake, *products, email=EMAIL, consent="opt_in"):
    """Cart, checkout, then Stripe's page expires with the buyer's consent choice; the signed event delivered.
    Returns (the order, the webhook's outcome)."""
    for product in products:
        client.post(reverse("checkout:cart_add"), {"product": product.pk, "quantity": 1})
    response = client.post(reverse("checkout:start"), {"email": email})
    assert response.status_code == 303, response.content[:500]
    order = Order.objects.get(email=email, status=Order.Status.PENDING)
    expired = fake.expire_session_now(order.payment_session_id, promotions=consent)
    outcome = deliver(fake, fake.event("checkout.session.expired", expired)).json()["outcome"]
    order.refresh_from_db()
    return order, outcome


def remind(*, after=timedelta(hours=1, minutes=1)):
    return recovery.send_due_reminders(now=timezone.now() + after)


def reminder_link(message):
    html = message.alternatives[0][0]
    start = html.index("/cart/restore/")
    return html[start : html.index('"', start)]


def test_the_session_asks_stripe_to_collect_promotional_consent(client, fake_stripe, guide):
    order, _outcome = abandon(client, fake_stripe, guide)

    assert fake_stripe.sessions[order.payment_session_id]["consent_collection"]["promotions"] == "auto"


def test_without_the_setting_no_consent_is_asked_and_nothing_is_recorded(client, fake_stripe, guide, settings):
    settings.CHECKOUT_RECOVERY = False

    order, outcome = abandon(client, fake_stripe, guide)

    assert fake_stripe.sessions[order.payment_session_id]["consent_collection"] is None
    assert fake_stripe.sessions[order.payment_session_id]["consent"] is None
    assert outcome == "expired, stock released" and not AbandonedCheckout.objects.exists()


def test_an_opted_in_buyer_gets_one_reminder_after_the_delay(client, fake_stripe, guide, planner):
    order, outcome = abandon(client, fake_stripe, guide, planner)
    assert outcome == "expired, stock released, reminder due"

    assert remind(after=timedelta(minutes=59)).sent == []  # not yet
    assert mail_to(EMAIL) == []
    assert remind().sent == [order.number]
    assert remind(after=timedelta(hours=5)).sent == []  # never twice

    [message] = mail_to(EMAIL)
    assert "You left something in your" in message.subject
    assert "Field Guide" in message.body and "Weekly Planner" in message.body
    assert "unsubscribe" in message.body and "agreed at checkout" in message.body
    assert "/cart/restore/" in message.body
    html = message.alternatives[0][0]
    assert "Back to my cart" in html and "unsubscribe" in html
    abandoned = AbandonedCheckout.objects.get()
    assert abandoned.state == AbandonedCheckout.State.SENT and abandoned.email == EMAIL


@pytest.mark.parametrize("consent", ["opt_out", None])
def test_no_consent_no_reminder(client, fake_stripe, guide, consent):
    _order, outcome = abandon(client, fake_stripe, guide, consent=consent)

    assert outcome == "expired, stock released"
    assert not AbandonedCheckout.objects.exists()
    assert remind(after=timedelta(days=1)).sent == [] and mail.outbox == []


def test_the_same_expiry_delivered_again_records_one_abandonment(client, fake_stripe, guide):
    order, _outcome = abandon(client, fake_stripe, guide)
    expired = fake_stripe.sessions[order.payment_session_id]

    deliver(fake_stripe, fake_stripe.event("checkout.session.expired", expired))

    assert AbandonedCheckout.objects.count() == 1
    remind()
    assert len(mail_to(EMAIL)) == 1


def test_a_buyer_who_paid_a_later_order_gets_no_reminder(client, fake_stripe, guide):
    order, _outcome = abandon(client, fake_stripe, guide)
    buy(Client(), fake_stripe, guide, email="BUYER@example.com")  # the same address, typed differently

    run = remind()

    assert run.sent == [] and run.skipped == [order.number]
    assert mail_to(EMAIL) == []
    assert AbandonedCheckout.objects.get().state == AbandonedCheckout.State.SKIPPED


def test_a_checkout_older_than_the_max_age_is_never_reminded(client, fake_stripe, guide):
    abandon(client, fake_stripe, guide)

    assert remind(after=timedelta(days=4)).sent == []
    assert mail.outbox == []


def test_a_failed_send_stays_due_and_is_sent_on_the_next_run(client, fake_stripe, guide, settings):
    order, _outcome = abandon(client, fake_stripe, guide)
    settings.EMAIL_BACKEND = f"{__name__}.BrokenMailServer"

    run = remind()

    assert run.sent == [] and len(run.failed) == 1
    assert AbandonedCheckout.objects.get().state == AbandonedCheckout.State.WAITING
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert remind().sent == [order.number]
    assert len(mail_to(EMAIL)) == 1


def test_the_scheduler_command_sends_due_reminders(client, fake_stripe, guide):
    abandon(client, fake_stripe, guide)
    AbandonedCheckout.objects.update(abandoned_at=timezone.now() - timedelta(hours=2))

    out = io.StringIO()
    call_command("send_checkout_reminders", stdout=out)

    assert out.getvalue().strip() == "1 sent, 0 skipped (paid or too old), 0 failed"
    assert len(mail_to(EMAIL)) == 1


def test_the_link_shows_the_items_and_its_post_puts_them_back_in_the_cart(client, fake_stripe, guide, planner):
    abandon(client, fake_stripe, guide, planner)
    remind()
    link = reminder_link(mail_to(EMAIL)[0])
    visitor = Client(enforce_csrf_checks=True)

    page = visitor.get(link)
    assert page.status_code == 200
    assert "Field Guide" in page.content.decode() and "Weekly Planner" in page.content.decode()
    assert visitor.session.get("cart") in (None, {})  # a GET changes nothing
    assert visitor.post(link).status_code == 403  # no CSRF token

    csrf = visitor.cookies["csrftoken"].value
    response = visitor.post(link, {"csrfmiddlewaretoken": csrf}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("checkout:cart")
    assert visitor.session["cart"] == {str(guide.pk): 1, str(planner.pk): 1}
    assert "Back in your cart: Field Guide, Weekly Planner." in response.content.decode()
    assert AbandonedCheckout.objects.get().restored_at is not None

    visitor.post(link, {"csrfmiddlewaretoken": csrf})  # a second click
    assert visitor.session["cart"] == {str(guide.pk): 1, str(planner.pk): 1}


def test_items_no_longer_for_sale_are_left_out_with_a_message(client, fake_stripe, guide, planner):
    abandon(client, fake_stripe, guide, planner)
    remind()
    link = reminder_link(mail_to(EMAIL)[0])
    planner.unpublish()

    response = Client().post(link, follow=True)

    content = response.content.decode()
    assert "Back in your cart: Field Guide." in content
    assert "Left out: Weekly Planner is no longer for sale." in content


@pytest.mark.parametrize("problem", ["tampered", "garbage", "expired", "deleted"])
def test_a_bad_link_says_so_and_changes_nothing(client, fake_stripe, guide, settings, problem):
    abandon(client, fake_stripe, guide)
    remind()
    link = reminder_link(mail_to(EMAIL)[0])
    token = link.removeprefix("/cart/restore/").rstrip("/")
    if problem == "tampered":
        link = f"/cart/restore/{signing.dumps(AbandonedCheckout.objects.get().pk + 1, salt='other')}/"
    elif problem == "garbage":
        link = f"/cart/restore/{token[:-3]}abc/"
    elif problem == "expired":
        settings.CHECKOUT_RECOVERY_LINK_DAYS = 0
    else:
        AbandonedCheckout.objects.all().delete()
    visitor = Client()
    visitor.post(reverse("checkout:cart_add"), {"product": guide.pk, "quantity": 1})

    for response in (visitor.get(link), visitor.post(link)):
        assert response.status_code == 400
        assert "Your cart has not been changed." in response.content.decode()
    expected = "expired" if problem == "expired" else "not valid"
    assert expected in visitor.get(link).content.decode()
    assert visitor.session["cart"] == {str(guide.pk): 1}


def test_the_scheduler_runs_the_reminders_on_their_interval(settings):
    from website.scheduler import configured_jobs

    settings.SCHEDULER_INTERVALS = {"send_checkout_reminders": 300}

    [job] = configured_jobs()

    assert job.command == ("send_checkout_reminders",) and job.every == 300


def test_with_recovery_off_the_command_says_so_and_sends_nothing(client, fake_stripe, guide, settings):
    abandon(client, fake_stripe, guide)
    AbandonedCheckout.objects.update(abandoned_at=timezone.now() - timedelta(hours=2))
    settings.CHECKOUT_RECOVERY = False
    out = io.StringIO()

    call_command("send_checkout_reminders", stdout=out)

    assert "Checkout recovery is off" in out.getvalue() and mail.outbox == []
