"""The demo's regions (`retorno.demo.regions`)."""

import pytest

from retorno.demo.regions import seed_regions
from retorno.demo.world import CASELOAD, OFFICES, PROGRAMMES
from retorno.regions import lookup
from retorno.regions.models import Region

pytestmark = pytest.mark.django_db


def test_the_demo_regions_cover_every_country_of_the_demo(world):
    created = seed_regions(world.pia)
    assert len(created) == 6
    by_country = lookup.organisation_region_of()
    demo_countries = ({o.country for o in OFFICES}
                      | {c for p in PROGRAMMES for c in (*p.host_countries, *p.nationalities)}
                      | {c for load in CASELOAD.values() for c in load})
    assert demo_countries <= set(by_country)
    assert by_country["IRQ"].code == "mena" and by_country["NGA"].code == "wca"
    assert seed_regions(world.pia) == []  # a second run adds nothing
    assert Region.objects.count() == 6
