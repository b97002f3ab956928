"""A fake Stripe API on 127.0.0.1 that the real stripe-python library talks HTTP to, for tests.

It covers what the shop uses (Checkout Sessions, refunds, disputes) with Stripe's form encoding, error
shapes and idempotency keys, so tests exercise the same requests and error classes as production. Every
request is checked against the parameter types stripe-python generates from Stripe's OpenAPI spec
(`stripe_params`), and against the limits Stripe documents (100 line items, metadata sizes, 255-character
idempotency keys, the minimum charge per currency), so a request Stripe would refuse fails here too.

It behaves as Stripe documents rather than as the shop expects: promotion codes lower amount_total and show
in total_details and discounts; shipping_options (at most 5) become shipping rates, the first preselected in
the total and the customer's pick reported in shipping_cost; a discount to zero completes with
payment_status=no_payment_required; a
refund emits refund.created and charge.refunded (and refund.updated, refund.failed as it settles), may
stay pending and later fail; a 500 after the work began is stored under its idempotency key and replayed
with Stripe-Should-Retry: false. Helpers move a session on the way Stripe would (payment, expiry) and
build signed webhook events.

For browser journeys and load tests it also serves the hosted payment page at each session's `url`:
paying there completes the session, sends the signed checkout.session.completed event to `webhook_url`
(when set) and redirects to the session's success_url, as Stripe's own page does.
"""

import copy
import hashlib
import hmac
import html
import json
import re
import secrets
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, unquote, urlsplit

import stripe
from stripe.params._refund_create_params import RefundCreateParams
from stripe.params._refund_list_params import RefundListParams
from stripe.params._refund_retrieve_params import RefundRetrieveParams
from stripe.params.checkout._session_create_params import SessionCreateParams
from stripe.params.checkout._session_expire_params import SessionExpireParams
from stripe.params.checkout._session_list_line_items_params import SessionListLineItemsParams
from stripe.params.checkout._session_list_params import SessionListParams
from stripe.params.checkout._session_retrieve_params import SessionRetrieveParams

from tests.fake_stripe import params as stripe_params
from tests.fake_stripe.limits import (
    DEFAULT_MINIMUM_CHARGE,
    IDEMPOTENCY_KEY_MAX_LENGTH,
    MAX_LINE_ITEMS,
    MAX_SHIPPING_OPTIONS,
    MINIMUM_CHARGE,
    metadata_problem,
)

# Stripe Tax stands in here as a small table of standard rates (percent) by the customer's country; a country
# not listed pays none. Not Stripe's numbers: enough to see tax added on top or found inside the prices.
TAX_RATES = {"DE": 19, "FR": 20, "NL": 21, "GB": 20, "IE": 23}

SESSION_LIFETIME = 24 * 60 * 60  # Stripe's default: a Checkout Session expires 24 hours after creation


class StripeAPIError(Exception):
    """An error the fake answers with, in Stripe's {"error": {...}} shape."""

    def __init__(self, status, message, *, error_type="invalid_request_error", param=None, code=None):
        super().__init__(message)
        self.status = status
        error = {"type": error_type, "message": message, "param": param, "code": code}
        self.body = {"error": {key: value for key, value in error.items() if value is not None}}


def parse_form(query):
    """Decode Stripe's bracketed form keys (`line_items[0][quantity]`, `expand[]`) into nested dicts and lists."""
    root = {}
    for key, value in parse_qsl(query, keep_blank_values=True):
        parts = [key.split("[", 1)[0], *re.findall(r"\[([^\]]*)\]", key)]
        node = root
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1] or str(len(node))] = value
    return _listify(root)


def _listify(node):
    if not isinstance(node, dict):
        return node
    items = {key: _listify(value) for key, value in node.items()}
    if items and all(key.isdigit() for key in items):
        return [items[key] for key in sorted(items, key=int)]
    return items


def _new_id(prefix):
    return f"{prefix}_{secrets.token_hex(12)}"


def _required(params, name, prefix=""):
    param = f"{prefix}[{name}]" if prefix else name
    value = params.get(name) if isinstance(params, dict) else None
    if value in (None, "", {}, []):
        raise StripeAPIError(400, f"Missing required param: {param}.", param=param, code="parameter_missing")
    return value


def _integer(value, param, *, minimum):
    if not (isinstance(value, str) and re.fullmatch(r"-?\d+", value, re.ASCII)):
        raise StripeAPIError(400, f"Invalid integer: {value}", param=param, code="parameter_invalid_integer")
    if int(value) < minimum:
        message = f"This value must be greater than or equal to {minimum}."
        raise StripeAPIError(400, message, param=param, code="parameter_invalid_integer")
    return int(value)


def _session_expiry(params, now):
    """Stripe's rule for expires_at: from 30 minutes to 24 hours after the request, else a 400."""
    if "expires_at" not in params:
        return now + SESSION_LIFETIME
    expires_at = _integer(params["expires_at"], "expires_at", minimum=0)
    if not now + 30 * 60 <= expires_at <= now + SESSION_LIFETIME:
        message = "The `expires_at` timestamp must be between 30 minutes and 24 hours from Checkout Session creation."
        raise StripeAPIError(400, message, param="expires_at", code="parameter_invalid_integer")
    return expires_at


