"""What Stripe refuses, as its documentation and its OpenAPI spec state it. The shop checks these before it
calls Stripe, so the owner (settings) and the shopper (cart) get a message that says what to change instead
of a generic failure; the fake Stripe enforces the same documented limits."""

# docs.stripe.com/api/checkout/sessions/create: line_items "up to 100 line items" in payment mode.
MAX_LINE_ITEMS = 100
# docs.stripe.com/metadata: up to 50 keys, key names up to 40 characters (no square brackets), values up to 500
# characters.
METADATA_MAX_KEYS = 50
METADATA_MAX_KEY_LENGTH = 40
METADATA_MAX_VALUE_LENGTH = 500
# docs.stripe.com/api/idempotent_requests: keys up to 255 characters.
IDEMPOTENCY_KEY_MAX_LENGTH = 255

# docs.stripe.com/currencies#minimum-and-maximum-charge-amounts, in minor units, for the shop's currencies.
# KRW is not in Stripe's table; Stripe asks for the equivalent of 0.50 USD, which 700 won covers.
MINIMUM_CHARGE = {
    "USD": 50,
    "EUR": 50,
    "GBP": 30,
    "CAD": 50,
    "AUD": 50,
    "NZD": 50,
    "CHF": 50,
    "SEK": 300,
    "NOK": 300,
    "DKK": 250,
    "PLN": 200,
    "JPY": 50,
    "KRW": 700,
    "INR": 50,
    "SGD": 50,
    "BRL": 50,
    "MXN": 1000,
}


def metadata_problem(metadata: dict[str, str]) -> str:
    """Why Stripe would refuse this metadata, or "" if it would not."""
    if len(metadata) > METADATA_MAX_KEYS:
        return f"Metadata can have up to {METADATA_MAX_KEYS} keys; this has {len(metadata)}."
    for key, value in metadata.items():
        if "[" in key or "]" in key:
            return f"Metadata keys cannot contain square brackets; {key[:20]} has one."
        if len(key) > METADATA_MAX_KEY_LENGTH:
            return f"Metadata keys can have up to {METADATA_MAX_KEY_LENGTH} characters; {key[:20]}... has {len(key)}."
        if len(str(value)) > METADATA_MAX_VALUE_LENGTH:
            return (
                f"Metadata values can have up to {METADATA_MAX_VALUE_LENGTH} characters; "
                f"the value of {key} has {len(str(value))}."
            )
    return ""


# docs.stripe.com/api/checkout/sessions/create: shipping_options, "Up to a maximum of 5".
MAX_SHIPPING_OPTIONS = 5
