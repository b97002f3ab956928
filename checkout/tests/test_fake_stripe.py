"""The fake Stripe server, driven by the real stripe-python client over HTTP, as the checkout code will drive it."""

import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import stripe


@pytest.fixture
def stripe_client(fake_stripe, settings):
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY, base_addresses={"api": settings.STRIPE_API_BASE}, max_network_retries=0
    )


def line_item(name, unit_amount, quantity):
    return {
        "price_data": {"currency": "EUR", "unit_amount": unit_amount, "product_data": {"name": name}},
        "quantity": quantity,
    }


def session_params():
    return {
        "mode": "payment",
        "success_url": "https://shop.example/thanks?session={CHECKOUT_SESSION_ID}",
        "cancel_url": "https://shop.example/cart",
        "client_reference_id": "order-42",
        "customer_email": "ada@example.com",
        "metadata": {"order": "42"},
        "line_items": [line_item("Planner", 1500, 2), line_item("Stickers", 499, 1)],
    }


@pytest.fixture
def session(stripe_client):
    return stripe_client.v1.checkout.sessions.create(params=session_params())


@pytest.fixture
def paid_session(fake_stripe, session):
    return fake_stripe.complete_session(session.id)


def test_create_session_returns_a_stripe_shaped_session(fake_stripe, session):
    assert isinstance(session, stripe.checkout.Session)
    assert session.id.startswith("cs_test_")
    assert session.object == "checkout.session"
    assert (session.amount_subtotal, session.amount_total, session.currency) == (3499, 3499, "eur")
    assert session.metadata.to_dict() == {"order": "42"}
    assert session.client_reference_id == "order-42"
    assert session.customer_email == "ada@example.com"
    assert session.success_url == "https://shop.example/thanks?session={CHECKOUT_SESSION_ID}"
    assert (session.status, session.payment_status, session.payment_intent) == ("open", "unpaid", None)
    assert session.url == f"{fake_stripe.base_url}/pay/{session.id}"
    assert session.expires_at > time.time()
    request = fake_stripe.requests[-1]
    assert (request["method"], request["path"]) == ("POST", "/v1/checkout/sessions")
    assert request["params"]["line_items"][0]["price_data"]["product_data"] == {"name": "Planner"}
    assert request["headers"]["Authorization"] == "Bearer sk_test_fake"


def test_the_same_idempotency_key_replays_the_first_session(fake_stripe, stripe_client):
    options = {"idempotency_key": "checkout-order-42"}
    first = stripe_client.v1.checkout.sessions.create(params=session_params(), options=options)
    second = stripe_client.v1.checkout.sessions.create(params=session_params(), options=options)
    assert second.id == first.id
    assert list(fake_stripe.sessions) == [first.id]
    assert fake_stripe.requests[-1]["headers"]["Idempotency-Key"] == "checkout-order-42"


def test_an_idempotency_key_reused_with_other_params_is_refused(stripe_client):
    options = {"idempotency_key": "checkout-order-42"}
    stripe_client.v1.checkout.sessions.create(params=session_params(), options=options)
    changed = {**session_params(), "client_reference_id": "order-43"}
    with pytest.raises(stripe.IdempotencyError):
        stripe_client.v1.checkout.sessions.create(params=changed, options=options)


@pytest.mark.parametrize(
    ("spoil", "param"),
    [
        (lambda params: params.pop("mode"), "mode"),
        (lambda params: params.pop("success_url"), "success_url"),
        (lambda params: params.pop("line_items"), "line_items"),
        (lambda params: params["line_items"][1]["price_data"].pop("currency"), "line_items[1][price_data][currency]"),
        (
            lambda params: params["line_items"][0]["price_data"].update(unit_amount=-1),
            "line_items[0][price_data][unit_amount]",
        ),
        (
            lambda params: params["line_items"][0]["price_data"].update(unit_amount="12.50"),
            "line_items[0][price_data][unit_amount]",
        ),
        (
            lambda params: params["line_items"][0]["price_data"]["product_data"].update(name=""),
            "line_items[0][price_data][product_data][name]",
        ),
        (lambda params: params["line_items"][0].update(quantity=0), "line_items[0][quantity]"),
    ],
)
def test_invalid_session_params_raise_invalid_request_error_naming_the_param(fake_stripe, stripe_client, spoil, param):
    params = session_params()
    spoil(params)
    with pytest.raises(stripe.InvalidRequestError) as raised:
        stripe_client.v1.checkout.sessions.create(params=params)
    assert (raised.value.http_status, raised.value.param) == (400, param)
    assert fake_stripe.sessions == {}