def _new_shipping_rate(data, param, now):
    """A shipping rate object (docs.stripe.com/api/shipping_rates/object) from shipping_rate_data: a display
    name, a fixed amount (the only type) and an optional delivery estimate of positive values."""
    fixed = _required(data, "fixed_amount", param)
    estimate = copy.deepcopy(data.get("delivery_estimate") or {})
    for bound in ("minimum", "maximum"):
        if bound in estimate:
            bound_param = f"{param}[delivery_estimate][{bound}]"
            estimate[bound] = {
                "unit": _required(estimate[bound], "unit", bound_param),
                "value": _integer(estimate[bound].get("value"), f"{bound_param}[value]", minimum=1),
            }
    return {
        "id": _new_id("shr"),
        "object": "shipping_rate",
        "active": True,
        "created": now,
        "delivery_estimate": estimate or None,
        "display_name": _required(data, "display_name", param),
        "fixed_amount": {
            "amount": _integer(fixed.get("amount"), f"{param}[fixed_amount][amount]", minimum=0),
            "currency": _required(fixed, "currency", f"{param}[fixed_amount]").lower(),
        },
        "livemode": False,
        "metadata": data.get("metadata", {}),
        "tax_behavior": data.get("tax_behavior"),
        "tax_code": data.get("tax_code"),
        "type": "fixed_amount",
    }


def _shipping_cost(rate):
    """A session's shipping_cost for the chosen rate (no tax: the fake computes none)."""
    amount = rate["fixed_amount"]["amount"]
    return {"amount_subtotal": amount, "amount_tax": 0, "amount_total": amount, "shipping_rate": rate["id"]}


def _lookup(store, object_name, object_id, param):
    if object_id not in store:
        message = f"No such {object_name}: '{object_id}'"
        raise StripeAPIError(404, message, param=param, code="resource_missing")
    return store[object_id]


