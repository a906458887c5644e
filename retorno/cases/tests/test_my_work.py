import pytest

from retorno.cases.services import assign_case, transition_case
from retorno.testing.personas import open_case, prepare_application

pytestmark = pytest.mark.django_db


def test_it_groups_my_open_cases_by_status_with_counts(world, client):
    first, second, third = open_case(world), open_case(world), open_case(world)
    transition_case(second, "counselling", actor=world.carla)
    transition_case(third, "withdrawn", actor=world.carla, reason="Staying")
    client.force_login(world.carla)
    page = client.get("/").content.decode()
    assert "You have 2 open cases." in page
    assert "Registered: 1" in page and "Counselling: 1" in page
    assert first.reference in page and second.reference in page
    assert third.reference not in page  # withdrawn is not open


def test_it_shows_only_cases_assigned_to_me(world, client):
    case = open_case(world)
    assign_case(actor=world.sam, case=case, assignee=world.sam, version=case.version)
    client.force_login(world.carla)
    assert case.reference not in client.get("/").content.decode()
    client.force_login(world.sam)
    assert case.reference in client.get("/").content.decode()


def test_it_tells_a_supervisor_what_waits_for_approval(world, client):
    case = open_case(world)
    transition_case(case, "counselling", actor=world.carla)
    prepare_application(world, case)
    transition_case(case, "applied", actor=world.carla)
    client.force_login(world.sam)
    assert "1 case is waiting for approval" in client.get("/").content.decode()


def test_it_sends_anonymous_users_to_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_it_uses_a_fixed_number_of_queries(world, client, django_assert_max_num_queries):
    for _ in range(8):
        open_case(world)
    client.force_login(world.carla)
    with django_assert_max_num_queries(8):
        client.get("/")
