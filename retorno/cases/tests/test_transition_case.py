import pytest

from retorno.cases.models import Status, TimelineEntry, TimelineKind
from retorno.cases.services import transition_case, transition_options
from retorno.lib.errors import GuardsFailed, NotAllowed
from retorno.privacy.models import AuditEvent, AuditType
from retorno.testing.personas import open_case, person_data

pytestmark = pytest.mark.django_db


def test_it_moves_a_case_and_records_timeline_and_audit(world):
    case = open_case(world)
    transition_case(case, "counselling", actor=world.carla)
    case.refresh_from_db()
    assert case.status == Status.COUNSELLING
    entry = case.timeline.filter(kind=TimelineKind.TRANSITION).get()
    assert (entry.from_status, entry.to_status, entry.actor) == (
        Status.REGISTERED, Status.COUNSELLING, world.carla)
    event = AuditEvent.objects.get(case=case, event_type=AuditType.CASE_TRANSITIONED)
    assert event.extra["old"] == {"status": "registered"}
    assert event.extra["new"] == {"status": "counselling"}


def test_it_records_nothing_when_moving_to_the_current_status(world):
    case = open_case(world)
    transition_case(case, "counselling", actor=world.carla)
    before = TimelineEntry.objects.count()
    transition_case(case, "counselling", actor=world.carla)
    assert TimelineEntry.objects.count() == before


def test_it_requires_a_reason_to_withdraw(world):
    case = open_case(world)
    with pytest.raises(GuardsFailed) as exc:
        transition_case(case, "withdrawn", actor=world.carla, reason="  ")
    assert exc.value.messages == ["Give a reason."]
    transition_case(case, "withdrawn", actor=world.carla, reason="Wants to stay with family")
    case.refresh_from_db()
    assert case.status == Status.WITHDRAWN
    assert case.timeline.first().reason == "Wants to stay with family"


def test_it_refuses_approval_by_the_assigned_caseworker_and_lists_every_unmet_guard(world):
    case = open_case(world, person=person_data(nationality="NGA"))
    transition_case(case, "counselling", actor=world.carla)
    transition_case(case, "applied", actor=world.carla)
    case.assignee = world.sam  # the supervisor is also the assignee: four-eyes fails
    case.save(update_fields=["assignee"])
    with pytest.raises(GuardsFailed) as exc:
        transition_case(case, "approved", actor=world.sam)
    assert len(exc.value.messages) == 2
    assert "nationality (Nigeria) is not eligible" in exc.value.messages[0]
    assert "other than the assigned caseworker" in exc.value.messages[1]


def test_it_refuses_a_role_that_may_not_perform_the_transition(world):
    case = open_case(world)
    transition_case(case, "counselling", actor=world.carla)
    transition_case(case, "applied", actor=world.carla)
    with pytest.raises(NotAllowed):
        transition_case(case, "approved", actor=world.carla)
    transition_case(case, "approved", actor=world.sam)
    assert case.status == Status.APPROVED


def test_it_hands_over_on_departure_and_lets_the_origin_office_confirm_arrival(world):
    case = open_case(world)
    for name, actor in [("counselling", world.carla), ("applied", world.carla),
                        ("approved", world.sam), ("preparing_departure", world.max),
                        ("ready_to_travel", world.max), ("departed", world.max)]:
        transition_case(case, name, actor=actor)
    assert case.handed_over_at is not None
    assert [o.transition.name for o in transition_options(case, world.rita)][:1] == ["arrived"]
    transition_case(case, "arrived", actor=world.rita)
    assert case.status == Status.ARRIVED


def test_it_resumes_a_held_case_where_it_was(world):
    case = open_case(world)
    transition_case(case, "counselling", actor=world.carla)
    transition_case(case, "on_hold", actor=world.carla, reason="Return suspended")
    assert case.held_from == Status.COUNSELLING
    transition_case(case, "resume", actor=world.carla)
    assert case.status == Status.COUNSELLING