def test_retrieve_session_with_expanded_line_items(stripe_client, session):
    retrieved = stripe_client.v1.checkout.sessions.retrieve(session.id, params={"expand": ["line_items"]})
    assert retrieved.id == session.id
    assert [item.description for item in retrieved.line_items.data] == ["Planner", "Stickers"]


def test_retrieve_an_unknown_session_is_a_404(stripe_client):
    with pytest.raises(stripe.InvalidRequestError) as raised:
        stripe_client.v1.checkout.sessions.retrieve("cs_test_missing")
    assert (raised.value.http_status, raised.value.code, raised.value.param) == (404, "resource_missing", "session")


def test_list_line_items(stripe_client, session):
    items = stripe_client.v1.checkout.sessions.line_items.list(session.id)
    assert items.object == "list"
    assert items.has_more is False
    planner = items.data[0]
    assert planner.id.startswith("li_")
    assert (planner.description, planner.quantity) == ("Planner", 2)
    assert (planner.amount_subtotal, planner.amount_total, planner.currency) == (3000, 3000, "eur")
    assert (planner.price.unit_amount, planner.price.currency) == (1500, "eur")
    assert planner.price.product.startswith("prod_")


def test_a_completed_session_is_paid_with_a_payment_intent(stripe_client, session, paid_session):
    retrieved = stripe_client.v1.checkout.sessions.retrieve(session.id)
    assert (retrieved.status, retrieved.payment_status) == ("complete", "paid")
    assert retrieved.payment_intent == paid_session["payment_intent"]
    assert retrieved.payment_intent.startswith("pi_")


def test_complete_session_can_report_a_different_amount(fake_stripe, stripe_client, session):
    fake_stripe.complete_session(session.id, amount_total=1)
    assert stripe_client.v1.checkout.sessions.retrieve(session.id).amount_total == 1


def test_expire_an_open_session_once(stripe_client, session):
    assert stripe_client.v1.checkout.sessions.expire(session.id).status == "expired"
    with pytest.raises(stripe.InvalidRequestError):
        stripe_client.v1.checkout.sessions.expire(session.id)


def test_expire_session_now_shows_through_the_api(fake_stripe, stripe_client, session):
    fake_stripe.expire_session_now(session.id)
    assert stripe_client.v1.checkout.sessions.retrieve(session.id).status == "expired"


def test_a_refund_defaults_to_the_whole_payment(fake_stripe, stripe_client, paid_session):
    refund = stripe_client.v1.refunds.create(
        params={"payment_intent": paid_session["payment_intent"], "metadata": {"order": "42"}}
    )
    assert refund.id.startswith("re_")
    assert (refund.object, refund.status, refund.amount, refund.currency) == ("refund", "succeeded", 3499, "eur")
    assert refund.metadata.to_dict() == {"order": "42"}
    assert refund.charge.startswith("ch_")
    assert stripe_client.v1.refunds.retrieve(refund.id).amount == 3499
    assert fake_stripe.refunds[refund.id]["payment_intent"] == paid_session["payment_intent"]


def test_partial_refunds_cannot_exceed_what_was_paid(stripe_client, paid_session):
    payment_intent = paid_session["payment_intent"]
    assert stripe_client.v1.refunds.create(params={"payment_intent": payment_intent, "amount": 3000}).amount == 3000
    with pytest.raises(stripe.InvalidRequestError) as raised:
        stripe_client.v1.refunds.create(params={"payment_intent": payment_intent, "amount": 500})
    assert (raised.value.param, raised.value.code) == ("amount", "amount_too_large")
    assert stripe_client.v1.refunds.create(params={"payment_intent": payment_intent}).amount == 499


