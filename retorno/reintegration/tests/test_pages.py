import datetime

import pytest
from django.utils import timezone

from retorno.finance.models import Grant
from retorno.reintegration import services
from retorno.reintegration.models import AssistanceItem, Milestone, PlanStatus, ReintegrationPlan
from retorno.reintegration.tests.builders import arrived, assessed, item

pytestmark = pytest.mark.django_db


def _page(case) -> str:
    return f"/cases/{case.reference}/"


def _plan(case, rest: str = "") -> str:
    return f"/cases/{case.reference}/reintegration-plan/{rest}"


def test_it_builds_and_approves_a_plan_from_the_case_page(world, client):
    case = arrived(world)
    client.force_login(world.rita)
    body = client.get(_page(case)).content.decode()
    assert "Reintegration plan" in body and _plan(case, "start/") in body
    response = client.post(_plan(case, "start/"))
    assert response["Location"] == _plan(case, "edit/")
    assert client.get(_plan(case, "edit/")).status_code == 200
    response = client.post(_plan(case, "edit/"), {
        "level": "family", "assessed_on": timezone.localdate().isoformat(),
        "economic_needs": "high", "social_needs": "low", "psychosocial_needs": "medium",
        "economic_notes": "No income.", "returnee_view": "A shop.", "version": 1})
    assert response.status_code == 302, response.content.decode()
    assert client.get(_plan(case, "items/new/")).status_code == 200
    response = client.post(_plan(case, "items/new/"), {
        "kind": "business", "description": "Shop tools", "beneficiary": "",
        "provider": "", "provider_name": "Tools Ltd", "cost": "2000.00"})
    assert response.status_code == 302, response.content.decode()
    response = client.post(_plan(case, "milestones/new/"), {
        "title": "Shop open", "due_on": (timezone.localdate()
                                         - datetime.timedelta(days=1)).isoformat()})
    assert response.status_code == 302, response.content.decode()
    body = client.get(_page(case)).content.decode()
    assert "Shop tools" in body and "Tools Ltd" in body and "€2,000.00" in body
    assert "No income." in body and "A shop." in body
    assert 'data-overdue="yes"' in body
    plan = ReintegrationPlan.objects.get(case=case)
    response = client.post(_plan(case, "approve/"), {"version": plan.version}, follow=True)
    assert "Reintegration plan approved" in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED
    assert Grant.objects.get(case=case, kind="reintegration").amount == 2000
    body = client.get(_page(case)).content.decode()
    assert _plan(case, "reopen/") in body and _plan(case, "items/new/") not in body


def test_it_shows_the_refusal_on_the_case_page(world, client):
    case = arrived(world)
    plan = assessed(world, case)
    item(world, plan, "2000.01")
    client.force_login(world.rita)
    response = client.post(_plan(case, "approve/"), {"version": plan.version}, follow=True)
    assert "the package allows at most €2,000.00 for this case" in response.content.decode()


def test_it_shows_a_stale_edit_inline(world, client):
    case = arrived(world)
    plan = assessed(world, case)
    client.force_login(world.rita)
    response = client.post(_plan(case, "edit/"), {
        "level": "family", "economic_needs": "high", "social_needs": "low",
        "psychosocial_needs": "low", "version": plan.version - 1})
    assert response.status_code == 422
    assert "Someone else changed this record" in response.content.decode()


def test_it_reopens_with_a_reason(world, client):
    case = arrived(world)
    plan = assessed(world, case)
    item(world, plan, "100")
    plan = services.approve_plan(actor=world.rita, plan=plan, version=plan.version)
    client.force_login(world.rita)
    assert client.post(_plan(case, "reopen/"), {"reason": "", "version": plan.version}
                       ).status_code == 422
    response = client.post(_plan(case, "reopen/"), {"reason": "Moved to Basra",
                                                    "version": plan.version})
    assert response.status_code == 302
    assert ReintegrationPlan.objects.get(case=case).status == PlanStatus.DRAFT


