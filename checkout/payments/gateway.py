"""The payment provider behind one small interface: Stripe Checkout, or (DEBUG with no keys) a local
test-payment page. Orders, fulfilment and webhooks only ever talk to a gateway."""

import hashlib
import logging
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Protocol

import stripe

from django.conf import settings
from django.dispatch import Signal
from django.http import HttpRequest
from django.urls import reverse

from website.money import decimal_places

from .. import attribution
from ..models import Order, OrderLine, TestPaymentSession
from .limits import METADATA_MAX_VALUE_LENGTH

if TYPE_CHECKING:
    from stripe.params import RefundCreateParams
    from stripe.params.checkout import (
        SessionCreateParams,
        SessionCreateParamsLineItem,
        SessionCreateParamsLineItemPriceData,
        SessionCreateParamsShippingOption,
        SessionCreateParamsShippingOptionShippingRateData,
        SessionCreateParamsShippingOptionShippingRateDataDeliveryEstimate,
    )

# A refund's outcome from a gateway that knows it at once, sent with the keyword arguments
# checkout.payments.fulfilment.record_refund takes (the receiver, connected in CheckoutConfig.ready). Stripe
# brings the same news later in its refund.* webhook events; the local test gateway has no webhooks, so it
# sends its own event, and no caller needs to know which gateway it spoke to.
refund_settled = Signal()

logger = logging.getLogger(__name__)

# Stripe keeps a Checkout Session open 30 minutes at least (expires_at from 30 minutes to 24 hours after its
# creation); stock is held that long, plus a minute for the request to reach Stripe, and the session given
# the hold's own expiry.
SESSION_LIFETIME = timedelta(minutes=31)


class PaymentProviderError(Exception):
    """The provider could not do what we asked; the message is safe to show the shopper."""


def to_minor_units(amount: Decimal, currency: str) -> int:
    """8.20 USD -> 820, 500 JPY -> 500: amounts as the provider counts them, in the currency's smallest unit."""
    minor = amount.scaleb(decimal_places(currency))
    if minor != minor.to_integral_value():
        raise ValueError(f"{amount} has more decimal places than {currency.upper()} allows.")
    return int(minor)


def from_minor_units(amount: int, currency: str) -> Decimal:
    return Decimal(amount).scaleb(-decimal_places(currency))


@dataclass(frozen=True)
class PaymentSession:
    """What we read back from the provider: never from the shopper's request."""

    id: str
    url: str
    status: str  # open, complete, expired
    payment_status: str  # paid, unpaid, no_payment_required
    amount_total: int
    currency: str
    order_number: str
    payment_intent: str
    email: str = ""
    # {"name": ..., "address": {"line1", "line2", "city", "postal_code", "state", "country"}} for physical goods.
    shipping_address: dict[str, Any] | None = None
    # What a promotion code took off (total_details.amount_discount), and the code: the customer-facing code
    # when the session was retrieved with it expanded, otherwise its promo_... id.
    amount_discount: int = 0
    promotion_code: str = ""
    # Tax Stripe Tax computed (total_details.amount_tax): added to amount_total when prices exclude it.
    amount_tax: int = 0
    # The shipping the buyer chose (shipping_cost): its amount (None when the session reports none), the shipping
    # rate's id, and its display name when the rate came expanded.
    shipping_amount: int | None = None
    shipping_rate: str = ""
    shipping_name: str = ""
    # consent.promotions: "opt_in" when the buyer agreed on Stripe's page to promotional email, else "" or "opt_out".
    promotions_consent: str = ""

    @property
    def is_paid(self) -> bool:
        return self.status == "complete" and self.payment_status in {"paid", "no_payment_required"}


def idempotency_key(order: Order, action: str) -> str:
    """One key per order revision and action: a double click or a retry replays the same request."""
    return f"pagecart-{order.number}-r{order.revision}-{action}"


def _absolute(request_or_base: HttpRequest, path: str) -> str:
    return request_or_base.build_absolute_uri(path)