@pytest.mark.parametrize("api_key", ["", "sk_live_real", "pk_test_fake"])
def test_requests_without_a_test_secret_key_are_refused(fake_stripe, api_key):
    client = stripe.StripeClient(api_key, base_addresses={"api": fake_stripe.base_url}, max_network_retries=0)
    with pytest.raises(stripe.AuthenticationError):
        client.v1.checkout.sessions.create(params=session_params())


@pytest.mark.parametrize(("status", "error_class"), [(500, stripe.APIError), (402, stripe.CardError)])
def test_fail_next_fails_only_the_next_request(fake_stripe, stripe_client, status, error_class):
    fake_stripe.fail_next("/v1/checkout/sessions", status=status)
    options = {"idempotency_key": "checkout-order-42"}
    with pytest.raises(error_class) as raised:
        stripe_client.v1.checkout.sessions.create(params=session_params(), options=options)
    assert raised.value.http_status == status
    assert stripe_client.v1.checkout.sessions.create(params=session_params(), options=options).status == "open"


def test_signed_events_are_accepted_by_stripe(fake_stripe, paid_session):
    payload = json.dumps(fake_stripe.event("checkout.session.completed", paid_session, event_id="evt_1")).encode()
    signature = fake_stripe.sign(payload)
    event = stripe.Webhook.construct_event(payload, signature, fake_stripe.webhook_secret, tolerance=300)
    assert (event.id, event.type, event.api_version) == ("evt_1", "checkout.session.completed", stripe.api_version)
    assert event.data.object.payment_intent == paid_session["payment_intent"]


@pytest.mark.parametrize(
    "tamper",
    [
        lambda fake, payload: (payload, fake.sign(payload, secret="whsec_someone_else")),
        lambda fake, payload: (payload.replace(b"complete", b"c0mplete", 1), fake.sign(payload)),
        lambda fake, payload: (payload, fake.sign(payload, timestamp=int(time.time()) - 301)),
    ],
    ids=["wrong secret", "changed byte", "stale timestamp"],
)
def test_tampered_events_are_rejected_by_stripe(fake_stripe, paid_session, tamper):
    payload = json.dumps(fake_stripe.event("checkout.session.completed", paid_session)).encode()
    body, signature = tamper(fake_stripe, payload)
    with pytest.raises(stripe.SignatureVerificationError):
        stripe.Webhook.construct_event(body, signature, fake_stripe.webhook_secret, tolerance=300)


# The hosted payment page a browser pays on.


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def open_page(url, data=None):
    """GET (or POST form `data` to) the hosted page without following its redirect: (status, headers, text)."""
    opener = urllib.request.build_opener(NoRedirect)
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    try:
        with opener.open(url, data=body, timeout=10) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


@pytest.fixture
def webhook_receiver(fake_stripe):
    """A stand-in for the shop's webhook endpoint: it checks each event's signature the way the shop does."""
    received = []

    class Receiver(BaseHTTPRequestHandler):
        def do_POST(self):
            payload = self.rfile.read(int(self.headers["Content-Length"]))
            event = stripe.Webhook.construct_event(
                payload, self.headers["Stripe-Signature"], fake_stripe.webhook_secret, tolerance=300
            )
            received.append(event)
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    fake_stripe.webhook_url = f"http://127.0.0.1:{server.server_port}/webhook/"
    yield received
    server.shutdown()
    server.server_close()


def test_the_hosted_page_shows_what_is_due(session):
    status, headers, page = open_page(session.url)
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert "Planner × 2: 30.00 EUR" in page and "Total due: <strong data-total>34.99 EUR</strong>" in page
    assert "ada@example.com" in page


def test_paying_on_the_hosted_page_completes_the_session_sends_the_event_and_returns(
    stripe_client, session, webhook_receiver, fake_stripe
):
    status, headers, _ = open_page(session.url, {"action": "pay"})

    assert status == 303 and headers["Location"] == f"https://shop.example/thanks?session={session.id}"
    assert stripe_client.v1.checkout.sessions.retrieve(session.id).payment_status == "paid"
    assert [(event.type, event.data.object.id) for event in webhook_receiver] == [
        ("checkout.session.completed", session.id)
    ]
    assert fake_stripe.webhook_responses == [(200, "{}")]
    assert open_page(session.url, {"action": "pay"})[0] == 410  # a second click cannot pay twice
    assert len(webhook_receiver) == 1


