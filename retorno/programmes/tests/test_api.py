import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from retorno.privacy.models import AuditEvent, AuditType
from retorno.programmes.tests.builders import packaged

pytestmark = pytest.mark.django_db

LIST = "/api/v1/programmes/"


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _body(version, **overrides):
    body = {"version": version, "budget": "60000.00", "max_cases": 30,
            "components": [
                {"kind": "reinstallation", "basis": "per_adult", "amount": "1200.00",
                 "before_departure_percent": 50, "after_arrival_months": 6},
                {"kind": "top_up", "basis": "per_person", "vulnerability": "disability",
                 "amount": "400", "modality": "in_kind"}]}
    body.update(overrides)
    return body


def test_it_lists_and_shows_programmes_with_their_package(world):
    programme = packaged(world)
    listed = api(world.carla).get(LIST)
    assert listed.status_code == 200
    assert [p["code"] for p in listed.json()] == ["pilot", "erin-deu"]  # by name
    detail = api(world.carla).get(reverse("api:programme", args=["pilot"])).json()
    assert detail["currency"] == "EUR" and detail["budget"] == "100000.000"
    assert detail["version"] == programme.version
    assert {(c["kind"], c["basis"], c["vulnerability"], c["amount"])
            for c in detail["package"]} == {
        ("reinstallation", "per_adult", None, "1000.000"),
        ("reinstallation", "per_child", None, "500.000"),
        ("reintegration", "per_family", None, "2000.000"),
        ("top_up", "per_person", "medical", "750.500")}


def test_a_programme_manager_replaces_the_package(world):
    programme = packaged(world)
    url = reverse("api:programme_package", args=[programme.code])
    assert len(api(world.rita).get(url).json()["components"]) == 4
    response = api(world.pia).put(url, _body(programme.version), format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["budget"] == "60000.000" and body["max_cases"] == 30
    assert body["currency"] == "EUR" and body["version"] == programme.version + 1
    assert [(c["kind"], c["modality"]) for c in body["components"]] == [
        ("reinstallation", "cash"), ("top_up", "in_kind")]
    assert AuditEvent.objects.filter(event_type=AuditType.PACKAGE_CHANGED).count() == 2


def test_it_refuses_a_stale_version_with_409(world):
    programme = packaged(world)
    url = reverse("api:programme_package", args=[programme.code])
    response = api(world.pia).put(url, _body(1), format="json")
    assert response.status_code == 409
    assert programme.package.count() == 4


def test_it_names_every_component_problem(world):
    programme = packaged(world)
    url = reverse("api:programme_package", args=[programme.code])
    body = _body(programme.version, components=[
        {"kind": "top_up", "basis": "per_person", "amount": "1"},
        {"kind": "reinstallation", "basis": "per_adult", "amount": "-3",
         "before_departure_percent": 150}])
    response = api(world.pia).put(url, body, format="json")
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {
        "components.0.vulnerability", "components.1.amount",
        "components.1.before_departure_percent"}
    assert len(response.json()["errors"]) == 3
    response = api(world.pia).put(url, {**body, "colour": "red"}, format="json")
    assert response.status_code == 400 and "colour" in response.json()
    assert programme.package.count() == 4


@pytest.mark.parametrize("who", ["sam", "carla", "rita"])
def test_only_programme_managers_replace_a_package(world, who):
    programme = packaged(world)
    url = reverse("api:programme_package", args=[programme.code])
    response = api(getattr(world, who)).put(url, _body(programme.version), format="json")
    assert response.status_code == 403
    assert programme.package.count() == 4


@pytest.mark.parametrize("who", ["paul", "stella"])
def test_partners_and_statistics_viewers_read_no_programme(world, who):
    programme = packaged(world)
    client = api(getattr(world, who))
    assert client.get(LIST).status_code == 403
    assert client.get(reverse("api:programme", args=[programme.code])).status_code == 403
    assert client.get(reverse("api:programme_package",
                              args=[programme.code])).status_code == 403


def test_an_unknown_programme_is_not_found(world):
    for name in ("api:programme", "api:programme_package"):
        assert api(world.pia).get(reverse(name, args=["nope"])).status_code == 404
    assert api(world.pia).put(reverse("api:programme_package", args=["nope"]),
                              _body(1), format="json").status_code == 404