class Gateway(Protocol):
    """What orders, fulfilment, refunds and shipping ask of a payment provider (StripeGateway, LocalTestGateway)."""

    label: str
    # True when `refund` settles the refund before it returns (it sends refund_settled); False when the news
    # comes later, in a webhook event.
    settles_refunds_at_once: bool

    def create_session(
        self, order: Order, request: HttpRequest, *, allowed_countries: Sequence[str] = ()
    ) -> PaymentSession: ...

    def retrieve_session(self, session_id: str) -> PaymentSession | None: ...

    def expire_session(self, session_id: str) -> None: ...

    def session_for_payment_intent(self, payment_intent: str) -> PaymentSession | None: ...

    def refund(self, order: Order, amount: Decimal, *, line_ids: Sequence[int]) -> str: ...


class StripeGateway:
    label = "Stripe"
    settles_refunds_at_once = False  # the outcome comes in a refund.* webhook event

    def __init__(self, secret_key: str, api_base: str = "") -> None:
        self.client = stripe.StripeClient(
            secret_key, base_addresses={"api": api_base} if api_base else {}, max_network_retries=2
        )

    def create_session(
        self, order: Order, request: HttpRequest, *, allowed_countries: Sequence[str] = ()
    ) -> PaymentSession:
        if order.expires_at is None:  # place_order sets it; a session must not outlive the stock hold
            raise ValueError(f"Order {order.number} has no hold expiry to close its payment page at.")
        line_items = [_line_item(line, order) for line in order.lines.all()]
        params: SessionCreateParams = {
            "mode": "payment",
            "line_items": line_items,
            "client_reference_id": order.number,
            "metadata": {
                "order": order.number,
                "revision": str(order.revision),
                **attribution_metadata(order.lines.all(), order.touches or {}),
            },
            "payment_intent_data": {"metadata": {"order": order.number}},
            "allow_promotion_codes": True,
            "success_url": _absolute(request, reverse("checkout:success")) + "?session_id={CHECKOUT_SESSION_ID}",
            "cancel_url": _absolute(request, order.cancel_path()),
            # The payment page closes when the order's stock hold lapses, so nobody pays for released stock.
            "expires_at": int(order.expires_at.timestamp()),
        }
        if settings.CHECKOUT_RECOVERY:
            # Stripe shows the buyer a box to agree to promotional email where the law lets it ask; what they chose
            # comes back as consent.promotions, and only "opt_in" earns an abandoned-checkout reminder.
            params["consent_collection"] = {"promotions": "auto"}
        if order.email:  # else (a guest's "Buy now") Stripe's page asks for it, and fulfilment keeps it
            params["customer_email"] = order.email
        if options := shipping_options(order):
            params["shipping_options"] = options
        if allowed_countries:
            params["shipping_address_collection"] = {"allowed_countries": list(allowed_countries)}
        if order.tax_behavior:
            params["automatic_tax"] = {"enabled": True}
            if not allowed_countries:  # no shipping address: Stripe Tax needs the buyer's country from billing
                params["billing_address_collection"] = "required"
        try:
            session = self.client.v1.checkout.sessions.create(
                params=params, options={"idempotency_key": idempotency_key(order, "session")}
            )
        except stripe.StripeError as error:
            logger.warning("Stripe refused a Checkout Session for order %s: %s", order.number, error)
            raise PaymentProviderError("The payment provider could not be reached. Nothing was charged.") from error
        return self._session(session)

    def retrieve_session(self, session_id: str) -> PaymentSession | None:
        try:
            session = self.client.v1.checkout.sessions.retrieve(
                session_id, params={"expand": ["discounts.promotion_code", "shipping_cost.shipping_rate"]}
            )
            return self._session(session)
        except stripe.InvalidRequestError:
            return None
        except stripe.StripeError as error:
            raise PaymentProviderError("The payment provider could not be reached.") from error

    def expire_session(self, session_id: str) -> None:
        try:
            self.client.v1.checkout.sessions.expire(session_id)
        except stripe.InvalidRequestError:
            pass  # Already completed or expired: nothing to stop.
        except stripe.StripeError as error:
            raise PaymentProviderError("The payment provider could not be reached.") from error

    def session_for_payment_intent(self, payment_intent: str) -> PaymentSession | None:
        try:
            sessions = self.client.v1.checkout.sessions.list(params={"payment_intent": payment_intent, "limit": 1})
        except stripe.StripeError as error:
            raise PaymentProviderError("The payment provider could not be reached.") from error
        return self._session(sessions.data[0]) if sessions.data else None

    def refund(self, order: Order, amount: Decimal, *, line_ids: Sequence[int]) -> str:
        params: RefundCreateParams = {
            "payment_intent": order.payment_intent_id,
            "amount": to_minor_units(amount, order.currency),
            "metadata": {"order": order.number, **refund_line_metadata(line_ids)},
        }
        key = refund_idempotency_key(order, line_ids, params["amount"])
        # Stripe stores a 500 under its key and replays it for 24 hours: after one, the same refund is retried
        # under a new key, once Stripe's list shows the first attempt made no refund.
        for attempt in range(REFUND_KEY_ATTEMPTS):
            try:
                options: stripe.RequestOptions = {"idempotency_key": key if attempt == 0 else f"{key}-retry{attempt}"}
                return self.client.v1.refunds.create(params=params, options=options).id
            except stripe.APIError as error:
                if not _replayed(error):
                    raise PaymentProviderError(
                        "Stripe had a problem with the refund, so it may not have been made. "
                        "Wait a minute and look at the order again before retrying."
                    ) from error
                if made := self._refund_like(params):
                    return made
            except stripe.StripeError as error:
                message = getattr(error, "user_message", None) or str(error)
                raise PaymentProviderError(f"Stripe refused the refund: {message}") from error
        raise PaymentProviderError("Stripe kept failing to make the refund. Please try again later.")

    def _refund_like(self, params: "RefundCreateParams") -> str:
        """The id of a live refund Stripe already made with these parameters, if any."""
        try:
            refunds = self.client.v1.refunds.list(params={"payment_intent": params["payment_intent"], "limit": 100})
        except stripe.StripeError as error:
            raise PaymentProviderError("The payment provider could not be reached.") from error
        for refund in refunds.data:
            if (
                refund.amount == params["amount"]
                and refund.status not in {"failed", "canceled"}
                and (refund.to_dict().get("metadata") or {}) == params["metadata"]
            ):
                return refund.id
        return ""

    @staticmethod
    def _session(session: stripe.checkout.Session) -> PaymentSession:
        return session_from_data(session.to_dict())


