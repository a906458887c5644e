"""The work each step puts on a queue, through the real services and transitions."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from retorno.accounts.models import Role
from retorno.cases.services import assign_case, transition_case
from retorno.medical.models import Outcome
from retorno.medical.services import record_assessment, update_assessment
from retorno.privacy.models import AuditEvent
from retorno.screening.tests.builders import add, born, screen
from retorno.tasks.models import Task, TaskKind, TaskStatus
from retorno.tasks.tests.builders import applied_case, approved_case, open_tasks, the_task
from retorno.testing.personas import open_case, prepare_application, prepare_travel

pytestmark = pytest.mark.django_db

MONDAY = datetime.datetime(2026, 3, 2, 10, tzinfo=datetime.UTC)


def _fit(world, case, person, outcome=Outcome.FIT):
    return record_assessment(actor=world.mona, case=case, person=person, data={
        "outcome": outcome, "assessed_on": timezone.localdate()})


@time_machine.travel(MONDAY, tick=False)
def test_it_gives_a_new_case_to_its_caseworker_to_counsel_within_a_week(world):
    case = open_case(world)
    task = the_task(case, TaskKind.COUNSEL)
    assert task.assignee == world.carla and task.role == "" and task.office == world.berlin
    assert task.due_on == datetime.date(2026, 3, 9) and task.created_by == world.carla
    # System-made: no audit event of its own (the case opening is audited).
    assert not AuditEvent.objects.filter(target_type="task").exists()


def test_it_puts_an_unassigned_case_on_the_caseworkers_queue(world):
    # A supervisor opens the case without assigning it: any caseworker may take it.
    case = open_case(world, actor=world.sam)
    assert case.assignee is None
    task = the_task(case, TaskKind.COUNSEL)
    assert task.assignee is None and task.role == Role.CASEWORKER
    assign_case(actor=world.sam, case=case, assignee=world.carla, version=case.version)
    task.refresh_from_db()
    assert task.assignee == world.carla and task.role == Role.CASEWORKER


def test_it_moves_the_caseworkers_tasks_with_the_case(world):
    case = open_case(world)
    screen(case, world.carla, None, "forced_work")
    assign_case(actor=world.sam, case=case, assignee=world.sam, version=case.version)
    assert {t.kind: t.assignee for t in open_tasks(case)} == {
        TaskKind.COUNSEL: world.sam, TaskKind.SCREENING_ACTION: world.sam}
    # Nobody assigned: back to the caseworkers' queue, not lost.
    assign_case(actor=world.sam, case=case, assignee=None, version=case.version)
    assert {(t.assignee, t.role) for t in open_tasks(case)} == {(None, Role.CASEWORKER)}


def test_it_closes_counselling_when_it_starts(world):
    case = open_case(world)
    transition_case(case, "counselling", actor=world.carla)
    task = Task.objects.get(case=case, kind=TaskKind.COUNSEL)
    assert task.status == TaskStatus.DONE and task.completed_by == world.carla
    assert task.completed_at is not None
    assert open_tasks(case) == []


def test_it_puts_the_application_on_the_supervisors_queue_for_five_days(world):
    with time_machine.travel(MONDAY, tick=False):
        case = applied_case(world)
    task = the_task(case, TaskKind.APPROVE)
    assert task.role == Role.SUPERVISOR and task.office == world.berlin
    assert task.assignee is None and task.due_on == datetime.date(2026, 3, 7)


def test_it_closes_the_approval_task_when_the_application_is_decided(world):
    approved = approved_case(world)
    task = Task.objects.get(case=approved, kind=TaskKind.APPROVE)
    assert task.status == TaskStatus.DONE and task.completed_by == world.sam
    rejected = applied_case(world)
    transition_case(rejected, "rejected", actor=world.sam, reason="Holds a residence permit")
    task = Task.objects.get(case=rejected, kind=TaskKind.APPROVE)
    assert task.status == TaskStatus.DONE and task.completed_by == world.sam


def test_it_keeps_a_held_application_waiting_with_its_due_date(world):
    with time_machine.travel(MONDAY, tick=False):
        case = applied_case(world)
    with time_machine.travel(MONDAY + datetime.timedelta(days=3), tick=False):
        transition_case(case, "on_hold", actor=world.carla, reason="Court hearing")
        transition_case(case, "resume", actor=world.carla)
    task = the_task(case, TaskKind.APPROVE)
    assert task.due_on == datetime.date(2026, 3, 7)
    assert Task.objects.filter(case=case, kind=TaskKind.APPROVE).count() == 1


def test_it_asks_the_medical_officers_for_fitness_until_every_member_is_fit(world):
    with time_machine.travel(MONDAY, tick=False):
        case = applied_case(world)
        child = add(case, world.carla, "child", born(8))
        transition_case(case, "approved", actor=world.sam)
    task = the_task(case, TaskKind.FITNESS)
    assert task.role == Role.MEDICAL_OFFICER and task.office == world.berlin
    assert task.due_on == datetime.date(2026, 3, 9) and task.subject_type == ""
    _fit(world, case, case.principal.person)
    assert the_task(case, TaskKind.FITNESS).status == TaskStatus.OPEN
    pending = _fit(world, case, child.person, Outcome.PENDING)
    assert the_task(case, TaskKind.FITNESS).status == TaskStatus.OPEN
    update_assessment(actor=world.mona, assessment=pending, data={"outcome": Outcome.FIT},
                      version=pending.version)
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE and task.completed_by == world.mona


def test_it_opens_no_fitness_task_when_everyone_is_fit_already(world):
    case = open_case(world)
    transition_case(case, "counselling", actor=world.carla)
    prepare_application(world, case)
    prepare_travel(world, case)
    transition_case(case, "applied", actor=world.carla)
    transition_case(case, "approved", actor=world.sam)
    assert not Task.objects.filter(case=case, kind=TaskKind.FITNESS).exists()


@time_machine.travel(MONDAY, tick=False)
def test_it_opens_one_task_per_screening_proposal_sooner_for_trafficking(world):
    case = open_case(world)
    screen(case, world.carla, None, "forced_work", "sexual_violence")
    tasks = {t.detail["flag"]: t for t in open_tasks(case, TaskKind.SCREENING_ACTION)}
    assert set(tasks) == {"trafficking", "gbv"}
    assert tasks["trafficking"].due_on == datetime.date(2026, 3, 4)
    assert tasks["gbv"].due_on == datetime.date(2026, 3, 9)
    person = case.principal.person_id
    assert tasks["gbv"].subject_type == "flag:gbv" and tasks["gbv"].subject_id == person
    assert tasks["gbv"].assignee == world.carla and tasks["gbv"].person_id == person


@time_machine.travel(MONDAY, tick=False)
def test_it_gives_a_child_alone_two_days_and_never_duplicates_a_proposal(world):
    case = open_case(world)
    child = add(case, world.carla, "other_relative", born(15))
    screen(case, world.carla, child)
    task = the_task(case, TaskKind.SCREENING_ACTION)
    assert task.detail["flag"] == "separated_child" and task.person_id == child.person_id
    assert task.due_on == datetime.date(2026, 3, 4)
    # Screened again with the same outcome: the open task is kept, not doubled.
    screen(case, world.carla, child)
    assert len(open_tasks(case, TaskKind.SCREENING_ACTION)) == 1


@pytest.mark.parametrize(("step", "actor", "reason"), [
    ("withdrawn", "carla", "Decided to stay"),
    ("cancelled", "sam", "Registered twice"),
    ("rejected", "sam", "Not eligible"),
])
def test_it_cancels_every_open_task_when_the_case_ends(world, step, actor, reason):
    case = applied_case(world)
    screen(case, world.carla, None, "forced_work")
    transition_case(case, step, actor=world.users[actor], reason=reason)
    assert open_tasks(case) == []
    screening = Task.objects.get(case=case, kind=TaskKind.SCREENING_ACTION)
    assert screening.status == TaskStatus.CANCELLED
    assert screening.completed_by == world.users[actor]


def test_it_leaves_the_tasks_of_a_case_on_hold_open(world):
    case = open_case(world)
    transition_case(case, "on_hold", actor=world.carla, reason="Hospitalised")
    assert [t.kind for t in open_tasks(case)] == [TaskKind.COUNSEL]


@time_machine.travel(MONDAY, tick=False)
def test_a_travel_document_puts_its_request_follow_up_and_collection_on_the_queue(world):
    from retorno.documents.services import change_status
    from retorno.documents.tests.builders import record, to_request

    case = approved_case(world)
    document = record(case, world.carla, **to_request())
    request = the_task(case, TaskKind.DOCUMENT_REQUEST)
    assert (request.assignee, request.due_on) == (world.carla, datetime.date(2026, 3, 9))
    assert request.detail == {"person": case.principal.person_id}

    document = change_status(actor=world.carla, document=document, to="requested",
                             version=document.version,
                             data={"requested_on": datetime.date(2026, 3, 2)})
    request.refresh_from_db()
    assert request.status == TaskStatus.DONE
    follow_up = the_task(case, TaskKind.DOCUMENT_FOLLOW_UP)
    assert follow_up.due_on == datetime.date(2026, 3, 16)  # 14 days after the request

    # Following up moves the same task to the next date; it is not duplicated.
    document = change_status(actor=world.carla, document=document, to="requested",
                             version=document.version,
                             data={"follow_up_on": datetime.date(2026, 3, 23)})
    follow_up.refresh_from_db()
    assert (follow_up.status, follow_up.due_on) == (TaskStatus.OPEN,
                                                     datetime.date(2026, 3, 23))
    assert len(open_tasks(case, TaskKind.DOCUMENT_FOLLOW_UP)) == 1

    document = change_status(actor=world.carla, document=document, to="issued",
                             version=document.version,
                             data={"number": "E1234567", "issued_on": datetime.date(2026, 3, 2),
                                   "expires_on": datetime.date(2026, 9, 2)})
    follow_up.refresh_from_db()
    assert follow_up.status == TaskStatus.DONE
    collect = the_task(case, TaskKind.DOCUMENT_COLLECT)
    assert collect.due_on == datetime.date(2026, 3, 9)
    change_status(actor=world.carla, document=document, to="collected",
                  version=document.version, data={})
    collect.refresh_from_db()
    assert collect.status == TaskStatus.DONE
    assert not [t for t in open_tasks(case) if t.kind.startswith("document")]


def test_a_refused_document_closes_its_follow_up_and_asking_again_reopens_the_request(world):
    from retorno.documents.services import change_status
    from retorno.documents.tests.builders import requested

    case = approved_case(world)
    document = requested(case, world.carla)
    document = change_status(actor=world.carla, document=document, to="refused",
                             version=document.version,
                             data={"refusal_reason": "Identity not established"})
    assert not [t for t in open_tasks(case) if t.kind.startswith("document")]
    change_status(actor=world.carla, document=document, to="to_request",
                  version=document.version, data={})
    assert len(open_tasks(case, TaskKind.DOCUMENT_REQUEST)) == 1
