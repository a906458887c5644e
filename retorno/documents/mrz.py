"""Reading a machine-readable zone (ICAO Doc 9303) pasted or typed by the user.

`parse(text)` normalises the text (surrounding blanks, lower case, spaces inside the
lines, Windows line ends), tells the format from the shape — TD1: 3 lines of 30
characters (identity cards), TD2: 2 lines of 36, TD3: 2 lines of 44 (passports) — and
returns a `ParsedMrz` with the fields and a list of `MrzError`, each naming in the
user's language what does not hold: a check digit (of the document number, the date of
birth, the date of expiry, the personal number or the composite one), an impossible
date, an unknown country code. Text that has no MRZ shape raises `UnreadableMrz` with a
message saying which shapes were expected.

The check digits are computed by the `mrz` library (GPL-3.0, pinned in
requirements.txt): its `TD1/TD2/TD3CodeChecker` reports each failing check in
`report.falses`, whose names are mapped to our translated sentences below. This module
only cuts the lines at the positions ICAO 9303 gives and reads the values.

Country codes are those of ICAO 9303, which mostly are ISO 3166 alpha-3 codes but not
all: Germany is "D", and some codes name no ISO country — the specimen state "UTO"
(Utopia) of the ICAO examples, the United Nations ("UNO"), a stateless person
("XXA")… They are read and accepted here; `issuing_country` gives the ISO code to
record (empty when there is none, and a note asks the user to choose).
"""

import datetime
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from mrz.base.countries_ops import get_country as icao_country_name
from mrz.base.countries_ops import is_code as is_icao_code
from mrz.base.functions import hash_is_ok
from mrz.checker.td1 import TD1CodeChecker
from mrz.checker.td2 import TD2CodeChecker
from mrz.checker.td3 import TD3CodeChecker

from retorno.documents.models import Kind
from retorno.lib.codes import validate_country
from retorno.lib.text import fold
from retorno.people.models import Person

TD1, TD2, TD3 = "TD1", "TD2", "TD3"
# format: (lines, characters per line, checker)
SHAPES = {TD1: (3, 30, TD1CodeChecker), TD2: (2, 36, TD2CodeChecker),
          TD3: (2, 44, TD3CodeChecker)}

# ICAO 9303 codes that differ from the ISO 3166 code of the same country.
ICAO_TO_ISO = {"D": "DEU"}

# The first letter of the document code: P passports, I/A/C identity cards (and other
# official travel documents of TD1/TD2 size). Anything else the user chooses.
KINDS = {"P": Kind.PASSPORT, "I": Kind.NATIONAL_ID, "A": Kind.NATIONAL_ID,
         "C": Kind.NATIONAL_ID}

# What each check is called in our messages, in the order the zone reads.
CHECKS: dict[str, Promise] = {
    "document_number": gettext_lazy("The check digit of the document number does not "
                                    "match."),
    "birth_date": gettext_lazy("The check digit of the date of birth does not match."),
    "expiry_date": gettext_lazy("The check digit of the date of expiry does not match."),
    "optional_data": gettext_lazy("The check digit of the personal number (optional "
                                  "data) does not match."),
    "composite": gettext_lazy("The composite check digit (the last one, over the "
                              "number, the dates and the optional data) does not match."),
}
# The names the mrz library gives its checks in report.falses.
LIBRARY_CHECKS = {"document number hash": "document_number",
                  "birth date hash": "birth_date", "expiry date hash": "expiry_date",
                  "optional data hash": "optional_data", "final hash": "composite"}

_ALLOWED = re.compile(r"[A-Z0-9<]")