def test_it_edits_delivers_and_removes_items(world, client):
    case = arrived(world)
    plan = assessed(world, case)
    it = item(world, plan, "100")
    client.force_login(world.rita)
    assert client.get(_plan(case, f"items/{it.pk}/edit/")).status_code == 200
    response = client.post(_plan(case, f"items/{it.pk}/edit/"), {
        "kind": "education", "description": "Classes", "cost": "150", "version": it.version})
    assert response.status_code == 302, response.content.decode()
    it.refresh_from_db()
    assert it.kind == "education" and it.cost == 150
    plan.refresh_from_db()
    services.approve_plan(actor=world.rita, plan=plan, version=plan.version)
    response = client.post(_plan(case, f"items/{it.pk}/delivery/"), {
        "delivery": "delivered", "delivered_on": "", "version": it.version})
    assert response.status_code == 422
    assert "Give the date the assistance was delivered." in response.content.decode()
    response = client.post(_plan(case, f"items/{it.pk}/delivery/"), {
        "delivery": "delivered", "delivered_on": timezone.localdate().isoformat(),
        "version": it.version})
    assert response.status_code == 302
    # Removing from an approved plan: refused with a message.
    response = client.post(_plan(case, f"items/{it.pk}/remove/"), follow=True)
    assert "reopen it" in response.content.decode()
    assert AssistanceItem.objects.filter(pk=it.pk).exists()
    assert client.get(_plan(case, "items/999999/edit/")).status_code == 404


def test_it_edits_milestones(world, client):
    case = arrived(world)
    plan = assessed(world, case)
    milestone = services.add_milestone(actor=world.rita, plan=plan, data={
        "title": "Shop open", "due_on": timezone.localdate()})
    client.force_login(world.rita)
    url = _plan(case, f"milestones/{milestone.pk}/edit/")
    assert client.get(url).status_code == 200
    response = client.post(url, {"title": "Shop open", "due_on": timezone.localdate(),
                                 "reached_on": timezone.localdate(), "version": 1})
    assert response.status_code == 302, response.content.decode()
    assert Milestone.objects.get(pk=milestone.pk).reached_on == timezone.localdate()


def test_it_hides_the_notes_from_readers_without_protection_rights(world, client):
    case = arrived(world)
    assessed(world, case)
    client.force_login(world.emil)  # M&E officer in Baghdad: reads the case, not the notes
    body = client.get(_page(case)).content.decode()
    assert "Reintegration plan" in body and "High" in body
    assert "Lost his job" not in body and "phone repair" not in body
    client.force_login(world.carla)  # Berlin's caseworker: protection reader
    body = client.get(_page(case)).content.decode()
    assert "Lost his job" in body and "phone repair" in body


@pytest.mark.parametrize("who", ["carla", "sam", "emil"])
def test_it_refuses_the_forms_to_readers_who_do_not_record(world, client, who):
    case = arrived(world)
    plan = assessed(world, case)
    it = item(world, plan, "100")
    client.force_login(world.users[who])
    body = client.get(_page(case)).content.decode()
    assert _plan(case, "edit/") not in body and _plan(case, "approve/") not in body
    for url in ("edit/", "items/new/", f"items/{it.pk}/edit/", "milestones/new/",
                "reopen/"):
        assert client.get(_plan(case, url)).status_code == 403, url
    for url in ("start/", "approve/", f"items/{it.pk}/remove/"):
        assert client.post(_plan(case, url)).status_code == 403, url


def test_it_hides_the_plan_from_the_outsider(world, client):
    case = arrived(world)
    plan = assessed(world, case)
    it = item(world, plan, "100")
    client.force_login(world.otto)
    for url in ("edit/", "items/new/", f"items/{it.pk}/edit/", f"items/{it.pk}/delivery/",
                "milestones/new/", "reopen/"):
        assert client.get(_plan(case, url)).status_code == 404, url
    for url in ("start/", "approve/", f"items/{it.pk}/remove/"):
        assert client.post(_plan(case, url)).status_code == 404, url
