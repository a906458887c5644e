"""Importing submissions exported from KoboToolbox and ODK Central: matched by survey key,
scored, idempotent, every rejected row with its reason."""

import datetime
import io
import json
from pathlib import Path

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from retorno.lib.errors import Invalid, NotAllowed
from retorno.privacy.models import AuditEvent, AuditType
from retorno.surveys.models import Round, Source, SurveyResponse
from retorno.surveys.services import import_submissions, survey_key_for
from retorno.surveys.submissions import parse
from retorno.surveys.tests.builders import arrived_case, install_default_instruments
from retorno.testing.personas import open_case

DATA = Path(__file__).resolve().parent / "data"
TODAY = datetime.date(2026, 12, 1)
ARRIVED = datetime.date(2026, 11, 2)


@pytest.fixture
def clock():
    noon = datetime.datetime.combine(TODAY, datetime.time(12),
                                     tzinfo=datetime.timezone(datetime.timedelta(hours=1)))
    with time_machine.travel(noon, tick=False):
        yield


@pytest.fixture
def setup(world, clock):
    versions = install_default_instruments()
    one = arrived_case(world, arrived_on=ARRIVED)
    two = arrived_case(world, arrived_on=ARRIVED)
    keys = {"@KEY1@": survey_key_for(one).key, "@KEY2@": survey_key_for(two).key}
    return versions, one, two, keys


def upload(name: str, keys: dict[str, str]) -> SimpleUploadedFile:
    content = (DATA / name).read_text(encoding="utf-8")
    for placeholder, key in keys.items():
        content = content.replace(placeholder, key)
    return SimpleUploadedFile(name, content.encode("utf-8"))


def reasons(report) -> dict[int, str]:
    return dict(report.rejected)


def test_kobo_csv_with_semicolons_scores_and_rejects(world, setup):
    versions, one, two, keys = setup
    report = import_submissions(actor=world.emil, version=versions["sustainability"],
                                upload=upload("kobo-sustainability.csv", keys))
    assert (report.created, report.unchanged) == (2, 0)
    rejected = reasons(report)
    assert sorted(rejected) == [4, 5, 6, 7, 8]  # CSV lines: the header is line 1
    assert rejected[4] == "Unknown survey key “XXXX-YYYY”."
    assert "“maybe” is not an answer option of question “e3_work”" in rejected[5]
    assert "date of the interview (collected_on) is missing" in rejected[6]
    assert "same submission as row 2" in rejected[7]
    assert "version 2 of the form" in rejected[8]

    first = SurveyResponse.objects.get(case=one)
    # economic: 0.2 × (0.75 + 0.5 + 0.5 + mean(0.75, 0.67) + 1) = 0.692
    # social: S2 not applicable is missing; (0.5 + mean(1, 0.5) + 1 + 0.5) / 4 = 0.6875
    # psychosocial: 0.2 × (0.5 + 1 + 1 + 0.67 + mean(0.25, 0.5)) = 0.709
    # composite: 0.3333 × 0.692 + 0.3333 × 0.6875 + 0.3334 × 0.709 = 0.69617
    assert first.breakdown["dimensions"]["economic"]["score"] == 0.692
    assert first.breakdown["dimensions"]["social"] == {"score": 0.6875, "coverage": 0.8,
                                                       "weight": 0.3333}
    assert first.breakdown["dimensions"]["psychosocial"]["score"] == 0.709
    assert first.composite == 0.6962
    assert first.breakdown["missing"] == ["S2"]
    assert first.source == Source.KOBO
    assert first.submission_id == "3f1c2a9e-7b1d-4c55-9a8e-1d2f4b6c8a01"
    assert first.collected_on == datetime.date(2026, 11, 20)
    assert first.months_since_return == 0
    assert first.round == Round.BASELINE
    assert first.answers["household_size"] == "5"
    assert SurveyResponse.objects.get(case=two).composite == 1.0


def test_importing_the_same_file_twice_changes_nothing(world, setup):
    versions, one, two, keys = setup
    version = versions["sustainability"]
    import_submissions(actor=world.emil, version=version,
                       upload=upload("kobo-sustainability.csv", keys))
    rows = list(SurveyResponse.objects.order_by("pk").values())
    events = AuditEvent.objects.count()
    timeline = one.timeline.count()
    again = import_submissions(actor=world.rita, version=version,
                               upload=upload("kobo-sustainability.csv", keys))
    assert (again.created, again.unchanged) == (0, 2)
    assert len(again.rejected) == 5
    assert list(SurveyResponse.objects.order_by("pk").values()) == rows
    assert AuditEvent.objects.count() == events
    assert one.timeline.count() == timeline


def test_import_is_audited_once_per_import_that_creates(world, setup):
    versions, one, two, keys = setup
    import_submissions(actor=world.emil, version=versions["sustainability"],
                       upload=upload("kobo-sustainability.csv", keys))
    event = AuditEvent.objects.get(event_type=AuditType.SURVEY_SUBMISSIONS_IMPORTED)
    assert event.extra["created"] == 2 and event.extra["rejected"] == 5
    assert event.office_id == world.baghdad.pk
    assert AuditEvent.objects.filter(event_type=AuditType.SURVEY_RESPONSE_RECORDED).count() == 2


