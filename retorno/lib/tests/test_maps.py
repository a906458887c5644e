"""World maps: the shipped boundaries cover the world under ISO codes, each country is
shaded by its class, and the SVG is as safe and self-contained as the charts'."""

import math
import re

import numpy as np
import pycountry
import pytest
from defusedxml import ElementTree as ET
from django.core.cache import cache
from django.utils import translation

from retorno.lib import maps
from retorno.lib.maps import breaks, countries, world_map

SVG = "{http://www.w3.org/2000/svg}"


def _fills(svg: str) -> dict[str, str]:
    """The fill colour of each country, by its code."""
    fills = {}
    for group in ET.fromstring(svg).iter(f"{SVG}g"):
        code = group.get("data-country")
        if code:
            (path,) = group.iter(f"{SVG}path")
            fills[code] = re.search(r"fill: (#[0-9a-f]{6})", path.get("style")).group(1)
    return fills


def _texts(svg: str) -> list[str]:
    return ["".join(t.itertext()) for t in ET.fromstring(svg).iter(f"{SVG}text")]


def _titles(svg: str) -> dict[str, str]:
    return {group.get("data-country"): group.find(f"{SVG}title").text
            for group in ET.fromstring(svg).iter(f"{SVG}g") if group.get("data-country")}


def test_the_data_covers_the_countries_of_the_world_under_iso_codes():
    codes = countries()
    assert len(codes) >= 170
    assert {"IRQ", "AFG", "NGA", "DEU", "FRA", "NOR", "SSD", "SOM", "CYP", "UKR",
            "XKX"} <= codes
    # Natural Earth's own codes and Antarctica are gone
    assert not {"-99", "SOL", "CYN", "ATA"} & codes
    unknown = {code for code in codes if pycountry.countries.get(alpha_3=code) is None}
    assert unknown == {"XKX"}  # Kosovo: not in ISO 3166-1, named by the map itself


def test_two_countries_with_values_are_shaded_by_class_and_the_rest_have_no_data():
    svg = world_map({"IRQ": 10, "AFG": 3}, title="Returns by country of origin",
                    legend="Returnees")
    fills = _fills(svg)
    assert set(fills) == countries()  # every country drawn, once
    assert fills["IRQ"] != fills["AFG"]
    assert maps.NO_DATA not in {fills["IRQ"], fills["AFG"]}
    assert {fills[c] for c in fills.keys() - {"IRQ", "AFG"}} == {maps.NO_DATA}
    texts = _texts(svg)
    assert {"Returns by country of origin", "Returnees", "3", "10", "No data"} <= set(texts)
    root = ET.fromstring(svg)
    assert root.get("role") == "img"
    assert root.get("aria-label") == "Returns by country of origin"
    assert root.get("viewBox") and root.get("width") is None
    titles = _titles(svg)
    assert titles["IRQ"] == "Iraq: 10" and titles["DEU"] == "Germany: no data"


def test_quantile_classes_are_rounded_and_a_value_on_a_break_is_in_the_lower_class():
    assert breaks(list(range(1, 101))) == [20, 40, 60, 80, 100]
    assert breaks([1, 2, 2, 3]) == [1, 2, 3]  # few values: one class each
    assert breaks([]) == []
    # seven values: the 2nd, 3rd, 5th and 6th are the quantiles, to 2 significant digits
    rates = [0.1234, 0.2345, 0.3456, 0.4567, 0.5678, 0.6789, 0.7891]
    assert breaks(rates) == [0.23, 0.35, 0.57, 0.68, 0.7891]
    big = breaks([1234, 2345, 3456, 4567, 5678, 6789, 7890, 8901, 9012, 10123])
    assert big[:-1] == [2300, 4600, 6800, 8900] and big[-1] == 10123

    # 25 countries valued 4, 8, ... 100: five shades, darker as the value grows, and the
    # legend says which numbers each one means
    codes = sorted(countries() - {"XKX"})[:25]
    values = dict(zip(codes, range(4, 101, 4), strict=True))
    svg = world_map(values, title="", legend="Cases")
    fills = _fills(svg)
    shades = [fills[code] for code in codes]
    assert len(set(shades)) == 5
    assert shades[4] == shades[0] != shades[5]  # 20 is in the first class, 24 is not
    lightness = [sum(int(s[i:i + 2], 16) for i in (1, 3, 5)) for s in dict.fromkeys(shades)]
    assert lightness == sorted(lightness, reverse=True)
    assert {"4–20", "21–40", "41–60", "61–80", "81–100"} <= set(_texts(svg))


