import csv
from collections import Counter

import pycountry
import pytest
from django.utils.translation import override

from retorno.lib import m49


def names(alpha3: str) -> list[str | None]:
    with override("en"):
        return [a.name if a else None for a in (m49.intermediate_of(alpha3),
                                                  m49.subregion_of(alpha3),
                                                  m49.region_of(alpha3))]


def test_it_places_the_countries_the_programmes_know():
    assert names("IRQ") == [None, "Western Asia", "Asia"]
    assert names("NGA") == ["Western Africa", "Sub-Saharan Africa", "Africa"]
    assert names("DEU") == [None, "Western Europe", "Europe"]
    assert names("MEX") == ["Central America", "Latin America and the Caribbean", "Americas"]
    assert names("NRU") == [None, "Micronesia", "Oceania"]
    assert names("GGY") == ["Channel Islands", "Northern Europe", "Europe"]


def test_the_areas_are_what_their_codes_say():
    region = m49.region_of("IRQ")
    assert (region.code, region.level, region.parent) == ("142", "region", None)
    subregion = m49.subregion_of("NGA")
    assert (subregion.code, subregion.level, subregion.parent) == ("202", "subregion", "002")
    assert m49.area("011") == m49.intermediate_of("NGA")
    assert m49.m49_code("IRQ") == "368" and m49.m49_code("DEU") == "276"
    with override("en"):
        assert str(region) == "Asia"


def test_what_m49_does_not_list_or_place_answers_none():
    assert m49.region_of("TWN") is None and m49.m49_code("TWN") is None
    assert m49.m49_code("ATA") == "010" and m49.region_of("ATA") is None
    assert m49.region_of("XXX") is None and m49.area("001") is None


def test_every_country_pycountry_knows_that_m49_lists_has_its_code_and_areas():
    unplaced = {"ATA"}  # Antarctica: in M49, in no region
    unlisted = {"TWN"}
    for country in pycountry.countries:
        code = m49.m49_code(country.alpha_3)
        if country.alpha_3 in unlisted:
            assert code is None
            continue
        assert code == country.numeric, country.alpha_3
        if country.alpha_3 in unplaced:
            continue
        region, subregion = m49.region_of(country.alpha_3), m49.subregion_of(country.alpha_3)
        assert region is not None and subregion is not None, country.alpha_3
        assert subregion.parent == region.code, country.alpha_3
        intermediate = m49.intermediate_of(country.alpha_3)
        assert intermediate is None or intermediate.parent == subregion.code


def test_codes_are_unique_and_every_code_in_the_table_is_a_known_area():
    with m49.DATA.open(encoding="utf-8") as data:
        rows = list(csv.DictReader(line for line in data if not line.startswith("#")))
    for column in ("alpha3", "m49"):
        repeated = [c for c, n in Counter(row[column] for row in rows).items() if n > 1]
        assert repeated == [], column
    for row in rows:
        for level in m49.LEVELS:
            assert row[level] == "" or m49.AREAS[row[level]][0] == level, row
    with override("en"):
        area_names = [str(name) for _level, _parent, name in m49.AREAS.values()]
    assert len(set(area_names)) == len(area_names)
    assert not set(m49.AREAS) & {row["m49"] for row in rows}


def test_it_lists_the_areas_of_a_level_by_name():
    with override("en"):
        regions = [a.name for a in m49.areas("region")]
        assert regions == ["Africa", "Americas", "Asia", "Europe", "Oceania"]
        assert len(m49.areas("subregion")) == 17
        assert [a.name for a in m49.children("202")] == [
            "Eastern Africa", "Middle Africa", "Southern Africa", "Western Africa"]
    with pytest.raises(ValueError):
        m49.areas("continent")


def test_countries_in_an_area_at_any_level():
    western_africa = m49.countries_in("011")
    assert {"NGA", "SEN", "GMB", "NER"} <= western_africa and "MAR" not in western_africa
    assert western_africa < m49.countries_in("202") < m49.countries_in("002")
    assert "IRQ" in m49.countries_in("145") and "IRQ" in m49.countries_in("142")
    everything = set().union(*(m49.countries_in(a.code) for a in m49.areas("region")))
    assert len(everything) == len({c.alpha_3 for c in pycountry.countries}) - 2
    with pytest.raises(LookupError):
        m49.countries_in("999")

