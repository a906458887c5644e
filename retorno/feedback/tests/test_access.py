"""Every feedback URL with every persona: the answers promised in the module docstrings
(and handed to the URL matrix)."""

import pytest
from django.core.cache import cache
from django.test import Client
from rest_framework.test import APIClient

from retorno.feedback.models import Category, Channel, Kind
from retorno.feedback.services import record_feedback
from retorno.testing.personas import PERSONAS, open_case

pytestmark = pytest.mark.django_db

EVERYONE = [name for name, _role, _office in PERSONAS]
READERS = {"berlin": "sam", "sensitive": "dana", "vienna": "vera"}
INBOX = {"sam", "vera", "emil", "dana"}
BERLIN_RECORDERS = {"carla", "sam", "mona", "max", "pia", "dana"}
NOT_STAFF = {"paul", "stella"}
ASSIGNEE = {"berlin": "sam", "sensitive": "dana", "vienna": "vera"}


@pytest.fixture
def items(world):
    cache.clear()
    case = open_case(world)
    return {
        "berlin": record_feedback(actor=world.carla, office=world.berlin,
                                  channel=Channel.IN_PERSON, kind=Kind.COMPLAINT,
                                  category=Category.DELAYS, description="Matrix", case=case),
        "sensitive": record_feedback(actor=world.carla, office=world.berlin,
                                     channel=Channel.PHONE, kind=Kind.COMPLAINT,
                                     category=Category.SEA, description="Matrix",
                                     case=case, concerns=[world.max]),
        "vienna": record_feedback(actor=world.otto, office=world.vienna,
                                  channel=Channel.HOTLINE, kind=Kind.COMPLAINT,
                                  category=Category.TRAVEL, description="Matrix"),
    }


def _page(world, who):
    client = Client()
    if who:
        client.force_login(world.users[who])
    return client


def _api(world, who):
    client = APIClient()
    if who:
        client.force_authenticate(world.users[who])
    return client


@pytest.mark.parametrize("who", [*EVERYONE, None])
def test_public_pages_answer_everyone(world, items, who):
    client = _page(world, who)
    assert client.get("/feedback/").status_code == 200
    assert client.get("/feedback/status/").status_code == 200
    response = client.post("/feedback/status/", {"reference": items["berlin"].reference})
    assert response.status_code == 200


@pytest.mark.parametrize("who", EVERYONE)
def test_staff_lists(world, items, who):
    assert _page(world, who).get("/feedback/inbox/").status_code == (
        200 if who in INBOX else 403)
    assert _api(world, who).get("/api/v1/feedback/").status_code == (
        200 if who in INBOX else 403)
    assert _page(world, who).get("/feedback/inbox/new/").status_code == (
        403 if who in NOT_STAFF else 200)


@pytest.mark.parametrize("who", EVERYONE)
def test_recording(world, items, who):
    page = _page(world, who).post("/feedback/inbox/new/", {
        "office": world.berlin.pk, "channel": "phone", "kind": "complaint",
        "category": "delays", "description": "Matrix"})
    expected = (403 if who in NOT_STAFF else 302 if who == "sam"
                else 200 if who in BERLIN_RECORDERS else 422)
    assert page.status_code == expected
    api = _api(world, who).post("/api/v1/feedback/", {
        "office": "deu-ber", "channel": "phone", "kind": "complaint", "category": "delays",
        "description": "Matrix"}, format="json")
    assert api.status_code == (201 if who in BERLIN_RECORDERS else 403)


def test_signed_out(world, items):
    ref = items["berlin"].reference
    for url in ("/feedback/inbox/", "/feedback/inbox/new/", f"/feedback/inbox/{ref}/"):
        assert _page(world, None).get(url).status_code == 302
    assert _page(world, None).post(f"/feedback/inbox/{ref}/close/",
                                   {"version": 1}).status_code == 302
    for url in ("/api/v1/feedback/", f"/api/v1/feedback/{ref}/"):
        assert _api(world, None).get(url).status_code == 401


def _bodies(world, item, owner, api):
    item.refresh_from_db()
    assignee = world.users[ASSIGNEE[owner]]
    return {
        "categorise": {"kind": "complaint", "category": item.category,
                       "version": item.version},
        "assign": {"assignee": assignee.username if api else assignee.pk,
                   "version": item.version},
        "answer": {"response": "Matrix", "version": item.version},
        "close": {"version": item.version},
    }


@pytest.mark.parametrize("owner", sorted(READERS))
@pytest.mark.parametrize("who", EVERYONE)
def test_item_pages(world, items, owner, who):
    item = items[owner]
    sees = who == READERS[owner]
    url = f"/feedback/inbox/{item.reference}/"
    assert _page(world, who).get(url).status_code == (200 if sees else 404)
    assert _page(world, who).post(url + "reopen/", {"version": 1}).status_code == (
        422 if sees else 404)
    for action in ("categorise", "assign", "answer", "close"):
        body = _bodies(world, item, owner, api=False)[action]
        assert _page(world, who).post(url + action + "/", body).status_code == (
            302 if sees else 404), action


@pytest.mark.parametrize("owner", sorted(READERS))
@pytest.mark.parametrize("who", EVERYONE)
def test_item_api(world, items, owner, who):
    item = items[owner]
    sees = who == READERS[owner]
    url = f"/api/v1/feedback/{item.reference}/"
    assert _api(world, who).get(url).status_code == (200 if sees else 404)
    assert _api(world, who).post(url + "reopen/", {"version": 1},
                                 format="json").status_code == (400 if sees else 404)
    for action in ("categorise", "assign", "answer", "close"):
        body = _bodies(world, item, owner, api=True)[action]
        assert _api(world, who).post(url + action + "/", body, format="json").status_code == (
            200 if sees else 404), action
