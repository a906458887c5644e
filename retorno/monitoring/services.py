"""Keeping monitoring schedules, opening the contacts they call for, and recording
visits and calls. The only way the rows of this app are written.

Each public function that people call takes `actor` keyword-only, checks permission
through `monitoring.policy`, validates (reporting every problem at once), writes, and
records the audit event and, for a case, the timeline entry, all in one transaction; it
raises a `retorno.lib.errors.ServiceError` with translated messages when it refuses.

For the system: `open_contacts` (the `arrived` step, through `tasks.hooks`) and
`sync_schedule` (after a schedule change) put one `monitoring_contact` task per step on
the origin office's M&E officers' queue, due `months_after_arrival` months after the
arrival recorded by reception (the day of the `arrived` step when none is).

The timeline names the outcome and the step, never the notes (protection detail).
"""

import datetime
import re
from collections.abc import Iterable
from typing import Any

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from retorno.accounts.models import Role, User
from retorno.cases.models import Case, Status, TimelineEntry, TimelineKind
from retorno.cases.services import record_timeline
from retorno.lib.codes import country_name, validate_country
from retorno.lib.errors import Invalid, NotAllowed, StaleVersion
from retorno.lib.models import refuse_unknown_fields, save_versioned
from retorno.monitoring import policy
from retorno.monitoring.models import (
    CONCLUSIVE,
    ExpectedMode,
    MonitoringVisit,
    Outcome,
    Schedule,
    ScheduleStep,
    VisitMode,
)
from retorno.privacy import services as audit
from retorno.privacy.models import AuditType
from retorno.programmes.models import Programme
from retorno.tasks.models import Task, TaskKind, TaskStatus
from retorno.tasks.services import close_tasks, open_task

STEP_FIELDS = ["months_after_arrival", "label", "mode", "instrument", "window_days"]
VISIT_FIELDS = ["step", "contact_on", "mode", "outcome", "migrated_to_country", "notes"]
_AUDITED = ["step", "contact_on", "mode", "outcome", "migrated_to_country", "notes"]
MAX_MONTHS = 120
MAX_WINDOW = 365
NOTES_LIMIT = 5000
_CODE = re.compile(r"^[-a-zA-Z0-9_]+$")


# ---- dates ---------------------------------------------------------------------------------


def arrival_dates(cases: "Iterable[Case | int] | QuerySet[Case]") -> dict[int, datetime.date]:
    """Each case's arrival (cases, their ids, or a queryset of cases): the date reception
    recorded, else the day of its `arrived` step. Two queries for any number of cases; a
    queryset is used as a subquery (no list of ids to send and prepare)."""
    from retorno.reception.models import Reception

    if isinstance(cases, QuerySet) and cases.model is Case:  # else: ids, or a values list
        wanted: Any = cases.values("pk")
    else:
        wanted = [getattr(c, "pk", c) for c in cases]
        if not wanted:
            return {}
    found: dict[int, datetime.date] = dict(
        Reception.objects.filter(case_id__in=wanted, arrived_on__isnull=False)
        .values_list("case_id", "arrived_on"))
    stepped: set[int] = set()  # the cases dated by their step, not by reception
    for case_id, at in (TimelineEntry.objects
                        .filter(case_id__in=wanted, kind=TimelineKind.TRANSITION,
                                to_status=Status.ARRIVED)
                        .order_by("at").values_list("case_id", "at")):
        if case_id not in found or case_id in stepped:
            found[case_id] = timezone.localdate(at)  # the latest wins
            stepped.add(case_id)
    return found


def arrival_of(case: Case) -> datetime.date | None:
    return arrival_dates([case]).get(case.pk)


def due_on(arrival: datetime.date, step: ScheduleStep) -> datetime.date:
    """`months_after_arrival` calendar months after the arrival (31 January + 1 month
    is the last day of February)."""
    return arrival + relativedelta(months=step.months_after_arrival)


# ---- opening and closing the contacts ------------------------------------------------------


def _settled_steps(case_ids: list[int]) -> set[tuple[int, int]]:
    """(case id, step id) pairs with a conclusive visit."""
    return set(MonitoringVisit.objects.filter(
        case_id__in=case_ids, step__isnull=False, outcome__in=CONCLUSIVE)
        .values_list("case_id", "step_id"))


