import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from retorno.cases.models import Case, Status, TimelineKind
from retorno.cases.services import assign_case, transition_case
from retorno.privacy.models import AuditEvent, AuditType
from retorno.testing.personas import (
    open_case,
    person_data,
    prepare_application,
    prepare_travel,
    receive,
    walk,
)

pytestmark = pytest.mark.django_db


def url(case: Case) -> str:
    return reverse("api:case_transitions", args=[case.reference])


@pytest.fixture
def client_for():
    def make(user) -> APIClient:
        client = APIClient()
        client.force_authenticate(user)
        return client
    return make


def move(case: Case, *steps: tuple[str, object]) -> None:
    for name, actor in steps:
        transition_case(case, name, actor=actor, reason="-")


class TestCaseTransitionsApi:
    def test_it_lists_the_steps_the_user_may_take_now(self, world, client_for):
        case = open_case(world)
        options = client_for(world.carla).get(url(case)).json()
        assert [o["name"] for o in options] == [
            "counselling", "withdrawn", "on_hold", "referred_alternative"]
        counselling = options[0]
        assert counselling == {"name": "counselling", "label": "Start counselling",
                               "to": "counselling", "needs_reason": False, "asks_comment": False,
                               "danger": False,
                               "unmet_guards": []}
        assert options[1]["needs_reason"] and options[1]["danger"]
        # A supervisor may also reject and cancel.
        names = [o["name"] for o in client_for(world.sam).get(url(case)).json()]
        assert {"rejected", "cancelled"} <= set(names)

    def test_it_lists_what_blocks_each_step(self, world, client_for):
        case = open_case(world, actor=world.sam)  # a supervisor opens it: nobody assigned
        options = client_for(world.sam).get(url(case)).json()
        counselling = next(o for o in options if o["name"] == "counselling")
        assert counselling["unmet_guards"] == ["Assign a caseworker to the case."]

    def test_it_shows_where_a_held_case_resumes(self, world, client_for):
        case = open_case(world)
        move(case, ("counselling", world.carla), ("on_hold", world.carla))
        options = client_for(world.carla).get(url(case)).json()
        resume = next(o for o in options if o["name"] == "resume")
        assert resume["to"] == "counselling"

    def test_it_moves_a_case_and_answers_with_it(self, world, client_for):
        case = open_case(world)
        response = client_for(world.carla).post(url(case), {"transition": "counselling"},
                                                format="json")
        assert response.status_code == 200, response.content
        data = response.json()
        assert (data["status"], data["version"]) == ("counselling", 2)
        entry = data["timeline"][0]
        assert (entry["kind"], entry["from_status"], entry["to_status"], entry["actor"]) == (
            TimelineKind.TRANSITION, "registered", "counselling", "carla")
        event = AuditEvent.objects.get(event_type=AuditType.CASE_TRANSITIONED)
        assert (event.actor, event.extra["new"]) == (world.carla, {"status": "counselling"})

    def test_it_withdraws_with_a_reason(self, world, client_for):
        case = open_case(world)
        response = client_for(world.max).post(
            url(case), {"transition": "withdrawn", "reason": "Wants to stay with family"},
            format="json")
        assert response.status_code == 200, response.content
        assert response.json()["timeline"][0]["reason"] == "Wants to stay with family"
        case.refresh_from_db()
        assert case.status == Status.WITHDRAWN

    def test_it_refuses_with_the_unmet_guard_when_the_reason_is_missing(self, world,
                                                                       client_for):
        case = open_case(world)
        response = client_for(world.carla).post(url(case), {"transition": "withdrawn"},
                                                format="json")
        assert response.status_code == 409
        assert response.json()["unmet_guards"] == ["Give a reason."]
        case.refresh_from_db()
        assert (case.status, case.version) == (Status.REGISTERED, 1)

    def test_it_lists_every_unmet_guard(self, world, client_for):
        case = open_case(world, person=person_data(nationality="NGA"))
        prepare_application(world, case)
        move(case, ("counselling", world.carla), ("applied", world.carla))
        case.refresh_from_db()
        # The supervisor is also the assignee, so four-eyes fails too.
        assign_case(actor=world.sam, case=case, assignee=world.sam, version=case.version)
        response = client_for(world.sam).post(url(case), {"transition": "approved"},
                                              format="json")
        assert response.status_code == 409
        unmet = response.json()["unmet_guards"]
        assert len(unmet) == 2
        assert "nationality (Nigeria) is not eligible" in unmet[0]
        assert "other than the assigned caseworker" in unmet[1]
        assert not AuditEvent.objects.filter(event_type=AuditType.CASE_TRANSITIONED,
                                             extra__new__status="approved").exists()

    def test_it_refuses_a_role_that_may_not_take_the_step(self, world, client_for):
        case = open_case(world)
        prepare_application(world, case)
        move(case, ("counselling", world.carla), ("applied", world.carla))
        response = client_for(world.carla).post(url(case), {"transition": "approved"},
                                                format="json")
        assert response.status_code == 403
        response = client_for(world.sam).post(url(case), {"transition": "approved"},
                                              format="json")
        assert response.status_code == 200
        assert response.json()["status"] == "approved"

    def test_it_refuses_a_step_that_does_not_leave_the_current_status(self, world,
                                                                      client_for):
        case = open_case(world)
        response = client_for(world.sam).post(url(case), {"transition": "closed"},
                                              format="json")
        assert response.status_code == 409
        assert response.json()["unmet_guards"]

    def test_it_rejects_an_unknown_step(self, world, client_for):
        case = open_case(world)
        response = client_for(world.carla).post(url(case), {"transition": "teleported"},
                                                format="json")
        assert response.status_code == 400
        assert "transition" in response.json()

    def test_it_hides_another_offices_case(self, world, client_for):
        case = open_case(world)
        for persona in ("otto", "paul", "stella"):
            client = client_for(getattr(world, persona))
            assert client.get(url(case)).status_code == 404
            response = client.post(url(case), {"transition": "withdrawn", "reason": "x"},
                                   format="json")
            assert response.status_code == 404
        case.refresh_from_db()
        assert case.status == Status.REGISTERED

    def test_it_lets_the_origin_office_confirm_arrival_after_departure(self, world,
                                                                       client_for):
        case = open_case(world)
        rita = client_for(world.rita)
        assert rita.get(url(case)).status_code == 404
        prepare_application(world, case)
        prepare_travel(world, case)
        walk(world, case, ("counselling", world.carla), ("applied", world.carla),
             ("approved", world.sam), ("preparing_departure", world.max),
             ("ready_to_travel", world.max), ("departed", world.max))
        assert [o["name"] for o in rita.get(url(case)).json()][:1] == ["arrived"]
        receive(world, case)
        response = rita.post(url(case), {"transition": "arrived"}, format="json")
        assert response.status_code == 200, response.content
        assert response.json()["status"] == "arrived"
        # The reintegration officer reads protection detail; the flags are shown.
        assert "vulnerabilities" in response.json()["members"][0]