class UnreadableMrz(ValueError):
    """The text has no MRZ shape; `message` says why, in the user's language."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class MrzError:
    code: str  # e.g. "birth_date_check", "issuing_state"
    message: str


@dataclass
class ParsedMrz:
    format: str
    document_code: str
    kind: str | None  # None: not a passport or identity card; the user chooses
    number: str
    issuing_state: str  # as in the zone: ICAO 9303, e.g. "UTO", "D"
    issuing_country: str  # the ISO 3166 alpha-3 code, "" when there is none
    nationality: str  # as in the zone
    surname: str
    given_names: str
    sex: str  # F, M, X, or "" when unspecified
    birth_date: datetime.date | None
    expiry_date: datetime.date | None
    optional_data: str
    errors: list[MrzError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.errors

    @property
    def name(self) -> str:
        return ", ".join(p for p in (self.surname, self.given_names) if p)


def normalise(text: str) -> list[str]:
    """The zone's lines: upper case, without blanks, empty lines dropped. One line holding
    a whole zone (its line breaks lost on the way) is cut into its lines."""
    lines = [re.sub(r"\s+", "", line).upper()
             for line in (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    lines = [line for line in lines if line]
    if len(lines) == 1:
        for count, width, _checker in SHAPES.values():
            if len(lines[0]) == count * width:
                return [lines[0][i:i + width] for i in range(0, count * width, width)]
    return lines


def _shape(lines: list[str]) -> str:
    """The format these lines have, or UnreadableMrz saying which were expected."""
    if not lines:
        raise UnreadableMrz(_("Paste or type the machine-readable zone: the two or three "
                              "lines of letters, digits and < at the bottom of the "
                              "document's data page."))
    lengths = [len(line) for line in lines]
    for name, (count, width, _checker) in SHAPES.items():
        if lengths == [width] * count:
            return name
    listed = get_text_list([str(n) for n in lengths], _("and"))
    if len(lines) == 3:
        raise UnreadableMrz(_(
            "Three lines are read as TD1 (identity cards), whose lines have 30 characters "
            "each; the lines here have %(lengths)s characters.") % {"lengths": listed})
    if len(lines) == 2:
        raise UnreadableMrz(_(
            "Two lines are read as TD2 (36 characters each) or TD3 (passports, 44 "
            "characters each); the lines here have %(lengths)s characters.")
            % {"lengths": listed})
    raise UnreadableMrz(ngettext(
        "A machine-readable zone has 3 lines of 30 characters (TD1), 2 lines of 36 (TD2) "
        "or 2 lines of 44 (TD3); this text has %(count)d line, of %(lengths)s characters.",
        "A machine-readable zone has 3 lines of 30 characters (TD1), 2 lines of 36 (TD2) "
        "or 2 lines of 44 (TD3); this text has %(count)d lines, of %(lengths)s characters.",
        len(lines)) % {"count": len(lines), "lengths": listed})


def _check_characters(lines: list[str]) -> None:
    for number, line in enumerate(lines, 1):
        wrong = sorted({ch for ch in line if not _ALLOWED.fullmatch(ch)})
        if wrong:
            raise UnreadableMrz(_(
                "Line %(line)d holds characters a machine-readable zone cannot: %(chars)s. "
                "It has only capital letters A–Z, digits and <.")
                % {"line": number, "chars": " ".join(wrong)})


def _iso(code: str) -> str:
    code = ICAO_TO_ISO.get(code, code)
    try:
        validate_country(code)
    except ValidationError:
        return ""
    return code


def _known_country(code: str) -> bool:
    return bool(code) and (is_icao_code(code) or bool(_iso(code)))


def _date(digits: str) -> tuple[int, int, int] | None:
    if not digits.isdigit():
        return None
    return int(digits[0:2]), int(digits[2:4]), int(digits[4:6])


def birth_date(digits: str, today: datetime.date) -> datetime.date | None:
    """YYMMDD → the date in the latest century that does not put it in the future.
    None for an unknown date (filled with <); ValueError for an impossible one."""
    parts = _date(digits)
    if parts is None:
        return None
    yy, mm, dd = parts
    try:
        day = datetime.date(2000 + yy, mm, dd)
    except ValueError:
        day = None
    if day is None or day > today:
        day = datetime.date(1900 + yy, mm, dd)
    return day


def expiry_date(digits: str) -> datetime.date | None:
    """YYMMDD → 20YY-MM-DD: a document that expired last century is of no use to us."""
    parts = _date(digits)
    if parts is None:
        return None
    yy, mm, dd = parts
    return datetime.date(2000 + yy, mm, dd)


def _text(value: str) -> str:
    return " ".join(value.replace("<", " ").split())


@dataclass
class _Zone:
    """The zone cut at the positions ICAO 9303 gives for its format."""

    code: str
    state: str
    number: str
    number_check: str
    nationality: str
    birth: str
    sex: str
    expiry: str
    optional: str  # the optional data that may continue a long document number
    optional_rest: str  # TD1's second optional field; TD3's personal number
    names: str


def _cut(fmt: str, lines: list[str]) -> _Zone:
    if fmt == TD1:
        one, two, three = lines
        return _Zone(code=one[0:2], state=one[2:5], number=one[5:14], number_check=one[14],
                     optional=one[15:30], birth=two[0:6], sex=two[7], expiry=two[8:14],
                     nationality=two[15:18], optional_rest=two[18:29], names=three)
    one, two = lines
    return _Zone(code=one[0:2], state=one[2:5], names=one[5:], number=two[0:9],
                 number_check=two[9], nationality=two[10:13], birth=two[13:19], sex=two[20],
                 expiry=two[21:27],
                 optional=two[28:35] if fmt == TD2 else "",
                 optional_rest=two[28:42] if fmt == TD3 else "")


def _long_number(zone: _Zone) -> tuple[str, bool] | None:
    """TD1 and TD2: a document number longer than 9 characters has < as its check digit;
    the rest of the number follows in the optional data, then its check digit. Returns
    the whole number and whether its check digit holds; None for a short number."""
    rest = zone.optional.split("<", 1)[0]
    if zone.number_check != "<" or len(rest) < 2:
        return None
    number = zone.number + rest[:-1]
    return number, hash_is_ok(number, rest[-1])


def parse(text: str, today: datetime.date | None = None) -> ParsedMrz:
    """Read a machine-readable zone; see the module's docstring."""
    today = today or timezone.localdate()
    lines = normalise(text)
    fmt = _shape(lines)
    _check_characters(lines)
    zone = _cut(fmt, lines)
    errors: list[MrzError] = []
    notes: list[str] = []

    try:
        checker = SHAPES[fmt][2]("\n".join(lines))
    except ValueError as exc:  # the library's own refusals (FieldError and the like)
        raise UnreadableMrz(_("This machine-readable zone cannot be read (%(reason)s).")
                            % {"reason": exc}) from None
    failed = {LIBRARY_CHECKS[name] for name, ok in checker.report.falses
              if name in LIBRARY_CHECKS and not ok}
    number = zone.number.rstrip("<")
    long_number = _long_number(zone) if fmt in (TD1, TD2) else None
    if long_number is not None:
        # The library checks only the first nine characters against the <.
        number, number_ok = long_number
        failed.discard("document_number")
        if not number_ok:
            failed.add("document_number")
    errors += [MrzError(f"{check}_check", str(message))
               for check, message in CHECKS.items() if check in failed]

    try:
        born = birth_date(zone.birth, today)
    except ValueError:
        born = None
        errors.append(MrzError("birth_date", _("The date of birth, %(digits)s, is not a "
                                               "date (YYMMDD).") % {"digits": zone.birth}))
    try:
        expires = expiry_date(zone.expiry)
    except ValueError:
        expires = None
        errors.append(MrzError("expiry_date", _("The date of expiry, %(digits)s, is not a "
                                                "date (YYMMDD).") % {"digits": zone.expiry}))
    if zone.sex not in "FMX<":
        errors.append(MrzError("sex", _("The sex, %(value)s, must be F, M, X or <.")
                               % {"value": zone.sex}))
    state, nationality = zone.state.replace("<", ""), zone.nationality.replace("<", "")
    if not _known_country(state):
        errors.append(MrzError("issuing_state", _(
            "The issuing state, %(code)s, is not a country code of ICAO 9303.")
            % {"code": zone.state}))
    if not _known_country(nationality):
        errors.append(MrzError("nationality", _(
            "The nationality, %(code)s, is not a country code of ICAO 9303.")
            % {"code": zone.nationality}))

    issuing_country = _iso(state)
    if state and not issuing_country and _known_country(state):
        notes.append(_("The issuing state %(code)s (%(name)s) is not an ISO 3166 country: "
                       "choose the issuing country.")
                     % {"code": state, "name": icao_country_name(state) or state})
    if expires and expires < today:
        notes.append(_("This document expired on %(date)s.")
                     % {"date": date_format(expires, "SHORT_DATE_FORMAT")})
    code = zone.code.replace("<", "")
    kind = KINDS.get(code[:1])
    if kind is None:
        notes.append(_("The document code %(code)s is neither a passport (P) nor an "
                       "identity card (I, A, C): choose the kind of document.")
                     % {"code": code or "<"})
    surname, _sep, given = zone.names.partition("<<")
    return ParsedMrz(
        format=fmt, document_code=code, kind=kind.value if kind else None, number=number,
        issuing_state=state, issuing_country=issuing_country, nationality=nationality,
        surname=_text(surname), given_names=_text(given),
        sex="" if zone.sex == "<" else zone.sex, birth_date=born, expiry_date=expires,
        optional_data=_text(zone.optional_rest if fmt == TD3 else zone.optional),
        errors=errors, notes=notes)


