import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from retorno.finance.models import Grant
from retorno.reintegration import services
from retorno.reintegration.models import AssistanceItem, PlanStatus, ReintegrationPlan
from retorno.reintegration.tests.builders import arrived, assessed, item

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def url(case, part: str = "", *args) -> str:
    name = f"api:case_reintegration_plan_{part}" if part else "api:case_reintegration_plan"
    return reverse(name, args=[case.reference, *args])


def test_it_builds_and_approves_a_plan_through_the_api(world):
    case = arrived(world)
    rita = api(world.rita)
    assert rita.get(url(case)).status_code == 404
    response = rita.post(url(case), {"level": "family"}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "draft" and response.json()["ceiling"] == "2000.000"
    response = rita.patch(url(case), {
        "assessed_on": timezone.localdate().isoformat(), "economic_needs": "high",
        "social_needs": "low", "psychosocial_needs": "medium",
        "economic_notes": "No income.", "version": 1}, format="json")
    assert response.status_code == 200, response.content
    response = rita.post(url(case, "items"), {"kind": "business", "description": "Tools",
                                              "cost": "2000.00"}, format="json")
    assert response.status_code == 201, response.content
    item_id = response.json()["id"]
    assert response.json()["dimension"] == "economic" and response.json()["spent"] == "0.000"
    response = rita.patch(url(case, "item", item_id), {"cost": "2000.001", "version": 1},
                          format="json")
    assert response.status_code == 400
    assert "at most 2 digits" in response.json()["fields"]["cost"][0]
    response = rita.post(url(case, "milestones"), {
        "title": "Shop open", "due_on": "2030-01-01"}, format="json")
    assert response.status_code == 201, response.content
    milestone_id = response.json()["id"]
    response = rita.patch(url(case, "milestone", milestone_id), {
        "reached_on": timezone.localdate().isoformat(), "version": 1}, format="json")
    assert response.status_code == 200, response.content
    assert len(rita.get(url(case, "milestones")).json()) == 1
    assert len(rita.get(url(case, "items")).json()) == 1
    plan = ReintegrationPlan.objects.get(case=case)
    response = rita.post(url(case, "approve"), {"version": plan.version}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "approved" and response.json()["total"] == "2000.000"
    assert Grant.objects.get(case=case, kind="reintegration").amount == 2000
    response = rita.post(url(case, "item_delivery", item_id), {
        "delivery": "delivered", "delivered_on": timezone.localdate().isoformat(),
        "version": 1}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["delivery"] == "delivered"
    version = ReintegrationPlan.objects.get(case=case).version
    response = rita.post(url(case, "reopen"), {"reason": "", "version": version},
                         format="json")
    assert response.status_code == 400
    response = rita.post(url(case, "reopen"), {"reason": "Moved", "version": version},
                         format="json")
    assert response.status_code == 200 and response.json()["status"] == "draft"


def test_it_refuses_above_the_ceiling_and_stale_versions(world):
    case = arrived(world)
    plan = assessed(world, case)
    item(world, plan, "2000.01")
    rita = api(world.rita)
    response = rita.post(url(case, "approve"), {"version": plan.version}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == [
        "The items cost €2,000.01; the package allows at most €2,000.00 for this case."]
    response = rita.patch(url(case), {"level": "family", "version": plan.version - 1},
                          format="json")
    assert response.status_code == 409
    assert ReintegrationPlan.objects.get(case=case).status == PlanStatus.DRAFT


def test_it_deletes_an_item_of_a_draft(world):
    case = arrived(world)
    plan = assessed(world, case)
    it = item(world, plan, "10")
    assert api(world.sam).delete(url(case, "item", it.pk)).status_code == 403
    assert api(world.rita).delete(url(case, "item", it.pk)).status_code == 204
    assert not AssistanceItem.objects.filter(pk=it.pk).exists()
    assert api(world.rita).delete(url(case, "item", it.pk)).status_code == 404


def test_it_hides_the_notes_from_non_protection_readers(world):
    case = arrived(world)
    assessed(world, case)
    data = api(world.emil).get(url(case)).json()
    assert data["economic_needs"] == "high"
    assert data["economic_notes"] is None and data["returnee_view"] is None
    data = api(world.rita).get(url(case)).json()
    assert data["economic_notes"] == "Lost his job before leaving."


def test_it_answers_each_persona(world):
    case = arrived(world)
    plan = assessed(world, case)
    it = item(world, plan, "10")
    milestone = services.add_milestone(actor=world.rita, plan=plan, data={
        "title": "Open", "due_on": timezone.localdate() + datetime.timedelta(days=9)})
    for who in ("carla", "sam", "emil"):
        client = api(world.users[who])
        assert client.get(url(case)).status_code == 200
        assert client.patch(url(case), {"level": "family", "version": plan.version},
                            format="json").status_code == 403
        assert client.post(url(case, "items"), {}, format="json").status_code == 403
        assert client.post(url(case, "approve"), {"version": plan.version},
                           format="json").status_code == 403
        assert client.patch(url(case, "milestone", milestone.pk), {"version": 1},
                            format="json").status_code == 403
    for who in ("otto", "paul", "stella"):
        client = api(world.users[who])
        assert client.get(url(case)).status_code == 404
        assert client.get(url(case, "items")).status_code == 404
        assert client.patch(url(case, "item", it.pk), {"version": 1},
                            format="json").status_code == 404
        assert client.post(url(case, "approve"), {"version": 1},
                           format="json").status_code == 404
