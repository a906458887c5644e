import pytest

from retorno.cases.models import Status, TimelineEntry
from retorno.cases.services import add_member, register_and_add_member, transition_case
from retorno.testing.personas import (
    open_case,
    person_data,
    prepare_application,
    prepare_travel,
    walk,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(world):
    case = open_case(world)
    register_and_add_member(actor=world.carla, case=case, person=person_data(
        given_name="Sara", given_name_original="سارة", date_of_birth=None),
        member={"relationship": "child", "category": "asylum_rejected",
                "vulnerabilities": ["unaccompanied_child"]})
    return case


def test_it_shows_members_status_and_timeline(world, client, case):
    client.force_login(world.carla)
    page = client.get(f"/cases/{case.reference}/").content.decode()
    assert "Ahmed Al-Rashid (أحمد الرشيد)" in page
    assert "Sara Al-Rashid (سارة الرشيد)" in page
    assert 'data-testid="status">Registered<' in page
    assert "Case opened" in page and "Member added" in page
    assert "Unaccompanied child" in page
    assert "Start counselling" in page


def test_it_hides_vulnerabilities_from_roles_that_do_not_act_on_them(world, client, case):
    client.force_login(world.max)
    page = client.get(f"/cases/{case.reference}/").content.decode()
    assert "Sara Al-Rashid" in page
    assert "Unaccompanied child" not in page
    assert ">Start counselling</button>" not in page  # not a movement officer's step


def test_it_shows_a_step_with_its_unmet_guards(world, client):
    case = open_case(world, programme=None)
    transition_case(case, "counselling", actor=world.carla)
    client.force_login(world.carla)
    page = client.get(f"/cases/{case.reference}/").content.decode()
    assert "Record the application" in page
    assert "Choose a programme for this case." in page


def test_it_is_a_404_for_another_office_and_for_a_made_up_reference(world, client, case):
    client.force_login(world.otto)
    assert client.get(f"/cases/{case.reference}/").status_code == 404
    client.force_login(world.carla)
    assert client.get("/cases/DEU-2026-999999/").status_code == 404


def test_it_shows_the_origin_office_the_case_only_after_handover(world, client, case):
    client.force_login(world.rita)
    assert client.get(f"/cases/{case.reference}/").status_code == 404
    prepare_application(world, case)
    prepare_travel(world, case)
    walk(world, case, ("counselling", world.carla), ("applied", world.carla),
         ("approved", world.sam), ("preparing_departure", world.max),
         ("ready_to_travel", world.max), ("departed", world.max))
    page = client.get(f"/cases/{case.reference}/").content.decode()
    assert "Confirm arrival" in page


def test_it_moves_the_case_through_htmx_and_returns_the_panel(world, client, case):
    client.force_login(world.carla)
    response = client.post(f"/cases/{case.reference}/transitions/counselling/",
                           HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in page
    assert 'data-testid="status">Counselling<' in page
    assert page.startswith('<div id="case-body">')
    assert "Registered → Counselling" in page
    case.refresh_from_db()
    assert case.status == Status.COUNSELLING


def test_it_lists_every_unmet_guard_when_a_step_is_refused(world, client):
    case = open_case(world, person=person_data(nationality="NGA"))
    transition_case(case, "counselling", actor=world.carla)
    prepare_application(world, case)
    transition_case(case, "applied", actor=world.carla)
    client.force_login(world.sam)
    response = client.post(f"/cases/{case.reference}/transitions/approved/",
                           HTTP_HX_REQUEST="true")
    assert response.status_code == 422
    page = response.content.decode()
    assert "This step cannot be taken yet:" in page
    assert "nationality (Nigeria) is not eligible for erin-deu" in page
    case.refresh_from_db()
    assert case.status == Status.APPLIED


def test_it_keeps_the_typed_reason_when_withdrawal_is_refused(world, client, case):
    client.force_login(world.carla)
    response = client.post(f"/cases/{case.reference}/transitions/withdrawn/",
                           {"reason": "   "}, HTTP_HX_REQUEST="true")
    assert "Give a reason." in response.content.decode()
    response = client.post(f"/cases/{case.reference}/transitions/withdrawn/",
                           {"reason": "Decided to stay"}, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert 'data-testid="status">Withdrawn<' in page
    # The whole case body is replaced: a closed case offers no edit any more.
    assert f"/cases/{case.reference}/edit/" not in page
    assert "Add a family member" not in page
    assert TimelineEntry.objects.filter(case=case, reason="Decided to stay").exists()


def test_it_works_without_javascript(world, client, case):
    client.force_login(world.carla)
    response = client.post(f"/cases/{case.reference}/transitions/withdrawn/", {"reason": ""})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Give a reason." in page


def test_it_refuses_a_step_the_role_may_not_take(world, client, case):
    client.force_login(world.mona)
    response = client.post(f"/cases/{case.reference}/transitions/counselling/",
                           HTTP_HX_REQUEST="true")
    assert "Your role may not do" in response.content.decode()
    case.refresh_from_db()
    assert case.status == Status.REGISTERED


def test_it_adds_and_removes_a_family_member(world, client, case):
    client.force_login(world.carla)
    response = client.post(f"/cases/{case.reference}/members/add/", {
        "person-given_name": "Layla", "person-family_name": "Al-Rashid", "person-sex": "F",
        "person-date_of_birth": "2015-01-01", "person-date_of_birth_approximate": "on",
        "person-nationality": "IRQ", "member-relationship": "child",
        "member-category": "asylum_rejected"})
    assert response.status_code == 302
    member = case.members.get(person__given_name="Layla")
    assert member.person.date_of_birth_approximate
    response = client.post(f"/cases/{case.reference}/members/{member.pk}/remove/")
    assert response.status_code == 302
    assert not case.members.filter(pk=member.pk).exists()


def test_it_will_not_remove_the_principal(world, client, case):
    principal = case.members.get(relationship="principal")
    client.force_login(world.carla)
    client.post(f"/cases/{case.reference}/members/{principal.pk}/remove/")
    assert case.members.filter(pk=principal.pk).exists()


def test_it_will_not_add_the_same_person_twice(world, client, case):
    principal = case.members.get(relationship="principal").person
    with pytest.raises(Exception, match="already a member"):
        add_member(actor=world.carla, case=case, person=principal,
                   member={"relationship": "spouse", "category": "irregular"})


def test_it_shows_the_audit_log_to_supervisors_and_dp_focal_points_only(world, client, case):
    for persona, status in [("sam", 200), ("dana", 200), ("carla", 403), ("max", 403),
                            ("otto", 404)]:
        client.force_login(world.users[persona])
        assert client.get(f"/cases/{case.reference}/audit/").status_code == status, persona
    client.force_login(world.sam)
    page = client.get(f"/cases/{case.reference}/audit/").content.decode()
    assert "Case opened" in page and "Case member added" in page
