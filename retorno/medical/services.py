"""Recording and changing fitness to travel assessments. The only way their rows are
written.

Each public function checks permission through `medical.policy`, validates, writes,
records the audit event and the timeline entry, all in one transaction, and raises a
`retorno.lib.errors.ServiceError` with a translated message when it refuses.

Supervisors and the data protection focal point read the audit log, and everyone who sees
the case reads its timeline: both record *that* the medical detail was given or changed
(`detail_given`, `detail_changed`), never what it says. The timeline entry (kind
"changed": there is no medical kind) names the member and the outcome, which everyone who
sees the case may read anyway.
"""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from retorno.accounts.models import User
from retorno.cases.models import Case, TimelineKind
from retorno.cases.services import record_timeline
from retorno.lib.errors import Invalid, NotAllowed
from retorno.lib.models import refuse_unknown_fields, save_versioned, validate
from retorno.medical import policy
from retorno.medical.models import FitnessAssessment, Outcome
from retorno.people.models import Person
from retorno.privacy import services as audit
from retorno.privacy.models import AuditType
from retorno.tasks import hooks as task_hooks

FIELDS = ["outcome", "special_needs", "special_needs_other", "escort_required",
          "assessed_on", "detail"]
# What the audit log shows in full: everything but the medical detail.
AUDITED = [f for f in FIELDS if f != "detail"]


def require_record(actor: User, case: Case) -> None:
    """Refuse unless `actor` may record assessments on `case` now."""
    if not policy.may_record(actor, case):
        raise NotAllowed(_("Only the medical officer of the host office may record fitness "
                           "to travel on case %(ref)s.") % {"ref": case.reference})
    if not case.is_open:
        raise Invalid(_("Case %(ref)s is %(status)s and can no longer be changed.")
                      % {"ref": case.reference, "status": case.get_status_display()})


def _prepare(assessment: FitnessAssessment) -> None:
    """Derive, then validate: a medical escort always goes with "fit with a medical
    escort" (FitnessAssessment.clean checks the "other" special needs)."""
    assessment.special_needs_other = (assessment.special_needs_other or "").strip()
    if assessment.outcome == Outcome.FIT_WITH_ESCORT:
        assessment.escort_required = True
    validate(assessment, exclude=["case", "person", "assessed_by"])


def _describe(assessment: FitnessAssessment) -> str:
    # Shown on the timeline to everyone who sees the case: the outcome, never the detail.
    return _("Fitness to travel of %(name)s: %(outcome)s") % {
        "name": assessment.person.display_name, "outcome": assessment.get_outcome_display()}


def record_assessment(*, actor: User, case: Case, person: Person,
                      data: dict[str, Any]) -> FitnessAssessment:
    """Record an assessment of `person`, a member of `case`; it becomes their current one
    unless a newer one was assessed later. Needs medical.record in the case's host office
    and an open case. Audit event 220 (without the detail's text), timeline entry."""
    require_record(actor, case)
    refuse_unknown_fields(data, FIELDS)
    if not case.members.filter(person=person).exists():
        raise Invalid(_("This person is not a member of this case."))
    assessment = FitnessAssessment(case=case, person=person, assessed_by=actor, **data)
    _prepare(assessment)
    with transaction.atomic():
        assessment.save()
        audit.record(AuditType.FITNESS_RECORDED, assessment, actor=actor,
                     office_id=case.host_office_id, case_id=case.pk,
                     new={"person": person.pk, **audit.snapshot(assessment, AUDITED)},
                     detail_given=bool(assessment.detail) or None)
        record_timeline(assessment.case_id, actor, TimelineKind.CHANGED, _describe(assessment))
        task_hooks.after_fitness_recorded(case, actor)
    return assessment


def update_assessment(*, actor: User, assessment: FitnessAssessment, data: dict[str, Any],
                      version: int) -> FitnessAssessment:
    """Change an assessment, if nobody else changed it since `version` (else StaleVersion,
    and nothing is written). Same permission as recording. Audit event 221 with old and
    new values (the detail only as "changed"), timeline entry; nothing is written if
    nothing changed."""
    case = assessment.case
    require_record(actor, case)
    refuse_unknown_fields(data, FIELDS)
    before = audit.snapshot(assessment, FIELDS)
    for name, value in data.items():
        setattr(assessment, name, value)
    _prepare(assessment)
    old, new = audit.diff(before, audit.snapshot(assessment, FIELDS))
    if not new:
        return assessment
    detail_changed = "detail" in new
    changed = list(new)
    old.pop("detail", None)
    new.pop("detail", None)
    with transaction.atomic():
        save_versioned(assessment, version, changed)
        audit.record(AuditType.FITNESS_CHANGED, assessment, actor=actor,
                     office_id=case.host_office_id, case_id=case.pk, old=old, new=new,
                     detail_changed=detail_changed or None)
        labels = [str(FitnessAssessment._meta.get_field(f).verbose_name) for f in changed]
        record_timeline(assessment.case_id, actor, TimelineKind.CHANGED,
                        _("%(assessment)s — changed: %(fields)s")
                        % {"assessment": _describe(assessment), "fields": ", ".join(labels)})
        task_hooks.after_fitness_recorded(case, actor)
    return assessment
