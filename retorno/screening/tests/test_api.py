import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from retorno.cases.models import CaseMember
from retorno.privacy.models import AuditEvent, AuditType
from retorno.screening.models import Screening
from retorno.screening.tests.builders import answers, screen
from retorno.testing.personas import open_case

pytestmark = pytest.mark.django_db

DETAIL = {"answers", "flags", "proposals", "notes"}


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def url(case) -> str:
    return reverse("api:case_screenings", args=[case.reference])


def body(case, *yes, **overrides):
    return {"person_id": case.principal.person_id, "screened_on": "2026-03-02",
            "answers": answers(*yes), "notes": "Observed.", **overrides}


def test_it_records_a_screening(world):
    case = open_case(world)
    response = api(world.carla).post(url(case), body(case, "psychological_distress"),
                                     format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["flags"] == ["mental_health"] and data["screened_by"] == "carla"
    assert data["proposals"][0]["flag"] == "mental_health"
    assert data["proposals"][0]["kind"] == "referral"
    assert "MHPSS" in data["proposals"][0]["action"]
    assert data["answers"]["psychological_distress"] == "yes"
    assert CaseMember.objects.get(pk=case.principal.pk).vulnerabilities == ["mental_health"]
    assert AuditEvent.objects.filter(event_type=AuditType.SCREENING_RECORDED).exists()


def test_it_refuses_bad_input(world):
    case = open_case(world)
    client = api(world.carla)
    incomplete = answers()
    del incomplete["pregnant"]
    response = client.post(url(case), body(case, answers=incomplete), format="json")
    assert response.status_code == 400 and "answers" in response.json()
    response = client.post(url(case), body(case, answers={**answers(), "x": "yes"}),
                           format="json")
    assert response.status_code == 400
    response = client.post(url(case), body(case, status="closed"), format="json")
    assert response.status_code == 400 and set(response.json()) == {"status"}
    other = open_case(world)
    response = client.post(url(case), body(case, person_id=other.principal.person_id),
                           format="json")
    assert response.status_code == 400 and "person_id" in response.json()
    assert not Screening.objects.exists()


def test_it_leaves_protection_detail_out_for_other_roles(world):
    case = open_case(world)
    screening = screen(case, world.carla, None, "pregnant", notes="Observed.")
    rows = api(world.max).get(url(case)).json()
    assert [r["id"] for r in rows] == [screening.pk]
    assert rows[0]["screened_on"] == "2026-03-02"
    assert not DETAIL & set(rows[0])
    for persona in ("carla", "mona", "dana"):
        row = api(world.users[persona]).get(url(case)).json()[0]
        assert DETAIL <= set(row) and row["flags"] == ["pregnant"], persona


def test_it_refuses_other_roles_and_hides_the_case_from_outsiders(world):
    case = open_case(world)
    assert api(world.max).post(url(case), body(case, "pregnant"),
                               format="json").status_code == 403
    for persona in ("otto", "paul"):
        client = api(world.users[persona])
        assert client.get(url(case)).status_code == 404
        assert client.post(url(case), body(case), format="json").status_code == 404
    assert not Screening.objects.exists()
    assert CaseMember.objects.get(pk=case.principal.pk).vulnerabilities == []
