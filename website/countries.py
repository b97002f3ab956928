"""Country codes the payment provider can ship to, so the owner's settings and the checkout agree with it, and
the names shoppers read for them."""

import typing
from functools import cache

import pycountry
import typing_extensions
from stripe.params.checkout._session_create_params import SessionCreateParamsShippingAddressCollection


@cache
def stripe_shipping_countries() -> frozenset[str]:
    """The codes Stripe Checkout's shipping_address_collection accepts, read from stripe-python's types
    (generated from Stripe's OpenAPI spec). It leaves out places Stripe cannot ship to, such as AS, CU, IR, UM."""
    (choice,) = typing.get_args(SessionCreateParamsShippingAddressCollection.__annotations__["allowed_countries"])
    literal = next(
        arm for arm in typing.get_args(choice) if typing.get_origin(arm) in (typing.Literal, typing_extensions.Literal)
    )
    return frozenset(typing.get_args(literal))


# Codes Stripe ships to that ISO 3166 has not assigned (pycountry knows only assigned ones).
UNASSIGNED_NAMES = {"XK": "Kosovo"}


def country_name(code: str) -> str:
    """The everyday English name of an ISO 3166 alpha-2 code ("KR" -> "South Korea"), or the code itself."""
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return UNASSIGNED_NAMES.get(code, code)
    return getattr(country, "common_name", None) or country.name