def _contact_tasks(case_ids: list[int]) -> tuple[set[tuple[int, int]],
                                                  dict[tuple[int, int], datetime.date]]:
    """(case id, step id) pairs whose contact task was closed (done or cancelled) and
    none is open — nobody is asked again for what was settled or given up — and the due
    dates of the open ones."""
    rows = (Task.objects.filter(case_id__in=case_ids, kind=TaskKind.MONITORING_CONTACT)
            .values_list("case_id", "subject_id", "status", "due_on"))
    closed, still_open = set(), {}
    for case_id, step_id, status, due in rows:
        if status == TaskStatus.OPEN:
            still_open[(case_id, step_id)] = due
        else:
            closed.add((case_id, step_id))
    return closed - set(still_open), still_open


def _open_step(case: Case, step: ScheduleStep, arrival: datetime.date,
               actor: User | None) -> None:
    open_task(case=case, kind=TaskKind.MONITORING_CONTACT, due_on=due_on(arrival, step),
              office=case.origin_office, role=Role.ME_OFFICER, subject=step, actor=actor,
              detail={"months": step.months_after_arrival})


def _open_for(cases: list[Case], steps: list[ScheduleStep], actor: User | None) -> int:
    if not cases or not steps:
        return 0
    ids = [c.pk for c in cases]
    arrivals = arrival_dates(cases)
    closed, still_open = _contact_tasks(ids)
    skip = _settled_steps(ids) | closed
    opened = 0
    for case in cases:
        arrival = arrivals.get(case.pk)
        if arrival is None or case.origin_office_id is None:
            continue
        for step in steps:
            key = (case.pk, step.pk)
            if key in skip or still_open.get(key) == due_on(arrival, step):
                continue  # settled, given up, or open and due when it should be
            _open_step(case, step, arrival, actor)
            opened += 1
    return opened


def open_contacts(case: Case, actor: User | None) -> None:
    """Put one contact per step of the case's programme schedule on the origin office's
    M&E officers' queue (idempotent: an open one is updated, a settled one is left
    closed). For the system: called inside the `arrived` step's transaction."""
    if case.origin_office_id is None or case.programme_id is None:
        return
    _open_for([case], policy.steps_of(case.programme), actor)


def monitored_cases(programme: Programme) -> list[Case]:
    """The programme's cases being monitored: handed over, arrived, in reintegration or
    monitoring (or held in one of them)."""
    statuses = [s.value for s in policy.RECORDING]
    return list(Case.objects.filter(programme_id=programme.pk, handed_over_at__isnull=False,
                                    origin_office__isnull=False)
                .filter(Q(status__in=statuses)
                        | Q(status=Status.ON_HOLD, held_from__in=statuses))
                .select_related("origin_office"))


def sync_schedule(programme: Programme, actor: User | None = None) -> int:
    """After the programme's schedule changed: open the missing contacts (and move the
    due dates of open ones) of its cases being monitored, and cancel the open contacts
    of steps no longer in the schedule. Returns how many contacts were opened or
    updated. For the system: inside the caller's transaction."""
    steps = policy.steps_of(programme)
    step_ids = {s.pk for s in steps}
    stale = (Task.objects.filter(kind=TaskKind.MONITORING_CONTACT, status=TaskStatus.OPEN,
                                 case__programme_id=programme.pk)
             .exclude(subject_id__in=step_ids)
             .select_related("case").order_by("case_id"))
    for task in stale:
        close_tasks(case=task.case, kind=TaskKind.MONITORING_CONTACT,
                    subject=(task.subject_type, task.subject_id), actor=actor, cancelled=True)
    return _open_for(monitored_cases(programme), steps, actor)


# ---- the schedule --------------------------------------------------------------------------