class FakeStripe:
    """In-memory Stripe; start() serves it from a daemon thread, one lock guards all state."""

    api_key = "sk_test_fake"

    def __init__(self, webhook_secret="whsec_test_fake", webhook_url=None):  # noqa: S107 - a test-only secret
        self.webhook_secret = webhook_secret
        self.webhook_url = webhook_url  # where the hosted page's payments send their event, if anywhere
        self.webhook_responses = []  # (status, body) of each delivery, for tests to check
        self.base_url = ""
        self.requests = []
        self.sessions = {}
        self.refunds = {}
        self.charges = {}  # charge id -> charge object
        self.disputes = {}
        self.promotion_codes = {}  # customer-facing code -> promotion code object (with its coupon)
        self.shipping_rates = {}  # shr_... -> shipping rate object, made from each session's shipping_rate_data
        self.refund_status = "succeeded"  # what the next refunds start as: "pending" to settle them later
        self.events = []  # events Stripe would send for API requests (refunds), oldest first; see take_events
        self._line_items = {}  # session id -> line item dicts
        self._discount_breakdown = {}  # session id -> total_details.breakdown.discounts
        self._payments = {}  # payment intent id -> {"payment_intent", "charge", "amount", "currency", "refunded"}
        self._idempotent = {}  # idempotency key -> ((method, path, params), (status, response JSON, headers))
        self._failures = {}  # path -> (StripeAPIError, stored under the key?) to answer with, in order
        self._lock = threading.Lock()
        self._server = None
        self._thread = None
        self._routes = [
            ("POST", r"/v1/checkout/sessions", self._create_session),
            ("GET", r"/v1/checkout/sessions", self._list_sessions),
            ("GET", r"/v1/checkout/sessions/([^/]+)", self._retrieve_session),
            ("GET", r"/v1/checkout/sessions/([^/]+)/line_items", self._list_line_items),
            ("POST", r"/v1/checkout/sessions/([^/]+)/expire", self._expire_session),
            ("POST", r"/v1/refunds", self._create_refund),
            ("GET", r"/v1/refunds", self._list_refunds),
            ("GET", r"/v1/refunds/([^/]+)", self._retrieve_refund),
        ]
        # The parameter types stripe-python generates from Stripe's OpenAPI spec, per route.
        self._param_types = {
            self._create_session: SessionCreateParams,
            self._list_sessions: SessionListParams,
            self._retrieve_session: SessionRetrieveParams,
            self._list_line_items: SessionListLineItemsParams,
            self._expire_session: SessionExpireParams,
            self._create_refund: RefundCreateParams,
            self._list_refunds: RefundListParams,
            self._retrieve_refund: RefundRetrieveParams,
        }

    def start(self):
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.fake = self
        self.base_url = f"http://127.0.0.1:{self._server.server_port}"
        # A short poll interval lets stop() return quickly; the default half second adds up over a test run.
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def stop(self):
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    def fail_next(self, path, *, status=500, times=1, message=None, code=None, stored=False):
        """Answer the next `times` requests to `path` with a Stripe error, such as 500 or a 402 card decline.

        By default the failure comes before any work or idempotency bookkeeping (a request refused on arrival),
        so a retry with the same key can succeed. With stored=True it is a 500 after the work began: Stripe
        saves that result under the idempotency key and replays it to every retry with that key for 24 hours,
        with Stripe-Should-Retry: false (docs.stripe.com/api/idempotent_requests).
        """
        error_type = "card_error" if status == 402 else "api_error" if status >= 500 else "invalid_request_error"
        error = StripeAPIError(
            status, message or f"Simulated {status} from FakeStripe.", error_type=error_type, code=code
        )
        with self._lock:
            self._failures.setdefault(path, []).extend([(error, stored)] * times)

    # Test helpers that change state the way Stripe would.

    DEFAULT_ADDRESS = {
        "name": "Ada Lovelace",
        "address": {
            "line1": "12 St James's Square",
            "line2": None,
            "city": "London",
            "postal_code": "SW1Y 4JH",
            "state": None,
            "country": "GB",
        },
    }

    def add_promotion_code(self, code, *, percent_off=None, amount_off=None, currency=None):
        """A coupon and the customer-facing promotion code for it, as the owner makes them in the Dashboard."""
        coupon = {
            "id": _new_id("coupon"),
            "object": "coupon",
            "percent_off": percent_off,
            "amount_off": amount_off,
            "currency": currency,
        }
        promotion = {"id": _new_id("promo"), "object": "promotion_code", "code": code, "coupon": coupon}
        with self._lock:
            self.promotion_codes[code.upper()] = promotion
        return copy.deepcopy(promotion)

    def complete_session(
        self,
        session_id,
        *,
        payment_status="paid",
        amount_total=None,
        shipping_details=None,
        promotion_code=None,
        shipping_option=0,
        billing_country="GB",
        email=None,
    ):
        """The customer paid (or, with payment_status="unpaid", started a delayed payment); amount_total can differ
        from what was asked for, to test a mismatch. `promotion_code` is a code the customer typed on the payment
        page: Stripe takes the discount off the line items (not shipping) and a total of zero needs no payment.
        A session that collects an address gets `shipping_details` (or a default one) under
        collected_information, as Stripe's current API version sends it. `shipping_option` is the index of the
        shipping option the customer picked (the first is preselected). With automatic_tax, tax comes from
        TAX_RATES for the shipping address's country, or `billing_country` when none is collected. A session
        made without customer_email collects the customer's `email` on the payment page, as Stripe does."""
        with self._lock:
            session = self._open_session(session_id, "completed")
            if session["shipping_options"]:
                self._choose_shipping(session, shipping_option)
            if promotion_code:
                self._apply_promotion_code(session, promotion_code)
            shipping = (shipping_details or self.DEFAULT_ADDRESS) if session["shipping_address_collection"] else None
            country = shipping["address"]["country"] if shipping else billing_country
            if session["automatic_tax"]["enabled"]:
                self._apply_tax(session, country)
            if amount_total is not None:
                session["amount_total"] = amount_total
            if session["amount_total"] == 0:
                payment_status = "no_payment_required"
            payment_intent = _new_id("pi") if payment_status != "no_payment_required" else None
            if payment_intent:
                charge = _new_id("ch") if payment_status == "paid" else None
                self._payments[payment_intent] = {
                    "payment_intent": payment_intent,
                    "charge": charge,
                    "amount": session["amount_total"],
                    "currency": session["currency"],
                    "refunded": 0,
                }
                if charge:
                    self._charge(charge, self._payments[payment_intent])
            session.update(
                status="complete",
                payment_status=payment_status,
                payment_intent=payment_intent,
                url=None,
                customer_details={
                    "email": session["customer_email"] or email or "customer@example.com",
                    "name": None,
                    "address": {"country": country},
                },
            )
            if shipping:
                session["collected_information"] = {"shipping_details": copy.deepcopy(shipping)}
            return copy.deepcopy(session)

    def settle_delayed_payment(self, session_id, *, succeeded=True):
        """A delayed payment (SEPA debit, bank transfer) started by complete_session(payment_status="unpaid")
        clears, or fails. As Stripe documents: on success the session's payment_status becomes "paid" and
        checkout.session.async_payment_succeeded is queued; on failure it stays "unpaid" and
        checkout.session.async_payment_failed is queued. Returns the session."""
        with self._lock:
            session = _lookup(self.sessions, "checkout.session", session_id, "session")
            if session["status"] != "complete" or session["payment_status"] != "unpaid":
                raise StripeAPIError(400, f"Checkout session {session_id} has no delayed payment to settle.")
            payment = self._payments[session["payment_intent"]]
            if succeeded:
                payment["charge"] = _new_id("ch")
                self._charge(payment["charge"], payment)
                session["payment_status"] = "paid"
            kind = "succeeded" if succeeded else "failed"
            self._emit(f"checkout.session.async_payment_{kind}", session)
            return copy.deepcopy(session)

    def _charge(self, charge_id, payment):
        """The succeeded charge of a payment (a card at once, a debit once it clears)."""
        self.charges[charge_id] = {
            "id": charge_id,
            "object": "charge",
            "amount": payment["amount"],
            "amount_refunded": 0,
            "currency": payment["currency"],
            "payment_intent": payment["payment_intent"],
            "refunded": False,
            "disputed": False,
            "status": "succeeded",
        }

    def _apply_tax(self, session, country):
        """Tax on the discounted items and the shipping, each by its tax_behavior: "inclusive" finds it inside
        the amount, anything else adds it on top (and to amount_total)."""
        percent = TAX_RATES.get(country, 0)
        items = self._line_items[session["id"]]
        cost = session["shipping_cost"]
        parts = [(session["amount_subtotal"] - session["total_details"]["amount_discount"], items[0]["price"])]
        if cost:
            parts.append((cost["amount_subtotal"], self.shipping_rates[cost["shipping_rate"]]))
        total_tax = 0
        for amount, priced in parts:
            inclusive = priced["tax_behavior"] == "inclusive"
            tax = round(amount * percent / (100 + percent)) if inclusive else round(amount * percent / 100)
            total_tax += tax
            if not inclusive:
                session["amount_total"] += tax
            if cost and priced is not items[0]["price"]:
                cost.update(amount_tax=tax, amount_total=cost["amount_subtotal"] + (0 if inclusive else tax))
        session["total_details"]["amount_tax"] = total_tax
        session["automatic_tax"].update(provider="stripe", status="complete")

    def _choose_shipping(self, session, index):
        option = session["shipping_options"][index]
        previous = session["total_details"]["amount_shipping"]
        session["shipping_cost"] = _shipping_cost(self.shipping_rates[option["shipping_rate"]])
        session["total_details"]["amount_shipping"] = option["shipping_amount"]
        session["amount_total"] += option["shipping_amount"] - previous

    def _apply_promotion_code(self, session, code):
        promotion = self.promotion_codes.get(code.upper())
        if not session["allow_promotion_codes"] or promotion is None:
            raise StripeAPIError(400, "This code is invalid.", param="promotion_code")
        coupon = promotion["coupon"]
        subtotal = session["amount_subtotal"]
        if coupon["percent_off"] is not None:
            discount = round(subtotal * coupon["percent_off"] / 100)
        else:
            discount = min(coupon["amount_off"], subtotal)
        session["amount_total"] = subtotal - discount + session["total_details"]["amount_shipping"]
        session["total_details"]["amount_discount"] = discount
        session["discounts"] = [{"coupon": coupon["id"], "promotion_code": promotion["id"]}]
        self._discount_breakdown[session["id"]] = [{"amount": discount, "discount": promotion}]

    # Refunds and disputes settle later at Stripe; these helpers do it and queue the events Stripe would send.

    def settle_refund(self, refund_id, status="succeeded", *, failure_reason="expired_or_canceled_card"):
        """A pending refund succeeds, or a refund fails (even after it succeeded: a closed card account).
        Queues refund.updated, and refund.failed for a failure, as Stripe sends them."""
        with self._lock:
            refund = _lookup(self.refunds, "refund", refund_id, "id")
            refund["status"] = status
            if status == "failed":
                refund["failure_reason"] = failure_reason
                payment = self._payments[refund["payment_intent"]]
                payment["refunded"] -= refund["amount"]
                charge = self.charges[refund["charge"]]
                charge.update(amount_refunded=payment["refunded"], refunded=False)
            self._emit("refund.updated", refund)
            if status == "failed":
                self._emit("refund.failed", refund)
            return copy.deepcopy(refund)

    def open_dispute(self, payment_intent, *, reason="fraudulent"):
        """The buyer's bank opens a chargeback: returns the charge.dispute.created event."""
        with self._lock:
            payment = _lookup(self._payments, "payment_intent", payment_intent, "payment_intent")
            dispute = {
                "id": _new_id("dp"),
                "object": "dispute",
                "amount": payment["amount"],
                "charge": payment["charge"],
                "currency": payment["currency"],
                "payment_intent": payment_intent,
                "reason": reason,
                "status": "needs_response",
                "created": int(time.time()),
            }
            self.disputes[dispute["id"]] = dispute
            self.charges[payment["charge"]]["disputed"] = True
            return self.event("charge.dispute.created", dispute)

    def close_dispute(self, dispute_id, status):
        """The bank decides, "won" or "lost": returns the charge.dispute.closed event."""
        with self._lock:
            dispute = _lookup(self.disputes, "dispute", dispute_id, "dispute")
            dispute["status"] = status
            return self.event("charge.dispute.closed", dispute)

    def take_events(self):
        """The events queued since the last call, oldest first, for a test to deliver."""
        with self._lock:
            events, self.events = self.events, []
        return events

    def _emit(self, type, data_object):
        self.events.append(self.event(type, data_object))

    def expire_session_now(self, session_id, *, promotions=None):
        """Expire an open session now. `promotions` is what the customer chose on its page ("opt_in" or "opt_out")
        when the session collected promotional consent (consent_collection.promotions "auto"); Stripe reports it
        as consent.promotions, which is null when nothing was collected."""
        with self._lock:
            session = self._expire_session({}, session_id)
            if promotions is not None and (session["consent_collection"] or {}).get("promotions") == "auto":
                session["consent"] = {"promotions": promotions, "terms_of_service": None}
            return copy.deepcopy(session)

    def event(self, type, data_object, *, event_id=None):
        return {
            "id": event_id or _new_id("evt"),
            "object": "event",
            "api_version": stripe.api_version,
            "created": int(time.time()),
            "data": {"object": copy.deepcopy(data_object)},
            "livemode": False,
            "pending_webhooks": 1,
            "request": {"id": None, "idempotency_key": None},
            "type": type,
        }

    def sign(self, payload, *, secret=None, timestamp=None):
        """The Stripe-Signature header: HMAC-SHA256 of "{timestamp}.{payload}" with the webhook secret."""
        timestamp = int(time.time()) if timestamp is None else timestamp
        signed = f"{timestamp}.".encode() + payload
        digest = hmac.new((secret or self.webhook_secret).encode(), signed, hashlib.sha256).hexdigest()
        return f"t={timestamp},v1={digest}"

    # The hosted payment page.

    def hosted_page(self, method, path, body):
        """GET shows the session's page; POST pays (action=pay) or goes back (action=cancel).
        Returns (status, HTML, headers)."""
        session_id = unquote(path.removeprefix("/pay/"))
        with self._lock:
            session = copy.deepcopy(self.sessions.get(session_id))
            items = copy.deepcopy(self._line_items.get(session_id, []))
            rates = copy.deepcopy(self.shipping_rates)
        if session is None:
            return 404, _page("No such checkout", "<p>This checkout session does not exist.</p>"), {}
        if session["status"] != "open":
            return 410, _page("Checkout closed", f"<p>This checkout session is {session['status']}.</p>"), {}
        if method != "POST":
            return 200, _hosted_form(session, items, rates), {}
        form = dict(parse_qsl(body.decode()))
        if form.get("action") not in {"pay", "pay_later"}:
            return 303, "", {"Location": session["cancel_url"]}
        code = form.get("promotion_code", "").strip()
        if code and code.upper() not in self.promotion_codes:
            return 200, _hosted_form(session, items, rates, error="This code is invalid."), {}
        typed_email = form.get("email", "").strip()
        if not session["customer_email"] and "@" not in typed_email:
            return 200, _hosted_form(session, items, rates, error="Enter your email address."), {}
        choice = form.get("shipping_option", "0")
        if not choice.isdigit() or int(choice) >= max(len(session["shipping_options"]), 1):
            return 200, _hosted_form(session, items, rates, error="Choose a shipping option."), {}
        try:
            paid = self.complete_session(
                session_id,
                promotion_code=code or None,
                shipping_option=int(choice),
                email=typed_email or None,
                # A bank debit: the session completes unpaid; settle_delayed_payment clears or fails it later.
                payment_status="unpaid" if form["action"] == "pay_later" else "paid",
            )
        except StripeAPIError:  # paid in another tab a moment ago
            return 410, _page("Checkout closed", "<p>This checkout session is already complete.</p>"), {}
        if self.webhook_url:
            self.deliver(self.event("checkout.session.completed", paid))
        return 303, "", {"Location": paid["success_url"].replace("{CHECKOUT_SESSION_ID}", session_id)}

    def deliver(self, event):
        """POST a signed event to webhook_url, as Stripe does, and record the shop's answer."""
        payload = json.dumps(event).encode()
        request = urllib.request.Request(  # noqa: S310 - webhook_url is the test's own live server
            self.webhook_url,
            data=payload,
            headers={"Content-Type": "application/json", "Stripe-Signature": self.sign(payload)},
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                answer = (response.status, response.read().decode())
        except urllib.error.HTTPError as error:
            answer = (error.code, error.read().decode())
        with self._lock:
            self.webhook_responses.append(answer)
        return answer

    # The HTTP side.

    def _handle(self, method, target, headers, body):
        """Record the request and return (status, JSON text, extra headers)."""
        url = urlsplit(target)
        params = parse_form(body.decode() if method == "POST" else url.query)
        with self._lock:
            self.requests.append({"method": method, "path": url.path, "params": params, "headers": dict(headers)})
            try:
                return self._answer(method, url.path, params, headers)
            except StripeAPIError as error:
                return error.status, json.dumps(error.body), {}

    def _answer(self, method, path, params, headers):
        scheme, _, key = headers.get("Authorization", "").partition(" ")
        if scheme != "Bearer" or not key:
            raise StripeAPIError(401, "You did not provide an API key. Send it as 'Authorization: Bearer sk_test_...'.")
        if not key.startswith("sk_test_"):
            raise StripeAPIError(401, f"Invalid API Key provided: {key[:8]}****")
        idempotency_key = headers.get("Idempotency-Key") if method == "POST" else None
        if idempotency_key and len(idempotency_key) > IDEMPOTENCY_KEY_MAX_LENGTH:
            message = f"Idempotency-Key must be at most {IDEMPOTENCY_KEY_MAX_LENGTH} characters long."
            raise StripeAPIError(400, message, error_type="idempotency_error")
        failure, stored = self._failures[path].pop(0) if self._failures.get(path) else (None, False)
        if failure and not stored:
            raise failure
        # Stripe replays a key's first result (a 500 that happened after the work began included), and refuses
        # the key for a different request.
        fingerprint = (method, path, params)
        if idempotency_key in self._idempotent:
            first_request, (status, response, replay_headers) = self._idempotent[idempotency_key]
            if first_request != fingerprint:
                message = (
                    "Keys for idempotent requests can only be used with the same parameters they were first used "
                    f"with. Try using a key other than '{idempotency_key}' if you meant to execute a different request."
                )
                raise StripeAPIError(400, message, error_type="idempotency_error")
            return status, response, {**replay_headers, "Idempotent-Replayed": "true"}
        view, args = self._route(method, path)
        try:
            stripe_params.validate(params, self._param_types[view])
        except stripe_params.ParamError as error:
            raise StripeAPIError(400, str(error), param=error.param, code=error.code) from None
        if failure:
            answer = (failure.status, json.dumps(failure.body), {"Stripe-Should-Retry": "false"})
        else:
            answer = (200, json.dumps(view(params, *args)), {})
        if idempotency_key:
            self._idempotent[idempotency_key] = (fingerprint, answer)
        return answer

    def _route(self, method, path):
        for route_method, pattern, view in self._routes:
            match = re.fullmatch(pattern, path)
            if route_method == method and match:
                return view, list(map(unquote, match.groups()))
        raise StripeAPIError(404, f"Unrecognized request URL ({method}: {path}).")

    def _create_session(self, params):
        mode = _required(params, "mode")
        if mode != "payment":
            raise StripeAPIError(400, "FakeStripe only models mode=payment.", param="mode")
        success_url = _required(params, "success_url")
        line_items = _required(params, "line_items")
        if len(line_items) > MAX_LINE_ITEMS:
            message = f"You may only specify up to {MAX_LINE_ITEMS} line items in payment mode."
            raise StripeAPIError(400, message, param="line_items")
        items = [self._line_item(item, f"line_items[{index}]") for index, item in enumerate(line_items)]
        if len({item["currency"] for item in items}) > 1:
            raise StripeAPIError(400, "All line items must use the same currency.", param="line_items")
        _check_metadata(params.get("metadata", {}), "metadata")
        _check_metadata(params.get("payment_intent_data", {}).get("metadata", {}), "payment_intent_data[metadata]")
        now = int(time.time())
        session_id = _new_id("cs_test")
        subtotal = sum(item["amount_total"] for item in items)
        currency = items[0]["currency"]
        rates = self._shipping_rates(params, currency, now)
        # Stripe preselects the first shipping option; its fixed amount adds to the total.
        shipping = rates[0]["fixed_amount"]["amount"] if rates else 0
        amount = subtotal + shipping
        minimum = MINIMUM_CHARGE.get(currency.upper(), DEFAULT_MINIMUM_CHARGE)
        if amount < minimum:
            message = f"The Checkout Session's total amount due must add up to at least {_money(minimum, currency)}"
            raise StripeAPIError(400, message, param="line_items", code="amount_too_small")
        allow_promotion_codes = params.get("allow_promotion_codes")
        self.sessions[session_id] = {
            "id": session_id,
            "object": "checkout.session",
            "allow_promotion_codes": None if allow_promotion_codes is None else allow_promotion_codes == "true",
            "amount_subtotal": subtotal,
            "amount_total": amount,
            "discounts": [],
            "total_details": {"amount_discount": 0, "amount_shipping": shipping, "amount_tax": 0},
            "shipping_cost": _shipping_cost(rates[0]) if rates else None,
            "shipping_options": [
                {"shipping_amount": rate["fixed_amount"]["amount"], "shipping_rate": rate["id"]} for rate in rates
            ],
            "shipping_address_collection": params.get("shipping_address_collection"),
            "billing_address_collection": params.get("billing_address_collection"),
            # Stripe computes tax once it knows where the customer is: at completion here.
            "automatic_tax": {
                "enabled": (params.get("automatic_tax") or {}).get("enabled") == "true",
                "liability": None,
                "provider": None,
                "status": None,
            },
            "collected_information": None,
            "consent": None,
            "consent_collection": _consent_collection(params.get("consent_collection")),
            "after_expiration": _after_expiration(params.get("after_expiration")),
            "cancel_url": params.get("cancel_url"),
            "client_reference_id": params.get("client_reference_id"),
            "created": now,
            "currency": currency,
            "customer_details": None,
            "customer_email": params.get("customer_email"),
            "expires_at": _session_expiry(params, now),
            "livemode": False,
            "metadata": params.get("metadata", {}),
            "mode": mode,
            "payment_intent": None,
            "payment_status": "unpaid",
            "status": "open",
            "success_url": success_url,
            "url": f"{self.base_url}/pay/{session_id}",
        }
        self._line_items[session_id] = items
        return self.sessions[session_id]

    def _shipping_rates(self, params, currency, now):
        """A shipping rate for each of shipping_options (at most 5), as Stripe makes one from shipping_rate_data;
        an existing rate may be named by id instead."""
        options = params.get("shipping_options") or []
        if len(options) > MAX_SHIPPING_OPTIONS:
            message = f"You may only specify up to {MAX_SHIPPING_OPTIONS} shipping options; you passed {len(options)}."
            raise StripeAPIError(400, message, param="shipping_options")
        rates = []
        for index, option in enumerate(options):
            param = f"shipping_options[{index}]"
            if ("shipping_rate" in option) == ("shipping_rate_data" in option):
                message = f"You must specify exactly one of shipping_rate or shipping_rate_data in {param}."
                raise StripeAPIError(400, message, param=param)
            if "shipping_rate" in option:
                rate = _lookup(self.shipping_rates, "shipping rate", option["shipping_rate"], f"{param}[shipping_rate]")
            else:
                rate = _new_shipping_rate(option["shipping_rate_data"], f"{param}[shipping_rate_data]", now)
            if rate["fixed_amount"]["currency"] != currency:
                message = f"The currency of {param} must match the currency of the line items ({currency})."
                raise StripeAPIError(400, message, param=param)
            rates.append(rate)
        # A refused request makes nothing, so the rates are kept only once every option passed.
        self.shipping_rates.update((rate["id"], rate) for rate in rates)
        return rates

    def _list_sessions(self, params):
        """Filtered by payment_intent, the one filter checkout code needs (refunds before completion)."""
        found = [
            copy.deepcopy(session)
            for session in self.sessions.values()
            if "payment_intent" not in params or session["payment_intent"] == params["payment_intent"]
        ]
        return {"object": "list", "data": found, "has_more": False, "url": "/v1/checkout/sessions"}

    def _line_item(self, item, param):
        price_data = _required(item, "price_data", param)
        price_param = f"{param}[price_data]"
        currency = _required(price_data, "currency", price_param).lower()
        if not re.fullmatch(r"[a-z]{3}", currency):
            raise StripeAPIError(400, f"Invalid currency: {currency}", param=f"{price_param}[currency]")
        unit_amount = _integer(
            _required(price_data, "unit_amount", price_param), f"{price_param}[unit_amount]", minimum=0
        )
        product_data = _required(price_data, "product_data", price_param)
        name = _required(product_data, "name", f"{price_param}[product_data]")
        _check_metadata(product_data.get("metadata", {}), f"{price_param}[product_data][metadata]")
        quantity = _integer(_required(item, "quantity", param), f"{param}[quantity]", minimum=1)
        amount = unit_amount * quantity
        return {
            "id": _new_id("li"),
            "object": "item",
            "amount_discount": 0,
            "amount_subtotal": amount,
            "amount_tax": 0,
            "amount_total": amount,
            "currency": currency,
            "description": name,
            "price": {
                "id": _new_id("price"),
                "object": "price",
                "currency": currency,
                "product": _new_id("prod"),
                "tax_behavior": price_data.get("tax_behavior", "unspecified"),
                "type": "one_time",
                "unit_amount": unit_amount,
            },
            "quantity": quantity,
        }

    def _retrieve_session(self, params, session_id):
        session = copy.deepcopy(self._lapse_if_due(_lookup(self.sessions, "checkout.session", session_id, "session")))
        expand = params.get("expand", [])
        if "line_items" in expand:
            session["line_items"] = self._list_line_items({}, session_id)
        if "total_details.breakdown" in expand:
            session["total_details"]["breakdown"] = {
                "discounts": copy.deepcopy(self._discount_breakdown.get(session_id, [])),
                "taxes": [],
            }
        if "shipping_cost.shipping_rate" in expand and session["shipping_cost"]:
            rate_id = session["shipping_cost"]["shipping_rate"]
            session["shipping_cost"]["shipping_rate"] = copy.deepcopy(self.shipping_rates[rate_id])
        if "discounts.promotion_code" in expand:
            by_id = {promotion["id"]: promotion for promotion in self.promotion_codes.values()}
            for discount in session["discounts"]:
                discount["promotion_code"] = copy.deepcopy(by_id[discount["promotion_code"]])
        return session

    def _list_line_items(self, params, session_id):
        _lookup(self.sessions, "checkout.session", session_id, "session")
        url = f"/v1/checkout/sessions/{session_id}/line_items"
        return {"object": "list", "data": self._line_items[session_id], "has_more": False, "url": url}

    @staticmethod
    def _lapse_if_due(session):
        """Past its expires_at an open session is expired, as Stripe's is: nobody can pay it any more."""
        if session["status"] == "open" and time.time() >= session["expires_at"]:
            session.update(status="expired", url=None)
        return session

    def _expire_session(self, params, session_id):
        session = self._open_session(session_id, "expired")
        session.update(status="expired", url=None)
        return session

    def _open_session(self, session_id, action):
        session = self._lapse_if_due(_lookup(self.sessions, "checkout.session", session_id, "session"))
        if session["status"] != "open":
            message = (
                f'Only Checkout Sessions with a status in ["open"] can be {action}. '
                f'This Checkout Session has a status of "{session["status"]}".'
            )
            raise StripeAPIError(400, message)
        return session

    def _create_refund(self, params):
        payment = self._refundable_payment(params)
        remaining = payment["amount"] - payment["refunded"]
        if remaining == 0:
            message = f"Charge {payment['charge']} has already been refunded."
            raise StripeAPIError(400, message, code="charge_already_refunded")
        amount = _integer(params["amount"], "amount", minimum=1) if "amount" in params else remaining
        if amount > remaining:
            message = f"Refund amount ({amount}) is greater than unrefunded amount on charge ({remaining})"
            raise StripeAPIError(400, message, param="amount", code="amount_too_large")
        _check_metadata(params.get("metadata", {}), "metadata")
        payment["refunded"] += amount
        refund_id = _new_id("re")
        refund = self.refunds[refund_id] = {
            "id": refund_id,
            "object": "refund",
            "amount": amount,
            "charge": payment["charge"],
            "created": int(time.time()),
            "currency": payment["currency"],
            "failure_reason": None,
            "metadata": params.get("metadata", {}),
            "payment_intent": payment["payment_intent"],
            "reason": params.get("reason"),
            "status": self.refund_status,
        }
        charge = self.charges[payment["charge"]]
        charge.update(amount_refunded=payment["refunded"], refunded=payment["refunded"] == payment["amount"])
        # Stripe sends both for every refund, a full one included (docs.stripe.com/api/events/types).
        self._emit("refund.created", refund)
        self._emit("charge.refunded", charge)
        return refund

    def _list_refunds(self, params):
        found = [
            refund
            for refund in reversed(self.refunds.values())
            if "payment_intent" not in params or refund["payment_intent"] == params["payment_intent"]
        ]
        return {"object": "list", "data": found, "has_more": False, "url": "/v1/refunds"}

    def _refundable_payment(self, params):
        if "payment_intent" in params:
            payment = _lookup(self._payments, "payment_intent", params["payment_intent"], "payment_intent")
        elif "charge" in params:
            by_charge = {payment["charge"]: payment for payment in self._payments.values() if payment["charge"]}
            payment = _lookup(by_charge, "charge", params["charge"], "charge")
        else:
            message = "One of the following params should be provided for this request: payment_intent or charge."
            raise StripeAPIError(400, message)
        if payment["charge"] is None:
            message = f"This PaymentIntent ({payment['payment_intent']}) does not have a successful charge to refund."
            raise StripeAPIError(400, message, param="payment_intent")
        return payment

    def _retrieve_refund(self, params, refund_id):
        return _lookup(self.refunds, "refund", refund_id, "id")


def _check_metadata(metadata, param):
    problem = metadata_problem(metadata) if isinstance(metadata, dict) else ""
    if problem:
        raise StripeAPIError(400, problem, param=param)


def _money(amount_minor, currency):
    return f"{amount_minor / 100:,.2f} {currency.upper()}"


def _page(title, content):
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)} · FakeStripe</title></head>"
        f"<body><main><h1>{html.escape(title)}</h1>{content}</main></body></html>"
    )


