"""The regions API: GET the list and one region, PUT one by its code."""

import pytest
from rest_framework.test import APIClient

from retorno.regions.models import Region
from retorno.regions.services import create_region

pytestmark = pytest.mark.django_db

LIST = "/api/v1/regions/"


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def mena(world) -> Region:
    return create_region(actor=world.pia, data={
        "code": "mena", "name": "Middle East and North Africa", "countries": ["IRQ", "SYR"]})


def test_statistics_readers_list_the_regions(world):
    mena(world)
    for who in ("sam", "emil", "stella", "pia"):
        response = api(world.users[who]).get(LIST)
        assert response.status_code == 200
        assert response.json() == [{
            "code": "mena", "name": "Middle East and North Africa",
            "countries": ["IRQ", "SYR"], "version": 1,
            "updated_at": response.json()[0]["updated_at"], "updated_by": "pia"}]
    assert api(world.sam).get(f"{LIST}mena/").json()["countries"] == ["IRQ", "SYR"]
    assert api(world.sam).get(f"{LIST}nowhere/").status_code == 404


def test_others_are_refused(world):
    for who in ("carla", "rita", "paul"):
        assert api(world.users[who]).get(LIST).status_code == 403
    assert api().get(LIST).status_code == 401


def test_put_creates_then_changes_a_region(world):
    url = f"{LIST}wca/"
    body = {"name": "West and Central Africa", "countries": ["NGA", "sen"]}
    response = api(world.pia).put(url, body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["countries"] == ["NGA", "SEN"]
    assert api(world.pia).put(url, body, format="json").status_code == 409  # no version
    response = api(world.pia).put(url, {**body, "countries": ["NGA", "GMB"], "version": 1},
                                  format="json")
    assert response.status_code == 200, response.content
    assert response.json()["countries"] == ["GMB", "NGA"] and response.json()["version"] == 2
    response = api(world.pia).put(url, {**body, "version": 1}, format="json")
    assert response.status_code == 409
    assert Region.objects.get().countries == ["GMB", "NGA"]


def test_put_refuses_bad_input_with_the_reason(world):
    mena(world)
    response = api(world.pia).put(f"{LIST}asia/", {"name": "Asia", "countries": ["AFG", "IRQ"]},
                                  format="json")
    assert response.status_code == 400
    assert "Iraq (IRQ) is already in the region" in response.json()["fields"]["countries"][0]
    response = api(world.pia).put(f"{LIST}asia/", {"name": "Asia", "countries": ["AFG"],
                                                  "colour": "red"}, format="json")
    assert response.status_code == 400 and "colour" in response.json()
    response = api(world.pia).put(f"{LIST}gone/", {"name": "Gone", "countries": ["AFG"],
                                                  "version": 3}, format="json")
    assert response.status_code == 409
    assert Region.objects.count() == 1


def test_only_programme_managers_put(world):
    mena(world)
    body = {"name": "MENA", "countries": ["IRQ"], "version": 1}
    for who in ("sam", "emil", "stella", "carla"):
        assert api(world.users[who]).put(f"{LIST}mena/", body, format="json").status_code == 403
    assert api().put(f"{LIST}mena/", body, format="json").status_code == 401
    assert Region.objects.get().version == 1
