from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils.translation import override

from retorno.lib.money import (
    format_money,
    minor_units,
    quantize,
    validate_amount,
    validate_currency,
)


def test_it_writes_money_for_the_readers_locale():
    with override("en"):
        assert format_money(Decimal("1234.5"), "EUR") == "€1,234.50"
    with override("fr"):
        assert format_money(Decimal("1234.5"), "EUR") == "1\u202f234,50\xa0€"


def test_it_knows_each_currencys_minor_units():
    assert (minor_units("EUR"), minor_units("JPY"), minor_units("TND")) == (2, 0, 3)
    assert quantize(Decimal("10.005"), "EUR") == Decimal("10.00")
    assert quantize(Decimal("10.5"), "JPY") == Decimal("10")


def test_it_refuses_more_decimals_than_the_currency_has():
    validate_amount(Decimal("10.50"), "EUR")
    with pytest.raises(ValidationError, match="at most 0 digits"):
        validate_amount(Decimal("10.5"), "JPY")


def test_it_refuses_an_unknown_currency():
    validate_currency("EUR")
    with pytest.raises(ValidationError, match="XYZ is not an ISO 4217 currency code"):
        validate_currency("XYZ")
