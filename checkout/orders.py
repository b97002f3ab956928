"""Turning a cart into an order and a payment session: lines snapshotted from the live product pages,
physical stock reserved with conditional UPDATEs, and one payment session per order revision."""

import logging
from decimal import Decimal
from typing import TYPE_CHECKING, TypeGuard

from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from products.models import ProductPage
from website.countries import stripe_shipping_countries
from website.models import SiteSettings
from website.money import format_money

from . import attribution, holds, lifecycle
from .cart import Cart, purchasable_products
from .delivery import rates
from .exceptions import CartError
from .models import Order, OrderLine
from .payments.fulfilment import fulfil_free
from .payments.gateway import SESSION_LIFETIME, Gateway, PaymentProviderError, from_minor_units, to_minor_units
from .payments.limits import MAX_LINE_ITEMS, MINIMUM_CHARGE

if TYPE_CHECKING:
    from website.types import AnyUser

logger = logging.getLogger(__name__)

SESSION_ORDER_KEY = "checkout_order"


def _snapshot(cart: Cart) -> list[tuple[ProductPage, int]]:
    """(product, quantity) pairs read fresh from the live pages, refusing anything unavailable."""
    quantities = {line.product.pk: line.quantity for line in cart.lines}
    if not quantities:
        raise CartError("Your cart is empty.")
    products = purchasable_products().filter(pk__in=quantities).in_bulk()
    lines = []
    for pk, quantity in quantities.items():
        product = products.get(pk)
        if product is None or not product.is_available:
            title = product.title if product else "An item"
            raise CartError(f"{title} is no longer available. Remove it from your cart to check out.")
        lines.append((product, 1 if product.is_digital else quantity))
    return lines


def tax_behavior(site_settings: SiteSettings) -> str:
    """How Stripe Tax treats the order's prices: "" when the shop does not use it."""
    if not site_settings.automatic_tax:
        return ""
    return "inclusive" if site_settings.prices_include_tax else "exclusive"


def _same_lines(order: Order, lines: list[tuple[ProductPage, int]]) -> bool:
    existing = sorted((line.product_id, line.quantity, line.unit_price) for line in order.lines.all())
    return existing == sorted((product.pk, quantity, product.price) for product, quantity in lines)


def _resubmitted(
    previous: Order | None, email: str, lines: list[tuple[ProductPage, int]], ship_to: str
) -> TypeGuard[Order]:
    """The same checkout again (a double click, the back button): its payment page is still the one to use."""
    return bool(
        previous
        and previous.email == email
        and previous.ship_to == ship_to
        and previous.stock_reserved
        and previous.payment_session_id
        and _same_lines(previous, lines)
    )


def check_payable(cart: Cart, site_settings: SiteSettings, *, ship_to: str = "") -> None:
    """Refuse, before any stock is held or Stripe is asked, a cart that Stripe would refuse or that cannot ship,
    saying what to change. A cart that costs nothing passes: it is fulfilled without Stripe."""
    lines = _snapshot(cart)
    if len(lines) > MAX_LINE_ITEMS:
        raise CartError(
            f"Your cart has {len(lines)} different items; one checkout takes up to {MAX_LINE_ITEMS}. "
            "Check out some of them now and the rest afterwards."
        )
    currency = site_settings.currency
    total = sum((product.price * quantity for product, quantity in lines), Decimal("0"))
    shipping = rates.quote(lines, ship_to=ship_to, site_settings=site_settings)
    total += shipping.first_amount
    minimum = MINIMUM_CHARGE[currency]
    if 0 < to_minor_units(total, currency) < minimum:
        least = format_money(from_minor_units(minimum, currency), currency)
        raise CartError(f"Card payments start at {least}. Add something to your cart to check out.")
    if unknown := [code for code in shipping.countries if code not in stripe_shipping_countries()]:
        logger.error("Site settings ship to countries Stripe refuses: %s", ", ".join(unknown))
        raise CartError(
            "Items that ship cannot be checked out right now: the shop's list of shipping countries needs "
            "correcting. Nothing was charged; please try again later or contact the shop."
        )


