"""The language codes of declaration templates.

A template's language is a code from settings.LANGUAGES ("en", "fr": the languages the
interface speaks) or any ISO 639 code an organisation adds for the people it serves. It
is stored in one canonical form, so that "fra", "FR" and "fr" name the same language:
the ISO 639-1 code (two letters) where the language has one, else the ISO 639-3 code.
People's languages are ISO 639-3 codes (`people.Person.languages`) and are matched the
same way. A few individual languages are written with their macrolanguage's templates
(Standard Arabic with Arabic, "ar"): `MACROLANGUAGES`.
"""

import pycountry
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from retorno.lib.codes import language_name

# Individual language (ISO 639-3) -> the macrolanguage whose code templates use.
MACROLANGUAGES = {
    "arb": "ara",  # Standard Arabic -> Arabic (ar)
    "pes": "fas",  # Iranian Persian -> Persian (fa)
    "cmn": "zho",  # Mandarin -> Chinese (zh)
    "swh": "swa",  # Swahili (individual) -> Swahili (sw)
    "zsm": "msa",  # Standard Malay -> Malay (ms)
}


def _interface_languages() -> dict[str, str]:
    return {code: str(label) for code, label in settings.LANGUAGES}


def _iso(code: str) -> object | None:
    if len(code) == 2:
        return pycountry.languages.get(alpha_2=code)
    if len(code) == 3:
        return pycountry.languages.get(alpha_3=code)
    return None


def canonical(code: str) -> str:
    """The form a template's language is stored in; unknown codes come back cleaned up
    but otherwise unchanged (`validate_language` refuses them)."""
    code = (code or "").strip().lower().replace("_", "-")
    if code in _interface_languages():
        return code
    code = MACROLANGUAGES.get(code, code)
    language = _iso(code)
    if language is None:
        return code
    return getattr(language, "alpha_2", None) or language.alpha_3  # type: ignore[attr-defined]


def validate_language(code: str) -> None:
    if code in _interface_languages() or _iso(code) is not None:
        return
    raise ValidationError(
        _("“%(code)s” is neither a language of the interface nor an ISO 639 language code."),
        params={"code": code})


def display_name(code: str) -> str:
    """A language's name for staff: the interface's own label, else the ISO 639 name."""
    interface = _interface_languages()
    if code in interface:
        return interface[code]
    language = _iso(code)
    if language is None:
        return code
    return language_name(language.alpha_3)  # type: ignore[attr-defined]

