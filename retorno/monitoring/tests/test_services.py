import datetime

import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from retorno.accounts.models import Role
from retorno.cases.models import TimelineEntry
from retorno.cases.services import transition_case
from retorno.lib.errors import Invalid, NotAllowed, StaleVersion
from retorno.monitoring import progress, services
from retorno.monitoring.models import MonitoringVisit, Schedule, ScheduleStep
from retorno.monitoring.tests.builders import STEPS, arrived, schedule
from retorno.privacy.models import AuditEvent, AuditType
from retorno.tasks.models import Task, TaskKind, TaskStatus
from retorno.testing.personas import open_case, walk

pytestmark = pytest.mark.django_db


def _contacts(case, status=TaskStatus.OPEN):
    return list(Task.objects.filter(case=case, kind=TaskKind.MONITORING_CONTACT,
                                    status=status).order_by("due_on"))


def _visit(world, case, step=None, outcome="reached", actor=None, **extra):
    data = {"step": step, "contact_on": timezone.localdate(), "mode": "phone_call",
            "outcome": outcome, **extra}
    return services.record_visit(actor=actor or world.emil, case=case, data=data)


def test_arrival_opens_one_contact_per_step_on_the_origin_me_queue(world):
    schedule(world)
    case = arrived(world, reintegration=False)
    today = timezone.localdate()
    tasks = _contacts(case)
    assert [t.due_on for t in tasks] == [today + relativedelta(months=m) for m in (3, 6, 12)]
    assert {(t.office_id, t.role, t.assignee_id) for t in tasks} == {
        (world.baghdad.pk, Role.ME_OFFICER, None)}
    steps = list(ScheduleStep.objects.order_by("months_after_arrival"))
    assert [(t.subject_type, t.subject_id) for t in tasks] == [
        ("schedulestep", s.pk) for s in steps]
    assert [t.detail["months"] for t in tasks] == [3, 6, 12]


def test_opening_is_idempotent(world):
    schedule(world)
    case = arrived(world)
    services.open_contacts(case, world.rita)
    services.sync_schedule(world.programme, world.emil)
    assert len(_contacts(case)) == 3
    assert Task.objects.filter(case=case, kind=TaskKind.MONITORING_CONTACT).count() == 3


def test_no_schedule_opens_nothing(world):
    case = arrived(world)
    assert _contacts(case) == []


def test_a_schedule_set_later_opens_contacts_of_monitored_cases_only(world):
    case = arrived(world)
    not_arrived = open_case(world)
    schedule(world)
    assert len(_contacts(case)) == 3
    assert _contacts(not_arrived) == []


def test_removing_a_step_cancels_its_contacts_and_adding_one_opens_it(world):
    schedule(world)
    case = arrived(world)
    three = ScheduleStep.objects.get(months_after_arrival=3)
    steps = [s for s in STEPS if s["months_after_arrival"] != 6]
    steps.append({"months_after_arrival": 24, "window_days": 60})
    schedule(world, steps=steps)
    assert [t.detail["months"] for t in _contacts(case)] == [3, 12, 24]
    assert [t.detail["months"] for t in _contacts(case, TaskStatus.CANCELLED)] == [6]
    # the 3-month step kept its identity: its contact was neither closed nor reopened
    assert ScheduleStep.objects.get(months_after_arrival=3).pk == three.pk
    assert Task.objects.filter(case=case, subject_id=three.pk).count() == 1
    assert AuditEvent.objects.filter(event_type=AuditType.MONITORING_SCHEDULE_CHANGED).count() == 2


