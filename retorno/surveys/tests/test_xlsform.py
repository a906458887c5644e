"""The XLSForm export converts cleanly with the standard converter (pyxform) and carries
the survey key, never a name."""

import io
import re

import pytest
from openpyxl import load_workbook
from pyxform.xls2xform import convert

from retorno.surveys import xlsform
from retorno.surveys.services import KEY_PATTERN, survey_key_for
from retorno.surveys.tests.builders import arrived_case, install_default_instruments

pytestmark = pytest.mark.django_db


@pytest.fixture
def versions(db):
    return install_default_instruments()


@pytest.mark.parametrize("code", ["sustainability", "satisfaction"])
def test_converts_without_warnings_and_has_every_question(versions, code):
    version = versions[code]
    warnings: list[str] = []
    result = convert(xlsform=xlsform.build(version), warnings=warnings, file_type=".xlsx")
    assert warnings == [] and result.warnings == []
    xml = result.xform
    assert f'id="retorno_{code}_v1"' in xml
    assert 'version="1"' in xml
    for question in version.definition["questions"]:
        assert f"/{question['name']}" in xml, question["name"]
    assert 'nodeset="/data/survey_key"' in xml or "/survey_key" in xml
    assert "required=\"true()\"" in xml
    assert "Reintegration sustainability survey" in xml or code == "satisfaction"
    # Both languages, and the coded option names as the values.
    assert 'lang="English (en)"' in xml and 'lang="French (fr)"' in xml
    assert "Très satisfait" in xml or code == "satisfaction" and "Entièrement" in xml


def test_sheets_settings_and_key_constraint(versions):
    version = versions["sustainability"]
    book = load_workbook(io.BytesIO(xlsform.build(version)))
    assert book.sheetnames == ["survey", "choices", "settings"]
    survey = list(book["survey"].iter_rows(values_only=True))
    header = survey[0]
    assert "label::English (en)" in header and "label::French (fr)" in header
    first = dict(zip(header, survey[1], strict=False))
    assert (first["type"], first["name"], first["required"]) == ("text", "survey_key", "yes")
    assert KEY_PATTERN in first["constraint"]
    assert dict(zip(header, survey[2], strict=False))["name"] == "collected_on"
    settings = list(book["settings"].iter_rows(values_only=True))
    values = dict(zip(settings[0], settings[1], strict=False))
    assert values["form_id"] == "retorno_sustainability_v1"
    assert values["version"] == "1"
    choices = list(book["choices"].iter_rows(values_only=True))
    assert ("e1_satisfaction", "very_satisfied") in {(r[0], r[1]) for r in choices}


def test_carries_no_case_data(world, versions):
    case = arrived_case(world)
    key = survey_key_for(case).key
    content = xlsform.build(versions["sustainability"])
    book = load_workbook(io.BytesIO(content))
    cells = " ".join(str(c) for sheet in book for row in sheet.iter_rows(values_only=True)
                     for c in row if c is not None)
    person = case.principal.person
    for secret in (key, case.reference, person.given_name, person.family_name):
        assert secret and secret not in cells
    assert re.search(r"regex\(\., '\^", cells)