def test_numbers_are_formatted_for_the_language():
    values = {"IRQ": 0.25, "AFG": 0.5, "NGA": 1234.5}
    english = _texts(world_map(values, title="Rates", legend="Rate"))
    assert {"0.25", "0.50", "1,234.50"} <= set(english)
    with translation.override("fr"):
        french = world_map(values, title="Rates", legend="Rate")
    assert {"0,25", "0,50", "1\xa0234,50"} <= set(_texts(french))
    assert _titles(french)["IRQ"].endswith("0,25")


def test_user_text_is_escaped_and_never_read_as_math():
    svg = world_map({"IRQ": 1}, title='<script>alert(1)</script> $x$ "&"',
                    legend="$\\alpha$ <b>")
    assert "<script" not in svg and "<b>" not in svg
    texts = _texts(svg)
    assert '<script>alert(1)</script> $x$ "&"' in texts and "$\\alpha$ <b>" in texts
    assert ET.fromstring(svg).get("aria-label") == '<script>alert(1)</script> $x$ "&"'


def test_it_is_deterministic_and_refers_to_nothing_outside():
    values = {"IRQ": 7, "SYR": 2, "GHA": None}
    first = world_map(values, title="Same", legend="Count")
    cache.clear()
    again = world_map(values, title="Same", legend="Count")
    assert first == again  # drawn twice, the same bytes
    assert first.startswith("<svg") and first.endswith("</svg>")
    namespaces_aside = re.sub(r'\sxmlns(:\w+)?="[^"]*"', "", first)
    assert "http" not in namespaces_aside
    assert "href" not in first and "<a " not in first and "<image" not in first
    assert "<metadata" not in first and "url(" not in first
    ids = re.findall(r'id="([^"]+)"', first)
    assert all(f"#{i}" in first for i in ids)  # no group names two maps would repeat


def test_an_empty_mapping_draws_every_country_with_no_data():
    svg = world_map({}, title="Nothing yet", legend="Returnees")
    fills = _fills(svg)
    assert len(fills) == len(countries()) and set(fills.values()) == {maps.NO_DATA}
    texts = _texts(svg)
    assert "No data" in texts and "Returnees" in texts
    assert world_map({"IRQ": None}, title="Nothing yet", legend="Returnees") == svg


def test_values_for_countries_too_small_to_draw_are_named_under_the_map():
    svg = world_map({"MLT": 12, "IRQ": 3}, title="Host countries", legend="Cases")
    assert "Not on the map: Malta (12)" in _texts(svg)
    assert "12" in _texts(svg)  # Malta's value still makes its own class
    assert "Not on the map" not in " ".join(_texts(world_map({"IRQ": 3}, title="x",
                                                             legend="y")))


def test_holes_stay_holes():
    svg = world_map({}, title="", legend="")
    south_africa = next(g for g in ET.fromstring(svg).iter(f"{SVG}g")
                        if g.get("data-country") == "ZAF")
    assert south_africa.find(f"{SVG}path").get("d").count("M") == 2  # Lesotho cut out


def test_equal_earth_matches_proj_and_keeps_areas():
    # reference values from PROJ's eqearth on the unit sphere
    x, y = maps._equal_earth(np.array([180.0, 0.0, 0.0]), np.array([0.0, 90.0, -60.0]))
    assert x[0] == pytest.approx(2.7066299836960748, abs=1e-12)
    assert y[1] == pytest.approx(1.3173627591574133, abs=1e-12)
    assert y[2] == pytest.approx(-1.0883008355053196, abs=1e-12)

    def area(lat0: float, lat1: float) -> float:  # a 10-degree-wide cell
        edge = np.linspace(lat0, lat1, 200)
        lon = np.concatenate([np.zeros(200), np.full(200, 10.0)])
        lat = np.concatenate([edge, edge[::-1]])
        px, py = maps._equal_earth(lon, lat)
        return abs(np.dot(px, np.roll(py, -1)) - np.dot(py, np.roll(px, -1))) / 2

    expected = (math.sin(math.radians(10)) - 0) / (math.sin(math.radians(70))
                                                   - math.sin(math.radians(60)))
    assert area(0, 10) / area(60, 70) == pytest.approx(expected, rel=1e-4)


def test_a_map_is_drawn_once_for_the_same_numbers_and_language(monkeypatch):
    cache.clear()
    drawn = []
    real = maps._render
    monkeypatch.setattr(maps, "_render", lambda *a: drawn.append(a) or real(*a))
    first = world_map({"AFG": 41, "IRN": 2}, title="Once", legend="n")
    again = world_map({"IRN": 2, "AFG": 41}, title="Once", legend="n")  # another order
    assert first == again and len(drawn) == 1
    with translation.override("fr"):
        world_map({"AFG": 41, "IRN": 2}, title="Once", legend="n")
    assert len(drawn) == 2