def test_a_conclusive_visit_closes_the_contact_and_not_reached_keeps_it(world):
    schedule(world)
    case = arrived(world)
    step = ScheduleStep.objects.get(months_after_arrival=3)
    _visit(world, case, step, outcome="not_reached")
    _visit(world, case, step, outcome="not_reached")
    assert step.pk in {t.subject_id for t in _contacts(case)}
    visit = _visit(world, case, step, outcome="reached", actor=world.rita, notes="Doing well.")
    done = Task.objects.get(case=case, subject_id=step.pk)
    assert done.status == TaskStatus.DONE and done.completed_by == world.rita
    assert len(_contacts(case)) == 2
    event = AuditEvent.objects.get(event_type=AuditType.MONITORING_VISIT_RECORDED,
                                   target_id=visit.pk)
    assert event.case_id == case.pk and event.office_id == world.baghdad.pk
    entry = TimelineEntry.objects.filter(case=case).first()
    assert "3 months" in entry.summary and "Reached" in entry.summary
    assert "Doing well" not in entry.summary
    # a settled step is not reopened by syncing the schedule again
    services.sync_schedule(world.programme, world.emil)
    assert step.pk not in {t.subject_id for t in _contacts(case)}


def test_editing_the_outcome_back_reopens_the_contact(world):
    schedule(world)
    case = arrived(world)
    step = ScheduleStep.objects.get(months_after_arrival=3)
    visit = _visit(world, case, step, outcome="declined")
    assert step.pk not in {t.subject_id for t in _contacts(case)}
    services.update_visit(actor=world.rita, visit=visit, version=visit.version,
                          data={"outcome": "not_reached"})
    assert step.pk in {t.subject_id for t in _contacts(case)}
    with pytest.raises(StaleVersion):
        services.update_visit(actor=world.rita, visit=visit, version=1,
                              data={"outcome": "reached"})
    assert AuditEvent.objects.filter(event_type=AuditType.MONITORING_VISIT_CHANGED).count() == 1


def test_migrated_again_takes_a_country(world):
    schedule(world)
    case = arrived(world)
    visit = _visit(world, case, None, outcome="migrated_again", migrated_to_country="tur")
    assert visit.migrated_to_country == "TUR" and visit.step is None


@pytest.mark.parametrize(("extra", "field", "message"), [
    ({"contact_on": 2}, "contact_on",
     "cannot be in the future"),
    ({"contact_on": -2}, "contact_on",
     "cannot be before the arrival"),
    ({"outcome": "reached", "migrated_to_country": "TUR"}, "migrated_to_country",
     "only when they have migrated again"),
    ({"outcome": "migrated_again", "migrated_to_country": "XXX"}, "migrated_to_country",
     "not an ISO 3166"),
    ({"outcome": "migrated_again", "migrated_to_country": "IRQ"}, "migrated_to_country",
     "migrated to from there"),
    ({"mode": "carrier pigeon"}, "mode", "Choose how the contact was made"),
    ({"outcome": "vanished"}, "outcome", "Choose the outcome"),
    ({"step": 999999}, "step", "Choose a step"),
])
def test_visits_are_validated(world, extra, field, message):
    case = arrived(world)
    data = {"step": None, "contact_on": timezone.localdate(), "mode": "home_visit",
            "outcome": "reached", **extra}
    if isinstance(data["contact_on"], int):  # days from today
        data["contact_on"] = timezone.localdate() + datetime.timedelta(days=data["contact_on"])
    with pytest.raises(Invalid) as refused:
        services.record_visit(actor=world.emil, case=case, data=data)
    assert message in " ".join(refused.value.field_errors[field])
    assert not MonitoringVisit.objects.exists()


def test_only_the_origin_office_records_and_only_once_arrived(world):
    case = arrived(world)
    with pytest.raises(NotAllowed):
        _visit(world, case, actor=world.carla)
    with pytest.raises(NotAllowed):
        _visit(world, case, actor=world.paul)
    early = open_case(world)
    with pytest.raises(NotAllowed):
        _visit(world, early)
    assert not MonitoringVisit.objects.exists()


