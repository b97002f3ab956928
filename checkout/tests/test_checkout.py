"""Checkout end to end: the real stripe library against FakeStripe on 127.0.0.1, and webhooks signed
with Stripe's scheme. Each test is one of the failures real shops have reported."""

import json
import smtplib
from decimal import Decimal

import pytest

from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse

from checkout.models import DownloadGrant, Order, PaymentEvent
from checkout.payments.gateway import StripeGateway, to_minor_units
from products import inventory
from products.factories import ProductFileFactory, ProductPageFactory
from products.models import ProductPage
from website.log_format import JsonFormatter

from .shopping import mail_to

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("requests_commit")]

WEBHOOK = "/checkout/stripe/webhook/"


@pytest.fixture
def ebook(product_index, site_settings):
    product = ProductPageFactory(parent=product_index, title="Field Guide", sku="EBOOK-1", price=Decimal("8.20"))
    ProductFileFactory(page=product)
    ProductFileFactory(page=product)
    return product


@pytest.fixture
def mug(product_index, site_settings):
    return ProductPageFactory(
        parent=product_index, title="Studio Mug", sku="MUG-1", price=Decimal("14.50"), kind="physical", stock=1
    )


def add(client, product, quantity=1, **extra):
    client.post(reverse("checkout:cart_add"), {"product": product.pk, "quantity": quantity, **extra})


def start_checkout(client, email="buyer@example.com", **extra):
    return client.post(reverse("checkout:start"), {"email": email, **extra})


def stock_of(product):
    return ProductPage.objects.get(pk=product.pk).stock


def deliver(client, fake, event, *, secret=None, timestamp=None, tamper=None):
    payload = json.dumps(event).encode()
    signature = fake.sign(payload, secret=secret, timestamp=timestamp)
    if tamper:
        payload = tamper(payload)
    return client.post(WEBHOOK, payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=signature)


def bought(client, fake, *products, email="buyer@example.com"):
    """Add the products, check out, and return (order, the session FakeStripe holds)."""
    for product in products:
        add(client, product)
    response = start_checkout(client, email)
    assert response.status_code == 303, response.content[:500]
    order = Order.objects.get(email=email, status=Order.Status.PENDING)
    return order, fake.sessions[order.payment_session_id]


def completed(client, fake, session_id, **kwargs):
    session = fake.complete_session(session_id, **kwargs)
    return deliver(client, fake, fake.event("checkout.session.completed", session))


# -- Minor units ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "currency", "minor"),
    [("8.20", "USD", 820), ("1.10", "USD", 110), ("0.29", "EUR", 29), ("500", "JPY", 500), ("1200", "KRW", 1200)],
)
def test_amounts_go_to_stripe_in_minor_units(amount, currency, minor):
    assert to_minor_units(Decimal(amount), currency) == minor


def test_an_amount_finer_than_the_currency_is_refused():
    with pytest.raises(ValueError, match="more decimal places than JPY"):
        to_minor_units(Decimal("500.5"), "JPY")


# -- Creating the order and the Checkout Session ------------------------------------------------


def test_checkout_creates_a_pending_order_and_a_stripe_session(client, fake_stripe, ebook, mug, site_settings):
    add(client, ebook)
    add(client, mug)

    response = start_checkout(client)

    order = Order.objects.get()
    assert response.status_code == 303
    assert response["Location"] == fake_stripe.sessions[order.payment_session_id]["url"]
    assert order.status == Order.Status.PENDING and order.email == "buyer@example.com"
    assert [(line.title, line.sku, line.unit_price, line.quantity) for line in order.lines.all()] == [
        ("Field Guide", "EBOOK-1", Decimal("8.20"), 1),
        ("Studio Mug", "MUG-1", Decimal("14.50"), 1),
    ]
    assert order.total == Decimal("22.70") and order.stock_reserved
    assert stock_of(mug) == 0  # held for this checkout
    request = next(r for r in fake_stripe.requests if r["method"] == "POST")
    params = request["params"]
    assert [item["price_data"]["unit_amount"] for item in params["line_items"]] == ["820", "1450"]
    assert {item["price_data"]["currency"] for item in params["line_items"]} == {"usd"}
    assert params["client_reference_id"] == order.number
    assert params["metadata"] == {"order": order.number, "revision": "1"}
    assert params["customer_email"] == "buyer@example.com"
    assert params["allow_promotion_codes"] == "true"
    assert params["success_url"].endswith("/checkout/success/?session_id={CHECKOUT_SESSION_ID}")
    assert params["cancel_url"].endswith(order.cancel_path())
    assert int(params["expires_at"]) > 0
    assert request["headers"]["Idempotency-Key"] == f"pagecart-{order.number}-r1-session"


