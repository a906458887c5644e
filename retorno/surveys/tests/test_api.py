"""Survey responses, their scores and the instruments through the REST API."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from retorno.surveys.models import Round, Source, SurveyResponse
from retorno.surveys.tests.builders import (
    answers_for,
    arrived_case,
    install_default_instruments,
    respond,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def versions(db):
    return install_default_instruments()


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _list(case) -> str:
    return reverse("api:case_survey_responses", args=[case.reference])


def _body(version, **changes):
    body = {"instrument": version.instrument.code, "answers": answers_for(version, "best"),
            "collected_on": timezone.localdate().isoformat(), "client_key": "api-1"}
    body.update(changes)
    return body


def test_it_records_a_response_once_and_lists_it_with_its_scores(world, versions):
    case = arrived_case(world, arrived_on=timezone.localdate() - datetime.timedelta(days=65))
    version = versions["sustainability"]
    emil = api(world.emil)
    principal = case.members.get(relationship="principal")
    created = emil.post(_list(case), _body(version, respondent=principal.person_id),
                        format="json")
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["round"] == Round.BASELINE and data["source"] == Source.API
    assert data["composite"] == 1.0 and data["months_since_return"] == 2
    assert data["respondent"] == principal.person_id and data["case"] == case.reference
    assert data["breakdown"]["indicators"]["E1"] == {
        "dimension": "economic", "value": 1.0, "weight": 0.2, "contribution": 0.0667}
    again = emil.post(_list(case), _body(version, answers=answers_for(version, "worst")),
                      format="json")
    assert again.status_code == 200 and again.json()["id"] == data["id"]
    assert again.json()["composite"] == 1.0
    assert SurveyResponse.objects.filter(case=case).count() == 1
    listed = api(world.carla).get(_list(case))
    assert listed.status_code == 200
    assert [(r["id"], r["composite"], r["dimensions"]) for r in listed.json()] == [
        (data["id"], 1.0, {"economic": 1.0, "social": 1.0, "psychosocial": 1.0})]


def test_a_response_by_id_has_the_whole_breakdown(world, versions):
    case = arrived_case(world)
    version = versions["sustainability"]
    response = respond(world, case, version, "best", e5_assets="dont_know")
    got = api(world.carla).get(reverse("api:survey_response", args=[response.pk]))
    assert got.status_code == 200
    data = got.json()
    assert data["breakdown"]["missing"] == ["E5"]
    assert data["breakdown"]["indicators"]["E5"]["value"] is None
    assert data["breakdown"]["dimensions"]["economic"]["coverage"] == 0.8
    assert data["weights_provisional"] is True
    assert data["answers"]["e5_assets"] == "dont_know"


def test_bad_input_gets_specific_messages_and_records_nothing(world, versions):
    case = arrived_case(world)
    version = versions["sustainability"]
    emil = api(world.emil)
    unknown = emil.post(_list(case), _body(version, answers={"e1_satisfaction": "rich",
                                                             "nonsense": "1"}),
                        format="json")
    assert unknown.status_code == 400
    errors = unknown.json()["errors"]
    assert any("“rich” is not an answer option of question “e1_satisfaction”" in e
               for e in errors)
    assert any("“nonsense” is not a question of this survey" in e for e in errors)
    both = emil.post(_list(case), _body(version, version_id=version.pk), format="json")
    assert both.status_code == 400 and "not both" in both.json()["instrument"][0]
    no_such = emil.post(_list(case), _body(version, instrument="no-such"), format="json")
    assert no_such.status_code == 400 and "no-such" in no_such.json()["detail"]
    stranger = emil.post(_list(case), _body(version, respondent=world.carla.pk + 10_000),
                         format="json")
    assert stranger.status_code == 400 and "is not a member of case" in stranger.json()[
        "detail"]
    future = (timezone.localdate() + datetime.timedelta(days=2)).isoformat()
    late = emil.post(_list(case), _body(version, collected_on=future), format="json")
    assert late.status_code == 400 and "in the future" in late.json()["detail"]
    extra = emil.post(_list(case), _body(version, composite=1), format="json")
    assert extra.status_code == 400 and "composite" in extra.json()
    missing = emil.post(_list(case), {"instrument": "sustainability"}, format="json")
    assert missing.status_code == 400
    assert {"answers", "collected_on", "client_key"} <= set(missing.json())
    assert not SurveyResponse.objects.exists()


def test_a_version_can_be_named_by_id(world, versions):
    case = arrived_case(world)
    version = versions["satisfaction"]
    body = _body(version, version_id=version.pk)
    del body["instrument"]
    created = api(world.rita).post(_list(case), body, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["round"] == Round.SINGLE
    assert created.json()["instrument"] == "satisfaction"


def test_readers_may_not_record_and_outsiders_see_nothing(world, versions):
    case = arrived_case(world)
    version = versions["sustainability"]
    response = respond(world, case, version, "best")
    carla = api(world.carla)
    refused = carla.post(_list(case), _body(version), format="json")
    assert refused.status_code == 403
    assert "may record surveys" in refused.json()["detail"]
    otto = api(world.otto)
    assert otto.get(_list(case)).status_code == 404
    assert otto.post(_list(case), _body(version), format="json").status_code == 404
    assert otto.get(reverse("api:survey_response", args=[response.pk])).status_code == 404
    assert api(world.emil).get(reverse("api:survey_response",
                                       args=[response.pk + 100])).status_code == 404
    assert api(world.paul).get(_list(case)).status_code == 404
    assert SurveyResponse.objects.count() == 1


def test_the_instruments_with_their_versions_and_definitions(world, versions):
    got = api(world.emil).get(reverse("api:survey_instruments"))
    assert got.status_code == 200
    by_code = {i["code"]: i for i in got.json()}
    assert set(by_code) == {"sustainability", "satisfaction"}
    version = by_code["sustainability"]["versions"][0]
    assert version["number"] == 1 and version["weights_provisional"] is True
    assert len(version["definition"]["indicators"]) == 15
    assert api(world.pia).get(reverse("api:survey_instruments")).status_code == 200
    assert api(world.carla).get(reverse("api:survey_instruments")).status_code == 403
    assert api(world.paul).get(reverse("api:survey_instruments")).status_code == 403
