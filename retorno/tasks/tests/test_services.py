import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from retorno.accounts.models import Role
from retorno.cases.models import TimelineKind
from retorno.cases.services import transition_case
from retorno.lib.errors import Invalid, NotAllowed, StaleVersion
from retorno.privacy.models import AuditEvent, AuditType
from retorno.screening.tests.builders import screen
from retorno.tasks import services
from retorno.tasks.models import Task, TaskKind, TaskStatus
from retorno.tasks.tests.builders import applied_case, approved_case, open_tasks, the_task
from retorno.testing.personas import open_case

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 2)


def _follow_up(case, **overrides):
    """A task the travel documents app would open: follow up a request with a consulate."""
    values = {"case": case, "kind": TaskKind.DOCUMENT_FOLLOW_UP, "due_on": TODAY,
              "role": Role.CASEWORKER, **overrides}
    return services.open_task(**values)


# ---- open and close (the system) ---------------------------------------------------


def test_it_opens_a_task_once_and_updates_it_when_opened_again(world):
    case = open_case(world)
    first = _follow_up(case, subject=case.principal.person)
    assert first.subject_type == "person" and first.subject_id == case.principal.person_id
    assert first.detail == {"person": case.principal.person_id} and first.version == 1
    again = _follow_up(case, subject=case.principal.person, due_on=TODAY.replace(day=16),
                       assignee=world.carla, detail={"consulate": "IRQ"})
    assert again.pk == first.pk and again.version == 2
    stored = Task.objects.get(pk=first.pk)
    assert stored.due_on == datetime.date(2026, 3, 16) and stored.assignee == world.carla
    assert stored.detail == {"consulate": "IRQ", "person": case.principal.person_id}
    assert Task.objects.filter(case=case, kind=TaskKind.DOCUMENT_FOLLOW_UP).count() == 1


def test_it_changes_nothing_when_opened_again_the_same(world):
    case = open_case(world)
    first = _follow_up(case)
    again = _follow_up(case)
    assert again.pk == first.pk and Task.objects.get(pk=first.pk).version == 1


def test_it_tells_subjects_apart_and_opens_anew_after_closing(world):
    case = open_case(world)
    mine, other = _follow_up(case, subject=("traveldocument", 1)), _follow_up(
        case, subject=("traveldocument", 2))
    assert mine.pk != other.pk
    assert services.close_tasks(case=case, kind=TaskKind.DOCUMENT_FOLLOW_UP,
                                subject=("traveldocument", 1), actor=world.carla) == 1
    assert Task.objects.get(pk=other.pk).status == TaskStatus.OPEN
    reopened = _follow_up(case, subject=("traveldocument", 1))
    assert reopened.pk not in (mine.pk, other.pk)


def test_the_database_refuses_a_second_open_task_for_the_same_subject(world):
    # What keeps two requests opening "the same" task at once from both inserting one.
    case = open_case(world)
    task = _follow_up(case)
    with pytest.raises(IntegrityError), transaction.atomic():
        Task.objects.create(case=case, kind=task.kind, office=world.berlin,
                            role=Role.CASEWORKER, due_on=TODAY)


def test_it_needs_a_queue_or_an_assignee(world):
    case = open_case(world)
    with pytest.raises(ValueError):
        services.open_task(case=case, kind=TaskKind.DOCUMENT_COLLECT, due_on=TODAY)
    with pytest.raises(ValueError):
        services.open_task(case=case, kind="make_coffee", due_on=TODAY, role=Role.CASEWORKER)


def test_it_closes_as_done_or_cancelled_and_counts_what_it_closed(world):
    case = open_case(world)
    _follow_up(case)
    assert services.close_tasks(case=case, kind=TaskKind.DOCUMENT_COLLECT) == 0
    assert services.close_tasks(case=case, cancelled=True) == 2  # with "counsel"
    assert {t.status for t in Task.objects.filter(case=case)} == {TaskStatus.CANCELLED}
    assert services.close_tasks(case=case) == 0


# ---- complete (people) --------------------------------------------------------------


