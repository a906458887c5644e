"""Opening, changing, assigning and moving cases. The only way case rows are written.

Every public function here checks permission through the policy, validates, writes,
records the audit event and the timeline entry, all in one transaction, and raises a
`retorno.lib.errors.ServiceError` with a translated message when it refuses.
"""

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from retorno.accounts import permissions as perms
from retorno.accounts.models import Membership, Office, Role, User
from retorno.cases import workflow
from retorno.cases.models import (
    Case,
    CaseMember,
    ReferenceCounter,
    Relationship,
    Status,
    TimelineEntry,
    TimelineKind,
)
from retorno.cases.policy import can_on_case
from retorno.lib.errors import GuardsFailed, Invalid, NotAllowed
from retorno.lib.models import (
    refuse_unknown_fields,
    save_versioned,
    validate,
    validate_together,
)
from retorno.people.models import Person
from retorno.people.policy import visible_people
from retorno.people.services import register_person
from retorno.privacy import services as audit
from retorno.privacy.models import AuditType

CASE_FIELDS = ["destination_country", "destination_subdivision", "destination_area",
               "planned_departure_on", "programme",
               "origin_office"]
MEMBER_FIELDS = ["relationship", "category", "vulnerabilities"]


def _next_reference(country: str, year: int) -> str:
    # One UPDATE increments atomically on both databases; the row is created the first
    # time a country opens a case in a year.
    counter, _created = ReferenceCounter.objects.get_or_create(country=country, year=year)
    ReferenceCounter.objects.filter(pk=counter.pk).update(last=F("last") + 1)
    counter.refresh_from_db(fields=["last"])
    return f"{country}-{year}-{counter.last:06d}"


def record_timeline(case: Case | int, actor: User | None, kind: TimelineKind,
                    summary: str = "", **fields: Any) -> None:
    """Add an entry to a case's timeline (`case` or its id). Every app's services write
    the timeline through here, inside their own transaction. A summary longer than the
    column is cut rather than refused: it describes, it is not the record."""
    limit = TimelineEntry._meta.get_field("summary").max_length
    TimelineEntry.objects.create(case_id=getattr(case, "pk", case), actor=actor,
                                 at=timezone.now(), kind=kind, summary=summary[:limit],
                                 **fields)


def _tasks_hooks():
    # Imported when called: the tasks app imports this module.
    from retorno.tasks import hooks

    return hooks


def _statistics():
    # Imported when called: the reports app imports this app's models.
    from retorno.reports import facts

    return facts


def _check_assignee(assignee: User | None, office: Office) -> None:
    if assignee is None:
        return
    works_there = Membership.objects.filter(
        user=assignee, office=office, role__in=[Role.CASEWORKER, Role.SUPERVISOR]
    ).exists()
    if not works_there or not assignee.is_active:
        raise Invalid(
            _("%(user)s is not a caseworker of %(office)s.") % {"user": assignee,
                                                                 "office": office},
            field_errors={"assignee": [_("Choose a caseworker of this office.")]},
        )


def _new_member(case: Case, person: Person, member: dict[str, Any]) -> CaseMember:
    refuse_unknown_fields(member, MEMBER_FIELDS)
    row = CaseMember(case=case, person=person, **member)
    validate(row, exclude=["case", "person"])
    return row