# Keys tried for one refund, each after the one before it got a stored 500.
REFUND_KEY_ATTEMPTS = 3


def _replayed(error: stripe.StripeError) -> bool:
    headers = {name.lower(): value for name, value in (error.headers or {}).items()}
    return headers.get("idempotent-replayed") == "true"


def refund_idempotency_key(order: Order, line_ids: Iterable[int], amount_minor: int) -> str:
    """Short whatever the number of lines (Stripe allows 255 characters): the lines go in as a digest."""
    lines = hashlib.sha256(",".join(map(str, sorted(line_ids))).encode()).hexdigest()[:16]
    return f"pagecart-{order.number}-refund-{lines}-{amount_minor}"


def refund_line_metadata(line_ids: Iterable[int]) -> dict[str, str]:
    """The refunded line ids as metadata, split over lines, lines_2, ... (a whole order of 100 lines needs
    about 700 characters)."""
    return split_metadata("lines", list(map(str, line_ids))) or {"lines": ""}


def split_metadata(key: str, entries: Sequence[str]) -> dict[str, str]:
    """Comma-joined entries under key, key_2, ..., none cut in two, so no value passes Stripe's 500 characters."""
    chunks: list[str] = []
    for entry in entries:
        if chunks and len(chunks[-1]) + 1 + len(entry) <= METADATA_MAX_VALUE_LENGTH:
            chunks[-1] += f",{entry}"
        else:
            chunks.append(entry)
    return {(key if index == 0 else f"{key}_{index + 1}"): chunk for index, chunk in enumerate(chunks)}


