"""Reading machine-readable zones: the ICAO 9303 specimens, corrupted copies of them
(each failing check digit named), and text that is no zone at all."""

import datetime

import pytest
from mrz.base.functions import hash_string

from retorno.documents import mrz
from retorno.documents.tests.builders import TD1, TD2, TD3, corrupt
from retorno.people.models import Person

TODAY = datetime.date(2026, 3, 2)
BIRTH = "The check digit of the date of birth does not match."
COMPOSITE = ("The composite check digit (the last one, over the number, the dates and the "
             "optional data) does not match.")


def parse(text: str) -> mrz.ParsedMrz:
    return mrz.parse(text, today=TODAY)


def codes(parsed: mrz.ParsedMrz) -> list[str]:
    return [e.code for e in parsed.errors]


@pytest.mark.parametrize(("zone", "fmt", "kind", "number", "optional"), [
    (TD3, "TD3", "passport", "L898902C3", "ZE184226B"),
    (TD1, "TD1", "national_id", "D23145890", ""),
    (TD2, "TD2", "national_id", "D23145890", ""),
])
def test_it_reads_the_icao_specimens(zone, fmt, kind, number, optional):
    parsed = parse(zone)
    assert parsed.errors == [] and parsed.valid
    assert (parsed.format, parsed.kind, parsed.number) == (fmt, kind, number)
    assert (parsed.surname, parsed.given_names, parsed.name) == (
        "ERIKSSON", "ANNA MARIA", "ERIKSSON, ANNA MARIA")
    assert parsed.sex == "F" and parsed.optional_data == optional
    assert parsed.birth_date == datetime.date(1974, 8, 12)
    assert parsed.expiry_date == datetime.date(2012, 4, 15)
    # Utopia is the specimen state of ICAO 9303: read, but no ISO country to record.
    assert (parsed.issuing_state, parsed.nationality, parsed.issuing_country) == (
        "UTO", "UTO", "")
    assert parsed.notes == [
        "The issuing state UTO (Utopia) is not an ISO 3166 country: choose the issuing "
        "country.",
        "This document expired on 04/15/2012."]


# (zone, line, position, replacement, the checks named). Changing a digit of the data
# also breaks the composite check digit, which covers it.
CORRUPTIONS = [
    # TD3: L898902C3 → L898912C3; 740812 → 740813; 120415 → 120416; the composite 0 → 1;
    # the personal number ZE184226B → ZE184227B.
    (TD3, 2, 6, "1", ["document_number_check", "composite_check"]),
    (TD3, 2, 19, "3", ["birth_date_check", "composite_check"]),
    (TD3, 2, 27, "6", ["expiry_date_check", "composite_check"]),
    (TD3, 2, 44, "1", ["composite_check"]),
    (TD3, 2, 36, "7", ["optional_data_check", "composite_check"]),
    # TD1: D23145890 → D23145891 (line 1); the dates and the composite on line 2.
    (TD1, 1, 14, "1", ["document_number_check", "composite_check"]),
    (TD1, 2, 6, "3", ["birth_date_check", "composite_check"]),
    (TD1, 2, 14, "6", ["expiry_date_check", "composite_check"]),
    (TD1, 2, 30, "7", ["composite_check"]),
    # TD2: all on line 2.
    (TD2, 2, 9, "1", ["document_number_check", "composite_check"]),
    (TD2, 2, 19, "3", ["birth_date_check", "composite_check"]),
    (TD2, 2, 27, "6", ["expiry_date_check", "composite_check"]),
    (TD2, 2, 36, "7", ["composite_check"]),
]


@pytest.mark.parametrize(("zone", "line", "position", "char", "named"), CORRUPTIONS)
def test_it_names_the_check_digit_that_does_not_match(zone, line, position, char, named):
    parsed = parse(corrupt(zone, line, position, char))
    assert codes(parsed) == named
    assert not parsed.valid
    # Still read: the user compares the fields with the document.
    assert parsed.surname == "ERIKSSON"


