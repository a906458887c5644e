import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from retorno.privacy.models import AuditEvent, AuditType
from retorno.reception.models import Reception
from retorno.reception.tests.builders import accepted, departed, handed_over, plan_data
from retorno.testing.personas import open_case

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def url(case, part: str = "") -> str:
    name = f"api:case_reception_{part}" if part else "api:case_reception"
    return reverse(name, args=[case.reference])


def test_it_accepts_the_handover_and_reads_the_reception(world):
    case = handed_over(world)
    rita = api(world.rita)
    assert rita.get(url(case)).status_code == 404  # not accepted yet
    assert api(world.sam).post(url(case)).status_code == 403
    response = rita.post(url(case))
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["case"] == case.reference and data["accepted_by"] == "rita"
    assert data["version"] == 1 and data["arrived_on"] is None
    # Read with the case: the host office reads it too.
    assert api(world.carla).get(url(case)).json()["accepted_by"] == "rita"
    response = rita.post(url(case))
    assert response.status_code == 400 and "already accepted" in response.json()["detail"]
    assert Reception.objects.count() == 1


def test_it_hides_cases_from_strangers(world):
    case = handed_over(world)
    other = open_case(world)
    for persona in ("otto", "paul"):
        assert api(world.users[persona]).post(url(case)).status_code == 404
        assert api(world.users[persona]).get(url(case)).status_code == 404
    assert api(world.rita).post(url(other)).status_code == 404
    assert not Reception.objects.exists()


def test_it_plans_the_reception_with_versions(world):
    reception = accepted(world)
    case = reception.case
    rita = api(world.rita)
    response = rita.patch(url(case, "plan"), {**plan_data(), "version": 1}, format="json")
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["pocket_money"] == "150000.000" and data["pocket_money_currency"] == "IQD"
    assert data["version"] == 2 and data["updated_by"] == "rita"
    response = rita.patch(url(case, "plan"), {"final_destination": "Mosul", "version": 1},
                          format="json")
    assert response.status_code == 409
    response = rita.patch(url(case, "plan"), {"pocket_money": "1.5", "version": 2},
                          format="json")
    assert response.status_code == 400 and "pocket_money" in response.json()["fields"]
    response = rita.patch(url(case, "plan"), {"arrived_on": "2026-01-01", "version": 2},
                          format="json")
    assert response.status_code == 400 and "arrived_on" in response.json()
    response = rita.patch(url(case, "plan"), {"met_by": "Someone"}, format="json")
    assert response.status_code == 400 and "version" in response.json()
    response = api(world.max).patch(url(case, "plan"), {"met_by": "X", "version": 2},
                                    format="json")
    assert response.status_code == 403
    assert Reception.objects.get(pk=reception.pk).final_destination == "Basra"


def test_it_records_the_arrival(world):
    case = departed(world)
    rita = api(world.rita)
    today = timezone.localdate().isoformat()
    response = rita.patch(url(case, "arrival"), {"arrived_on": today,
                                                 "met_on_arrival": True, "version": 1},
                          format="json")
    assert response.status_code == 200, response.content
    assert response.json()["arrived_on"] == today and response.json()["met_on_arrival"]
    assert AuditEvent.objects.filter(event_type=AuditType.RECEPTION_CHANGED).count() == 1
    waiting = handed_over(world)
    assert rita.patch(url(waiting, "arrival"), {"arrival_notes": "x", "version": 1},
                      format="json").status_code == 404  # not accepted: no reception


def test_it_lists_incoming_cases(world):
    waiting = handed_over(world)
    taken = accepted(world)
    response = api(world.rita).get(reverse("api:reception_incoming"))
    assert response.status_code == 200
    rows = {row["reference"]: row for row in response.json()["results"]}
    assert set(rows) == {waiting.reference, taken.case.reference}
    assert rows[waiting.reference]["accepted_at"] is None
    assert rows[taken.case.reference]["accepted_by"] == "rita"
    assert rows[waiting.reference]["origin_office"] == "irq-bgw"
    assert rows[waiting.reference]["arrives_at"] is not None
    assert api(world.carla).get(reverse("api:reception_incoming")).status_code == 403
