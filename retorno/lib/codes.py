"""Standard code lists: ISO 3166 countries and ISO 639 languages, from pycountry.

Countries are stored as ISO 3166-1 alpha-3 codes (the form AVRR statistics and case
references use); languages as ISO 639-3 codes.
"""

from functools import cache

import pycountry
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


@cache
def country_choices() -> list[tuple[str, str]]:
    return sorted(((c.alpha_3, c.name) for c in pycountry.countries), key=lambda c: c[1])


@cache
def _countries() -> dict[str, str]:
    return dict(country_choices())


def country_name(code: str) -> str:
    return _countries().get(code, code)


@cache
def language_choices() -> list[tuple[str, str]]:
    # Individual living languages only: the list users pick from stays manageable.
    return sorted(
        (
            (lang.alpha_3, lang.name)
            for lang in pycountry.languages
            if getattr(lang, "type", "") == "L" and getattr(lang, "scope", "") in ("I", "M")
        ),
        key=lambda c: c[1],
    )


@cache
def _languages() -> dict[str, str]:
    return dict(language_choices())


def language_name(code: str) -> str:
    return _languages().get(code, code)


def validate_country(code: str) -> None:
    if code not in _countries():
        raise ValidationError(
            _("%(code)s is not an ISO 3166 country code."), params={"code": code}
        )


def validate_countries(codes: list[str]) -> None:
    if not isinstance(codes, list):
        raise ValidationError(_("Give a list of ISO 3166 country codes."))
    for code in codes:
        validate_country(code)


def validate_languages(codes: list[str]) -> None:
    if not isinstance(codes, list):
        raise ValidationError(_("Give a list of ISO 639-3 language codes."))
    for code in codes:
        if code not in _languages():
            raise ValidationError(
                _("%(code)s is not an ISO 639-3 language code."), params={"code": code}
            )
