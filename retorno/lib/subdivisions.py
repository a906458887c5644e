"""ISO 3166-2 subdivisions (regions, provinces, governorates), from pycountry.

Stored as their ISO 3166-2 codes ("IQ-BG"), which start with the country's alpha-2
code; the countries themselves are stored as alpha-3 codes (retorno.lib.codes), so this
module translates between the two.
"""

from functools import cache

import pycountry
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from retorno.lib.codes import country_name


@cache
def _alpha2(country: str) -> str | None:
    found = pycountry.countries.get(alpha_3=country)
    return found.alpha_2 if found else None


@cache
def _subdivisions() -> dict[str, tuple[str, str]]:
    """Code -> (alpha-2 country, name) for every subdivision."""
    return {s.code: (s.country_code, s.name) for s in pycountry.subdivisions}


def subdivision_name(code: str) -> str:
    found = _subdivisions().get(code)
    return found[1] if found else code


def subdivision_choices(country: str) -> list[tuple[str, str]]:
    """(code, "name (code)") for every subdivision of `country` (alpha-3), by name."""
    alpha2 = _alpha2(country)
    rows = [(code, f"{name} ({code})") for code, (cc, name) in _subdivisions().items()
            if cc == alpha2]
    return sorted(rows, key=lambda row: row[1])


def validate_subdivision(code: str) -> None:
    if code and code not in _subdivisions():
        raise ValidationError(
            _("%(code)s is not an ISO 3166-2 subdivision code (such as IQ-BG for Baghdad)."),
            params={"code": code})


def subdivision_error(code: str, country: str) -> str | None:
    """Why `code` is not a subdivision of `country` (alpha-3), or None when it is (or is
    blank: the whole country)."""
    if not code:
        return None
    found = _subdivisions().get(code)
    if found is None:
        return _("%(code)s is not an ISO 3166-2 subdivision code (such as IQ-BG for "
                 "Baghdad).") % {"code": code}
    if found[0] != _alpha2(country):
        return _("%(code)s (%(name)s) is not in %(country)s.") % {
            "code": code, "name": found[1], "country": country_name(country)}
    return None
