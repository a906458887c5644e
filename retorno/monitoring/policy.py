"""Who reads and keeps monitoring schedules, who records visits and calls, and who sees
which monitoring contacts.

- **Schedules** name no case and no person: every member of staff who reads programmes
  (`programmes.policy.can_read`) reads them; `survey.manage` holders (M&E officers and
  programme managers, in any office) keep them.
- **Visits** are read with their case (`cases.policy.access_case` first): whoever sees
  the case reads them, but their notes are protection detail (`can_read_notes`:
  `case.view_protection`), hidden on the page and null in the API for anyone else.
  Recording and editing (`may_record`) belong to `survey.record` holders of the case's
  *origin office* (M&E and reintegration officers, supervisors), once the case is handed
  over and arrived, in reintegration or in monitoring (or held in one of them).
- **The office list** (`/monitoring/`) is for `survey.record` or `me.view` holders: the
  open monitoring contacts of the cases they may see (`cases.policy.visible_cases`).
"""

import datetime

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.http import Http404

from retorno.accounts import permissions as perms
from retorno.accounts.models import User
from retorno.cases.models import Case
from retorno.cases.policy import can_on_case, can_view_protection, visible_cases
from retorno.monitoring.models import MonitoringVisit, Schedule, ScheduleStep
from retorno.programmes.models import Programme
from retorno.programmes.policy import can_read as can_read_programmes

# Monitored where a reintegration plan is kept: from arrival until it is closed.
from retorno.reintegration.policy import RECORDING, effective_status
from retorno.tasks.models import Task, TaskKind, TaskStatus


def can_read_schedule(user: User | AnonymousUser) -> bool:
    return can_read_programmes(user)


def can_manage_schedule(user: User | AnonymousUser) -> bool:
    return perms.can(user, perms.SURVEY_MANAGE)


def can_list(user: User | AnonymousUser) -> bool:
    """May open the office list of monitoring contacts."""
    return perms.can(user, perms.SURVEY_RECORD) or perms.can(user, perms.ME_VIEW)


def can_view_dashboard(user: User | AnonymousUser) -> bool:
    """The M&E dashboard (`monitoring/dashboard.py`): me.view in any office."""
    return perms.can(user, perms.ME_VIEW)


def can_view(user: User | AnonymousUser, case: Case) -> bool:
    return can_on_case(user, perms.CASE_VIEW, case)


def can_read_notes(user: User | AnonymousUser, case: Case) -> bool:
    """A visit's notes: protection detail."""
    return can_view_protection(user, case)


def holds_role(user: User | AnonymousUser, case: Case) -> bool:
    """The role check alone: survey.record in the case's origin office."""
    return (case.origin_office_id is not None
            and perms.can(user, perms.SURVEY_RECORD, case.origin_office_id))


def is_monitored(case: Case) -> bool:
    """Handed over and arrived, in reintegration or in monitoring (or held in one)."""
    return case.handed_over_at is not None and effective_status(case) in RECORDING


def may_record(user: User | AnonymousUser, case: Case) -> bool:
    """May record and edit the visits and calls of `case`."""
    return holds_role(user, case) and is_monitored(case)


def schedule_of(programme: Programme | None) -> Schedule | None:
    if programme is None:
        return None
    schedule = Schedule.objects.filter(programme_id=programme.pk).first()
    if schedule is not None:
        schedule.programme = programme
    return schedule


def steps_of(programme: Programme | None) -> list[ScheduleStep]:
    """The programme's schedule steps, by months after arrival. One query."""
    if programme is None:
        return []
    return list(ScheduleStep.objects.filter(schedule__programme_id=programme.pk)
                .order_by("months_after_arrival", "id"))


def visits_of(case: Case) -> list[MonitoringVisit]:
    """The visits and calls of a case the caller loaded through `access_case`, newest
    first. One query."""
    visits = list(MonitoringVisit.objects.filter(case_id=case.pk)
                  .select_related("recorded_by").order_by("-contact_on", "-id"))
    for visit in visits:
        visit.case = case
    return visits


def access_visit(case: Case, visit_id: int | str) -> MonitoringVisit:
    """One visit of `case` (already loaded through `access_case`); 404 if it has none
    by that id."""
    try:
        pk = int(visit_id)
    except (TypeError, ValueError):
        raise Http404 from None
    visit = MonitoringVisit.objects.filter(case_id=case.pk, pk=pk).first()
    if visit is None:
        raise Http404
    visit.case = case
    return visit


# ---- the office list -----------------------------------------------------------------------

LIST_STATUSES = ("open", "overdue", "due", "upcoming", "all")


def _windows() -> dict[int, list[int]]:
    """Step ids by window length: few distinct windows, so the list filters in SQL."""
    by_window: dict[int, list[int]] = {}
    for pk, window in ScheduleStep.objects.values_list("pk", "window_days"):
        by_window.setdefault(window, []).append(pk)
    return by_window


def _status_filter(status: str, today: datetime.date) -> Q | None:
    """Open contact tasks whose due date is, for their step's window: overdue (the
    window is over), due (within it), upcoming (not yet), open (due or overdue)."""
    if status == "all":
        return None
    rule = Q(pk__in=[])
    for window, ids in _windows().items():
        days = datetime.timedelta(days=window)
        if status == "overdue":
            dates = Q(due_on__lt=today - days)
        elif status == "due":
            dates = Q(due_on__gte=today - days, due_on__lte=today + days)
        elif status == "upcoming":
            dates = Q(due_on__gt=today + days)
        else:
            dates = Q(due_on__lte=today + days)
        rule |= Q(subject_id__in=ids) & dates
    return rule


def open_contacts(user: User | AnonymousUser, *, status: str = "open",
                  programme: str = "", today: datetime.date) -> QuerySet[Task]:
    """The open monitoring contact tasks of the cases `user` may see, soonest due first,
    with their case and programme."""
    tasks = Task.objects.filter(kind=TaskKind.MONITORING_CONTACT, status=TaskStatus.OPEN,
                                case__in=visible_cases(user))
    rule = _status_filter(status, today)
    if rule is not None:
        tasks = tasks.filter(rule)
    if programme:
        tasks = tasks.filter(case__programme__code=programme)
    return tasks.select_related("case", "case__programme", "office").order_by(
        "due_on", "id")


def step_windows(step_ids: list[int | None]) -> dict[int, ScheduleStep]:
    """The steps by id, for a page of contacts. One query."""
    ids = [pk for pk in step_ids if pk is not None]
    if not ids:
        return {}
    return {s.pk: s for s in ScheduleStep.objects.filter(pk__in=ids)}
