"""Consent, per person and purpose: recording it, withdrawing it, and checking it.

Every service that shares or processes a person's data for a purpose checks it first
through `has_consent`, `require_consent` or `missing_consent`. A withdrawal takes effect
at once: the next check already fails.

Recording and withdrawing need case.change on the case through which it is done
(caseworkers and supervisors of the host office); everyone who sees the case sees its
members' consents.
"""

import datetime
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from retorno.accounts import permissions as perms
from retorno.accounts.models import User
from retorno.cases.models import Case, CaseMember, Relationship, TimelineKind
from retorno.cases.policy import can_on_case
from retorno.cases.services import record_timeline
from retorno.lib.errors import Invalid, NotAllowed
from retorno.lib.models import validate
from retorno.people.models import Person, display_names
from retorno.privacy import services as audit
from retorno.privacy.models import AuditType, Consent, ConsentPurpose

ADULT_AGE = 18
CONSENT_FIELDS = ["person", "purpose", "partner_name", "given_on", "form_version",
                  "guardian_name", "guardian_relationship"]


class ConsentMissing(NotAllowed):
    """Data may not be shared or processed for a purpose: `people` have not consented
    (or have withdrawn their consent)."""

    def __init__(self, message: str, people: list[Person]):
        super().__init__(message)
        self.people = people


# ---- checking ---------------------------------------------------------------------------


def _purpose_filter(purpose: str, partner: str) -> Q:
    purpose = ConsentPurpose(purpose)
    if purpose == ConsentPurpose.PARTNER:
        if not partner.strip():
            raise ValueError("Consent to share with a partner is checked for a named partner.")
        return Q(purpose=purpose, partner_name__iexact=partner.strip())
    return Q(purpose=purpose)


def _active(purpose: str, partner: str) -> QuerySet[Consent]:
    return Consent.objects.filter(_purpose_filter(purpose, partner), withdrawn_at__isnull=True)


def has_consent(person: Person, purpose: str, partner: str = "") -> bool:
    """Has `person` (or their guardian) consented to `purpose`, and not withdrawn it?

    For sharing with a partner organisation, `partner` names it (case does not matter).
    """
    return _active(purpose, partner).filter(person=person).exists()


def missing_consent(case: Case, purpose: str, partner: str = "") -> list[Person]:
    """The members of `case` (principal first) without an active consent to `purpose`."""
    consented = _active(purpose, partner).values("person_id")
    members = (case.members.select_related("person").exclude(person_id__in=consented)
               .order_by("id"))
    return [m.person for m in members]


def require_consent(case: Case, purpose: str, partner: str = "", *,
                    people: Iterable[Person] | None = None) -> None:
    """Refuse with ConsentMissing, naming everyone who lacks it, unless every member of
    `case` (or only `people`, when given) has an active consent to `purpose`."""
    lacking = missing_consent(case, purpose, partner)
    if people is not None:
        wanted = {p.pk for p in people}
        lacking = [p for p in lacking if p.pk in wanted]
    if not lacking:
        return
    label = ConsentPurpose(purpose).label
    if purpose == ConsentPurpose.PARTNER:
        label = f"{label} ({partner.strip()})"
    raise ConsentMissing(
        _("Consent to “%(purpose)s” is missing for: %(names)s.")
        % {"purpose": label, "names": display_names(lacking)},
        lacking,
    )


# ---- who gives it -----------------------------------------------------------------------


def age_on(date_of_birth: datetime.date, day: datetime.date) -> int:
    before_birthday = (day.month, day.day) < (date_of_birth.month, date_of_birth.day)
    return day.year - date_of_birth.year - before_birthday


def is_child(member: CaseMember, on: datetime.date) -> bool:
    """Under 18 on `on` by date of birth; without one, a member related as a child."""
    born = member.person.date_of_birth
    if born is None:
        return member.relationship == Relationship.CHILD
    return age_on(born, on) < ADULT_AGE


# ---- reading for pages and the API -------------------------------------------------------


def case_consents(case: Case) -> QuerySet[Consent]:
    """Every consent of the case's members, whichever case it was recorded through."""
    return Consent.objects.filter(person__memberships__case=case).select_related(
        "person", "recorded_by", "withdrawn_by")


def access_consent(case: Case, consent_id: int) -> Consent:
    """A consent of one of the case's members; 404 otherwise. Load the case through
    cases.policy.access_case first."""
    consent = case_consents(case).filter(pk=consent_id).first()
    if consent is None:
        raise Http404
    return consent


# ---- recording and withdrawing -----------------------------------------------------------


def _label(consent: Consent) -> str:
    label = str(consent.get_purpose_display())
    return f"{label} ({consent.partner_name})" if consent.partner_name else label


def _check_fields(consent: Consent, member: CaseMember) -> None:
    errors: dict[str, list[str]] = {}
    if consent.purpose == ConsentPurpose.PARTNER and not consent.partner_name:
        errors["partner_name"] = [_("Name the partner organisation the data is shared "
                                    "with.")]
    if consent.purpose != ConsentPurpose.PARTNER and consent.partner_name:
        errors["partner_name"] = [_("A partner organisation is named only for sharing "
                                    "with a partner.")]
    if consent.given_on and consent.given_on > timezone.localdate():
        errors["given_on"] = [_("The date consent was given cannot be in the future.")]
    if consent.given_on and is_child(member, consent.given_on):
        if not consent.guardian_name:
            errors["guardian_name"] = [_("A child's consent is given by a guardian: "
                                         "enter the guardian's name.")]
        if not consent.guardian_relationship:
            errors["guardian_relationship"] = [_("Enter the guardian's relationship to "
                                                 "the child.")]
    if errors:
        raise Invalid(*[m for msgs in errors.values() for m in msgs], field_errors=errors)


