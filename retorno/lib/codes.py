"""Standard code lists: ISO 3166 countries and ISO 639 languages, from pycountry.

Countries are stored as ISO 3166-1 alpha-3 codes (the form AVRR statistics and case
references use); languages as ISO 639-3 codes. Their names are given in the active
language, from the ISO catalogues pycountry ships (Debian's iso-codes translations).
"""

import gettext
from functools import cache

import pycountry
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from retorno.lib.text import fold


@cache
def _catalogue(domain: str, language: str) -> gettext.NullTranslations:
    return gettext.translation(domain, pycountry.LOCALES_DIR, languages=[language],
                               fallback=True)


def _in_language(domain: str, name: str, language: str | None = None) -> str:
    language = (language or get_language() or "en").replace("-", "_")
    if language.startswith("en"):
        return name
    return _catalogue(domain, language).gettext(name)


@cache
def _country_choices(language: str) -> list[tuple[str, str]]:
    names = ((c.alpha_3, _in_language("iso3166-1", c.name, language))
             for c in pycountry.countries)
    return sorted(names, key=lambda c: fold(c[1]))


def country_choices() -> list[tuple[str, str]]:
    """(alpha-3, name) for every country, named and sorted in the active language."""
    return _country_choices(get_language() or "en")


@cache
def _countries() -> dict[str, str]:
    return {c.alpha_3: c.name for c in pycountry.countries}


def country_name(code: str, language: str | None = None) -> str:
    name = _countries().get(code)
    return _in_language("iso3166-1", name, language) if name else code


@cache
def _language_choices(language: str) -> list[tuple[str, str]]:
    # Individual living languages only: the list users pick from stays manageable.
    names = (
        (lang.alpha_3, _in_language("iso639-3", lang.name, language))
        for lang in pycountry.languages
        if getattr(lang, "type", "") == "L" and getattr(lang, "scope", "") in ("I", "M")
    )
    return sorted(names, key=lambda c: fold(c[1]))


def language_choices() -> list[tuple[str, str]]:
    return _language_choices(get_language() or "en")


@cache
def _languages() -> dict[str, str]:
    return {code: name for code, name in _language_choices("en")}


def language_name(code: str, language: str | None = None) -> str:
    name = _languages().get(code)
    return _in_language("iso639-3", name, language) if name else code


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
