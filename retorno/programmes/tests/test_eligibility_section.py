import pytest

from retorno.cases.models import Status, TimelineEntry, TimelineKind
from retorno.cases.services import transition_case
from retorno.testing.personas import open_case, person_data, prepare_application

pytestmark = pytest.mark.django_db


def _applied(world, **overrides):
    case = open_case(world, **overrides)
    transition_case(case, "counselling", actor=world.carla)
    prepare_application(world, case)
    transition_case(case, "applied", actor=world.carla)
    return case


def test_the_case_page_explains_each_rule_while_approval_is_ahead(world, client):
    case = _applied(world, person=person_data(nationality="NGA"))
    for user in (world.carla, world.sam, world.max):
        client.force_login(user)
        page = client.get(f"/cases/{case.reference}/").content.decode()
        assert 'id="eligibility"' in page
        assert "Nationality — <span class=\"badge final\">not met" in page
        assert "nationality (Nigeria) is not eligible for erin-deu." in page
        assert "Programme erin-deu serves migrants in Germany." in page


def test_the_section_shows_in_counselling_but_not_before_or_after(world, client):
    case = open_case(world)
    client.force_login(world.carla)
    assert 'id="eligibility"' not in client.get(f"/cases/{case.reference}/").content.decode()
    transition_case(case, "counselling", actor=world.carla)
    assert 'id="eligibility"' in client.get(f"/cases/{case.reference}/").content.decode()
    prepare_application(world, case)
    transition_case(case, "applied", actor=world.carla)
    transition_case(case, "approved", actor=world.sam)
    assert 'id="eligibility"' not in client.get(f"/cases/{case.reference}/").content.decode()


def test_an_outsider_sees_no_section_and_no_case(world, client):
    case = _applied(world)
    client.force_login(world.otto)
    assert client.get(f"/cases/{case.reference}/").status_code == 404


def test_approval_offers_an_optional_comment(world, client):
    case = _applied(world)
    client.force_login(world.sam)
    page = client.get(f"/cases/{case.reference}/").content.decode()
    assert 'id="reason-approved" name="reason">' in page  # not required
    assert 'id="reason-rejected" name="reason" required>' in page


def test_approval_stores_its_comment_on_the_timeline(world, client):
    case = _applied(world)
    client.force_login(world.sam)
    response = client.post(f"/cases/{case.reference}/transitions/approved/",
                           {"reason": "  Family of four, flights booked for June.  "},
                           HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    case.refresh_from_db()
    assert case.status == Status.APPROVED
    entry = TimelineEntry.objects.filter(case=case, kind=TimelineKind.TRANSITION).first()
    assert (entry.to_status, entry.reason) == (Status.APPROVED,
                                               "Family of four, flights booked for June.")
    assert "Family of four, flights booked for June." in response.content.decode()


def test_approval_needs_no_comment(world, client):
    case = _applied(world)
    client.force_login(world.sam)
    client.post(f"/cases/{case.reference}/transitions/approved/", {"reason": ""})
    case.refresh_from_db()
    assert case.status == Status.APPROVED
    assert case.timeline.first().reason == ""