def test_kobo_json_with_groups(world, setup):
    versions, one, two, keys = setup
    report = import_submissions(actor=world.emil, version=versions["satisfaction"],
                                upload=upload("kobo-satisfaction.json", keys))
    assert (report.created, report.unchanged) == (2, 0)
    assert report.rejected == [(3, "No survey key.")]
    first = SurveyResponse.objects.get(case=one)
    # information: (0.75 + 1) / 2 = 0.875; travel: (1 + 0.75) / 2 = 0.875;
    # reintegration: r2 "don't know", r1 alone (coverage 0.5, enough) = 0.5;
    # composite: 0.3333 × 0.875 + 0.3333 × 0.875 + 0.3334 × 0.5 = 0.749975 -> 0.75
    scores = {c: d["score"] for c, d in first.breakdown["dimensions"].items()}
    assert scores == {"information": 0.875, "travel": 0.875, "reintegration": 0.5}
    assert first.breakdown["dimensions"]["reintegration"]["coverage"] == 0.5
    assert first.composite == 0.75
    assert first.round == Round.SINGLE
    assert first.answers["comments"] == "The reception at the airport was slow."
    assert SurveyResponse.objects.get(case=two).composite == 0.0


def test_odk_central_csv(world, setup):
    versions, one, two, keys = setup
    report = import_submissions(actor=world.rita, version=versions["sustainability"],
                                upload=upload("odk-central-sustainability.csv", keys))
    assert (report.created, report.unchanged, report.rejected) == (2, 0, [])
    partial = SurveyResponse.objects.get(case=one)
    assert partial.source == Source.ODK_CENTRAL
    assert partial.submission_id == "7d1e2f3a-0001-4a5b-8c9d-aabbccddee01"
    dims = partial.breakdown["dimensions"]
    # Economic: only E1 answered (weight 0.2 of 1, below 0.5): no score, and no composite.
    assert dims["economic"] == {"score": None, "coverage": 0.2, "weight": 0.3333}
    assert dims["social"]["score"] == 1.0
    # psychosocial: 0.2 × (0.75 + 1 + 1 + 1 + mean(0.75, 1)) = 0.925
    assert dims["psychosocial"]["score"] == 0.925
    assert partial.composite is None
    assert partial.breakdown["indicators"]["E1"]["value"] == 0.25
    assert sorted(partial.breakdown["missing"]) == ["E2", "E3", "E4", "E5"]
    assert SurveyResponse.objects.get(case=two).composite == 0.0


def test_odk_central_odata_json(world, setup):
    versions, one, two, keys = setup
    version = versions["satisfaction"]
    body = {"@odata.context": "https://central.example/v1/projects/1/forms/x.svc/$metadata",
            "value": [{"__id": "uuid:aa11", "survey_key": keys["@KEY1@"],
                       "collected_on": "2026-11-28",
                       "information": {"i1_information": "very_satisfied",
                                       "i2_respect": "yes"},
                       "travel": {"t1_journey": "very_satisfied",
                                  "t2_reception": "very_satisfied"},
                       "reintegration": {"r1_needs": "fully", "r2_time": "yes"},
                       "meta": {"instanceID": "uuid:aa11"},
                       "__system": {"submissionDate": "2026-11-28T10:00:00.000Z",
                                    "formVersion": "1", "reviewState": None}}]}
    report = import_submissions(actor=world.emil, version=version,
                                upload=io.BytesIO(json.dumps(body).encode()), fmt="json")
    assert (report.created, report.rejected) == (1, [])
    response = SurveyResponse.objects.get(case=one)
    assert response.composite == 1.0
    assert response.source == Source.ODK_CENTRAL
    assert response.submission_id == "aa11"


def test_a_key_of_a_case_the_importer_may_not_record_on_is_unknown(world, setup):
    versions, one, two, keys = setup
    not_arrived = open_case(world)
    hidden = survey_key_for(not_arrived).key
    content = ("survey_key,collected_on,e1_satisfaction,_uuid\n"
               f"{hidden},2026-11-20,satisfied,u-1\n")
    report = import_submissions(actor=world.emil, version=versions["sustainability"],
                                upload=io.BytesIO(content.encode()), fmt="csv")
    assert report.rejected == [(2, f"Unknown survey key “{hidden}”.")]
    assert not SurveyResponse.objects.exists()


def test_whole_file_refusals(world, setup):
    versions, *_rest = setup
    version = versions["sustainability"]
    with pytest.raises(Invalid, match="no “survey_key” column"):
        import_submissions(actor=world.emil, version=version,
                           upload=io.BytesIO(b"name,age\nAli,30\n"), fmt="csv")
    with pytest.raises(Invalid, match="not valid JSON"):
        import_submissions(actor=world.emil, version=version,
                           upload=io.BytesIO(b"{nope"), fmt="json")
    with pytest.raises(NotAllowed):
        import_submissions(actor=world.carla, version=version,
                           upload=io.BytesIO(b"survey_key\n"), fmt="csv")


def test_parse_reads_group_paths_and_ignores_metadata():
    from retorno.surveys.tests.small import small

    content = ("SubmissionDate,survey_key,collected_on,grp-qa1,grp-sub-qb2,deviceid,KEY\n"
               "2026-11-01,abcd-efgh,2026-11-01,yes,no,x,uuid:1\n")
    parsed = parse(content, small(), version_number=1)
    assert parsed.source == Source.ODK_CENTRAL
    [row] = parsed.rows
    assert row.key == "ABCD-EFGH" and row.submission_id == "1"
    assert row.answers == {"qa1": "yes", "qb2": "no"}
    assert row.collected_on == datetime.date(2026, 11, 1)