def test_going_back_from_the_hosted_page_leaves_the_session_open(stripe_client, session, webhook_receiver):
    status, headers, _ = open_page(session.url, {"action": "cancel"})
    assert status == 303 and headers["Location"] == "https://shop.example/cart"
    assert stripe_client.v1.checkout.sessions.retrieve(session.id).status == "open"
    assert webhook_receiver == []


def test_an_unknown_session_has_no_hosted_page(fake_stripe):
    assert open_page(f"{fake_stripe.base_url}/pay/cs_test_nope")[0] == 404


# -- Checked against Stripe's own parameter types and documented limits ------------------------------------


@pytest.mark.parametrize(
    ("spoil", "message", "param"),
    [
        (lambda p: p.update(shiping_options="x"), "Received unknown parameter: shiping_options", "shiping_options"),
        (
            lambda p: p["line_items"][0]["price_data"].update(amount=5),
            "Received unknown parameter: line_items[0][price_data][amount]",
            "line_items[0][price_data][amount]",
        ),
        (lambda p: p.update(allow_promotion_codes="yes"), "Invalid boolean: yes", "allow_promotion_codes"),
        (
            lambda p: p.update(shipping_address_collection={"allowed_countries": ["GB", "UK"]}),
            "Invalid shipping_address_collection[allowed_countries][1]: must be one of",
            "shipping_address_collection[allowed_countries][1]",
        ),
        (
            lambda p: p.update(line_items=[line_item(f"Print {n}", 100, 1) for n in range(101)]),
            "You may only specify up to 100 line items",
            "line_items",
        ),
        (lambda p: p.update(metadata={"k" * 41: "v"}), "Metadata keys can have up to 40 characters", "metadata"),
        (lambda p: p.update(metadata={"order": "x" * 501}), "Metadata values can have up to 500", "metadata"),
        (lambda p: p.update(metadata={"src[2]": "1"}), "Metadata keys cannot contain square brackets", "metadata"),
        (
            lambda p: p.update(metadata={f"key{n}": "v" for n in range(51)}),
            "Metadata can have up to 50 keys",
            "metadata",
        ),
        (
            lambda p: p.update(line_items=[line_item("Sticker", 30, 1)]),
            "must add up to at least 0.50 EUR",
            "line_items",
        ),
    ],
)
def test_requests_stripe_refuses_are_refused(fake_stripe, stripe_client, spoil, message, param):
    params = session_params()
    spoil(params)
    with pytest.raises(stripe.InvalidRequestError) as raised:
        stripe_client.v1.checkout.sessions.create(params=params)
    assert message in raised.value.user_message and raised.value.param == param
    assert fake_stripe.sessions == {}


def test_every_country_stripe_leaves_out_is_refused(stripe_client):
    refused = ["AS", "CC", "CU", "CX", "FM", "HM", "IR", "KP", "MH", "MP", "NF", "PW", "SY", "UM", "VI"]
    for code in refused:
        params = {**session_params(), "shipping_address_collection": {"allowed_countries": [code]}}
        with pytest.raises(stripe.InvalidRequestError):
            stripe_client.v1.checkout.sessions.create(params=params)


def test_an_idempotency_key_over_255_characters_is_refused(stripe_client):
    with pytest.raises(stripe.IdempotencyError):
        stripe_client.v1.checkout.sessions.create(params=session_params(), options={"idempotency_key": "k" * 256})


def test_a_stored_500_is_replayed_to_its_key_and_another_key_succeeds(fake_stripe, settings):
    client = stripe.StripeClient(  # stripe-python retries a 500 unless Stripe-Should-Retry says not to
        settings.STRIPE_SECRET_KEY, base_addresses={"api": settings.STRIPE_API_BASE}, max_network_retries=2
    )
    fake_stripe.fail_next("/v1/checkout/sessions", status=500, stored=True)
    options = {"idempotency_key": "order-42"}

    for _ in range(2):
        with pytest.raises(stripe.APIError) as raised:
            client.v1.checkout.sessions.create(params=session_params(), options=options)
        assert raised.value.headers["Stripe-Should-Retry"] == "false"
    assert raised.value.headers["Idempotent-Replayed"] == "true"
    assert len(fake_stripe.requests) == 2  # no automatic retries
    assert client.v1.checkout.sessions.create(params=session_params(), options={"idempotency_key": "order-42b"})


