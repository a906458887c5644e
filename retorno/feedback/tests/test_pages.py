import datetime

import pytest
from django.utils import timezone

from retorno.feedback import services
from retorno.feedback.models import Feedback, Status
from retorno.feedback.tests.builders import recorded, sensitive
from retorno.testing.personas import open_case

pytestmark = pytest.mark.django_db


def _new(world, **overrides):
    data = {"office": world.berlin.pk, "channel": "phone", "kind": "complaint",
            "category": "delays", "description": "Nobody called back.",
            "name": "Amina Example", "contact": "+4930111", "language": "ar"}
    data.update(overrides)
    return data


def test_the_inbox_is_for_handlers_and_focal_points(world, client):
    client.force_login(world.carla)
    assert client.get("/feedback/inbox/").status_code == 403
    client.force_login(world.stella)
    assert client.get("/feedback/inbox/").status_code == 403
    for who in ("sam", "dana", "emil", "vera"):
        client.force_login(world.users[who])
        assert client.get("/feedback/inbox/").status_code == 200


def test_the_inbox_lists_filters_and_highlights_overdue(world, client,
                                                         django_assert_max_num_queries):
    late = recorded(world, received_at=timezone.now() - datetime.timedelta(days=20))
    fresh = recorded(world, category="travel")
    vienna = recorded(world, actor=world.otto, office=world.vienna)
    client.force_login(world.sam)
    with django_assert_max_num_queries(8):
        body = client.get("/feedback/inbox/").content.decode()
    assert late.reference in body and fresh.reference in body
    assert vienna.reference not in body
    assert body.index(late.reference) < body.index(fresh.reference)  # soonest due first
    assert "overdue" in body
    body = client.get("/feedback/inbox/?overdue=on").content.decode()
    assert late.reference in body and fresh.reference not in body
    body = client.get("/feedback/inbox/?category=travel").content.decode()
    assert fresh.reference in body and late.reference not in body
    body = client.get("/feedback/inbox/?status=closed").content.decode()
    assert "No feedback matches." in body


def test_the_inbox_pages(world, client):
    for _i in range(26):
        recorded(world)
    client.force_login(world.sam)
    first = client.get("/feedback/inbox/").content.decode()
    assert first.count('data-testid="feedback"') == 25 and "page=2" in first
    second = client.get("/feedback/inbox/?page=2").content.decode()
    assert second.count('data-testid="feedback"') == 1


def test_recording_is_for_staff(world, client):
    client.force_login(world.stella)
    assert client.get("/feedback/inbox/new/").status_code == 403
    client.force_login(world.paul)
    assert client.post("/feedback/inbox/new/", _new(world)).status_code == 403
    assert not Feedback.objects.exists()


def test_a_recorder_who_does_not_handle_gets_a_receipt_only(world, client):
    client.force_login(world.carla)
    assert client.get("/feedback/inbox/new/").status_code == 200
    response = client.post("/feedback/inbox/new/", _new(world))
    assert response.status_code == 200
    item = Feedback.objects.get()
    body = response.content.decode()
    assert item.reference in body and "Nobody called back" not in body
    assert item.recorded_by == world.carla and item.channel == "phone"
    assert client.get(f"/feedback/inbox/{item.reference}/").status_code == 404


def test_a_sensitive_receipt_warns_the_recorder(world, client):
    client.force_login(world.carla)
    response = client.post("/feedback/inbox/new/", _new(world, category="sea"))
    assert "complaints focal points only" in response.content.decode()


def test_a_handler_recording_goes_to_the_item(world, client):
    case = open_case(world)
    client.force_login(world.sam)
    response = client.post("/feedback/inbox/new/", _new(world, case_reference=case.reference,
                                                         concerns=[world.max.pk]))
    item = Feedback.objects.get()
    assert response["Location"] == f"/feedback/inbox/{item.reference}/"
    assert item.case == case and list(item.concerns.all()) == [world.max]
    body = client.get(response["Location"]).content.decode()
    assert case.reference in body and "Nobody called back" in body


def test_recording_refuses_a_case_the_recorder_may_not_see(world, client):
    other = open_case(world, actor=world.otto, office=world.vienna)
    client.force_login(world.carla)
    response = client.post("/feedback/inbox/new/", _new(world, case_reference=other.reference))
    assert response.status_code == 422
    assert "No case with this reference that you may see." in response.content.decode()
    assert not Feedback.objects.exists()


def test_the_detail_page_is_for_those_who_handle_the_item(world, client):
    item = recorded(world)
    client.force_login(world.vera)  # another office
    assert client.get(f"/feedback/inbox/{item.reference}/").status_code == 404
    client.force_login(world.dana)  # a focal point reads only the sensitive items
    assert client.get(f"/feedback/inbox/{item.reference}/").status_code == 404
    client.force_login(world.sam)
    body = client.get(f"/feedback/inbox/{item.reference}/").content.decode()
    assert "Waited three weeks" in body and "Amina Example" in body
    assert "hands it to the complaints focal points" in body
    assert client.get("/feedback/inbox/FB-AAAAAAAA/").status_code == 404


def test_a_handler_assigns_answers_and_closes(world, client):
    item = recorded(world)
    client.force_login(world.sam)
    url = f"/feedback/inbox/{item.reference}/"
    response = client.post(url + "assign/", {"assignee": world.sam.pk, "version": 1})
    assert response.status_code == 302, response.content.decode()
    response = client.post(url + "answer/", {"response": "See you Monday.", "version": 2})
    assert response.status_code == 302
    response = client.post(url + "close/", {"version": 3})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == Status.CLOSED and item.response == "See you Monday."
    response = client.post(url + "reopen/", {"version": 4})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == Status.IN_PROGRESS


def test_a_stale_form_is_refused_with_409(world, client):
    item = recorded(world)
    services.assign(actor=world.sam, item=item, version=1, assignee=world.sam)
    client.force_login(world.sam)
    response = client.post(f"/feedback/inbox/{item.reference}/close/", {"version": 1})
    assert response.status_code == 409
    assert "Someone else changed this record" in response.content.decode()


def test_assigning_to_someone_outside_the_handlers_is_refused(world, client):
    item = recorded(world)
    client.force_login(world.sam)
    response = client.post(f"/feedback/inbox/{item.reference}/assign/",
                           {"assignee": world.carla.pk, "version": 1})
    assert response.status_code == 422


def test_moving_to_a_sensitive_category_hides_it_at_once(world, client):
    item = recorded(world)
    client.force_login(world.sam)
    response = client.post(f"/feedback/inbox/{item.reference}/categorise/",
                           {"kind": "complaint", "category": "fraud", "version": 1},
                           follow=True)
    assert response.redirect_chain[-1][0] == "/feedback/inbox/"
    assert "you can no longer see it" in response.content.decode()
    assert client.get(f"/feedback/inbox/{item.reference}/").status_code == 404
    client.force_login(world.dana)
    assert client.get(f"/feedback/inbox/{item.reference}/").status_code == 200


def test_a_focal_point_moves_it_back(world, client):
    item = sensitive(world)
    client.force_login(world.dana)
    body = client.get(f"/feedback/inbox/{item.reference}/").content.decode()
    assert "Take off the staff concerned" in body
    response = client.post(f"/feedback/inbox/{item.reference}/categorise/",
                           {"kind": "complaint", "category": "staff_conduct", "version": 1},
                           follow=True)
    assert "now with the office&#x27;s feedback handlers" in response.content.decode()
    item.refresh_from_db()
    assert not item.sensitive
