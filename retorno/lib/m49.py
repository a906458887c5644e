"""The UN M49 standard regions: which region, sub-region and intermediate region each
country is in, for statistics broken down the way the UN and IOM publish them.

Source: the UN Statistics Division's "Standard country or area codes for statistical use
(M49)", https://unstats.un.org/unsd/methodology/m49/. `data/m49.csv` holds, for every
ISO 3166-1 country that M49 lists, its M49 code and its areas' codes; it is regenerated
by `tools/build-m49`, which says where the table came from. The areas themselves are
`AREAS` below, so that `makemessages` finds their names and every page shows them in the
reader's language.

Levels: a *region* (Africa, Americas, Asia, Europe, Oceania) holds *sub-regions*
(Western Asia, Sub-Saharan Africa...); some sub-regions are divided once more into
*intermediate regions* (Western Africa, Caribbean...). Taiwan is not listed in M49 and
Antarctica is in no region: for them every lookup answers None.
"""

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from retorno.lib.text import fold

Level = Literal["region", "subregion", "intermediate"]
LEVELS: tuple[Level, ...] = ("region", "subregion", "intermediate")

DATA = Path(__file__).resolve().parent / "data" / "m49.csv"

# code: (level, parent code, name). The names are UNSD's English names.
AREAS: dict[str, tuple[Level, str | None, Promise]] = {
    "002": ("region", None, _("Africa")),
    "019": ("region", None, _("Americas")),
    "142": ("region", None, _("Asia")),
    "150": ("region", None, _("Europe")),
    "009": ("region", None, _("Oceania")),
    "015": ("subregion", "002", _("Northern Africa")),
    "202": ("subregion", "002", _("Sub-Saharan Africa")),
    "419": ("subregion", "019", _("Latin America and the Caribbean")),
    "021": ("subregion", "019", _("Northern America")),
    "143": ("subregion", "142", _("Central Asia")),
    "030": ("subregion", "142", _("Eastern Asia")),
    "035": ("subregion", "142", _("South-eastern Asia")),
    "034": ("subregion", "142", _("Southern Asia")),
    "145": ("subregion", "142", _("Western Asia")),
    "151": ("subregion", "150", _("Eastern Europe")),
    "154": ("subregion", "150", _("Northern Europe")),
    "039": ("subregion", "150", _("Southern Europe")),
    "155": ("subregion", "150", _("Western Europe")),
    "053": ("subregion", "009", _("Australia and New Zealand")),
    "054": ("subregion", "009", _("Melanesia")),
    "057": ("subregion", "009", _("Micronesia")),
    "061": ("subregion", "009", _("Polynesia")),
    "014": ("intermediate", "202", _("Eastern Africa")),
    "017": ("intermediate", "202", _("Middle Africa")),
    "018": ("intermediate", "202", _("Southern Africa")),
    "011": ("intermediate", "202", _("Western Africa")),
    "029": ("intermediate", "419", _("Caribbean")),
    "013": ("intermediate", "419", _("Central America")),
    "005": ("intermediate", "419", _("South America")),
    "830": ("intermediate", "154", _("Channel Islands")),
}


@dataclass(frozen=True)
class M49Area:
    code: str  # three digits, as UNSD writes it: "002", "145"
    level: Level
    parent: str | None  # the code of the area it is part of; None for a region

    @property
    def name(self) -> str:
        """In the active language."""
        return str(AREAS[self.code][2])

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class _Row:
    m49: str
    region: str
    subregion: str
    intermediate: str


@cache
def _table() -> dict[str, _Row]:
    with DATA.open(encoding="utf-8", newline="") as data:
        lines = (line for line in data if not line.startswith("#"))
        return {row["alpha3"]: _Row(row["m49"], row["region"], row["subregion"],
                                    row["intermediate"])
                for row in csv.DictReader(lines)}


@cache
def area(code: str) -> M49Area | None:
    """The area with this M49 code, or None if it is not a region, sub-region or
    intermediate region."""
    if code not in AREAS:
        return None
    level, parent, _name = AREAS[code]
    return M49Area(code=code, level=level, parent=parent)


def m49_code(alpha3: str) -> str | None:
    """The country's own M49 code ("368" for Iraq), or None if M49 does not list it."""
    row = _table().get(alpha3)
    return row.m49 if row else None


def area_of(alpha3: str, level: Level) -> M49Area | None:
    """The country's area at `level`; None if M49 does not list the country, or puts it
    in no area of that level (most countries have no intermediate region)."""
    row = _table().get(alpha3)
    return area(getattr(row, level)) if row else None


def region_of(alpha3: str) -> M49Area | None:
    return area_of(alpha3, "region")


def subregion_of(alpha3: str) -> M49Area | None:
    return area_of(alpha3, "subregion")


def intermediate_of(alpha3: str) -> M49Area | None:
    return area_of(alpha3, "intermediate")


def areas(level: Level) -> list[M49Area]:
    """Every area of `level`, sorted by name in the active language."""
    if level not in LEVELS:
        raise ValueError(f"unknown M49 level {level!r}")
    found = [area(code) for code, (lvl, _parent, _name) in AREAS.items() if lvl == level]
    return sorted(found, key=lambda a: fold(a.name))


@cache
def countries_in(code: str) -> frozenset[str]:
    """The alpha-3 codes of the countries in the area, at whatever level it is.
    LookupError for a code that is no area."""
    if code not in AREAS:
        raise LookupError(f"{code!r} is not an M49 region, sub-region or intermediate region")
    return frozenset(alpha3 for alpha3, row in _table().items()
                     if code in (row.region, row.subregion, row.intermediate))


def children(code: str) -> list[M49Area]:
    """The areas directly inside this one (a region's sub-regions, a sub-region's
    intermediate regions), sorted by name in the active language."""
    found = [area(c) for c, (_lvl, parent, _name) in AREAS.items() if parent == code]
    return sorted(found, key=lambda a: fold(a.name))
