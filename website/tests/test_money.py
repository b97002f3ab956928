from decimal import Decimal

import pytest

from website.money import CURRENCIES, CURRENCY_CHOICES, decimal_places, format_money, quantize


@pytest.mark.parametrize(
    ("amount", "currency", "shown"),
    [
        (Decimal("19"), "USD", "$19.00"),
        (Decimal("1234.5"), "USD", "$1,234.50"),
        (Decimal("9.99"), "EUR", "€9.99"),
        (Decimal("12"), "GBP", "£12.00"),
        (Decimal("12"), "CHF", "CHF 12.00"),
        (Decimal("500"), "JPY", "¥500"),
        (Decimal("1500000"), "JPY", "¥1,500,000"),
        (Decimal("0"), "USD", "$0.00"),
        (Decimal("-5.5"), "USD", "-$5.50"),
        (Decimal("-500"), "JPY", "-¥500"),
    ],
)
def test_format_money_shows_symbol_grouping_and_the_currencys_decimals(amount, currency, shown):
    assert format_money(amount, currency) == shown


@pytest.mark.parametrize(
    ("amount", "currency", "shown"),
    [
        (Decimal("0.005"), "USD", "$0.01"),
        (Decimal("2.675"), "USD", "$2.68"),
        (Decimal("2.674"), "USD", "$2.67"),
        (Decimal("-2.675"), "USD", "-$2.68"),
        (Decimal("499.5"), "JPY", "¥500"),
        (Decimal("499.49"), "JPY", "¥499"),
    ],
)
def test_format_money_rounds_half_up_to_the_smallest_unit(amount, currency, shown):
    assert format_money(amount, currency) == shown


def test_format_money_accepts_lowercase_codes_ints_and_strings():
    assert format_money(19, "usd") == "$19.00"
    assert format_money("7.5", "eur") == "€7.50"


def test_format_money_of_nothing_is_empty():
    assert format_money(None, "USD") == ""


def test_format_money_rejects_an_unknown_currency():
    with pytest.raises(KeyError):
        format_money(Decimal("1"), "XYZ")


def test_a_rounding_that_reaches_zero_is_not_shown_as_negative():
    assert format_money(Decimal("-0.001"), "USD") == "$0.00"


@pytest.mark.parametrize(("currency", "places"), [("USD", 2), ("eur", 2), ("JPY", 0), ("KRW", 0), ("INR", 2)])
def test_decimal_places(currency, places):
    assert decimal_places(currency) == places


def test_quantize_rounds_to_the_currencys_unit():
    assert quantize(Decimal("10.005"), "USD") == Decimal("10.01")
    assert quantize(Decimal("10.5"), "JPY") == Decimal("11")
    assert str(quantize(Decimal("3"), "USD")) == "3.00"


def test_every_currency_choice_is_a_known_three_letter_code():
    assert [code for code, _label in CURRENCY_CHOICES] == list(CURRENCIES)
    assert all(len(code) == 3 and code.isupper() for code in CURRENCIES)