def test_physical_orders_pay_shipping_and_collect_an_address(client, fake_stripe, mug, site_settings):
    site_settings.ships_to, site_settings.shipping_rate = "US, CA", Decimal("6.00")
    site_settings.save()

    order, session = bought(client, fake_stripe, mug)

    assert order.shipping == Decimal("6.00") and order.total == Decimal("20.50")
    assert session["amount_total"] == 2050
    params = fake_stripe.requests[-1]["params"]
    assert params["shipping_address_collection"] == {"allowed_countries": ["US", "CA"]}


def test_a_price_in_the_request_is_ignored(client, fake_stripe, ebook):
    add(client, ebook, price="0.01")
    start_checkout(client, price="0.01", amount="1", unit_amount="1")

    order = Order.objects.get()
    assert order.total == Decimal("8.20")
    assert fake_stripe.sessions[order.payment_session_id]["amount_total"] == 820


def test_the_price_is_read_from_the_page_at_checkout_time(client, fake_stripe, ebook):
    add(client, ebook)
    ebook.price = Decimal("9.99")
    ebook.save_revision().publish()

    start_checkout(client)

    assert Order.objects.get().total == Decimal("9.99")


def test_resubmitting_the_same_cart_reuses_the_order_and_session(client, fake_stripe, ebook):
    add(client, ebook)
    first = start_checkout(client)
    second = start_checkout(client)

    assert first["Location"] == second["Location"]
    assert Order.objects.count() == 1 and len(fake_stripe.sessions) == 1


def test_changing_the_cart_makes_a_new_revision_and_closes_the_old_session(client, fake_stripe, ebook, mug):
    order, old_session = bought(client, fake_stripe, ebook)
    add(client, mug)

    start_checkout(client)

    order.refresh_from_db()
    assert order.revision == 2 and order.total == Decimal("22.70")
    assert fake_stripe.sessions[old_session["id"]]["status"] == "expired"
    assert fake_stripe.requests[-1]["headers"]["Idempotency-Key"] == f"pagecart-{order.number}-r2-session"
    assert fake_stripe.sessions[order.payment_session_id]["amount_total"] == 2270


def test_an_amount_mismatch_is_flagged_and_not_fulfilled(client, fake_stripe, ebook):
    order, session = bought(client, fake_stripe, ebook)

    response = completed(client, fake_stripe, session["id"], amount_total=100)

    order.refresh_from_db()
    assert response.status_code == 200
    assert order.status == Order.Status.REVIEW
    assert "amount mismatch: paid 100 USD, order total is 820 USD" in order.review_reason
    assert not DownloadGrant.objects.exists() and not mail_to("buyer@example.com")
    assert "amount mismatch" in mail_to("owner@example.com")[0].body


def test_a_sold_out_item_stops_checkout_and_holds_nothing(client, fake_stripe, ebook, mug):
    add(client, ebook)
    add(client, mug)
    inventory.set_stock(mug.pk, 0)

    response = start_checkout(client)

    assert response.status_code == 409
    assert not Order.objects.filter(stock_reserved=True).exists()
    assert not fake_stripe.sessions


def test_when_stripe_is_down_the_shopper_is_told_and_the_stock_comes_back(client, fake_stripe, mug):
    add(client, mug)
    fake_stripe.fail_next("/v1/checkout/sessions", status=500, times=3)

    response = start_checkout(client)

    assert response.status_code == 409
    assert "could not be reached. Nothing was charged." in response.content.decode()
    assert stock_of(mug) == 1
    assert Order.objects.get().status == Order.Status.FAILED
    assert client.session["cart"] == {str(mug.pk): 1}


def test_checkout_needs_a_valid_email(client, fake_stripe, ebook):
    add(client, ebook)
    response = start_checkout(client, email="not-an-email")
    assert response.status_code == 400
    assert "Enter a valid email address." in response.content.decode()
    assert not Order.objects.exists()


def test_checkout_is_refused_without_a_csrf_token(fake_stripe, ebook):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("checkout:start"), {"email": "buyer@example.com"})
    assert response.status_code == 403


# -- Webhooks and fulfilment ---------------------------------------------------------------------


