"""Money: Decimal amounts with an ISO 4217 currency, never floats.

Currency codes, their minor units and the way an amount is written in each locale come
from Babel (the CLDR data), not from a list of our own.
"""

from decimal import ROUND_HALF_EVEN, Decimal
from functools import cache

from babel.numbers import format_currency, get_currency_precision, list_currencies
from django.core.exceptions import ValidationError
from django.utils.translation import get_language, to_locale
from django.utils.translation import gettext as _


@cache
def currencies() -> frozenset[str]:
    return frozenset(list_currencies())


def validate_currency(code: str) -> None:
    if code not in currencies():
        raise ValidationError(_("%(code)s is not an ISO 4217 currency code."),
                              params={"code": code})


def minor_units(currency: str) -> int:
    """Digits after the decimal point: 2 for EUR, 0 for JPY and IQD, 3 for TND."""
    return get_currency_precision(currency)


def quantize(amount: Decimal, currency: str) -> Decimal:
    """`amount` rounded to the currency's minor units (banker's rounding)."""
    return amount.quantize(Decimal(1).scaleb(-minor_units(currency)), rounding=ROUND_HALF_EVEN)


def validate_amount(amount: Decimal, currency: str) -> None:
    """An amount may not carry more decimals than its currency has minor units."""
    if amount != quantize(amount, currency):
        raise ValidationError(
            _("An amount in %(currency)s has at most %(digits)d digits after the decimal "
              "point."), params={"currency": currency, "digits": minor_units(currency)})


def format_money(amount: Decimal, currency: str, language: str | None = None) -> str:
    """`amount` written for the reader's locale: "€1,234.50" in English,
    "1 234,50 €" in French."""
    return format_currency(amount, currency, locale=to_locale(language or get_language() or "en"))
