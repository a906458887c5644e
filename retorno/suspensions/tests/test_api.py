import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from retorno.privacy.models import AuditEvent, AuditType
from retorno.suspensions.models import ReturnSuspension
from retorno.suspensions.tests.builders import in_days, suspend
from retorno.testing.personas import open_case

pytestmark = pytest.mark.django_db

LIST = "/api/v1/suspensions/"


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_it_sets_lists_and_lifts_a_suspension(world):
    response = api(world.sam).post(LIST, {"country": "IRQ", "subdivision": "IQ-NI",
                                          "reason": "Floods",
                                          "ends_on": in_days(10).isoformat()}, format="json")
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["state"] == "active" and created["set_by"] == "sam"
    assert created["starts_on"] == in_days(0).isoformat()
    listed = api(world.mona).get(LIST).json()
    assert [s["id"] for s in listed] == [created["id"]]
    url = reverse("api:suspension_lift", args=[created["id"]])
    assert api(world.sam).post(url, {"reason": "Dry", "version": 7},
                               format="json").status_code == 409
    response = api(world.pia).post(url, {"reason": "Dry", "version": 1}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "lifted" and response.json()["lifted_by"] == "pia"
    assert AuditEvent.objects.filter(event_type__in=[
        AuditType.SUSPENSION_SET, AuditType.SUSPENSION_LIFTED]).count() == 2


def test_it_refuses_bad_input_with_messages_per_field(world):
    response = api(world.sam).post(LIST, {"country": "IRQ", "subdivision": "SY-DI",
                                          "reason": "Floods", "colour": "red"}, format="json")
    assert response.status_code == 400
    assert "colour" in response.json()
    response = api(world.sam).post(LIST, {"country": "IRQ", "subdivision": "SY-DI",
                                          "reason": "Floods"}, format="json")
    assert response.status_code == 400
    assert "SY-DI (Dimashq) is not in Iraq." in response.content.decode()
    assert not ReturnSuspension.objects.exists()


def test_it_refuses_those_without_the_right(world):
    suspension = suspend(world)
    body = {"country": "IRQ", "reason": "Floods"}
    assert api(world.carla).post(LIST, body, format="json").status_code == 403
    assert api(world.stella).get(LIST).status_code == 403
    url = reverse("api:suspension_lift", args=[suspension.pk])
    assert api(world.max).post(url, {"reason": "x", "version": 1},
                               format="json").status_code == 403
    assert api(world.sam).post(reverse("api:suspension_lift", args=[suspension.pk + 99]),
                               {"reason": "x", "version": 1}, format="json").status_code == 404
    assert ReturnSuspension.objects.get().lifted_at is None


def test_the_case_api_takes_and_checks_the_destination_subdivision(world):
    case = open_case(world)
    url = reverse("api:case", args=[case.reference])
    response = api(world.carla).patch(url, {"destination_subdivision": "SY-DI",
                                            "version": case.version}, format="json")
    assert response.status_code == 400
    response = api(world.carla).patch(url, {"destination_subdivision": "IQ-BG",
                                            "version": case.version}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["destination_subdivision"] == "IQ-BG"
