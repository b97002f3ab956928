"""Currencies the store can sell in, and how their amounts are shown.

Stripe's minor-unit conversion lives with the checkout code; the decimal places it needs come from here.
"""

from decimal import ROUND_HALF_UP, Decimal

# code: (name, symbol, decimal places). Zero-decimal currencies follow Stripe's list.
CURRENCIES = {
    "USD": ("US dollar", "$", 2),
    "EUR": ("Euro", "€", 2),
    "GBP": ("Pound sterling", "£", 2),
    "CAD": ("Canadian dollar", "CA$", 2),
    "AUD": ("Australian dollar", "A$", 2),
    "NZD": ("New Zealand dollar", "NZ$", 2),
    "CHF": ("Swiss franc", "CHF ", 2),
    "SEK": ("Swedish krona", "SEK ", 2),
    "NOK": ("Norwegian krone", "NOK ", 2),
    "DKK": ("Danish krone", "DKK ", 2),
    "PLN": ("Polish złoty", "PLN ", 2),
    "JPY": ("Japanese yen", "¥", 0),
    "KRW": ("South Korean won", "₩", 0),
    "INR": ("Indian rupee", "₹", 2),
    "SGD": ("Singapore dollar", "S$", 2),
    "BRL": ("Brazilian real", "R$", 2),
    "MXN": ("Mexican peso", "MX$", 2),
}

CURRENCY_CHOICES = [(code, f"{code} — {name}") for code, (name, _symbol, _places) in CURRENCIES.items()]


def decimal_places(currency):
    return CURRENCIES[currency.upper()][2]


def quantize(amount, currency):
    """Round an amount to the currency's smallest unit."""
    exponent = Decimal(1).scaleb(-decimal_places(currency))
    return Decimal(amount).quantize(exponent, rounding=ROUND_HALF_UP)


def format_money(amount, currency):
    """'$1,234.50', '¥500', 'CHF 12.00'."""
    if amount is None:
        return ""
    _name, symbol, places = CURRENCIES[currency.upper()]
    value = quantize(amount, currency)
    sign = "-" if value < 0 else ""
    return f"{sign}{symbol}{abs(value):,.{places}f}"
