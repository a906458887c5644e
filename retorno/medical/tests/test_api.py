import json

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from retorno.medical.models import FitnessAssessment
from retorno.medical.tests.builders import DETAIL, record
from retorno.privacy.models import AuditEvent, AuditType
from retorno.testing.personas import open_case

pytestmark = pytest.mark.django_db


def body(case, **overrides):
    return {"person_id": case.principal.person_id, "outcome": "fit",
            "special_needs": ["oxygen", "other"], "special_needs_other": "Oxygen on board",
            "assessed_on": "2026-03-02", "detail": "COPD; salbutamol inhaler.", **overrides}


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def list_url(case) -> str:
    return reverse("api:case_fitness", args=[case.reference])


def detail_url(case, assessment_id) -> str:
    return reverse("api:case_fitness_assessment", args=[case.reference, assessment_id])


def test_it_records_an_assessment_as_the_medical_officer(world):
    case = open_case(world)
    response = api(world.mona).post(list_url(case), body(case), format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["outcome"] == "fit" and data["escort_required"] is False
    assert data["detail"] == "COPD; salbutamol inhaler." and data["assessed_by"] == "mona"
    assert data["current"] is True and data["version"] == 1
    assert FitnessAssessment.objects.get(pk=data["id"]).case == case
    event = AuditEvent.objects.get(event_type=AuditType.FITNESS_RECORDED)
    assert "salbutamol" not in json.dumps(event.extra)


def test_it_refuses_bad_input_unknown_fields_and_strangers(world):
    case = open_case(world)
    client = api(world.mona)
    response = client.post(list_url(case), body(case, outcome="maybe",
                                                special_needs=["x"]), format="json")
    assert response.status_code == 400 and set(response.json()) == {"outcome",
                                                                     "special_needs"}
    response = client.post(list_url(case), body(case, assessed_by="carla"), format="json")
    assert response.status_code == 400 and set(response.json()) == {"assessed_by"}
    stranger = open_case(world).principal.person_id
    response = client.post(list_url(case), body(case, person_id=stranger), format="json")
    assert response.status_code == 400 and set(response.json()) == {"person_id"}
    response = client.post(list_url(case), body(case, special_needs=[]), format="json")
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"special_needs_other"}
    assert not FitnessAssessment.objects.exists()


def test_it_shows_the_outcome_but_not_the_detail_to_other_roles(world):
    case = open_case(world)
    assessment = record(case, world.mona)
    for persona in ("carla", "max", "sam", "dana"):
        response = api(world.users[persona]).get(list_url(case))
        assert response.status_code == 200
        rows = response.json()
        assert [r["id"] for r in rows] == [assessment.pk], persona
        assert rows[0]["outcome"] == "fit_with_escort" and rows[0]["escort_required"]
        assert "detail" not in rows[0], persona
        assert "metformin" not in response.content.decode(), persona
    assert api(world.mona).get(list_url(case)).json()[0]["detail"] == DETAIL


def test_it_marks_the_current_assessment_and_keeps_history(world):
    case = open_case(world)
    older = record(case, world.mona, outcome="pending", assessed_on="2026-02-01")
    newer = record(case, world.mona)
    rows = api(world.carla).get(list_url(case)).json()
    assert [(r["id"], r["current"]) for r in rows] == [(newer.pk, True), (older.pk, False)]


def test_it_patches_with_the_version_and_answers_409_when_stale(world):
    case = open_case(world)
    assessment = record(case, world.mona)
    client = api(world.mona)
    url = detail_url(case, assessment.pk)
    response = client.patch(url, {"outcome": "unfit", "version": 1}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["version"] == 2 and response.json()["detail"] == DETAIL
    response = client.patch(url, {"outcome": "fit", "version": 1}, format="json")
    assert response.status_code == 409
    assert FitnessAssessment.objects.get(pk=assessment.pk).outcome == "unfit"
    response = client.patch(url, {"outcome": "fit"}, format="json")
    assert response.status_code == 400 and "version" in response.json()


def test_it_refuses_other_roles_and_hides_the_case_from_outsiders(world):
    case = open_case(world)
    assessment = record(case, world.mona)
    for persona in ("carla", "sam", "max"):
        client = api(world.users[persona])
        assert client.post(list_url(case), body(case), format="json").status_code == 403
        assert client.patch(detail_url(case, assessment.pk), {"detail": "x", "version": 1},
                            format="json").status_code == 403
    for persona in ("otto", "paul"):
        client = api(world.users[persona])
        assert client.get(list_url(case)).status_code == 404
        assert client.post(list_url(case), body(case), format="json").status_code == 404
        assert client.patch(detail_url(case, assessment.pk), {"detail": "x", "version": 1},
                            format="json").status_code == 404
    assert FitnessAssessment.objects.get().detail == DETAIL
