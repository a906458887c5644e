import datetime

import pytest
from django.utils import translation

from retorno.lib.errors import Invalid
from retorno.travel import airports


def test_it_finds_an_airport_with_its_country_in_alpha3_and_its_zone():
    bgw = airports.lookup("bgw ")
    assert bgw.code == "BGW" and bgw.city == "Baghdad"
    assert bgw.country == "IRQ" and bgw.tz == "Asia/Baghdad"
    assert "Baghdad" in bgw.name
    assert airports.lookup("AKL").tz == "Pacific/Auckland"
    assert airports.lookup("HNL").country == "USA"


def test_it_refuses_an_unknown_code_with_a_clear_message():
    assert airports.find("ZZZ") is None
    with pytest.raises(Invalid) as refused:
        airports.lookup("ZZZ")
    assert refused.value.messages == ["“ZZZ” is not a known IATA airport code."]


def test_the_message_is_translated():
    with translation.override("fr"), pytest.raises(Invalid) as refused:
        airports.lookup("")
    assert refused.value.messages and "IATA" in refused.value.messages[0]


def test_minimum_connection_times_come_from_the_file_with_a_default():
    assert airports.minimum_connection("IST") == datetime.timedelta(minutes=75)
    assert airports.minimum_connection("fra") == datetime.timedelta(minutes=45)
    # Not listed: the default.
    assert airports.minimum_connection("BGW") == datetime.timedelta(
        minutes=airports.DEFAULT_MCT_MINUTES) == datetime.timedelta(minutes=60)
