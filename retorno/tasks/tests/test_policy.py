import datetime

import pytest
from django.http import Http404
from django.test import RequestFactory

from retorno.accounts.models import Role
from retorno.cases.services import transition_case
from retorno.screening.tests.builders import add, born, screen
from retorno.tasks import policy, services
from retorno.tasks.models import TaskKind, TaskStatus
from retorno.tasks.rows import rows
from retorno.tasks.sections import case_section
from retorno.tasks.tests.builders import applied_case, approved_case, the_task
from retorno.testing.personas import open_case, prepare_application, prepare_travel, walk

pytestmark = pytest.mark.django_db


def _mine(user, **kwargs):
    return {(t.case_id, t.kind) for t in policy.tasks_for(user, **kwargs)}


def test_each_user_sees_their_own_tasks_and_their_queues(world):
    registered = open_case(world)
    applied = applied_case(world)
    approved = approved_case(world)
    counsel = (registered.pk, TaskKind.COUNSEL)
    approve = (applied.pk, TaskKind.APPROVE)
    fitness = (approved.pk, TaskKind.FITNESS)
    assert _mine(world.carla) == {counsel}
    assert _mine(world.sam) == {approve}  # the supervisors' queue
    assert _mine(world.mona) == {fitness}  # the medical officers' queue
    for persona in ("max", "pia", "dana", "rita", "emil", "paul", "stella", "otto", "vera"):
        assert _mine(world.users[persona]) == set(), persona


def test_a_taken_task_leaves_the_queue_for_everyone_else(world):
    case = applied_case(world)
    task = the_task(case, TaskKind.APPROVE)
    services.reassign_task(actor=world.sam, task=task, assignee=world.carla,
                           version=task.version)
    assert _mine(world.sam) == set()
    assert _mine(world.carla) == {(case.pk, TaskKind.APPROVE)}
    assert _mine(world.carla, scope=policy.MINE) == {(case.pk, TaskKind.APPROVE)}
    assert _mine(world.carla, scope=policy.QUEUES) == set()


def test_a_queue_shows_only_cases_its_members_may_see(world):
    # A task on the Baghdad reintegration officers' queue about a Berlin case: Rita holds
    # that role there, but sees the case only once it has been handed over on departure.
    case = open_case(world)
    services.open_task(case=case, kind=TaskKind.DOCUMENT_COLLECT, office=world.baghdad,
                       role=Role.REINTEGRATION_OFFICER, due_on=datetime.date(2026, 3, 2))
    assert _mine(world.rita) == set()
    with pytest.raises(Http404):
        policy.access_task(world.rita, the_task(case, TaskKind.DOCUMENT_COLLECT).pk)
    transition_case(case, "counselling", actor=world.carla)
    prepare_application(world, case)
    prepare_travel(world, case)
    walk(world, case, ("applied", world.carla), ("approved", world.sam),
         ("preparing_departure", world.carla), ("ready_to_travel", world.max),
         ("departed", world.max))
    assert _mine(world.rita) == {(case.pk, TaskKind.DOCUMENT_COLLECT),
                                 (case.pk, TaskKind.ACCEPT_HANDOVER)}


def test_a_user_of_another_office_sees_nothing_of_berlins_tasks(world):
    case = open_case(world)
    services.open_task(case=case, kind=TaskKind.DOCUMENT_FOLLOW_UP, role=Role.CASEWORKER,
                       due_on=datetime.date(2026, 3, 2))
    for persona in ("otto", "vera"):  # a caseworker and a supervisor, but of Vienna
        user = world.users[persona]
        assert _mine(user, status="") == set()
        assert not policy.visible_tasks(user).exists()
        with pytest.raises(Http404):
            policy.access_task(user, the_task(case, TaskKind.COUNSEL).pk)


def test_it_filters_by_status(world):
    case = open_case(world)
    transition_case(case, "counselling", actor=world.carla)
    assert _mine(world.carla) == set()
    assert _mine(world.carla, status=TaskStatus.DONE) == {(case.pk, TaskKind.COUNSEL)}
    assert _mine(world.carla, status="") == {(case.pk, TaskKind.COUNSEL)}


def test_my_tasks_is_one_query(world, django_assert_num_queries):
    for _ in range(3):
        open_case(world)
    world.carla.refresh_from_db()
    policy.tasks_for(world.carla)  # memberships, read once per request
    with django_assert_num_queries(1):
        assert len(list(policy.my_tasks(world.carla))) == 3


def test_who_may_act(world):
    case = open_case(world)
    task = the_task(case, TaskKind.COUNSEL)
    assert policy.can_act(world.carla, task) and policy.can_act(world.sam, task)
    for persona in ("mona", "max", "dana", "otto", "vera", "rita"):
        assert not policy.can_act(world.users[persona], task), persona
    transition_case(case, "counselling", actor=world.carla)
    task.refresh_from_db()
    assert not policy.can_act(world.carla, task) and policy.may_act(world.carla, task)


def test_only_protection_roles_read_a_screening_proposals_flag(world):
    case = open_case(world)
    screen(case, world.carla, None, "forced_work")
    request = RequestFactory().get("/")
    for persona, label in [("carla", "Act on the screening: Victim of trafficking"),
                           ("mona", "Act on the screening: Victim of trafficking"),
                           ("max", "Act on a vulnerability screening proposal"),
                           ("pia", "Act on a vulnerability screening proposal")]:
        request.user = world.users[persona]
        shown = {r.task.kind: r for r in case_section(request, case)["rows"]}
        row = shown[TaskKind.SCREENING_ACTION]
        assert row.label == label, persona
        assert ("counter-trafficking" in row.hint) == label.endswith("trafficking"), persona


def test_rows_name_the_member_a_task_is_about_or_the_principal(world, django_assert_num_queries):
    case = open_case(world)
    child = add(case, world.carla, "other_relative", born(15), given_name="Noor")
    screen(case, world.carla, child)
    tasks = list(policy.my_tasks(world.carla).select_related("case", "assignee", "office",
                                                              "completed_by"))
    with django_assert_num_queries(1):
        shown = {r.task.kind: r.person.given_name for r in rows(tasks, world.carla)}
    assert shown == {TaskKind.COUNSEL: "Ahmed", TaskKind.SCREENING_ACTION: "Noor"}