def open_case(*, actor: User, office: Office, principal: Person, member: dict[str, Any],
              case: dict[str, Any], assignee: User | None = None) -> Case:
    """Open a case in `office` with `principal` as principal applicant.

    `member` gives the principal's category and vulnerabilities; `case` the destination,
    programme and origin office. The case is assigned to `assignee`, or to the actor when
    they are a caseworker there. Audit events 201 and 203, timeline "opened".
    """
    if not perms.can(actor, perms.CASE_CREATE, office.pk):
        raise NotAllowed(_("You may not open cases in %(office)s.") % {"office": office})
    if not visible_people(actor).filter(pk=principal.pk).exists():
        raise NotAllowed(_("You may not open a case for this person."))
    refuse_unknown_fields(case, CASE_FIELDS)
    if assignee is None and perms.roles_in(actor, office.pk) & {Role.CASEWORKER}:
        assignee = actor
    _check_assignee(assignee, office)
    now = timezone.now()
    new = Case(host_office=office, created_by=actor, assignee=assignee,
               status=Status.REGISTERED, status_changed_at=now, **case)
    _valid, row = validate_together(
        lambda: validate(new, exclude=["reference", "host_office", "created_by", "assignee"]),
        lambda: _new_member(new, principal, {**member, "relationship": Relationship.PRINCIPAL}),
    )
    with transaction.atomic():
        new.reference = _next_reference(office.country, timezone.localdate().year)
        new.save()
        row.case = new
        row.save()
        audit.record(AuditType.CASE_CREATED, new, actor=actor, office_id=office.pk,
                     case_id=new.pk, new={"reference": new.reference,
                                          **audit.snapshot(new, CASE_FIELDS + ["assignee"])})
        audit.record(AuditType.CASE_MEMBER_ADDED, new, actor=actor, office_id=office.pk,
                     case_id=new.pk, new=audit.snapshot(row, ["person", *MEMBER_FIELDS]))
        record_timeline(new, actor, TimelineKind.OPENED,
                  to_status=Status.REGISTERED, summary=principal.display_name)
        _tasks_hooks().after_case_opened(new, actor)
    return new


def register_and_open_case(*, actor: User, office: Office, person: dict[str, Any],
                           member: dict[str, Any], case: dict[str, Any]) -> Case:
    """Register a new person and open a case for them, all or nothing."""
    with transaction.atomic():
        principal = register_person(actor=actor, office=office, data=person)
        return open_case(actor=actor, office=office, principal=principal, member=member,
                         case=case)


def _require_change(actor: User, case: Case) -> None:
    if not can_on_case(actor, perms.CASE_CHANGE, case):
        raise NotAllowed(_("You may not change case %(ref)s.") % {"ref": case.reference})
    if not case.is_open:
        raise Invalid(_("Case %(ref)s is %(status)s and can no longer be changed.")
                      % {"ref": case.reference, "status": case.get_status_display()})


def update_case(*, actor: User, case: Case, data: dict[str, Any], version: int) -> Case:
    """Change a case's destination, programme or origin office, if nobody else changed
    the case since `version`. Audit event 202 with old and new values, timeline
    "changed"; nothing is written if nothing changed."""
    _require_change(actor, case)
    refuse_unknown_fields(data, CASE_FIELDS)
    before = audit.snapshot(case, CASE_FIELDS)
    for name, value in data.items():
        setattr(case, name, value)
    validate(case, exclude=["reference", "host_office", "created_by", "assignee"])
    old, new = audit.diff(before, audit.snapshot(case, CASE_FIELDS))
    if not new:
        return case
    with transaction.atomic():
        save_versioned(case, version, list(new))
        audit.record(AuditType.CASE_CHANGED, case, actor=actor, office_id=case.host_office_id,
                     case_id=case.pk, old=old, new=new)
        labels = [str(Case._meta.get_field(f).verbose_name) for f in new]
        record_timeline(case, actor, TimelineKind.CHANGED, summary=", ".join(labels))
        _statistics().refresh_case(case)
    return case


def assign_case(*, actor: User, case: Case, assignee: User | None, version: int) -> Case:
    """Give the case to another caseworker of its host office. Needs case.assign
    (supervisors). Audit event 206, timeline "assigned"."""
    if not can_on_case(actor, perms.CASE_ASSIGN, case):
        raise NotAllowed(_("You may not assign case %(ref)s.") % {"ref": case.reference})
    if assignee == case.assignee:
        return case
    _check_assignee(assignee, case.host_office)
    old = case.assignee_id
    case.assignee = assignee
    with transaction.atomic():
        save_versioned(case, version, ["assignee"])
        audit.record(AuditType.CASE_ASSIGNED, case, actor=actor, office_id=case.host_office_id,
                     case_id=case.pk, old={"assignee": old},
                     new={"assignee": assignee.pk if assignee else None})
        record_timeline(case, actor, TimelineKind.ASSIGNED,
                  summary=str(assignee) if assignee else _("nobody"))
        _tasks_hooks().after_case_assigned(case, actor, old)
    return case


