"""Stripe's documented limits as the fake enforces them, written from Stripe's documentation and kept apart
from the shop's own copy (checkout.payments.limits) on purpose: a wrong number in the shop must meet
Stripe's number here, not its own."""

# docs.stripe.com/api/checkout/sessions/create: line_items "up to 100 line items" in payment mode.
MAX_LINE_ITEMS = 100
# docs.stripe.com/api/idempotent_requests: "Keys can be up to 255 characters long."
IDEMPOTENCY_KEY_MAX_LENGTH = 255
# docs.stripe.com/api/metadata: "up to 50 keys, with key names up to 40 characters long and values up to
# 500 characters long"; docs.stripe.com/metadata: "Square brackets ([ ]) can't be included in keys."
METADATA_MAX_KEYS = 50
METADATA_MAX_KEY_LENGTH = 40
METADATA_MAX_VALUE_LENGTH = 500

# docs.stripe.com/currencies#minimum-and-maximum-charge-amounts, in minor units. Currencies the table does
# not list get 50 minor units, the common floor.
MINIMUM_CHARGE = {
    "USD": 50, "AED": 200, "AUD": 50, "BGN": 100, "BRL": 50, "CAD": 50, "CHF": 50, "CZK": 1500, "DKK": 250,
    "EUR": 50, "GBP": 30, "HKD": 400, "HUF": 17500, "INR": 50, "JPY": 50, "MXN": 1000, "MYR": 200, "NOK": 300,
    "NZD": 50, "PLN": 200, "RON": 200, "SEK": 300, "SGD": 50, "THB": 1000,
}  # fmt: skip
DEFAULT_MINIMUM_CHARGE = 50


def metadata_problem(metadata):
    """Stripe's answer to metadata it refuses, or "" when it accepts it."""
    if len(metadata) > METADATA_MAX_KEYS:
        return f"Metadata can have up to {METADATA_MAX_KEYS} keys; this has {len(metadata)}."
    for key, value in metadata.items():
        if "[" in key or "]" in key:
            return f"Metadata keys cannot contain square brackets; {key!r} has one."
        if len(key) > METADATA_MAX_KEY_LENGTH:
            return f"Metadata keys can have up to {METADATA_MAX_KEY_LENGTH} characters; {key!r} has {len(key)}."
        if len(str(value)) > METADATA_MAX_VALUE_LENGTH:
            return (
                f"Metadata values can have up to {METADATA_MAX_VALUE_LENGTH} characters; {key!r} has {len(str(value))}."
            )
    return ""


# docs.stripe.com/api/checkout/sessions/create: shipping_options, "The shipping rate options to apply to this
# Session. Up to a maximum of 5."
MAX_SHIPPING_OPTIONS = 5
