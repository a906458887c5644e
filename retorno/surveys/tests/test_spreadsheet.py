"""A version's spreadsheet reads back as the same definition; loading a new version from
one; every problem of a bad one named."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from retorno.lib.errors import Invalid, NotAllowed
from retorno.privacy.models import AuditEvent, AuditType
from retorno.surveys import spreadsheet
from retorno.surveys.models import InstrumentVersion
from retorno.surveys.services import load_version
from retorno.surveys.tests.builders import (
    arrived_case,
    install_default_instruments,
    respond,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def versions(db):
    return install_default_instruments()


def as_upload(book, name: str = "official.xlsx") -> SimpleUploadedFile:
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile(name, out.getvalue())


@pytest.mark.parametrize("code", ["sustainability", "satisfaction"])
def test_round_trip(versions, code):
    version = versions[code]
    definition, problems = spreadsheet.read_definition(spreadsheet.build(version))
    assert problems == []
    assert definition.pop("instrument") == code
    assert definition == version.definition


def test_install_is_idempotent(versions):
    again = install_default_instruments()
    assert {v.pk for v in again.values()} == {v.pk for v in versions.values()}
    assert InstrumentVersion.objects.count() == 2


def test_load_official_weights_as_a_new_version_old_responses_keep_theirs(world, versions):
    version = versions["sustainability"]
    case = arrived_case(world)
    old = respond(world, case, version, "best", submission_id="old")
    book = load_workbook(io.BytesIO(spreadsheet.build(version)))
    settings = book["settings"]
    for row in settings.iter_rows(min_row=2):
        if row[0].value == "weights_status":
            row[1].value = "official"
    dims = book["dimensions"]
    weights = {"economic": 0.5, "social": 0.25, "psychosocial": 0.25}
    for row in dims.iter_rows(min_row=2):
        row[3].value = weights[row[0].value]
    new = load_version(actor=world.emil, instrument_code="sustainability",
                       upload=as_upload(book))
    assert new.number == 2 and not new.weights_provisional
    assert new.instrument.current == new
    assert new.source_name == "official.xlsx" and new.loaded_by == world.emil
    assert [d["weight"] for d in new.definition["dimensions"]] == [0.5, 0.25, 0.25]
    old.refresh_from_db()
    assert old.version_id == version.pk and old.composite == 1.0
    version.refresh_from_db()
    assert version.definition["dimensions"][0]["weight"] == 0.3333
    event = AuditEvent.objects.filter(event_type=AuditType.SURVEY_VERSION_LOADED).first()
    assert event.target_id == new.pk and event.extra["number"] == 2
    # A response with the new version is scored with its weights.
    mixed = respond(world, case, new, "best", submission_id="new",
                    e1_satisfaction="very_dissatisfied")
    # economic = 0.2 × (0 + 1 + 1 + 1 + 1) = 0.8; composite = 0.5 × 0.8 + 0.25 + 0.25 = 0.9
    assert mixed.composite == 0.9


def test_bad_spreadsheet_lists_every_problem(world, versions):
    book = load_workbook(io.BytesIO(spreadsheet.build(versions["sustainability"])))
    book["options"]["E2"].value = "lots"       # a value that is not a number
    book["indicators"]["E2"].value = 0.5       # E1 now weighs 0.5: the economic sum is 1.3
    book["questions"]["A5"].value = "e1 satisfaction"  # not a valid name
    with pytest.raises(Invalid) as caught:
        load_version(actor=world.emil, instrument_code="sustainability",
                     upload=as_upload(book))
    text = " | ".join(caught.value.messages)
    assert "Sheet “options”, row 2: “lots” in column “value” is not a number." in text
    assert "indicators of dimension “economic” add up to 1.3, not 1." in text
    assert "“e1 satisfaction” is not a valid name" in text
    assert InstrumentVersion.objects.count() == 2


def test_not_a_spreadsheet_or_another_instrument(world, versions):
    with pytest.raises(Invalid, match="not an Excel spreadsheet"):
        load_version(actor=world.emil, instrument_code="sustainability",
                     upload=SimpleUploadedFile("x.xlsx", b"PK\x03\x04 nonsense"))
    with pytest.raises(Invalid, match="not of “satisfaction”"):
        load_version(actor=world.emil, instrument_code="satisfaction",
                     upload=SimpleUploadedFile(
                         "s.xlsx", spreadsheet.build(versions["sustainability"])))
    with pytest.raises(Invalid, match="no sheet “options”"):
        book = load_workbook(io.BytesIO(spreadsheet.build(versions["satisfaction"])))
        del book["options"]
        load_version(actor=world.emil, instrument_code="satisfaction", upload=as_upload(book))


@pytest.mark.parametrize("who", ["rita", "carla", "sam"])
def test_only_managers_load(world, versions, who):
    with pytest.raises(NotAllowed):
        load_version(actor=world.users[who], instrument_code="sustainability",
                     upload=SimpleUploadedFile(
                         "s.xlsx", spreadsheet.build(versions["sustainability"])))


def test_pia_may_load(world, versions):
    new = load_version(actor=world.pia, instrument_code="satisfaction",
                       upload=SimpleUploadedFile(
                           "s.xlsx", spreadsheet.build(versions["satisfaction"])))
    assert new.number == 2 and new.weights_provisional


def test_install_command(db):
    from django.core.management import call_command

    out = io.StringIO()
    call_command("install_survey_instruments", stdout=out)
    call_command("install_survey_instruments", stdout=out)
    assert InstrumentVersion.objects.count() == 2
    assert "sustainability v1" in out.getvalue()