def _hosted_form(session, items, rates, error=""):
    rows = "".join(
        f"<li>{html.escape(item['description'])} × {item['quantity']}: "
        f"{_money(item['amount_total'], item['currency'])}</li>"
        for item in items
    )
    # Without customer_email, Checkout asks the customer for it on the page.
    shown_email, asked_email = (
        (f"<p>Email: <span data-email>{html.escape(session['customer_email'])}</span></p>", "")
        if session["customer_email"]
        else ("", '<p><label for="email">Email</label> <input id="email" name="email" type="email"></p>')
    )
    total = _money(session["amount_total"], session["currency"])
    promotion = (
        '<p><label for="promotion_code">Promotion code</label> '
        '<input id="promotion_code" name="promotion_code" autocomplete="off"></p>'
        if session["allow_promotion_codes"]
        else ""
    )
    shipping = "".join(
        f'<p><label><input type="radio" name="shipping_option" value="{index}"{" checked" if index == 0 else ""}> '
        f"{html.escape(rates[option['shipping_rate']]['display_name'])}: "
        f"{_money(option['shipping_amount'], session['currency'])}</label></p>"
        for index, option in enumerate(session["shipping_options"])
    )
    if shipping:
        shipping = f"<fieldset><legend>Shipping</legend>{shipping}</fieldset>"
    alert = f'<p role="alert">{html.escape(error)}</p>' if error else ""
    content = (
        f"<p>Test mode: no card is charged.</p>{shown_email}"
        f"<ul>{rows}</ul><p>Total due: <strong data-total>{total}</strong></p>{alert}"
        f'<form method="post">{asked_email}{shipping}{promotion}'
        f'<button name="action" value="pay">Pay {total}</button>'
        '<button name="action" value="pay_later">Bank debit (SEPA), clears later</button>'
        '<button name="action" value="cancel">Back to the shop</button></form>'
    )
    return _page("Pay with FakeStripe", content)