def record_consent(*, actor: User, case: Case, person: Person, purpose: str,
                   given_on: datetime.date, form_version: str, partner_name: str = "",
                   guardian_name: str = "", guardian_relationship: str = "") -> Consent:
    """Record that `person`, a member of `case`, consented to `purpose`.

    Needs case.change on the case, which must be open. A child (under 18 on `given_on`,
    or without a date of birth and related as a child) needs a guardian's name and
    relationship. Refused if the same consent is already active. Audit event 401 and a
    timeline entry on `case`.
    """
    if not can_on_case(actor, perms.CASE_CHANGE, case):
        raise NotAllowed(_("You may not record consent on case %(ref)s.")
                         % {"ref": case.reference})
    if not case.is_open:
        raise Invalid(_("Case %(ref)s is %(status)s and can no longer be changed.")
                      % {"ref": case.reference, "status": case.get_status_display()})
    member = case.members.select_related("person").filter(person=person).first()
    if member is None:
        raise Invalid(_("This person is not a member of this case."))
    consent = Consent(
        person=person, case=case, purpose=purpose, given_on=given_on,
        form_version=form_version.strip(), partner_name=partner_name.strip(),
        guardian_name=guardian_name.strip(),
        guardian_relationship=guardian_relationship.strip(), recorded_by=actor)
    validate(consent, exclude=["person", "case", "recorded_by"])
    _check_fields(consent, member)
    already = Invalid(_("%(name)s has already consented to “%(purpose)s”; withdraw that "
                        "consent first to record a new one.")
                      % {"name": person.display_name, "purpose": _label(consent)})
    with transaction.atomic():
        if _active(purpose, consent.partner_name).filter(person=person).exists():
            raise already
        try:
            # Should two people record the same consent at the same moment, the partial
            # unique index (consent_one_active) refuses the second: same message.
            with transaction.atomic():
                consent.save()
        except IntegrityError:
            raise already from None
        audit.record(AuditType.CONSENT_RECORDED, consent, actor=actor,
                     office_id=case.host_office_id, case_id=case.pk,
                     new=audit.snapshot(consent, CONSENT_FIELDS))
        if consent.guardian_name:
            summary = _("%(name)s: %(purpose)s — given by %(guardian)s (%(relationship)s)") % {
                "name": person.display_name, "purpose": _label(consent),
                "guardian": consent.guardian_name,
                "relationship": consent.guardian_relationship}
        else:
            summary = _("%(name)s: %(purpose)s — given") % {
                "name": person.display_name, "purpose": _label(consent)}
        record_timeline(case, actor, TimelineKind.CONSENT, summary)
    return consent


def withdraw_consent(*, actor: User, consent: Consent, reason: str,
                     case: Case | None = None) -> Consent:
    """Withdraw `consent`, at once: from now on the checks above fail for it.

    `case` is the case through which the withdrawal is recorded (by default the one it
    was recorded through); the actor needs case.change on it, and the person must be one
    of its members. A reason is required. Withdrawing a withdrawn consent changes
    nothing. Audit event 402 and a timeline entry on `case`. Allowed on closed cases too:
    a person may always withdraw consent.
    """
    case = case or consent.case
    if not can_on_case(actor, perms.CASE_CHANGE, case):
        raise NotAllowed(_("You may not withdraw consent on case %(ref)s.")
                         % {"ref": case.reference})
    if not case.members.filter(person_id=consent.person_id).exists():
        raise Invalid(_("This person is not a member of this case."))
    if not consent.is_active:
        return consent
    reason = reason.strip()
    if not reason:
        raise Invalid(_("Say why consent is withdrawn."),
                      field_errors={"reason": [_("Say why consent is withdrawn.")]})
    now = timezone.now()
    with transaction.atomic():
        # Conditional on it still being active: two withdrawals at once write one event.
        updated = Consent.objects.filter(pk=consent.pk, withdrawn_at__isnull=True).update(
            withdrawn_at=now, withdrawn_by=actor, withdrawal_reason=reason)
        if not updated:
            consent.refresh_from_db()
            return consent
        consent.withdrawn_at, consent.withdrawn_by, consent.withdrawal_reason = (
            now, actor, reason)
        audit.record(AuditType.CONSENT_WITHDRAWN, consent, actor=actor,
                     office_id=case.host_office_id, case_id=case.pk,
                     old={"withdrawn_at": None},
                     new={"withdrawn_at": now.isoformat(), "withdrawn_by": actor.pk},
                     reason=reason)
        record_timeline(case, actor, TimelineKind.CONSENT,
                        _("%(name)s: %(purpose)s — withdrawn")
                        % {"name": consent.person.display_name, "purpose": _label(consent)},
                        reason=reason)
        if consent.purpose == ConsentPurpose.PARTNER:
            # Open referrals to that partner rest on this consent: withdrawn with it.
            from retorno.partners.services import withdraw_for_consent

            withdraw_for_consent(actor=actor, consent=consent)
    return consent