def attribution_metadata(lines: Iterable[OrderLine], touches: Mapping[str, Mapping[str, str]]) -> dict[str, str]:
    """Which pages sold the order, so a payment, refund or dispute seen in Stripe's dashboard says it too:
    `src`, `src_2`, ... hold "line:page:block" (the block's UUID without hyphens); `first` and `last` the
    visit's "source|medium|campaign|landing". 100 lines (Stripe's most) take 12 keys of Stripe's 50."""
    entries = [
        f"{line.pk}:{line.source_page}:{line.source_block.replace('-', '')}" for line in lines if line.source_page
    ]
    metadata = split_metadata("src", entries)
    for name in ("first", "last"):
        if touch := touches.get(name):
            fields = (*attribution.UTM_FIELDS, "landing")  # a long landing path is cut, never the campaign
            metadata[name] = "|".join(touch.get(field, "") for field in fields)[:METADATA_MAX_VALUE_LENGTH]
    return metadata


def refund_lines_from_metadata(metadata: Mapping[str, str] | None) -> list[int]:
    raw = ",".join(
        value for key, value in sorted((metadata or {}).items()) if key == "lines" or key.startswith("lines_")
    )
    return [int(pk) for pk in raw.split(",") if pk.strip().isdigit()]


def session_from_data(data: Mapping[str, Any]) -> PaymentSession:
    """A Checkout Session as the API or a signed event sends it."""
    details = data.get("customer_details") or {}
    payment_intent = data.get("payment_intent") or ""
    return PaymentSession(
        id=data["id"],
        url=data.get("url") or "",
        status=data.get("status") or "",
        payment_status=data.get("payment_status") or "",
        amount_total=data.get("amount_total") or 0,
        currency=(data.get("currency") or "").upper(),
        order_number=data.get("client_reference_id") or (data.get("metadata") or {}).get("order", ""),
        # Expanded or not, Stripe may send the payment intent as an id or as an object.
        payment_intent=payment_intent if isinstance(payment_intent, str) else payment_intent.get("id", ""),
        email=details.get("email") or data.get("customer_email") or "",
        shipping_address=_shipping_details(data),
        amount_discount=(data.get("total_details") or {}).get("amount_discount") or 0,
        amount_tax=(data.get("total_details") or {}).get("amount_tax") or 0,
        promotion_code=_promotion_code(data),
        promotions_consent=(data.get("consent") or {}).get("promotions") or "",
        **_shipping_cost(data),
    )


def _shipping_cost(data: Mapping[str, Any]) -> dict[str, Any]:
    cost = data.get("shipping_cost")
    if not cost:
        return {}
    # Before tax (amount_total has Stripe Tax's share added when prices exclude it): the rate as it was offered.
    amount = cost.get("amount_subtotal", cost.get("amount_total")) or 0
    rate = cost.get("shipping_rate") or ""
    if isinstance(rate, str):
        return {"shipping_amount": amount, "shipping_rate": rate}
    return {
        "shipping_amount": amount,
        "shipping_rate": rate.get("id", ""),
        "shipping_name": rate.get("display_name") or "",
    }


def _line_item(line: OrderLine, order: Order) -> "SessionCreateParamsLineItem":
    price: SessionCreateParamsLineItemPriceData = {
        "currency": order.currency.lower(),
        "unit_amount": to_minor_units(line.unit_price, order.currency),
        "product_data": {"name": line.title, "metadata": {"sku": line.sku}},
    }
    if order.tax_behavior:  # Stripe Tax: whether the price holds the tax, and what the product is
        price["tax_behavior"] = order.tax_behavior
        if line.tax_code:
            price["product_data"]["tax_code"] = line.tax_code
    return {"price_data": price, "quantity": line.quantity}


# docs.stripe.com/tax/tax-categories: shipping's own tax code.
SHIPPING_TAX_CODE = "txcd_92010001"


