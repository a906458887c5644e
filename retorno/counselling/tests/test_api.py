import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from retorno.counselling.models import CounsellingSession
from retorno.counselling.tests.builders import record
from retorno.privacy.models import AuditEvent, AuditType
from retorno.testing.personas import open_case

pytestmark = pytest.mark.django_db

BODY = {"date": "2026-03-02", "mode": "video", "language": "kmr",
        "topics": ["reintegration", "stay_legally"], "position": "wants_alternative",
        "notes": "Asked about family reunification."}


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def list_url(case) -> str:
    return reverse("api:case_counselling", args=[case.reference])


def detail_url(case, session) -> str:
    return reverse("api:case_counselling_session", args=[case.reference, session.pk])


def test_it_creates_a_session(world):
    case = open_case(world)
    response = api(world.carla).post(list_url(case), BODY, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["mode"] == "video" and data["version"] == 1
    assert data["notes"] == BODY["notes"] and data["recorded_by"] == "carla"
    assert CounsellingSession.objects.get(pk=data["id"]).case == case
    assert AuditEvent.objects.filter(event_type=AuditType.COUNSELLING_RECORDED).exists()


def test_it_refuses_bad_input_and_unknown_fields(world):
    case = open_case(world)
    client = api(world.carla)
    response = client.post(list_url(case), {**BODY, "language": "xxq", "topics": ["x"]},
                           format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"language", "topics"}
    response = client.post(list_url(case), {**BODY, "status": "closed"}, format="json")
    assert response.status_code == 400 and set(response.json()) == {"status"}
    assert not CounsellingSession.objects.exists()


def test_it_patches_with_the_version_and_answers_409_when_stale(world):
    case = open_case(world)
    session = record(case, world.carla)
    client = api(world.sam)
    response = client.patch(detail_url(case, session), {"position": "wishes_to_return",
                                                        "version": 1}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["version"] == 2
    response = client.patch(detail_url(case, session), {"position": "not_interested",
                                                        "version": 1}, format="json")
    assert response.status_code == 409
    assert CounsellingSession.objects.get(pk=session.pk).position == "wishes_to_return"
    response = client.patch(detail_url(case, session), {"position": "not_interested"},
                            format="json")
    assert response.status_code == 400 and "version" in response.json()


def test_it_leaves_the_notes_out_for_roles_outside_the_case_team(world):
    case = open_case(world)
    session = record(case, world.carla)
    rows = api(world.max).get(list_url(case)).json()
    assert [r["id"] for r in rows] == [session.pk]
    assert "notes" not in rows[0] and rows[0]["position"] == "undecided"
    assert api(world.carla).get(list_url(case)).json()[0]["notes"] == session.notes


def test_it_refuses_other_roles_and_hides_the_case_from_outsiders(world):
    case = open_case(world)
    session = record(case, world.carla)
    assert api(world.max).post(list_url(case), BODY, format="json").status_code == 403
    assert api(world.max).patch(detail_url(case, session), {"notes": "x", "version": 1},
                                format="json").status_code == 403
    for persona in ("otto", "paul"):
        client = api(world.users[persona])
        assert client.get(list_url(case)).status_code == 404
        assert client.post(list_url(case), BODY, format="json").status_code == 404
        assert client.patch(detail_url(case, session), {"notes": "x", "version": 1},
                            format="json").status_code == 404
    assert CounsellingSession.objects.count() == 1