def add_member(*, actor: User, case: Case, person: Person, member: dict[str, Any]) -> CaseMember:
    """Add a family member who returns with the principal. Audit 203, timeline."""
    _require_change(actor, case)
    if not visible_people(actor).filter(pk=person.pk).exists():
        raise NotAllowed(_("You may not add this person to a case."))
    if member.get("relationship") == Relationship.PRINCIPAL:
        raise Invalid(_("A case has one principal applicant; choose another relationship."),
                      field_errors={"relationship": [_("The case already has a principal "
                                                       "applicant.")]})
    if case.members.filter(person=person).exists():
        raise Invalid(_("%(name)s is already a member of this case.")
                      % {"name": person.display_name})
    row = _new_member(case, person, member)
    with transaction.atomic():
        row.save()
        Case.objects.filter(pk=case.pk).update(version=F("version") + 1)
        audit.record(AuditType.CASE_MEMBER_ADDED, case, actor=actor,
                     office_id=case.host_office_id, case_id=case.pk,
                     new=audit.snapshot(row, ["person", *MEMBER_FIELDS]))
        record_timeline(case, actor, TimelineKind.MEMBER_ADDED,
                  summary=f"{person.display_name} ({row.get_relationship_display()})")
        _statistics().refresh_case(case)
    case.version += 1
    return row


def register_and_add_member(*, actor: User, case: Case, person: dict[str, Any],
                            member: dict[str, Any]) -> CaseMember:
    """Register a new person in the case's host office and add them, all or nothing."""
    _require_change(actor, case)
    with transaction.atomic():
        new = register_person(actor=actor, office=case.host_office, data=person)
        return add_member(actor=actor, case=case, person=new, member=member)


def remove_member(*, actor: User, case: Case, member: CaseMember) -> None:
    """Take a family member off the case (the person stays registered). Audit 204."""
    _require_change(actor, case)
    if member.case_id != case.pk:
        raise Invalid(_("This person is not a member of this case."))
    if member.relationship == Relationship.PRINCIPAL:
        raise Invalid(_("The principal applicant cannot be removed from the case."))
    with transaction.atomic():
        snapshot = audit.snapshot(member, ["person", *MEMBER_FIELDS])
        member.delete()
        Case.objects.filter(pk=case.pk).update(version=F("version") + 1)
        audit.record(AuditType.CASE_MEMBER_REMOVED, case, actor=actor,
                     office_id=case.host_office_id, case_id=case.pk, old=snapshot)
        record_timeline(case, actor, TimelineKind.MEMBER_REMOVED,
                        summary=member.person.display_name)
        _statistics().refresh_case(case)
    case.version += 1


# ---- the lifecycle --------------------------------------------------------------------


def _may_perform(actor: User, transition: workflow.Transition, case: Case) -> bool:
    """Does the actor hold one of the transition's roles on the right side of the case?"""
    if transition.side == workflow.HOST:
        offices = {case.host_office_id}
    elif transition.side == workflow.ORIGIN:
        offices = {case.origin_office_id} if case.handed_over_at else set()
    else:
        from retorno.cases.policy import case_offices

        offices = case_offices(case)
    return any(perms.roles_in(actor, office) & transition.roles for office in offices)


@dataclass(frozen=True)
class Option:
    """A transition the actor may try from the current status, with what blocks it."""

    transition: workflow.Transition
    unmet: list[str]


def transition_options(case: Case, actor: User) -> list[Option]:
    """The transitions `actor` may perform from the case's status, each with its unmet
    guards other than the reason (which the user types when they press the button)."""
    return [
        Option(t, workflow.unmet_guards(t, case, actor, skip=(workflow.reason_given,)))
        for t in workflow.leaving(case)
        if _may_perform(actor, t, case)
    ]


