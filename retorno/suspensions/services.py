"""Setting and lifting return suspensions. The only way their rows are written.

Each function checks `suspensions.policy.can_manage`, validates, writes and records the
audit event in one transaction, and raises a `retorno.lib.errors.ServiceError` with a
translated message when it refuses. A suspension belongs to no case and no office: its
audit events have neither. The cases it blocks show why in the ready_to_travel guard's
message and when booking; the cases *already booked* for a journey it covers are flagged
when it is set — a timeline entry on each and a task `suspension_review` for its
caseworker, their references in the audit event — and, when it is lifted, each flagged
case's timeline says so and its review task closes.
"""

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from retorno.accounts.models import Role, User
from retorno.cases.models import Case, TimelineKind
from retorno.cases.services import record_timeline
from retorno.lib.errors import Invalid, NotAllowed
from retorno.lib.models import refuse_unknown_fields, save_versioned, validate
from retorno.privacy import services as audit
from retorno.privacy.models import AuditType
from retorno.suspensions import policy
from retorno.suspensions.models import ReturnSuspension
from retorno.tasks.models import Task, TaskKind
from retorno.tasks.services import close_tasks, open_task, subject_key
from retorno.travel.suspended import bookings_covered

REVIEW_DAYS = 2

FIELDS = ["country", "subdivision", "reason", "starts_on", "ends_on"]


def require_manage(actor: User) -> None:
    if not policy.can_manage(actor):
        raise NotAllowed(_("Only supervisors and programme managers may set or lift "
                           "return suspensions."))


def set_suspension(*, actor: User, data: dict[str, Any]) -> ReturnSuspension:
    """Suspend returns to a country, or to one of its subdivisions, from `starts_on`
    (today when left out) until `ends_on` (none: until lifted). Needs suspension.manage.
    Audit event 290."""
    require_manage(actor)
    refuse_unknown_fields(data, FIELDS)
    fields = {**data}
    fields["country"] = (fields.get("country") or "").strip().upper()
    fields["subdivision"] = (fields.get("subdivision") or "").strip().upper()
    fields["reason"] = (fields.get("reason") or "").strip()
    fields["starts_on"] = fields.get("starts_on") or timezone.localdate()
    suspension = ReturnSuspension(set_by=actor, **fields)
    validate(suspension, exclude=["set_by"])
    if suspension.ends_on is not None and suspension.ends_on < timezone.localdate():
        raise Invalid(_("This period is already over: give an end date from today on, or "
                        "none."), field_errors={"ends_on": [
                            _("This period is already over: give an end date from today "
                              "on, or none.")]})
    with transaction.atomic():
        suspension.save()
        flagged = bookings_covered(suspension)
        audit.record(AuditType.SUSPENSION_SET, suspension, actor=actor, office_id=None,
                     new={**audit.snapshot(suspension, FIELDS),
                          "flagged_cases": [case.reference for case in flagged]})
        for case in flagged:
            _flag(actor, case, suspension)
    return suspension


def _flag(actor: User, case: Case, suspension: ReturnSuspension) -> None:
    """A booked case the new suspension covers: a timeline entry, and a task for its
    caseworker (the caseworkers' queue while nobody is assigned) to review the booking."""
    record_timeline(case, actor, TimelineKind.CHANGED,
                    _("Booking flagged: returns to %(destination)s are suspended %(until)s")
                    % {"destination": suspension.destination_label(),
                       "until": suspension.until_label()})
    who = ({"assignee": case.assignee} if case.assignee_id is not None
           else {"role": Role.CASEWORKER})
    open_task(case=case, kind=TaskKind.SUSPENSION_REVIEW, subject=suspension, actor=actor,
              due_on=timezone.localdate() + datetime.timedelta(days=REVIEW_DAYS),
              detail={"suspension": suspension.pk}, **who)


def _unflag(actor: User, suspension: ReturnSuspension) -> list[str]:
    """On lifting: each case flagged by the suspension gets a timeline entry, and its
    review task is closed. The references of those cases."""
    tasks = (Task.objects.filter(kind=TaskKind.SUSPENSION_REVIEW, subject_id=suspension.pk,
                                 subject_type=subject_key(suspension)[0])
             .select_related("case").order_by("case_id"))
    cases = {task.case_id: task.case for task in tasks}
    for case in cases.values():
        record_timeline(case, actor, TimelineKind.CHANGED,
                        _("Suspension of returns to %(destination)s lifted")
                        % {"destination": suspension.destination_label()})
        close_tasks(case=case, kind=TaskKind.SUSPENSION_REVIEW, subject=suspension,
                    actor=actor)
    return [case.reference for case in cases.values()]


def lift_suspension(*, actor: User, suspension: ReturnSuspension, reason: str,
                    version: int) -> ReturnSuspension:
    """Lift a suspension now, with a reason, if nobody else changed it since `version`
    (else StaleVersion). A scheduled one is lifted before it starts; a lifted or ended one
    cannot be. Needs suspension.manage. Audit event 291."""
    require_manage(actor)
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(_("Say why the suspension is lifted."),
                      field_errors={"reason": [_("Say why the suspension is lifted.")]})
    state = suspension.state()
    if state == "lifted":
        raise Invalid(_("This suspension has already been lifted."))
    if state == "ended":
        raise Invalid(_("This suspension has already ended; there is nothing to lift."))
    suspension.lifted_at = timezone.now()
    suspension.lifted_by = actor
    suspension.lift_reason = reason
    with transaction.atomic():
        save_versioned(suspension, version, ["lifted_at", "lifted_by", "lift_reason"])
        unflagged = _unflag(actor, suspension)
        audit.record(AuditType.SUSPENSION_LIFTED, suspension, actor=actor, office_id=None,
                     old={"country": suspension.country,
                          "subdivision": suspension.subdivision},
                     new={"lift_reason": reason, "unflagged_cases": unflagged})
    return suspension