def test_a_completed_payment_fulfils_the_order(client, fake_stripe, ebook, mug):
    order, session = bought(client, fake_stripe, ebook, mug)

    response = completed(client, fake_stripe, session["id"])

    order.refresh_from_db()
    assert response.status_code == 200 and response.json()["outcome"] == "fulfilled"
    assert order.status == Order.Status.PAID and order.paid_at and order.payment_intent_id.startswith("pi_")
    assert DownloadGrant.objects.filter(line__order=order).count() == 2
    assert stock_of(mug) == 0 and not order.stock_reserved
    [receipt] = mail_to("buyer@example.com")
    assert order.number in receipt.subject
    assert reverse("checkout:order", args=[order.number, order.access_token]) in receipt.body


def test_one_event_delivered_ten_times_fulfils_once(client, fake_stripe, ebook, mug):
    order, session = bought(client, fake_stripe, ebook, mug)
    event = fake_stripe.event("checkout.session.completed", fake_stripe.complete_session(session["id"]))

    answers = [deliver(client, fake_stripe, event).json()["outcome"] for _ in range(10)]

    assert answers == ["fulfilled"] + ["already handled"] * 9
    assert Order.objects.get().status == Order.Status.PAID
    assert len(mail_to("buyer@example.com")) == 1
    assert DownloadGrant.objects.count() == 2
    assert stock_of(mug) == 0
    assert PaymentEvent.objects.count() == 1


def test_the_success_page_fulfils_when_the_webhook_is_late(client, fake_stripe, ebook):
    order, session = bought(client, fake_stripe, ebook)
    fake_stripe.complete_session(session["id"])

    response = client.get(reverse("checkout:success"), {"session_id": session["id"]})

    order.refresh_from_db()
    assert response.status_code == 200 and order.status == Order.Status.COMPLETED
    assert "Thank you, your order is confirmed" in response.content.decode()
    assert client.session["cart"] == {}
    # The webhook arriving afterwards changes nothing.
    deliver(client, fake_stripe, fake_stripe.event("checkout.session.completed", fake_stripe.sessions[session["id"]]))
    assert len(mail_to("buyer@example.com")) == 1 and DownloadGrant.objects.count() == 2


def test_the_success_page_shows_no_order_to_another_visitor(client, fake_stripe, ebook):
    from django.test import Client

    _order, session = bought(client, fake_stripe, ebook)
    fake_stripe.complete_session(session["id"])

    response = Client().get(reverse("checkout:success"), {"session_id": session["id"]})

    assert response.status_code == 200
    assert "buyer@example.com" not in response.content.decode()
    assert Order.objects.get().status == Order.Status.COMPLETED  # fulfilled all the same


def test_expiry_releases_the_stock_exactly_once(client, fake_stripe, mug):
    order, session = bought(client, fake_stripe, mug)
    assert stock_of(mug) == 0
    expired = fake_stripe.expire_session_now(session["id"])

    for _ in range(3):  # three distinct events about the same expiry
        deliver(client, fake_stripe, fake_stripe.event("checkout.session.expired", expired))

    order.refresh_from_db()
    assert order.status == Order.Status.EXPIRED and stock_of(mug) == 1


def test_a_failing_receipt_email_keeps_the_paid_order(client, fake_stripe, ebook, settings, caplog):
    settings.EMAIL_BACKEND = f"{__name__}.BrokenMailServer"
    order, session = bought(client, fake_stripe, ebook)

    response = completed(client, fake_stripe, session["id"])

    order.refresh_from_db()
    assert response.status_code == 200
    assert order.status == Order.Status.COMPLETED and DownloadGrant.objects.count() == 2
    assert order.receipt_sent_at is None
    assert "could not be sent; the order keeps its status" in caplog.text