def place_order(
    cart: Cart,
    *,
    email: str,
    user: "AnyUser | None",
    site_settings: SiteSettings,
    gateway: Gateway,
    previous: Order | None = None,
    session_key: str = "",
    ip: str | None = None,
    touches: dict[str, dict[str, str]] | None = None,
    ship_to: str = "",
) -> Order:
    """A pending order for the cart, with stock held. Reuses the previous pending order when the cart is
    unchanged, so resubmitting the checkout form leads to the same payment session. A browser holds one
    checkout at a time, and `session_key`, `ip` and `email` only so many units (checkout/holds.py). `touches`
    is the visit that led here and the cart's sources the pages that sold each line (checkout/attribution.py).
    `ship_to` is the buyer's country when shipping zones apply (checkout/delivery/rates.py)."""
    lines = _snapshot(cart)
    shipping = rates.quote(lines, ship_to=ship_to, site_settings=site_settings)
    previous = previous if previous and previous.status == Order.Status.PENDING else None
    if _resubmitted(previous, email, lines, shipping.ship_to):
        return previous
    units = sum(quantity for product, quantity in lines if not product.is_digital)
    holds.check_caps(units, email=email, session_key=session_key, ip=ip, excluding=previous.pk if previous else None)
    if previous and previous.email == email:
        # The cart changed: close the old payment page first, so nobody can pay the old amount.
        if previous.payment_session_id:
            gateway.expire_session(previous.payment_session_id)
        holds.release_stock(previous)
        order = previous
        order.revision += 1
    else:
        if previous:  # checking out again under another email: the earlier checkout lets its stock go
            release_hold(previous, gateway, note="Replaced by a new checkout from the same browser")
        order = Order(email=email, user=user if user and user.is_authenticated else None)
    order.held_by_session, order.held_by_ip = session_key, ip
    order.touches = touches or {}
    sources = attribution.line_fields(
        {product.pk: cart.sources[product.pk] for product, _ in lines if product.pk in cart.sources}
    )
    subtotal = sum((product.price * quantity for product, quantity in lines), Decimal("0"))
    order.currency = site_settings.currency
    order.subtotal = subtotal
    # Until the buyer picks on the payment page, the order costs what its first (preselected) choice does.
    order.shipping = shipping.first_amount
    order.ship_to = shipping.ship_to
    order.tax_behavior = tax_behavior(site_settings)
    order.tax = Decimal("0")
    order.shipping_options = [choice.as_json() for choice in shipping.choices]
    order.total = subtotal + order.shipping
    order.payment_session_id = ""
    order.payment_url = ""
    order.expires_at = timezone.now() + SESSION_LIFETIME
    with transaction.atomic():
        order.save()
        order.lines.all().delete()
        OrderLine.objects.bulk_create(
            OrderLine.snapshot(product, quantity, order=order, **sources.get(product.pk, {}))
            for product, quantity in lines
        )
        holds.reserve_stock(order)
    logger.info(
        "Order %s placed (revision %s): %s %s",
        order.number, order.revision, order.total, order.currency,
        extra={"event": "order.placed", "order": order.number, "total": order.total, "currency": order.currency},
    )  # fmt: skip
    return order


def start_payment(order: Order, request: HttpRequest, gateway: Gateway, *, site_settings: SiteSettings) -> str:
    """The provider's payment page for the order; on failure the held stock goes back at once."""
    if order.payment_session_id and order.payment_url:
        return order.payment_url
    if order.total == 0:
        return _fulfil_free(order)
    countries = (
        ([order.ship_to] if order.ship_to else site_settings.shipping_countries) if order.has_physical_lines else ()
    )
    try:
        session = gateway.create_session(order, request, allowed_countries=countries)
    except PaymentProviderError:
        holds.release_stock(order)
        lifecycle.transition(order, Order.Status.FAILED, note="The payment provider could not be reached")
        raise
    order.payment_session_id = session.id
    order.payment_url = session.url
    order.save(update_fields=["payment_session_id", "payment_url", "updated_at"])
    return session.url


def _fulfil_free(order: Order) -> str:
    """Nothing to pay (free items, no shipping): Stripe refuses to charge nothing, so the order is fulfilled
    here and the buyer goes straight to it."""
    order = fulfil_free(order).order or order
    return reverse("checkout:order", args=[order.number, order.access_token])


def release_hold(order: Order, gateway: Gateway | None, *, note: str) -> bool:
    """Give an unpaid checkout's stock back, closing its payment page first so nobody can pay for units that
    went to someone else. False when the buyer paid meanwhile (fulfilment keeps it). PaymentProviderError
    when the page could not be closed: the hold stays, as it may still be paid."""
    if order.payment_session_id and gateway is not None:
        gateway.expire_session(order.payment_session_id)
        session = gateway.retrieve_session(order.payment_session_id)
        if session is not None and session.is_paid:
            return False
    closed = holds.expire_order(order, note=note)
    logger.info(
        "Order %s: hold released (%s)", order.number, note,
        extra={"event": "order.hold_released", "order": order.number},
    )  # fmt: skip
    return closed


def release_lapsed_holds(gateway: Gateway | None, *, limit: int = 10) -> int:
    """Holds past their expiry whose provider notice has not come (a lost webhook): released, payment pages
    closed first. Bounded, as a checkout calls it on the way."""
    released = 0
    for order in holds.lapsed_holds()[:limit]:
        try:
            released += release_hold(order, gateway, note="Checkout expired")
        except PaymentProviderError:
            logger.warning("Order %s: could not close its payment page; its hold stays", order.number)
    return released
