"""The Monitoring section of the case page (registered in MonitoringConfig.ready())."""

import datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from retorno.cases.models import Case
from retorno.monitoring import policy, services
from retorno.monitoring.models import MonitoringVisit, ScheduleStep

DONE, OVERDUE, DUE, UPCOMING = "done", "overdue", "due", "upcoming"


def step_status(step: ScheduleStep, due: datetime.date, visits: list[MonitoringVisit],
                today: datetime.date) -> str:
    """done (a conclusive visit), overdue (its window is over), due (within its window:
    `window_days` either side of the due date), upcoming (before the window)."""
    if any(v.conclusive for v in visits):
        return DONE
    window = datetime.timedelta(days=step.window_days)
    if today > due + window:
        return OVERDUE
    if today >= due - window:
        return DUE
    return UPCOMING


def schedule_rows(case: Case, visits: list[MonitoringVisit]) -> list[dict[str, Any]]:
    """Each step of the case's schedule with its due date, window, status, the visits
    made for it and the number of attempts that did not settle it."""
    steps = policy.steps_of(case.programme) if case.programme_id else []
    arrival = services.arrival_of(case)
    today = timezone.localdate()
    rows = []
    for step in steps:
        made = [v for v in visits if v.step_id == step.pk]
        due = services.due_on(arrival, step) if arrival else None
        rows.append({
            "step": step, "due_on": due,
            "window_from": due - datetime.timedelta(days=step.window_days) if due else None,
            "window_to": due + datetime.timedelta(days=step.window_days) if due else None,
            "status": step_status(step, due, made, today) if due else UPCOMING,
            "visits": made, "attempts": sum(1 for v in made if not v.conclusive)})
    return rows


def case_section(request: HttpRequest, case: Case) -> dict[str, Any] | None:
    # The case page has loaded `case` through access_case. Shown once the case is
    # monitored (or has visits); whoever sees the case reads it, notes for protection
    # readers only.
    if case.handed_over_at is None or not policy.can_view(request.user, case):
        return None
    visits = policy.visits_of(case)
    if not visits and not policy.is_monitored(case):
        return None
    rows = schedule_rows(case, visits)
    steps = {row["step"].pk: row["step"] for row in rows}
    for visit in visits:
        visit.step = steps.get(visit.step_id) if visit.step_id else None
    return {"rows": rows, "visits": visits,
            "read_notes": policy.can_read_notes(request.user, case),
            "can_record": policy.may_record(request.user, case) and case.is_open}