def shipping_options(order: Order) -> "list[SessionCreateParamsShippingOption]":
    """The order's shipping choices as Checkout's shipping_options, each with its delivery estimate."""
    currency = order.currency.lower()
    options: list[SessionCreateParamsShippingOption] = []
    for choice in order.offered_shipping:
        rate: SessionCreateParamsShippingOptionShippingRateData = {
            "type": "fixed_amount",
            "display_name": choice["name"],
            "fixed_amount": {"amount": to_minor_units(Decimal(choice["amount"]), order.currency), "currency": currency},
        }
        estimate: SessionCreateParamsShippingOptionShippingRateDataDeliveryEstimate = {}
        if choice.get("days_min"):
            estimate["minimum"] = {"unit": "business_day", "value": choice["days_min"]}
        if choice.get("days_max"):
            estimate["maximum"] = {"unit": "business_day", "value": choice["days_max"]}
        if estimate:
            rate["delivery_estimate"] = estimate
        if order.tax_behavior:
            rate["tax_behavior"] = order.tax_behavior
            rate["tax_code"] = SHIPPING_TAX_CODE
        options.append({"shipping_rate_data": rate})
    return options


def _promotion_code(data: Mapping[str, Any]) -> str:
    for discount in data.get("discounts") or []:
        code = discount.get("promotion_code")
        if isinstance(code, dict):
            typed: str = code.get("code") or code.get("id", "")
            return typed
        if code:
            return str(code)
    return ""


def _shipping_details(data: Mapping[str, Any]) -> dict[str, Any] | None:
    """Since API version 2025-03-31 the address is under collected_information; older versions sent shipping_details."""
    details = (data.get("collected_information") or {}).get("shipping_details") or data.get("shipping_details")
    if not details:
        return None
    return {"name": details.get("name") or "", "address": details.get("address") or {}}


class LocalTestGateway:
    """Stands in for Stripe when DEBUG is on and no keys are set, so the demo can take a pretend payment.
    It keeps its sessions in the database and goes through the same fulfilment code."""

    label = "Test payments"
    settles_refunds_at_once = True  # it sends refund_settled itself

    def create_session(
        self, order: Order, request: HttpRequest, *, allowed_countries: Sequence[str] = ()
    ) -> PaymentSession:
        session = TestPaymentSession.objects.create(
            session_id=f"cs_local_{secrets.token_urlsafe(24)}",
            order=order,
            amount_total=to_minor_units(order.total, order.currency),
            currency=order.currency,
            success_url=_absolute(request, reverse("checkout:success")),
            cancel_url=_absolute(request, order.cancel_path()),
        )
        return self._session(session)

    def retrieve_session(self, session_id: str) -> PaymentSession | None:
        session = TestPaymentSession.objects.select_related("order").filter(session_id=session_id).first()
        return self._session(session) if session else None

    def expire_session(self, session_id: str) -> None:
        TestPaymentSession.objects.filter(session_id=session_id, status="open").update(status="expired")

    def session_for_payment_intent(self, payment_intent: str) -> PaymentSession | None:
        session_id = payment_intent.removeprefix("pi_local_")
        return self.retrieve_session(f"cs_local_{session_id}") if session_id != payment_intent else None

    def refund(self, order: Order, amount: Decimal, *, line_ids: Sequence[int]) -> str:
        refund_id = f"re_local_{secrets.token_urlsafe(12)}"
        refund_settled.send(
            sender=type(self),
            refund_id=refund_id,
            payment_intent=order.payment_intent_id,
            amount_minor=to_minor_units(amount, order.currency),
            currency=order.currency,
            line_ids=list(line_ids),
        )
        return refund_id

    @staticmethod
    def _session(session: TestPaymentSession) -> PaymentSession:
        paid = session.payment_status == "paid"
        return PaymentSession(
            id=session.session_id,
            url=reverse("checkout:test_payment", args=[session.session_id]),
            status=session.status,
            payment_status=session.payment_status,
            amount_total=session.amount_total,
            currency=session.currency,
            order_number=session.order.number,
            payment_intent=f"pi_local_{session.session_id.removeprefix('cs_local_')}" if paid else "",
            email=session.order.email,
        )


def get_gateway() -> Gateway | None:
    """Stripe when configured; the local test page in development; otherwise None (checkout is off)."""
    if settings.STRIPE_SECRET_KEY:
        return StripeGateway(settings.STRIPE_SECRET_KEY, settings.STRIPE_API_BASE)
    if settings.DEBUG:
        return LocalTestGateway()
    return None