def test_it_completes_with_audit_timeline_and_note(world):
    case = open_case(world)
    task = _follow_up(case, assignee=world.carla, role=None)
    services.complete_task(actor=world.carla, task=task, note=" Consulate called. ",
                           version=task.version)
    stored = Task.objects.get(pk=task.pk)
    assert stored.status == TaskStatus.DONE and stored.completed_by == world.carla
    assert stored.note == "Consulate called." and stored.version == 2
    assert stored.completed_at is not None
    event = AuditEvent.objects.get(event_type=AuditType.TASK_COMPLETED)
    assert event.target_type == "task" and event.target_id == task.pk
    assert event.case == case and event.office == world.berlin and event.actor == world.carla
    assert event.extra == {"kind": "document_follow_up", "old": {"status": "open"},
                           "new": {"status": "done"}, "note": "Consulate called."}
    entry = case.timeline.first()
    assert entry.kind == TimelineKind.CHANGED and entry.actor == world.carla
    assert entry.summary == ("Task done: Follow up the travel document request with the "
                             "consulate")
    assert entry.reason == "Consulate called."


def test_it_refuses_a_stale_version_and_writes_nothing(world):
    case = open_case(world)
    task = _follow_up(case)
    stale = Task.objects.select_related("case").get(pk=task.pk)
    services.reassign_task(actor=world.sam, task=task, assignee=world.carla, version=1)
    events, entries = AuditEvent.objects.count(), case.timeline.count()
    with pytest.raises(StaleVersion):
        services.complete_task(actor=world.sam, task=stale, version=1)
    stored = Task.objects.get(pk=task.pk)
    assert stored.status == TaskStatus.OPEN and stored.version == 2
    assert AuditEvent.objects.count() == events and case.timeline.count() == entries


@pytest.mark.parametrize(("persona", "allowed"), [
    ("carla", True),  # on the caseworkers' queue of Berlin, and nobody has taken it
    ("sam", True),  # supervises Berlin's tasks
    ("mona", False), ("max", False), ("dana", False), ("pia", False),
])
def test_it_lets_the_queue_and_the_supervisor_complete(world, persona, allowed):
    case = open_case(world)
    task = _follow_up(case)
    if allowed:
        services.complete_task(actor=world.users[persona], task=task, version=1)
        assert Task.objects.get(pk=task.pk).status == TaskStatus.DONE
    else:
        with pytest.raises(NotAllowed):
            services.complete_task(actor=world.users[persona], task=task, version=1)
        assert Task.objects.get(pk=task.pk).status == TaskStatus.OPEN


def test_it_keeps_a_taken_task_for_its_holder(world):
    case = open_case(world, actor=world.sam)  # nobody assigned
    task = the_task(case, TaskKind.COUNSEL)
    services.reassign_task(actor=world.sam, task=task, assignee=world.sam,
                           version=task.version)
    follow = _follow_up(case, assignee=world.sam)
    # Carla is a caseworker, but the task is Sam's now.
    with pytest.raises(NotAllowed):
        services.complete_task(actor=world.carla, task=follow, version=follow.version)


def test_it_refuses_a_closed_task(world):
    case = open_case(world)
    task = _follow_up(case)
    services.complete_task(actor=world.carla, task=task, version=1)
    with pytest.raises(Invalid, match="closed already"):
        services.complete_task(actor=world.carla, task=task, version=task.version)


def test_it_refuses_to_complete_a_step_still_to_be_taken(world):
    case = applied_case(world)
    task = the_task(case, TaskKind.APPROVE)
    with pytest.raises(Invalid, match="Approve or reject the application"):
        services.complete_task(actor=world.sam, task=task, version=task.version)
    counsel = the_task(open_case(world), TaskKind.COUNSEL)
    with pytest.raises(Invalid, match="Start counselling"):
        services.complete_task(actor=world.carla, task=counsel, version=counsel.version)
    approved = approved_case(world)
    fitness = the_task(approved, TaskKind.FITNESS)
    with pytest.raises(Invalid, match="Not yet assessed fit to travel: Ahmed Al-Rashid"):
        services.complete_task(actor=world.mona, task=fitness, version=fitness.version)
    assert Task.objects.get(pk=fitness.pk).status == TaskStatus.OPEN


def test_it_completes_a_self_closing_task_once_its_step_is_no_longer_needed(world):
    # Put on hold before the decision: the supervisor may clear the approval task.
    case = applied_case(world)
    transition_case(case, "on_hold", actor=world.carla, reason="Court hearing")
    task = the_task(case, TaskKind.APPROVE)
    services.complete_task(actor=world.sam, task=task, version=task.version)
    assert Task.objects.get(pk=task.pk).status == TaskStatus.DONE