def test_a_promotion_code_discounts_the_items_and_shows_in_total_details(fake_stripe, stripe_client):
    params = {**session_params(), "allow_promotion_codes": True}
    session = stripe_client.v1.checkout.sessions.create(params=params)
    promotion = fake_stripe.add_promotion_code("SPRING10", percent_off=10)

    fake_stripe.complete_session(session.id, promotion_code="spring10")

    paid = stripe_client.v1.checkout.sessions.retrieve(
        session.id, params={"expand": ["total_details.breakdown", "discounts.promotion_code"]}
    )
    assert (paid.amount_subtotal, paid.amount_total, paid.total_details.amount_discount) == (3499, 3149, 350)
    assert paid.discounts[0].promotion_code.code == "SPRING10"
    assert paid.total_details.breakdown.discounts[0].amount == 350
    assert stripe_client.v1.checkout.sessions.retrieve(session.id).discounts[0].promotion_code == promotion["id"]


def test_a_promotion_code_needs_allow_promotion_codes(fake_stripe, session):
    fake_stripe.add_promotion_code("SPRING10", percent_off=10)
    with pytest.raises(Exception, match="This code is invalid"):
        fake_stripe.complete_session(session.id, promotion_code="SPRING10")


def test_a_discount_to_zero_needs_no_payment(fake_stripe, stripe_client):
    session = stripe_client.v1.checkout.sessions.create(params={**session_params(), "allow_promotion_codes": True})
    fake_stripe.add_promotion_code("FREE", percent_off=100)

    paid = fake_stripe.complete_session(session.id, promotion_code="FREE")

    assert (paid["amount_total"], paid["payment_status"], paid["payment_intent"]) == (0, "no_payment_required", None)


def test_a_refund_emits_refund_created_and_charge_refunded(fake_stripe, stripe_client, paid_session):
    refund = stripe_client.v1.refunds.create(params={"payment_intent": paid_session["payment_intent"]})

    events = fake_stripe.take_events()

    assert [event["type"] for event in events] == ["refund.created", "charge.refunded"]
    assert events[0]["data"]["object"]["id"] == refund.id
    charge = events[1]["data"]["object"]
    assert (charge["amount_refunded"], charge["refunded"]) == (3499, True)


def test_a_pending_refund_settles_later_with_its_events(fake_stripe, stripe_client, paid_session):
    fake_stripe.refund_status = "pending"
    refund = stripe_client.v1.refunds.create(params={"payment_intent": paid_session["payment_intent"]})
    assert refund.status == "pending"
    fake_stripe.take_events()

    fake_stripe.settle_refund(refund.id, "failed")

    events = fake_stripe.take_events()
    assert [(event["type"], event["data"]["object"]["status"]) for event in events] == [
        ("refund.updated", "failed"),
        ("refund.failed", "failed"),
    ]
    assert stripe_client.v1.refunds.retrieve(refund.id).failure_reason == "expired_or_canceled_card"
    # The money is back on the charge: it can be refunded again.
    assert stripe_client.v1.refunds.create(params={"payment_intent": paid_session["payment_intent"]}).amount == 3499


# -- Shipping options (docs.stripe.com/api/checkout/sessions/create: shipping_options, up to 5) -------------


def shipping_option(name, amount, currency="eur", days=None):
    data = {"type": "fixed_amount", "display_name": name, "fixed_amount": {"amount": amount, "currency": currency}}
    if days:
        data["delivery_estimate"] = {
            "minimum": {"unit": "business_day", "value": days[0]},
            "maximum": {"unit": "business_day", "value": days[1]},
        }
    return {"shipping_rate_data": data}


@pytest.fixture
def shipped_session(stripe_client):
    params = {
        **session_params(),
        "shipping_options": [shipping_option("Standard", 500, days=(3, 5)), shipping_option("Express", 1500)],
    }
    return stripe_client.v1.checkout.sessions.create(params=params)