def test_notes_are_changed_only_by_their_readers(world):
    case = arrived(world)
    visit = _visit(world, case, actor=world.rita, notes="Sleeping badly.")
    with pytest.raises(NotAllowed):
        services.update_visit(actor=world.emil, visit=visit, version=visit.version,
                              data={"notes": ""})
    services.update_visit(actor=world.emil, visit=visit, version=visit.version,
                          data={"mode": "home_visit"})
    visit.refresh_from_db()
    assert visit.notes == "Sleeping badly." and visit.mode == "home_visit"


@pytest.mark.parametrize(("steps", "message"), [
    ([{"months_after_arrival": 0}], "from 1 to 120"),
    ([{"months_after_arrival": 121}], "from 1 to 120"),
    ([{"months_after_arrival": 3}, {"months_after_arrival": 3}],
     "Step 2: there is already a step 3 months"),
    ([{"months_after_arrival": 3, "window_days": -1}], "window must be from 0"),
    ([{"months_after_arrival": 3, "mode": "letter"}], "choose visit, call or either"),
    ([{"months_after_arrival": 3, "instrument": "no spaces"}], "named by its code"),
    ([{"months_after_arrival": 3, "instrument": "wellbeing"}],
     "no survey instrument with the code wellbeing"),
])
def test_schedules_are_validated(world, steps, message):
    with pytest.raises(Invalid) as refused:
        services.set_schedule(actor=world.emil, programme=world.programme, version=None,
                              steps=steps)
    assert message in " ".join(refused.value.messages)
    assert not Schedule.objects.exists()


def test_schedules_are_kept_by_survey_managers_and_versioned(world):
    with pytest.raises(NotAllowed):
        services.set_schedule(actor=world.rita, programme=world.programme, version=None,
                              steps=STEPS)
    first = schedule(world)
    assert first.version == 1
    services.set_schedule(actor=world.pia, programme=world.programme, version=1,
                          steps=STEPS[:1])
    for stale in (1, None):
        with pytest.raises(StaleVersion):
            services.set_schedule(actor=world.emil, programme=world.programme,
                                  version=stale, steps=STEPS)
    assert ScheduleStep.objects.count() == 1


def test_ending_the_case_cancels_its_contacts(world):
    schedule(world)
    case = arrived(world)
    walk(world, case, ("monitoring", world.rita))
    transition_case(case, "withdrawn", actor=world.rita, reason="Moved on.")
    assert _contacts(case) == []
    assert len(_contacts(case, TaskStatus.CANCELLED)) == 3


def test_followup_done_counts_conclusive_contacts_after_arrival(world):
    case = arrived(world)
    other = arrived(world)
    baseline = arrived(world)
    _visit(world, baseline, outcome="reached")  # on the arrival day: the baseline
    later = timezone.localdate() + datetime.timedelta(days=95)
    with time_machine.travel(datetime.datetime.combine(later, datetime.time(12)), tick=False):
        _visit(world, case, outcome="migrated_again")
        _visit(world, other, outcome="not_reached")
        ids = [case.pk, other.pk, baseline.pk]
        assert progress.followup_done(ids) == {case.pk}
        assert progress.reached(ids) == set()
        _visit(world, other, outcome="reached")
        assert progress.followup_done(ids) == {case.pk, other.pk}
        assert progress.reached(ids) == {other.pk}
    assert progress.followup_done([]) == set()


def test_a_contact_marked_done_by_hand_is_not_reopened_by_the_schedule(world):
    from retorno.tasks.services import complete_task

    schedule(world)
    case = arrived(world)
    task = _contacts(case)[0]
    complete_task(actor=world.emil, task=task, note="Met at the office.", version=task.version)
    schedule(world, steps=[*STEPS, {"months_after_arrival": 24}])
    assert [t.detail["months"] for t in _contacts(case)] == [6, 12, 24]


def test_a_held_case_keeps_being_monitored(world):
    case = arrived(world)
    transition_case(case, "on_hold", actor=world.rita, reason="Returnee in hospital.")
    schedule(world)
    assert len(_contacts(case)) == 3
    visit = _visit(world, case)
    assert visit.case_id == case.pk
