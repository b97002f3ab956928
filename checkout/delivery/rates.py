"""The shipping choices a checkout offers: the rates of the zone holding the country the buyer ships to that fit
the items' value and weight, free from a rate's threshold, at most Stripe's 5 (the payment page preselects the
first). With no zone set up, Site settings' "ships to" countries and flat rate are the one zone."""

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from products.models import ProductPage
from website.models import SiteSettings

from ..exceptions import CartError
from ..models import Order, ShippingRate, ShippingZone
from ..payments.limits import MAX_SHIPPING_OPTIONS

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ShippingChoice:
    name: str
    amount: Decimal
    days_min: int | None = None
    days_max: int | None = None

    def as_json(self) -> dict[str, Any]:
        """As the order keeps it in `shipping_options`."""
        return {"name": self.name, "amount": str(self.amount), "days_min": self.days_min, "days_max": self.days_max}


@dataclass(frozen=True)
class ShippingQuote:
    choices: tuple[ShippingChoice, ...]
    countries: tuple[str, ...]  # where the payment page may take an address
    ship_to: str = ""  # the country the buyer chose, when zones apply

    @property
    def first_amount(self) -> Decimal:
        return self.choices[0].amount if self.choices else Decimal("0")


NOTHING_TO_SHIP = ShippingQuote((), ())


def zones_in_use() -> bool:
    return ShippingZone.objects.exists()


def zone_countries() -> list[str]:
    """The countries the checkout form offers when zones apply, in code order."""
    return sorted({code for zone in ShippingZone.objects.all() for code in zone.country_codes})


def quote(lines: Sequence[tuple[ProductPage, int]], *, ship_to: str, site_settings: SiteSettings) -> ShippingQuote:
    """CartError, saying what to do, when the order cannot ship (no country chosen, none covered, no rate fits)."""
    physical = [(product, quantity) for product, quantity in lines if not product.is_digital]
    if not physical:
        return NOTHING_TO_SHIP
    zones = list(ShippingZone.objects.prefetch_related("rates"))
    if not zones:
        flat = site_settings.shipping_rate or Decimal("0")
        flat_choices = (ShippingChoice(Order.FLAT_RATE_NAME, flat),) if flat else ()
        return ShippingQuote(flat_choices, tuple(site_settings.shipping_countries))
    code = ship_to.strip().upper()
    if not code:
        raise CartError("Choose the country your order ships to.")
    zone = next((zone for zone in zones if code in zone.country_codes), None)
    if zone is None:
        raise CartError(f"We do not ship to {code}. Nothing was charged; choose another country or contact the shop.")
    value = sum((product.price * quantity for product, quantity in lines), Decimal("0"))
    weight = sum((product.weight or 0) * quantity for product, quantity in physical)
    choices = [_choice(rate, value) for rate in zone.rates.all() if _fits(rate, value, weight)]
    if not choices:
        raise CartError(
            f"No shipping rate to {code} covers this order (its value or weight is outside them). "
            "Nothing was charged; change the cart or contact the shop."
        )
    if len(choices) > MAX_SHIPPING_OPTIONS:
        logger.warning("Zone %s has %s rates for one order; the payment page shows the first 5", zone, len(choices))
    return ShippingQuote(tuple(choices[:MAX_SHIPPING_OPTIONS]), (code,), ship_to=code)


def _fits(rate: ShippingRate, value: Decimal, weight: int) -> bool:
    return (
        (rate.min_order is None or value >= rate.min_order)
        and (rate.max_order is None or value < rate.max_order)
        and (rate.max_weight is None or weight <= rate.max_weight)
    )


def _choice(rate: ShippingRate, value: Decimal) -> ShippingChoice:
    free = rate.free_over is not None and value >= rate.free_over
    return ShippingChoice(rate.name, Decimal("0") if free else rate.price, rate.days_min, rate.days_max)