def _letters(text: str) -> str:
    return "".join(ch for ch in fold(text) if ch.isalpha())


def differences(parsed: ParsedMrz, person: Person) -> list[str]:
    """What the zone says that differs from the person's registration, as warnings: the
    name (compared on letters only, without accents), the date of birth, the
    nationality."""
    warnings = []
    zone_name = _letters(parsed.surname + parsed.given_names)
    registered = _letters(person.family_name + person.given_name)
    if zone_name and registered and zone_name != registered:
        warnings.append(_("The name in the zone, %(zone)s, differs from the registered "
                          "name, %(registered)s. Check which one is right.")
                        % {"zone": parsed.name,
                           "registered": " ".join(p for p in (person.given_name,
                                                              person.family_name) if p)})
    if parsed.birth_date and person.date_of_birth and parsed.birth_date != person.date_of_birth:
        warnings.append(_("The date of birth in the zone, %(zone)s, differs from the "
                          "registered one, %(registered)s.")
                        % {"zone": date_format(parsed.birth_date, "SHORT_DATE_FORMAT"),
                           "registered": date_format(person.date_of_birth,
                                                     "SHORT_DATE_FORMAT")})
    nationality = _iso(parsed.nationality)
    if nationality and person.nationality and nationality != person.nationality:
        warnings.append(_("The nationality in the zone, %(zone)s, differs from the "
                          "registered one, %(registered)s.")
                        % {"zone": nationality, "registered": person.nationality})
    return warnings