class BrokenMailServer(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


def test_events_for_unknown_orders_answer_200_and_are_logged(client, fake_stripe, caplog):
    session = {
        "id": "cs_test_nobody",
        "object": "checkout.session",
        "status": "complete",
        "payment_status": "paid",
        "amount_total": 820,
        "currency": "usd",
        "client_reference_id": "NOBODY01",
    }

    response = deliver(client, fake_stripe, fake_stripe.event("checkout.session.completed", session))

    assert response.status_code == 200
    assert "no order 'NOBODY01' for session cs_test_nobody" in caplog.text
    assert PaymentEvent.objects.get().order is None


def test_event_types_we_do_not_handle_are_acknowledged(client, fake_stripe):
    response = deliver(client, fake_stripe, fake_stripe.event("customer.created", {"id": "cus_1"}))
    assert response.status_code == 200 and response.json()["outcome"] == "ignored customer.created"


@pytest.mark.parametrize(
    "attack",
    [
        pytest.param({"signature": None}, id="missing"),
        pytest.param({"secret": "whsec_somebody_else"}, id="wrong-secret"),
        pytest.param({"tamper": lambda body: body.replace(b'"paid"', b'"paiD"')}, id="one-byte-changed"),
        pytest.param({"timestamp": 1_000_000_000}, id="stale-timestamp"),
    ],
)
def test_a_bad_signature_answers_400_and_changes_nothing(client, fake_stripe, ebook, attack):
    order, session = bought(client, fake_stripe, ebook)
    event = fake_stripe.event("checkout.session.completed", fake_stripe.complete_session(session["id"]))

    if "signature" in attack:
        response = client.post(WEBHOOK, json.dumps(event), content_type="application/json")
    else:
        response = deliver(client, fake_stripe, event, **attack)

    order.refresh_from_db()
    assert response.status_code == 400 and "Bad signature" in response.json()["error"]
    assert order.status == Order.Status.PENDING
    assert not PaymentEvent.objects.exists() and not DownloadGrant.objects.exists() and not mail.outbox


def test_the_webhook_accepts_only_post(client, fake_stripe):
    assert client.get(WEBHOOK).status_code == 405


# -- Refunds and disputes ------------------------------------------------------------------------


def refund_event(fake, payment_intent, amount, *, lines="", type="refund.created"):
    from checkout.payments.gateway import StripeGateway

    gateway = StripeGateway(fake.api_key, fake.base_url)
    refund = gateway.client.v1.refunds.create(
        params={"payment_intent": payment_intent, "amount": amount, "metadata": {"lines": lines}}
    )
    return fake.event(type, refund.to_dict())


def test_a_full_refund_revokes_every_download(client, fake_stripe, ebook):
    order, session = bought(client, fake_stripe, ebook)
    completed(client, fake_stripe, session["id"])
    order.refresh_from_db()

    deliver(client, fake_stripe, refund_event(fake_stripe, order.payment_intent_id, 820))

    order.refresh_from_db()
    assert order.status == Order.Status.REFUNDED and order.refunded_amount == Decimal("8.20")
    assert not DownloadGrant.objects.filter(revoked_at__isnull=True).exists()


def test_a_partial_refund_revokes_only_its_lines(client, fake_stripe, ebook, product_index):
    other = ProductPageFactory(parent=product_index, title="Brush Set", sku="BR-1", price=Decimal("5.00"))
    ProductFileFactory(page=other)
    order, session = bought(client, fake_stripe, ebook, other)
    completed(client, fake_stripe, session["id"])
    order.refresh_from_db()
    brush_line = order.lines.get(sku="BR-1")

    deliver(client, fake_stripe, refund_event(fake_stripe, order.payment_intent_id, 500, lines=str(brush_line.pk)))

    order.refresh_from_db()
    assert order.status == Order.Status.PARTIALLY_REFUNDED and order.refunded_amount == Decimal("5.00")
    assert list(DownloadGrant.objects.filter(revoked_at__isnull=False).values_list("line__sku", flat=True)) == ["BR-1"]
    assert DownloadGrant.objects.filter(revoked_at__isnull=True, line__sku="EBOOK-1").count() == 2


def test_the_same_refund_reported_twice_is_recorded_once(client, fake_stripe, ebook):
    order, session = bought(client, fake_stripe, ebook)
    completed(client, fake_stripe, session["id"])
    order.refresh_from_db()
    created = refund_event(fake_stripe, order.payment_intent_id, 300)
    updated = fake_stripe.event("refund.updated", created["data"]["object"])

    deliver(client, fake_stripe, created)
    deliver(client, fake_stripe, updated)

    order.refresh_from_db()
    assert order.refunds.count() == 1 and order.refunded_amount == Decimal("3.00")


def test_a_refund_that_arrives_before_completion_leaves_no_access(client, fake_stripe, ebook):
    order, session = bought(client, fake_stripe, ebook)
    paid = fake_stripe.complete_session(session["id"])

    deliver(client, fake_stripe, refund_event(fake_stripe, paid["payment_intent"], 820))
    deliver(client, fake_stripe, fake_stripe.event("checkout.session.completed", paid))

    order.refresh_from_db()
    assert order.status == Order.Status.REFUNDED
    assert not DownloadGrant.objects.exists()
    assert [message.subject for message in mail.outbox] == [f"A refund for your Pagecart order {order.number}"]


def test_a_full_refund_sends_charge_refunded_and_refund_created_and_counts_once(client, fake_stripe, ebook):
    """The issue's reproduction: both events of one full refund made it 16.40 of 8.20, two rows, two emails."""
    order, session = bought(client, fake_stripe, ebook)
    completed(client, fake_stripe, session["id"])
    order.refresh_from_db()
    fake_stripe.take_events()
    StripeGateway(fake_stripe.api_key, fake_stripe.base_url).refund(order, Decimal("8.20"), line_ids=[])
    events = fake_stripe.take_events()
    assert [event["type"] for event in events] == ["refund.created", "charge.refunded"]

    outcomes = [deliver(client, fake_stripe, event).json()["outcome"] for event in events]

    order.refresh_from_db()
    assert order.status == Order.Status.REFUNDED and order.refunded_amount == Decimal("8.20")
    assert order.refunds.count() == 1
    assert len(mail_to("buyer@example.com")) == 2  # the receipt, then one refund email
    assert outcomes[1] == "charge refunds agree with the ledger (8.20)"
    assert not DownloadGrant.objects.filter(revoked_at__isnull=True).exists()


def test_charge_refunded_alone_counts_nothing(client, fake_stripe, ebook):
    order, session = bought(client, fake_stripe, ebook)
    completed(client, fake_stripe, session["id"])
    order.refresh_from_db()
    charge = {
        "id": "ch_1",
        "object": "charge",
        "payment_intent": order.payment_intent_id,
        "amount": 820,
        "amount_refunded": 820,
        "currency": "usd",
        "refunded": True,
    }

    response = deliver(client, fake_stripe, fake_stripe.event("charge.refunded", charge))

    order.refresh_from_db()
    assert response.json()["outcome"] == "the charge shows 8.20 refunded, the ledger 0; waiting for refund events"
    assert order.status == Order.Status.COMPLETED and order.refunded_amount == 0
    assert DownloadGrant.objects.filter(revoked_at__isnull=True).count() == 2


def test_a_dispute_suspends_access_and_membership(client, fake_stripe, ebook, django_user_model):
    from django.contrib.auth.models import Group

    members = Group.objects.create(name="Members")
    ebook.membership_group = members
    ebook.save_revision().publish()
    buyer = django_user_model.objects.create_user(email="buyer@example.com", password="pw-123456789")
    buyer.emailaddress_set.create(email=buyer.email, verified=True, primary=True)  # a member's receipt address
    client.force_login(buyer)
    order, session = bought(client, fake_stripe, ebook)
    completed(client, fake_stripe, session["id"])
    order.refresh_from_db()
    assert buyer.groups.filter(pk=members.pk).exists()

    deliver(client, fake_stripe, fake_stripe.open_dispute(order.payment_intent_id))

    order.refresh_from_db()
    assert order.status == Order.Status.DISPUTED and not order.grants_access
    assert not buyer.groups.filter(pk=members.pk).exists()


# -- Lost webhooks -------------------------------------------------------------------------------


def test_reconcile_fulfils_paid_and_closes_expired_checkouts(
    client, fake_stripe, ebook, mug, django_capture_on_commit_callbacks
):
    from django.core.management import call_command
    from django.test import Client

    paid_order, paid_session = bought(client, fake_stripe, ebook)
    other = Client()
    lapsed_order, lapsed_session = bought(other, fake_stripe, mug, email="late@example.com")
    fake_stripe.complete_session(paid_session["id"])
    fake_stripe.expire_session_now(lapsed_session["id"])

    with django_capture_on_commit_callbacks(execute=True):
        call_command("reconcile_orders", "--older-than", "0")

    paid_order.refresh_from_db()
    lapsed_order.refresh_from_db()
    assert paid_order.status == Order.Status.COMPLETED and len(mail_to("buyer@example.com")) == 1
    assert lapsed_order.status == Order.Status.EXPIRED and stock_of(mug) == 1


# -- Stock and page revisions --------------------------------------------------------------------


def test_publishing_an_old_revision_never_puts_sold_units_back(mug):
    revision = mug.save_revision()
    assert inventory.reserve(mug.pk, 1)

    revision.publish()

    assert stock_of(mug) == 0


def test_the_editor_shows_stock_read_only_after_creation(editor_client, mug):
    response = editor_client.get(reverse("wagtailadmin_pages:edit", args=[mug.pk]))
    field = response.context["form"].fields["stock"]
    assert field.disabled and "Shop › Stock" in field.help_text


# -- Order page ----------------------------------------------------------------------------------


def test_the_order_page_needs_its_token(client, fake_stripe, ebook):
    order, session = bought(client, fake_stripe, ebook)
    completed(client, fake_stripe, session["id"])

    good = client.get(reverse("checkout:order", args=[order.number, order.access_token]))
    bad = client.get(reverse("checkout:order", args=[order.number, "x" * 43]))

    assert good.status_code == 200 and "Order " + order.number in good.content.decode()
    assert bad.status_code == 404


# -- Without Stripe keys -------------------------------------------------------------------------


@pytest.fixture
def no_stripe(settings):
    settings.STRIPE_SECRET_KEY = ""
    settings.STRIPE_WEBHOOK_SECRET = ""
    return settings


def test_in_development_a_labelled_test_page_takes_the_payment(client, no_stripe, ebook, mug):
    no_stripe.DEBUG = True
    add(client, ebook)
    add(client, mug)
    assert "Test mode: a local page stands in for the payment provider" in client.get("/cart/").content.decode()

    response = start_checkout(client)
    page = client.get(response["Location"])

    assert response.status_code == 303 and response["Location"].startswith("/checkout/test-payment/cs_local_")
    assert "Test payment page: no money moves" in page.content.decode()
    assert stock_of(mug) == 0
    paid = client.post(response["Location"], {"action": "pay"})
    assert paid.status_code == 303 and "/checkout/success/?session_id=cs_local_" in paid["Location"]
    thanks = client.get(paid["Location"])
    order = Order.objects.get()
    assert "Thank you, your order is confirmed" in thanks.content.decode()
    assert order.status == Order.Status.PAID and DownloadGrant.objects.count() == 2
    assert len(mail_to("buyer@example.com")) == 1
    assert client.post(response["Location"], {"action": "pay"}).status_code == 302  # used once only


def test_cancelling_on_the_test_page_keeps_the_cart(client, no_stripe, ebook):
    no_stripe.DEBUG = True
    add(client, ebook)
    payment_page = start_checkout(client)["Location"]

    cancelled = client.post(payment_page, {"action": "cancel"})
    cart = client.get(cancelled["Location"], follow=True)

    assert "Checkout cancelled: nothing was charged" in cart.content.decode()
    assert client.session["cart"] == {str(ebook.pk): 1}
    assert Order.objects.get().status == Order.Status.EXPIRED  # left the payment page: its hold goes at once


def test_the_test_page_does_not_exist_when_stripe_is_configured(client, fake_stripe, ebook, no_stripe):
    no_stripe.DEBUG = True
    add(client, ebook)
    payment_page = start_checkout(client)["Location"]
    no_stripe.STRIPE_SECRET_KEY = fake_stripe.api_key

    assert client.get(payment_page).status_code == 404


def test_in_production_without_keys_checkout_is_off_and_the_shop_works(client, no_stripe, ebook):
    add(client, ebook)

    cart = client.get("/cart/")
    refused = start_checkout(client)

    assert "Online payment is not set up yet." in cart.content.decode()
    assert refused.status_code == 503 and "Online payment is switched off" in refused.content.decode()
    assert client.get(ebook.url).status_code == 200
    assert not Order.objects.exists() and client.session["cart"] == {str(ebook.pk): 1}
    assert (
        client.post(WEBHOOK, b"{}", content_type="application/json", HTTP_STRIPE_SIGNATURE="t=1,v1=x").status_code
        == 400
    )


# -- The order's story in the structured log -----------------------------------------------------------


def test_placing_paying_and_a_redelivered_webhook_are_logged_as_events(client, fake_stripe, ebook, caplog):
    caplog.set_level("INFO", logger="checkout")
    order, session = bought(client, fake_stripe, ebook)
    event = fake_stripe.event("checkout.session.completed", fake_stripe.complete_session(session["id"]))

    for _ in range(2):
        deliver(client, fake_stripe, event)

    lines = [json.loads(JsonFormatter().format(record)) for record in caplog.records if hasattr(record, "event")]
    assert [(line["event"], line.get("order")) for line in lines] == [
        ("order.placed", order.number),
        ("order.paid", order.number),
        ("webhook.handled", order.number),
        ("webhook.duplicate", None),
    ]
    assert lines[1]["total"] == "8.20" and lines[1]["currency"] == "USD"
    assert lines[2]["stripe_type"] == "checkout.session.completed" and lines[2]["outcome"] == "fulfilled"
    assert lines[3]["stripe_event"] == event["id"]
    assert all(line["level"] == "INFO" and line["logger"].startswith("checkout.") for line in lines)
