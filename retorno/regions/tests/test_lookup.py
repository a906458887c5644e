"""Reading the regions for statistics."""

import pytest

from retorno.regions import lookup
from retorno.regions.services import create_region, update_region

pytestmark = pytest.mark.django_db


def test_each_country_maps_to_its_region(world):
    mena = create_region(actor=world.pia, data={"code": "mena", "name": "MENA",
                                                "countries": ["IRQ", "SYR"]})
    eea = create_region(actor=world.pia, data={"code": "eea", "name": "EEA",
                                               "countries": ["DEU", "AUT"]})
    by_country = lookup.organisation_region_of()
    assert {c: r.code for c, r in by_country.items()} == {
        "IRQ": "mena", "SYR": "mena", "DEU": "eea", "AUT": "eea"}
    assert "NGA" not in by_country
    assert lookup.countries_in("mena") == frozenset({"IRQ", "SYR"})
    assert [r.code for r in lookup.regions()] == ["eea", "mena"]
    update_region(actor=world.pia, region=mena, version=1, data={"countries": ["IRQ"]})
    assert "SYR" not in lookup.organisation_region_of()  # read afresh, never stale
    assert lookup.countries_in("eea") == frozenset({"AUT", "DEU"}) and eea.pk


def test_an_unknown_region_code_is_a_lookup_error(world):
    with pytest.raises(LookupError):
        lookup.countries_in("nowhere")
