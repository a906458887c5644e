"""The focal-point restriction: a complaint of sexual exploitation and abuse or of fraud is
read only by the complaints focal points of its office, never by the staff it concerns —
on the pages, in the API, in lists and counts, on the case it is linked to."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from retorno.cases.models import TimelineEntry
from retorno.feedback import services, stats
from retorno.feedback.models import Category, Kind
from retorno.feedback.tests.builders import recorded, sensitive
from retorno.testing.personas import open_case

pytestmark = pytest.mark.django_db

# Everyone who must not read the Berlin complaint below, and why.
BLIND = {
    "max": "the member of staff it concerns",
    "sam": "a supervisor and feedback handler of the same office, not a focal point",
    "carla": "the recorder, and the caseworker of the linked case",
    "mona": "the case team of the linked case",
    "emil": "a focal point of another office",
    "pia": "a programme manager",
    "vera": "another office's supervisor",
    "stella": "a statistics viewer",
    "paul": "a partner user",
}


@pytest.fixture
def complaint(world):
    case = open_case(world)
    item = sensitive(world, case=case, concerns=[world.max],
                     description="The driver asked me for favours.")
    return case, item


def _page(world, who: str, url: str):
    client = Client()
    client.force_login(world.users[who])
    return client.get(url)


def _api(world, who: str, url: str):
    client = APIClient()
    client.force_authenticate(world.users[who])
    return client.get(url)


def test_the_focal_point_reads_it(world, complaint):
    _case, item = complaint
    assert _page(world, "dana", f"/feedback/inbox/{item.reference}/").status_code == 200
    assert item.reference in _page(world, "dana", "/feedback/inbox/").content.decode()
    assert _api(world, "dana", f"/api/v1/feedback/{item.reference}/").status_code == 200
    listed = _api(world, "dana", "/api/v1/feedback/").json()["results"]
    assert [r["reference"] for r in listed] == [item.reference]
    assert {r.category for r in stats.by_category(world.dana)} == {"sea"}


@pytest.mark.parametrize("who", sorted(BLIND))
def test_nobody_else_reads_it_anywhere(world, complaint, who):
    _case, item = complaint
    detail = _page(world, who, f"/feedback/inbox/{item.reference}/")
    assert detail.status_code == 404, BLIND[who]
    inbox = _page(world, who, "/feedback/inbox/")
    assert inbox.status_code in (200, 403)
    assert item.reference not in inbox.content.decode()
    assert _api(world, who, f"/api/v1/feedback/{item.reference}/").status_code == 404
    listed = _api(world, who, "/api/v1/feedback/")
    assert listed.status_code in (200, 403)
    assert item.reference not in listed.content.decode()
    for action in ("categorise", "assign", "answer", "close", "reopen"):
        client = Client()
        client.force_login(world.users[who])
        assert client.post(f"/feedback/inbox/{item.reference}/{action}/",
                           {"version": 1}).status_code == 404
    assert all(row.category != "sea" for row in stats.by_category(world.users[who]))


@pytest.mark.parametrize("who", ["carla", "sam", "mona"])
def test_the_linked_case_shows_nothing_of_it(world, complaint, who):
    case, item = complaint
    page = _page(world, who, f"/cases/{case.reference}/").content.decode()
    assert item.reference not in page and "favours" not in page
    case_api = _api(world, who, f"/api/v1/cases/{case.reference}/").content.decode()
    assert item.reference not in case_api
    assert not TimelineEntry.objects.filter(case=case, summary__icontains="feedback").exists()
    assert not TimelineEntry.objects.filter(case=case, summary__icontains=item.reference)\
        .exists()


def test_the_case_audit_page_shows_nothing_of_it(world, complaint):
    case, item = complaint
    for who in ("sam", "dana"):
        response = _page(world, who, f"/cases/{case.reference}/audit/")
        assert response.status_code == 200
        body = response.content.decode()
        assert item.reference not in body and "complaint" not in body.lower()


def test_a_focal_point_it_concerns_does_not_read_it(world):
    about_dana = sensitive(world, concerns=[world.dana])
    about_emil = sensitive(world, office=world.baghdad, actor=world.rita,
                           concerns=[world.emil])
    for who, item in (("dana", about_dana), ("emil", about_emil)):
        assert _page(world, who, f"/feedback/inbox/{item.reference}/").status_code == 404
        assert _api(world, who, f"/api/v1/feedback/{item.reference}/").status_code == 404
        assert item.reference not in _page(world, who, "/feedback/inbox/").content.decode()
        assert stats.by_category(world.users[who]) == []


def test_naming_the_assignee_as_concerned_hides_it_from_them(world):
    item = sensitive(world)
    services.assign(actor=world.dana, item=item, version=item.version, assignee=world.dana)
    services.categorise(actor=world.dana, item=item, version=item.version,
                        kind=Kind.COMPLAINT, category=Category.SEA,
                        add_concerns=[world.dana])
    item.refresh_from_db()
    assert item.assignee is None
    assert _page(world, "dana", f"/feedback/inbox/{item.reference}/").status_code == 404


def test_an_ordinary_complaint_about_a_handler_is_hidden_from_them_too(world):
    item = recorded(world, category=Category.STAFF_CONDUCT, concerns=[world.sam])
    assert _page(world, "sam", f"/feedback/inbox/{item.reference}/").status_code == 404
    other = recorded(world, category=Category.STAFF_CONDUCT)
    assert _page(world, "sam", f"/feedback/inbox/{other.reference}/").status_code == 200