def transition_case(case: Case, name: str, *, actor: User, reason: str = "") -> Case:
    """Move `case` along the lifecycle by the transition called `name`.

    Refuses with NotAllowed when the actor's role may not perform it, and with
    GuardsFailed listing *every* unmet guard. Moving to the current status records
    nothing. On success writes the status (conditionally on the status not having
    changed meanwhile), the timeline entry, audit event 205. (The handover to the origin
    office is booking's: `travel.services.book_itinerary`.)
    """
    transition = workflow.BY_NAME.get(name)
    if transition is None:
        raise Invalid(_("There is no such step in the case lifecycle."))
    if transition.to is not None and case.status == transition.to:
        return case
    if case.status not in transition.sources:
        raise GuardsFailed([
            _("A case that is %(status)s cannot go to “%(label)s”.")
            % {"status": case.get_status_display(), "label": transition.label}
        ])
    if not _may_perform(actor, transition, case):
        raise NotAllowed(_("Your role may not do “%(label)s” on this case.")
                         % {"label": transition.label})
    unmet = workflow.unmet_guards(transition, case, actor, reason)
    if unmet:
        raise GuardsFailed(unmet)
    source, target = Status(case.status), workflow.target_status(transition, case)
    now = timezone.now()
    changes: dict[str, Any] = {"status": target, "status_changed_at": now,
                               "held_from": source if target == Status.ON_HOLD else ""}
    if target == Status.APPROVED:
        from retorno.programmes.package import commitment

        changes["commitment"] = commitment(case)
    with transaction.atomic():
        # Conditional on the status we checked: two people pressing buttons at once
        # cannot both move the case.
        moved = Case.objects.filter(pk=case.pk, status=source).update(
            **changes, version=F("version") + 1, updated_at=now)
        if not moved:
            raise GuardsFailed([_("Someone else changed this case's status meanwhile. "
                                  "Reload the page to see where it is now.")])
        for field_name, value in changes.items():
            setattr(case, field_name, value)
        case.version += 1
        record_timeline(case, actor, TimelineKind.TRANSITION, from_status=source,
                  to_status=target, reason=reason.strip())
        audit.record(AuditType.CASE_TRANSITIONED, case, actor=actor,
                     office_id=case.host_office_id, case_id=case.pk,
                     old={"status": source}, new={"status": target},
                     reason=reason.strip() or None)
        _tasks_hooks().after_transition(case, transition, actor)
        if target == Status.DEPARTED:
            _statistics().refresh_case(case)
    return case


# ---- a member's vulnerabilities ------------------------------------------------------------


def set_member_vulnerabilities(*, actor: User, case: Case, member: CaseMember,
                               vulnerabilities: list[str]) -> CaseMember:
    """Replace a member's vulnerability flags (e.g. after a screening). Needs case.change
    on the open case. Audit event 202 with the old and new flags, timeline "changed"
    (naming the person, never the flags: everyone who sees the case reads the timeline);
    nothing is written if nothing changed."""
    _require_change(actor, case)
    if member.case_id != case.pk:
        raise Invalid(_("This person is not a member of this case."))
    old = list(member.vulnerabilities)
    member.vulnerabilities = list(vulnerabilities)
    try:
        validate(member, exclude=["case", "person", "relationship", "category"])
    except Invalid:
        member.vulnerabilities = old
        raise
    if member.vulnerabilities == old:
        return member
    with transaction.atomic():
        member.save(update_fields=["vulnerabilities"])
        Case.objects.filter(pk=case.pk).update(version=F("version") + 1)
        audit.record(AuditType.CASE_CHANGED, case, actor=actor, office_id=case.host_office_id,
                     case_id=case.pk, person=member.person_id,
                     old={"vulnerabilities": old}, new={"vulnerabilities": member.vulnerabilities})
        record_timeline(case, actor, TimelineKind.CHANGED,
                  summary=_("Vulnerabilities of %(name)s") % {"name": member.person.display_name})
        _statistics().refresh_case(case)
    case.version += 1
    return member
