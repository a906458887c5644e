import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from retorno.pathways.models import Pathway
from retorno.pathways.tests.builders import propose
from retorno.testing.personas import open_case

pytestmark = pytest.mark.django_db

BODY = {"kind": "resettlement", "third_country": "can",
        "receiving_organisation": "UNHCR resettlement unit", "referred_on": "2026-03-02"}


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def list_url(case) -> str:
    return reverse("api:case_pathways", args=[case.reference])


def status_url(case, pathway) -> str:
    return reverse("api:case_pathway_status", args=[case.reference, pathway.pk])


def test_it_proposes_and_lists_pathways(world):
    case = open_case(world)
    response = api(world.carla).post(list_url(case), BODY, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["kind"], data["third_country"], data["status"]) == ("resettlement", "CAN",
                                                                     "proposed")
    assert data["history"][0]["to_status"] == "proposed"
    assert data["history"][0]["from_status"] is None
    listed = api(world.max).get(list_url(case)).json()
    assert [p["id"] for p in listed] == [data["id"]]


def test_it_refuses_invalid_and_unknown_fields(world):
    case = open_case(world)
    client = api(world.carla)
    assert client.post(list_url(case), {**BODY, "third_country": ""},
                       format="json").status_code == 400
    assert client.post(list_url(case), {**BODY, "status": "accepted"},
                       format="json").status_code == 400
    assert not Pathway.objects.exists()


def test_it_changes_the_status_with_the_version(world):
    case = open_case(world)
    pathway = propose(case, world.carla)
    client = api(world.sam)
    response = client.post(status_url(case, pathway),
                           {"status": "submitted", "comment": "Sent", "version": 1},
                           format="json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "submitted" and response.json()["version"] == 2
    stale = client.post(status_url(case, pathway), {"status": "withdrawn", "version": 1},
                        format="json")
    assert stale.status_code == 409
    refused = client.post(status_url(case, pathway), {"status": "completed", "version": 2},
                          format="json")
    assert refused.status_code == 400
    assert Pathway.objects.get(pk=pathway.pk).status == "submitted"


def test_it_hides_the_case_from_outsiders_and_refuses_other_roles(world):
    case = open_case(world)
    pathway = propose(case, world.carla)
    assert api(world.otto).get(list_url(case)).status_code == 404
    assert api(world.otto).post(status_url(case, pathway), {"status": "withdrawn",
                                                             "version": 1},
                                format="json").status_code == 404
    assert api(world.max).post(list_url(case), BODY, format="json").status_code == 403