def test_it_says_which_check_digit_in_words():
    parsed = parse(corrupt(TD3, 2, 19, "3"))
    assert [e.message for e in parsed.errors] == [BIRTH, COMPOSITE]
    assert parsed.birth_date == datetime.date(1974, 8, 13)
    parsed = parse(corrupt(TD1, 1, 14, "1"))
    assert parsed.errors[0].message == ("The check digit of the document number does not "
                                        "match.")
    parsed = parse(corrupt(TD2, 2, 27, "6"))
    assert parsed.errors[0].message == "The check digit of the date of expiry does not match."
    parsed = parse(corrupt(TD3, 2, 36, "7"))
    assert parsed.errors[0].message == ("The check digit of the personal number (optional "
                                        "data) does not match.")


def test_it_normalises_what_is_pasted():
    messy = "\r\n  " + TD3.lower().replace("\n", " \r\n").replace("<<<<<", "<< <<<") + "\n\n"
    assert parse(messy) == parse(TD3)
    # A zone whose line breaks were lost on the way is cut into its lines.
    assert parse(TD1.replace("\n", "")) == parse(TD1)
    assert parse(TD2.replace("\n", " ")).format == "TD2"


@pytest.mark.parametrize(("text", "message"), [
    ("", "Paste or type the machine-readable zone: the two or three lines of letters, "
         "digits and < at the bottom of the document's data page."),
    ("   \n \n", "Paste or type the machine-readable zone"),
    (TD3[:-1], "Two lines are read as TD2 (36 characters each) or TD3 (passports, 44 "
               "characters each); the lines here have 44 and 43 characters."),
    (TD2 + "<", "the lines here have 36 and 37 characters."),
    (corrupt(TD1, 3, 30, ""), "Three lines are read as TD1 (identity cards), whose lines "
                              "have 30 characters each; the lines here have 30, 30 and 29 "
                              "characters."),
    ("P<UTOERIKSSON", "A machine-readable zone has 3 lines of 30 characters (TD1), 2 lines "
                      "of 36 (TD2) or 2 lines of 44 (TD3); this text has 1 line, of 13 "
                      "characters."),
    (TD1 + "\n" + TD2.split("\n")[0], "this text has 4 lines, of 30, 30, 30 and 36 "
                                      "characters."),
    (corrupt(TD3, 1, 6, "É"), "Line 1 holds characters a machine-readable zone cannot: É. "
                              "It has only capital letters A–Z, digits and <."),
    (corrupt(TD3, 2, 1, "-"), "Line 2 holds characters a machine-readable zone cannot: -."),
])
def test_it_refuses_text_without_the_shape_of_a_zone(text, message):
    with pytest.raises(mrz.UnreadableMrz) as refused:
        parse(text)
    assert message in refused.value.message


def test_it_reads_the_dates_two_digit_years():
    # Births: the latest century that is not in the future; expiries: this century.
    assert mrz.birth_date("740812", TODAY) == datetime.date(1974, 8, 12)
    assert mrz.birth_date("150101", TODAY) == datetime.date(2015, 1, 1)
    assert mrz.birth_date("260302", TODAY) == datetime.date(2026, 3, 2)
    assert mrz.birth_date("260303", TODAY) == datetime.date(1926, 3, 3)
    assert mrz.birth_date("<<<<<<", TODAY) is None
    assert mrz.expiry_date("350101") == datetime.date(2035, 1, 1)
    assert mrz.expiry_date("991231") == datetime.date(2099, 12, 31)
    with pytest.raises(ValueError):
        mrz.birth_date("741312", TODAY)


def test_it_names_an_impossible_date():
    # A 38th month: not a date, and its check digit fails too.
    parsed = parse(corrupt(TD3, 2, 16, "3"))
    assert parsed.birth_date is None
    assert "birth_date" in codes(parsed)
    assert "The date of birth, 743812, is not a date (YYMMDD)." in [
        e.message for e in parsed.errors]