def test_it_keeps_a_screening_flag_and_its_note_off_the_timeline(world):
    case = open_case(world)
    screen(case, world.carla, None, "forced_work")
    task = the_task(case, TaskKind.SCREENING_ACTION)
    services.complete_task(actor=world.carla, task=task, version=task.version,
                           note="Referred to the counter-trafficking hotline.")
    entry = case.timeline.first()
    name = case.principal.person.display_name
    assert entry.summary == f"Task done: Act on a vulnerability screening proposal — {name}"
    assert entry.reason == "" and "raffick" not in entry.summary
    # The audit log is read by supervisors and the DP focal point: the note is kept.
    event = AuditEvent.objects.get(event_type=AuditType.TASK_COMPLETED)
    assert event.extra["note"] == "Referred to the counter-trafficking hotline."


def test_it_refuses_an_overlong_note(world):
    task = _follow_up(open_case(world))
    with pytest.raises(Invalid) as refused:
        services.complete_task(actor=world.carla, task=task, note="x" * 2001, version=1)
    assert refused.value.field_errors == {"note": ["Too long."]}
    assert Task.objects.get(pk=task.pk).status == TaskStatus.OPEN


# ---- reassign (people) --------------------------------------------------------------


def test_it_reassigns_with_audit_and_timeline_and_back_to_the_queue(world):
    case = open_case(world)
    task = _follow_up(case)
    services.reassign_task(actor=world.carla, task=task, assignee=world.carla, version=1)
    stored = Task.objects.get(pk=task.pk)
    assert stored.assignee == world.carla and stored.role == Role.CASEWORKER
    event = AuditEvent.objects.get(event_type=AuditType.TASK_REASSIGNED)
    assert event.extra == {"kind": "document_follow_up", "old": {"assignee": None},
                           "new": {"assignee": world.carla.pk}}
    assert case.timeline.first().summary.startswith("Task given to Carla: Follow up")
    services.reassign_task(actor=world.carla, task=stored, assignee=None, version=2)
    assert Task.objects.get(pk=task.pk).assignee is None
    assert case.timeline.first().summary.startswith(
        "Task put back on the queue (Return counsellor / caseworker): Follow up")


def test_it_changes_nothing_when_given_to_its_holder(world):
    case = open_case(world)
    task = the_task(case, TaskKind.COUNSEL)
    services.reassign_task(actor=world.carla, task=task, assignee=world.carla, version=1)
    assert Task.objects.get(pk=task.pk).version == 1
    assert not AuditEvent.objects.filter(event_type=AuditType.TASK_REASSIGNED).exists()


def test_it_gives_only_to_someone_of_the_office_who_sees_the_case(world):
    case = open_case(world)
    task = the_task(case, TaskKind.COUNSEL)
    for outsider in (world.otto, world.rita, world.stella):
        with pytest.raises(Invalid, match="does not work on this case"):
            services.reassign_task(actor=world.sam, task=task, assignee=outsider, version=1)
    # A medical officer of Berlin may hold it, if a supervisor so decides.
    services.reassign_task(actor=world.sam, task=task, assignee=world.mona, version=1)
    assert Task.objects.get(pk=task.pk).assignee == world.mona


def test_it_has_no_queue_for_a_task_made_for_one_person(world):
    case = open_case(world)
    task = the_task(case, TaskKind.COUNSEL)
    assert task.role == ""
    with pytest.raises(Invalid, match="no queue to go back to"):
        services.reassign_task(actor=world.sam, task=task, assignee=None, version=1)


def test_it_refuses_someone_who_neither_holds_nor_manages_the_task(world):
    case = open_case(world)
    task = the_task(case, TaskKind.COUNSEL)  # Carla's
    with pytest.raises(NotAllowed):
        services.reassign_task(actor=world.max, task=task, assignee=world.max, version=1)
    assert Task.objects.get(pk=task.pk).assignee == world.carla


def test_due_dates_come_from_the_day_of_the_step(world):
    case = open_case(world)
    task = the_task(case, TaskKind.COUNSEL)
    assert task.due_on == timezone.localdate() + datetime.timedelta(days=7)
    assert [t.kind for t in open_tasks(case)] == [TaskKind.COUNSEL]