def test_the_first_shipping_option_is_preselected_and_in_the_total(fake_stripe, shipped_session):
    standard, express = shipped_session.shipping_options
    assert (standard.shipping_amount, express.shipping_amount) == (500, 1500)
    assert standard.shipping_rate.startswith("shr_") and standard.shipping_rate != express.shipping_rate
    assert shipped_session.shipping_cost.shipping_rate == standard.shipping_rate
    assert shipped_session.amount_total == 3499 + 500
    assert shipped_session.total_details.amount_shipping == 500


def test_the_customer_s_choice_is_on_the_completed_session_its_event_and_expanded_rate(
    fake_stripe, stripe_client, shipped_session
):
    express = shipped_session.shipping_options[1].shipping_rate

    completed = fake_stripe.complete_session(shipped_session.id, shipping_option=1)
    event = fake_stripe.event("checkout.session.completed", completed)

    cost = event["data"]["object"]["shipping_cost"]
    assert cost == {"amount_subtotal": 1500, "amount_tax": 0, "amount_total": 1500, "shipping_rate": express}
    assert completed["amount_total"] == 3499 + 1500 and completed["total_details"]["amount_shipping"] == 1500
    retrieved = stripe_client.v1.checkout.sessions.retrieve(
        shipped_session.id, params={"expand": ["shipping_cost.shipping_rate"]}
    )
    assert retrieved.shipping_cost.shipping_rate.display_name == "Express"
    standard = fake_stripe.shipping_rates[shipped_session.shipping_options[0].shipping_rate]
    assert standard["delivery_estimate"] == {
        "minimum": {"unit": "business_day", "value": 3},
        "maximum": {"unit": "business_day", "value": 5},
    }


def test_the_hosted_page_offers_the_shipping_options_and_pays_the_chosen_one(fake_stripe, shipped_session):
    page = open_page(shipped_session.url)[2]
    assert "Standard: 5.00 EUR" in page and "Express: 15.00 EUR" in page

    assert open_page(shipped_session.url, {"action": "pay", "shipping_option": "1"})[0] == 303
    assert fake_stripe.sessions[shipped_session.id]["amount_total"] == 3499 + 1500


def test_the_hosted_page_refuses_a_shipping_option_it_did_not_offer(fake_stripe, shipped_session):
    status, _, page = open_page(shipped_session.url, {"action": "pay", "shipping_option": "7"})
    assert status == 200 and "Choose a shipping option." in page
    assert fake_stripe.sessions[shipped_session.id]["status"] == "open"


@pytest.mark.parametrize(
    ("options", "message", "param"),
    [
        (
            [shipping_option(f"Rate {n}", 100 * n) for n in range(6)],
            "You may only specify up to 5 shipping options",
            "shipping_options",
        ),
        (
            [{"shipping_rate_data": {"fixed_amount": {"amount": 500, "currency": "eur"}}}],
            "shipping_options[0][shipping_rate_data][display_name]",
            "shipping_options[0][shipping_rate_data][display_name]",
        ),
        (
            [shipping_option("Standard", -1)],
            "greater than or equal to 0",
            "shipping_options[0][shipping_rate_data][fixed_amount][amount]",
        ),
        ([shipping_option("Standard", 500, currency="usd")], "must match the currency", "shipping_options[0]"),
        (
            [shipping_option("Standard", 500, days=(0, 2))],
            "greater than or equal to 1",
            "shipping_options[0][shipping_rate_data][delivery_estimate][minimum][value]",
        ),
        ([{"shipping_rate": "shr_nope"}], "No such shipping rate", "shipping_options[0][shipping_rate]"),
        (
            [{"shipping_rate": "shr_nope", **shipping_option("Standard", 500)}],
            "exactly one of shipping_rate or shipping_rate_data",
            "shipping_options[0]",
        ),
    ],
)
def test_shipping_options_stripe_refuses_are_refused(fake_stripe, stripe_client, options, message, param):
    with pytest.raises(stripe.InvalidRequestError) as raised:
        stripe_client.v1.checkout.sessions.create(params={**session_params(), "shipping_options": options})
    assert message in raised.value.user_message and raised.value.param == param
    assert fake_stripe.sessions == {} and fake_stripe.shipping_rates == {}