def test_it_maps_icao_country_codes_to_iso_ones():
    # The issuing state and the nationality are in no check digit.
    german = corrupt(corrupt(TD3, 1, 3, "D"), 1, 4, "<")
    german = corrupt(corrupt(german, 1, 5, "<"), 2, 11, "D")
    german = corrupt(corrupt(german, 2, 12, "<"), 2, 13, "<")
    parsed = parse(german)
    assert (parsed.issuing_state, parsed.issuing_country, parsed.nationality) == (
        "D", "DEU", "D")
    assert parsed.valid and len(parsed.notes) == 1  # only the expiry
    iraqi = corrupt(corrupt(corrupt(TD3, 1, 3, "I"), 1, 4, "R"), 1, 5, "Q")
    assert parse(iraqi).issuing_country == "IRQ"


def test_it_names_unknown_country_codes():
    parsed = parse(corrupt(corrupt(TD3, 1, 3, "Z"), 2, 11, "Q"))
    assert codes(parsed) == ["issuing_state", "nationality"]
    assert parsed.errors[0].message == ("The issuing state, ZTO, is not a country code of "
                                        "ICAO 9303.")
    assert parsed.errors[1].message == ("The nationality, QTO, is not a country code of "
                                        "ICAO 9303.")


def test_it_lets_the_user_choose_the_kind_of_other_documents():
    parsed = parse(corrupt(TD3, 1, 1, "V"))
    assert parsed.kind is None and parsed.document_code == "V"
    assert ("The document code V is neither a passport (P) nor an identity card (I, A, C): "
            "choose the kind of document.") in parsed.notes
    assert parse(corrupt(TD1, 1, 1, "A")).kind == "national_id"


def test_it_reads_an_unspecified_sex_and_refuses_a_wrong_one():
    assert parse(corrupt(TD3, 2, 21, "<")).sex == ""
    assert parse(corrupt(TD3, 2, 21, "X")).sex == "X"
    parsed = parse(corrupt(TD3, 2, 21, "Q"))
    assert codes(parsed) == ["sex"]


def _td1_with_long_number(number: str, check: str | None = None) -> str:
    """A TD1 zone whose document number runs on into the optional data (ICAO 9303-5:
    < in the check digit's place, then the rest of the number and its check digit)."""
    check = check or hash_string(number)
    optional = (number[9:] + check).ljust(15, "<")
    line1 = f"I<UTO{number[:9]}<{optional}"
    line2_head = "7408122F1204159UTO"
    optional_2 = "<" * 11
    composite = hash_string(line1[5:30] + line2_head[0:7] + line2_head[8:15] + optional_2)
    return "\n".join([line1, line2_head + optional_2 + composite,
                      "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"])


def test_it_reads_a_long_document_number():
    parsed = parse(_td1_with_long_number("D23145890123"))
    assert parsed.number == "D23145890123" and parsed.valid
    wrong = "0" if hash_string("D23145890123") != "0" else "1"
    parsed = parse(_td1_with_long_number("D23145890123", check=wrong))
    assert "document_number_check" in codes(parsed)


def test_it_tells_where_the_zone_differs_from_the_registration():
    parsed = parse(TD3)
    person = Person(given_name="Anna Maria", family_name="Eriksson",
                    date_of_birth=datetime.date(1974, 8, 12), nationality="")
    assert mrz.differences(parsed, person) == []
    person = Person(given_name="Anna", family_name="Ericsson",
                    date_of_birth=datetime.date(1974, 8, 21), nationality="SWE")
    assert mrz.differences(parsed, person) == [
        "The name in the zone, ERIKSSON, ANNA MARIA, differs from the registered name, Anna "
        "Ericsson. Check which one is right.",
        "The date of birth in the zone, 08/12/1974, differs from the registered one, "
        "08/21/1974.",
    ]
    german = corrupt(corrupt(corrupt(TD3, 2, 11, "D"), 2, 12, "<"), 2, 13, "<")
    assert mrz.differences(parse(german), person)[-1] == (
        "The nationality in the zone, DEU, differs from the registered one, SWE.")
