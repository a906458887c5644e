"""Airports by IATA code, from the pinned `airportsdata` package (offline, maintained
upstream), and the minimum connection time at each.

airportsdata gives ISO 3166 alpha-2 countries; Retorno stores alpha-3 (as on cases), so
the country is converted through pycountry. Minimum connection times are organisational
settings kept in `data/mct.csv` (edit it to change them); an airport not listed there
uses `DEFAULT_MCT_MINUTES`.
"""

import csv
import datetime
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import airportsdata
import pycountry
from django.utils.translation import gettext as _

from retorno.lib.errors import Invalid

DEFAULT_MCT_MINUTES = 60
MCT_FILE = Path(__file__).resolve().parent / "data" / "mct.csv"


@dataclass(frozen=True)
class Airport:
    code: str
    name: str
    city: str
    country: str  # ISO 3166 alpha-3
    tz: str


@cache
def _airports() -> dict[str, dict[str, Any]]:
    # About 8,000 airports, loaded once per process.
    return airportsdata.load("IATA")


def _alpha3(alpha2: str) -> str:
    found = pycountry.countries.get(alpha_2=alpha2)
    # Kosovo ("XK") is in airport data but not in ISO 3166; keep what we have.
    return found.alpha_3 if found else alpha2


def find(code: str) -> Airport | None:
    """The airport with this IATA code (any case, spaces ignored), or None."""
    row = _airports().get((code or "").strip().upper())
    if row is None:
        return None
    return Airport(code=row["iata"], name=row["name"], city=row["city"],
                   country=_alpha3(row["country"]), tz=row["tz"])


def lookup(code: str) -> Airport:
    """The airport with this IATA code; `Invalid` with a clear message otherwise."""
    airport = find(code)
    if airport is None:
        raise Invalid(_("“%(code)s” is not a known IATA airport code.")
                      % {"code": (code or "").strip()})
    return airport


@cache
def _mct_table() -> dict[str, int]:
    with MCT_FILE.open(newline="", encoding="utf-8") as f:
        lines = [line for line in f if not line.startswith("#")]
    return {row["iata"].strip().upper(): int(row["minutes"]) for row in csv.DictReader(lines)}


def minimum_connection(code: str) -> datetime.timedelta:
    """The minimum connection time at an airport: its own from data/mct.csv, else the
    default of 60 minutes."""
    minutes = _mct_table().get((code or "").strip().upper(), DEFAULT_MCT_MINUTES)
    return datetime.timedelta(minutes=minutes)