class _Handler(BaseHTTPRequestHandler):
    """Hands each request to the server's FakeStripe and writes back its JSON answer (or the hosted page)."""

    def _respond(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        if self.path.startswith("/pay/"):
            status, text, headers = self.server.fake.hosted_page(self.command, urlsplit(self.path).path, body)
            content_type = "text/html; charset=utf-8"
        else:
            status, text, headers = self.server.fake._handle(self.command, self.path, self.headers, body)
            content_type = "application/json"
        payload = text.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.send_header("Request-Id", _new_id("req"))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = do_DELETE = _respond

    def log_message(self, format, *args):
        """Keep test output quiet."""


def _consent_collection(params):
    """consent_collection as the session reports it: each field null unless the request set it."""
    if not params:
        return None
    reuse = params.get("payment_method_reuse_agreement")
    return {
        "payment_method_reuse_agreement": {"position": reuse["position"]} if reuse else None,
        "promotions": params.get("promotions"),
        "terms_of_service": params.get("terms_of_service"),
    }


def _after_expiration(params):
    """after_expiration.recovery as the session reports it (no recovery URL is made here: none is followed)."""
    recovery = (params or {}).get("recovery")
    if not recovery:
        return None
    return {
        "recovery": {
            "allow_promotion_codes": recovery.get("allow_promotion_codes") == "true",
            "enabled": recovery.get("enabled") == "true",
            "expires_at": None,
            "url": None,
        }
    }