def _clean_steps(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every problem of the steps at once, each naming its row; the cleaned rows."""
    errors: list[str] = []
    cleaned: list[dict[str, Any]] = []
    seen: set[int] = set()
    for number, row in enumerate(rows, start=1):
        refuse_unknown_fields(row, STEP_FIELDS)
        where = {"n": number}
        months = row.get("months_after_arrival")
        if isinstance(months, bool) or not isinstance(months, int):
            errors.append(_("Step %(n)s: give the months after arrival as a whole number.")
                          % where)
        elif not 1 <= months <= MAX_MONTHS:
            errors.append(_("Step %(n)s: the months after arrival must be from 1 to "
                            "%(max)s.") % {**where, "max": MAX_MONTHS})
        elif months in seen:
            errors.append(_("Step %(n)s: there is already a step %(months)s months after "
                            "arrival.") % {**where, "months": months})
        else:
            seen.add(months)
        window = row.get("window_days", 30)
        if isinstance(window, bool) or not isinstance(window, int):
            errors.append(_("Step %(n)s: give the window as a whole number of days.") % where)
        elif not 0 <= window <= MAX_WINDOW:
            errors.append(_("Step %(n)s: the window must be from 0 to %(max)s days.")
                          % {**where, "max": MAX_WINDOW})
        mode = row.get("mode") or ExpectedMode.EITHER
        if mode not in ExpectedMode.values:
            errors.append(_("Step %(n)s: choose visit, call or either.") % where)
        label = (row.get("label") or "").strip()
        if len(label) > 100:
            errors.append(_("Step %(n)s: the label can have at most 100 characters.") % where)
        instrument = (row.get("instrument") or "").strip()
        if instrument and (len(instrument) > 40 or not _CODE.match(instrument)):
            errors.append(_("Step %(n)s: a survey instrument is named by its code "
                            "(letters, digits, hyphens and underscores).") % where)
        cleaned.append({"months_after_arrival": months, "label": label, "mode": mode,
                        "instrument": instrument, "window_days": window})
    errors += _unknown_instruments(cleaned)
    if errors:
        raise Invalid(*errors, field_errors={"steps": errors})
    return sorted(cleaned, key=lambda r: r["months_after_arrival"])


def _unknown_instruments(rows: list[dict[str, Any]]) -> list[str]:
    """A step names a survey instrument by its code: one that exists (`surveys`)."""
    from retorno.surveys.models import Instrument

    codes = {r["instrument"] for r in rows if r["instrument"] and _CODE.match(r["instrument"])}
    if not codes:
        return []
    known = set(Instrument.objects.filter(code__in=codes).values_list("code", flat=True))
    return [_("Step %(n)s: there is no survey instrument with the code %(code)s.")
            % {"n": number, "code": row["instrument"]}
            for number, row in enumerate(rows, start=1)
            if row["instrument"] in codes - known]


def _step_values(steps: list[ScheduleStep]) -> list[dict[str, Any]]:
    return [{f: getattr(s, f) for f in STEP_FIELDS} for s in steps]


def set_schedule(*, actor: User, programme: Programme, version: int | None,
                 steps: list[dict[str, Any]]) -> Schedule:
    """Replace the programme's monitoring schedule with `steps` (dicts of STEP_FIELDS),
    if nobody changed it since `version` (None for a programme without one yet; else
    StaleVersion). A step keeps its identity (and its cases' contacts) while its months
    after arrival stay the same. Then `sync_schedule`. Audit 350 with old and new
    steps; nothing is written when nothing changes."""
    if not policy.can_manage_schedule(actor):
        raise NotAllowed(_("Only the M&E officers and programme managers keep the "
                           "monitoring schedules."))
    rows = _clean_steps(list(steps))
    with transaction.atomic():
        schedule = policy.schedule_of(programme)
        created = schedule is None
        if schedule is None:
            if version not in (None, 0):
                raise Invalid(_("The programme has no monitoring schedule yet: send no "
                                "version."))
            try:
                with transaction.atomic():  # someone creating it at the same moment
                    schedule = Schedule.objects.create(programme=programme,
                                                       updated_by=actor)
            except IntegrityError:
                raise StaleVersion(_("Someone else saved a monitoring schedule for this "
                                     "programme after you opened it. Reload it, then make "
                                     "your changes again.")) from None
        elif version is None:
            version = 0  # a schedule exists: the caller's "none yet" is stale
        current = [] if created else list(schedule.steps.order_by("months_after_arrival",
                                                                  "id"))
        old = _step_values(current)
        if old == rows:
            if not created and version != schedule.version:
                save_versioned(schedule, version, ["updated_by"])  # raises StaleVersion
            return schedule
        if not created:
            schedule.updated_by = actor
            save_versioned(schedule, version, ["updated_by"])
        by_months = {s.months_after_arrival: s for s in current}
        wanted = {r["months_after_arrival"] for r in rows}
        removed = [s for s in current if s.months_after_arrival not in wanted]
        if removed:
            ScheduleStep.objects.filter(pk__in=[s.pk for s in removed]).delete()
        for row in rows:
            step = by_months.get(row["months_after_arrival"])
            if step is None:
                ScheduleStep.objects.create(schedule=schedule, **row)
            elif _step_values([step])[0] != row:
                for name, value in row.items():
                    setattr(step, name, value)
                step.save(update_fields=list(row))
        audit.record(AuditType.MONITORING_SCHEDULE_CHANGED, schedule, actor=actor,
                     office_id=None, programme=programme.code, old=old, new=rows)
        sync_schedule(programme, actor)
    return schedule


# ---- visits and calls ----------------------------------------------------------------------


def require_record(actor: User, case: Case) -> None:
    """Refuse unless `actor` may record the visits and calls of `case`."""
    if not policy.holds_role(actor, case) or case.handed_over_at is None:
        raise NotAllowed(_("Only the M&E officers, reintegration officers and supervisors "
                           "of the office of origin may record monitoring visits of case "
                           "%(ref)s.") % {"ref": case.reference})
    if not policy.is_monitored(case):
        raise Invalid(_("Case %(ref)s is %(status)s: monitoring visits are recorded once "
                        "the returnees have arrived, until the case is closed.")
                      % {"ref": case.reference, "status": case.get_status_display()})


def _step(value: Any, case: Case, errors: dict[str, list[str]]) -> ScheduleStep | None:
    if value in (None, ""):
        return None
    pk = value.pk if isinstance(value, ScheduleStep) else value
    step = None
    if case.programme_id is not None:
        try:
            step = ScheduleStep.objects.filter(
                pk=int(pk), schedule__programme_id=case.programme_id).first()
        except (TypeError, ValueError):
            step = None
    if step is None:
        errors.setdefault("step", []).append(
            _("Choose a step of the monitoring schedule of the case's programme."))
    return step


def _apply_visit(visit: MonitoringVisit, data: dict[str, Any], case: Case) -> None:
    refuse_unknown_fields(data, VISIT_FIELDS)
    errors: dict[str, list[str]] = {}
    if "step" in data:
        visit.step = _step(data["step"], case, errors)
    for name in ("mode", "outcome", "migrated_to_country", "notes"):
        if name in data:
            setattr(visit, name, (data[name] or "").strip())
    if "contact_on" in data:
        visit.contact_on = data["contact_on"]
    visit.migrated_to_country = visit.migrated_to_country.upper()
    if visit.mode not in VisitMode.values:
        errors.setdefault("mode", []).append(
            _("Choose how the contact was made: home visit, office visit, phone call, "
              "video call or other."))
    if visit.outcome not in Outcome.values:
        errors.setdefault("outcome", []).append(_("Choose the outcome of the contact."))
    contact = visit.contact_on
    if not isinstance(contact, datetime.date):
        errors.setdefault("contact_on", []).append(_("Give the date of the contact."))
    elif contact > timezone.localdate():
        errors.setdefault("contact_on", []).append(
            _("The date of the contact cannot be in the future."))
    else:
        arrival = arrival_of(case)
        if arrival is not None and contact < arrival:
            errors.setdefault("contact_on", []).append(
                _("The date of the contact cannot be before the arrival (%(date)s).")
                % {"date": date_format(arrival, "SHORT_DATE_FORMAT")})
    country = visit.migrated_to_country
    if country:
        if visit.outcome != Outcome.MIGRATED_AGAIN:
            errors.setdefault("migrated_to_country", []).append(
                _("Give the country the returnee migrated to only when they have migrated "
                  "again."))
        else:
            try:
                validate_country(country)
            except ValidationError:
                errors.setdefault("migrated_to_country", []).append(
                    _("%(code)s is not an ISO 3166 alpha-3 country code.") % {"code": country})
            else:
                if country == case.destination_country:
                    errors.setdefault("migrated_to_country", []).append(
                        _("The returnee returned to %(country)s: give the country they "
                          "migrated to from there.") % {"country": country_name(country)})
    if len(visit.notes) > NOTES_LIMIT:
        errors.setdefault("notes", []).append(
            _("The notes can have at most %(n)s characters.") % {"n": NOTES_LIMIT})
    if errors:
        raise Invalid(*[m for msgs in errors.values() for m in msgs], field_errors=errors)


def _refresh_step(case: Case, step: ScheduleStep | None, actor: User) -> None:
    """Close the step's contact once a conclusive visit settles it; open it again (due
    as before) when none does any more."""
    if step is None:
        return
    settled = MonitoringVisit.objects.filter(case_id=case.pk, step_id=step.pk,
                                             outcome__in=CONCLUSIVE).exists()
    if settled:
        close_tasks(case=case, kind=TaskKind.MONITORING_CONTACT, subject=step, actor=actor)
        return
    arrival = arrival_of(case)
    if arrival is not None and case.origin_office_id is not None:
        _open_step(case, step, arrival, actor)


def _summary(visit: MonitoringVisit, changed: bool = False) -> str:
    outcome = Outcome(visit.outcome).label
    if visit.step_id is not None and visit.step is not None:
        months = visit.step.months_after_arrival
        what = ngettext("Monitoring contact (%(n)s month): %(outcome)s",
                        "Monitoring contact (%(n)s months): %(outcome)s",
                        months) % {"n": months, "outcome": outcome}
    else:
        what = _("Monitoring contact: %(outcome)s") % {"outcome": outcome}
    return _("%(what)s (changed)") % {"what": what} if changed else what


def record_visit(*, actor: User, case: Case, data: dict[str, Any]) -> MonitoringVisit:
    """Record a visit or call of `case` (fields of VISIT_FIELDS: `step` a ScheduleStep or
    its id, or None). A conclusive outcome closes the step's contact task; an attempt
    that did not reach the returnee leaves it open. Audit 351, a timeline entry."""
    require_record(actor, case)
    visit = MonitoringVisit(case=case, recorded_by=actor, mode="", outcome="")
    _apply_visit(visit, dict(data), case)
    with transaction.atomic():
        visit.save()
        audit.record(AuditType.MONITORING_VISIT_RECORDED, visit, actor=actor,
                     office_id=case.origin_office_id, case_id=case.pk,
                     new=audit.snapshot(visit, _AUDITED))
        record_timeline(case, actor, TimelineKind.CHANGED, _summary(visit))
        _refresh_step(case, visit.step, actor)
    return visit


def update_visit(*, actor: User, visit: MonitoringVisit, version: int,
                 data: dict[str, Any]) -> MonitoringVisit:
    """Change a visit, if nobody changed it since `version` (else StaleVersion). Notes
    only by those who may read them. The contacts of its old and new step follow the
    outcome. Audit 352 with old and new values, a timeline entry; nothing is written
    when nothing changes."""
    case = visit.case
    require_record(actor, case)
    if "notes" in data and not policy.can_read_notes(actor, case):
        raise NotAllowed(_("The notes of a visit are protection detail: only those who "
                           "may read them may change them."))
    before = audit.snapshot(visit, _AUDITED)
    old_step = visit.step
    try:
        _apply_visit(visit, dict(data), case)
    except Invalid:
        visit.refresh_from_db()
        visit.case = case
        raise
    old, new = audit.diff(before, audit.snapshot(visit, _AUDITED))
    if not new:
        return visit
    with transaction.atomic():
        save_versioned(visit, version, [f for f in _AUDITED if f in new])
        audit.record(AuditType.MONITORING_VISIT_CHANGED, visit, actor=actor,
                     office_id=case.origin_office_id, case_id=case.pk, old=old, new=new)
        record_timeline(case, actor, TimelineKind.CHANGED, _summary(visit, changed=True))
        _refresh_step(case, visit.step, actor)
        if old_step is not None and old_step.pk != visit.step_id:
            _refresh_step(case, old_step, actor)
    return visit
