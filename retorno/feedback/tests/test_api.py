import pytest
from rest_framework.test import APIClient

from retorno.accounts.models import Role
from retorno.accounts.services import grant_role
from retorno.feedback.models import Feedback, Status
from retorno.feedback.tests.builders import recorded, sensitive
from retorno.testing.personas import open_case

pytestmark = pytest.mark.django_db


def _client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _body(world, **overrides):
    data = {"office": world.berlin.code, "channel": "hotline", "kind": "complaint",
            "category": "grants", "description": "My grant has not arrived."}
    data.update(overrides)
    return data


def test_anonymous_gets_401(world):
    assert APIClient().get("/api/v1/feedback/").status_code == 401


def test_recording_returns_a_receipt(world):
    response = _client(world.carla).post("/api/v1/feedback/", _body(world), format="json")
    assert response.status_code == 201, response.json()
    item = Feedback.objects.get()
    assert response.json() == {"reference": item.reference, "status": "received",
                               "readable": False}
    response = _client(world.sam).post("/api/v1/feedback/", _body(world), format="json")
    assert response.json()["readable"] is True


def test_recording_refusals(world):
    assert _client(world.stella).post("/api/v1/feedback/", _body(world),
                                      format="json").status_code == 403
    response = _client(world.carla).post("/api/v1/feedback/",
                                         _body(world, office=world.baghdad.code), format="json")
    assert response.status_code == 403
    response = _client(world.carla).post("/api/v1/feedback/",
                                         _body(world, channel="web", sensitive=False),
                                         format="json")
    assert response.status_code == 400 and "sensitive" in response.json()
    response = _client(world.carla).post("/api/v1/feedback/",
                                         _body(world, concerns=["nobody"]), format="json")
    assert response.status_code == 400 and "concerns" in response.json()["fields"]
    assert not Feedback.objects.exists()


def test_the_list_and_the_detail(world):
    case = open_case(world)
    item = recorded(world, case=case)
    assert _client(world.carla).get("/api/v1/feedback/").status_code == 403
    data = _client(world.sam).get("/api/v1/feedback/").json()
    assert data["next"] is None
    (row,) = data["results"]
    assert row["reference"] == item.reference and row["case"] == case.reference
    assert row["sensitive"] is False and row["status"] == "received"
    assert _client(world.vera).get("/api/v1/feedback/").json()["results"] == []
    detail = _client(world.sam).get(f"/api/v1/feedback/{item.reference}/")
    assert detail.status_code == 200 and detail.json()["description"].startswith("Waited")
    assert _client(world.vera).get(f"/api/v1/feedback/{item.reference}/").status_code == 404
    filtered = _client(world.sam).get("/api/v1/feedback/?status=closed").json()
    assert filtered["results"] == []


def test_the_case_is_shown_only_to_who_may_see_it(world):
    # carla also works in Baghdad: she records there about a Berlin case she sees.
    grant_role(user=world.carla, office=world.baghdad, role=Role.CASEWORKER)
    case = open_case(world)
    item = sensitive(world, case=case, office=world.baghdad, actor=world.carla)
    assert item.case == case
    # emil (Baghdad's focal point) reads the complaint, not the Berlin case it names.
    row = _client(world.emil).get(f"/api/v1/feedback/{item.reference}/").json()
    assert row["case"] is None


def test_actions_are_versioned_posts(world):
    item = recorded(world)
    client = _client(world.sam)
    url = f"/api/v1/feedback/{item.reference}/"
    response = client.post(url + "assign/", {"assignee": "sam", "version": 1}, format="json")
    assert response.status_code == 200 and response.json()["assignee"] == "sam"
    response = client.post(url + "answer/", {"response": "Paid on Monday.", "version": 1},
                           format="json")
    assert response.status_code == 409
    response = client.post(url + "answer/", {"response": "Paid on Monday.", "version": 2},
                           format="json")
    assert response.json()["status"] == "answered"
    response = client.post(url + "close/", {"version": 3}, format="json")
    assert response.json()["status"] == "closed"
    response = client.post(url + "reopen/", {"version": 4}, format="json")
    assert response.json()["status"] == "in_progress"
    response = client.post(url + "assign/", {"assignee": "carla", "version": 5},
                           format="json")
    assert response.status_code == 400 and "assignee" in response.json()["fields"]


def test_categorising_to_sensitive_answers_204(world):
    item = recorded(world)
    client = _client(world.sam)
    url = f"/api/v1/feedback/{item.reference}/"
    response = client.post(url + "categorise/", {"kind": "complaint", "category": "sea",
                                                 "version": 1}, format="json")
    assert response.status_code == 204
    assert client.get(url).status_code == 404
    item.refresh_from_db()
    assert item.sensitive and item.status == Status.RECEIVED
    # Only a focal point brings it back; dana is Berlin's.
    response = _client(world.dana).post(url + "categorise/", {
        "kind": "complaint", "category": "grants", "version": 2, "add_concerns": ["max"]},
        format="json")
    assert response.status_code == 204  # dana does not handle ordinary feedback
    item.refresh_from_db()
    assert not item.sensitive and list(item.concerns.all()) == [world.max]


def test_a_non_focal_point_may_not_remove_a_concern(world):
    item = recorded(world, concerns=[world.max])
    response = _client(world.sam).post(
        f"/api/v1/feedback/{item.reference}/categorise/",
        {"kind": "complaint", "category": "delays", "version": 1, "remove_concerns": ["max"]},
        format="json")
    assert response.status_code == 403
