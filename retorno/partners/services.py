"""The partner directory, data-sharing agreements, partner users and referrals. The only
way their rows are written.

Each public function checks permission through `partners.policy`, validates (every
problem at once), writes, records the audit event and, for a referral, the case's
timeline entry, all in one transaction, and raises a `retorno.lib.errors.ServiceError`
with a translated message when it refuses.

A referral goes only to an active partner that offers the service and has a data-sharing
agreement valid today, only about a member of the case who consented to sharing with
that partner (by its name), and carries only the service's minimum fields
(`partners.minimum`). The timeline names the partner, the service and the step, never the
free text; the audit log names the fields shared, never their values.
"""

import datetime
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from retorno.accounts.models import Office, Role, User
from retorno.accounts.services import create_user, grant_role
from retorno.cases.models import Case, TimelineKind
from retorno.cases.services import record_timeline
from retorno.lib.errors import Invalid, NotAllowed, StaleVersion
from retorno.lib.models import refuse_unknown_fields, save_versioned
from retorno.lib.subdivisions import subdivision_error
from retorno.partners import minimum, policy
from retorno.partners.models import (
    OPEN_REFERRAL,
    Agreement,
    Partner,
    PartnerUser,
    Referral,
    ReferralStatus,
)
from retorno.people.models import Person
from retorno.privacy import services as audit
from retorno.privacy.consent import has_consent
from retorno.privacy.models import AuditType, Consent, ConsentPurpose
from retorno.reintegration.models import AssistanceItem, ItemKind

PARTNER_FIELDS = ["name", "country", "areas", "services", "contact_name", "email", "phone",
                  "address", "active"]
AGREEMENT_FIELDS = ["reference", "signed_on", "valid_until", "scope"]
_PHONE = re.compile(r"^\+[1-9]\d{6,14}$")
_TEXT = {"name", "contact_name", "email", "phone", "address"}


def _add(errors: dict[str, list[str]], field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def _raise(errors: dict[str, list[str]]) -> None:
    if errors:
        raise Invalid(*[m for msgs in errors.values() for m in msgs], field_errors=errors)


def service_label(service: str) -> str:
    return str(ItemKind(service).label) if service in ItemKind.values else service


def _short(day: datetime.date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


# ---- the directory ---------------------------------------------------------------------------


def normalise_phone(value: str) -> str:
    """"+964 770 123-4567" -> "+9647701234567"; the digits of an E.164 number."""
    return re.sub(r"[\s\-().]", "", value or "")


def _clean_partner(partner: Partner, data: dict[str, Any]) -> None:
    for name, value in data.items():
        if name in _TEXT:
            value = (value or "").strip()
        if name == "country":
            value = (value or "").strip().upper()
        if name == "areas":
            value = [str(a).strip().upper() for a in (value or []) if str(a).strip()]
            value = list(dict.fromkeys(value))
        if name == "services":
            value = list(dict.fromkeys(str(s).strip() for s in (value or []) if str(s).strip()))
        if name == "phone":
            value = normalise_phone(value)
        setattr(partner, name, value)


def _check_partner(partner: Partner) -> None:
    """Every problem with the entry, at once."""
    errors: dict[str, list[str]] = {}
    if not partner.name:
        _add(errors, "name", _("Give the organisation's name."))
    elif len(partner.name) > Partner._meta.get_field("name").max_length:
        _add(errors, "name", _("The name is too long (200 characters at most)."))
    elif Partner.objects.filter(name__iexact=partner.name).exclude(pk=partner.pk).exists():
        _add(errors, "name", _("A partner named “%(name)s” is already in the directory.")
             % {"name": partner.name})
    country_ok = False
    if not partner.country:
        _add(errors, "country", _("Give the country the organisation works in."))
    else:
        try:
            Partner._meta.get_field("country").run_validators(partner.country)
            country_ok = True
        except ValidationError as exc:
            for message in exc.messages:
                _add(errors, "country", message)
    if not isinstance(partner.areas, list):
        _add(errors, "areas", _("Give the areas as a list of ISO 3166-2 codes."))
    elif country_ok:
        for code in partner.areas:
            problem = subdivision_error(code, partner.country)
            if problem:
                _add(errors, "areas", problem)
    if not isinstance(partner.services, list) or not partner.services:
        _add(errors, "services", _("Choose at least one service the organisation offers."))
    else:
        for service in partner.services:
            if service not in ItemKind.values:
                _add(errors, "services", _("“%(service)s” is not a kind of assistance.")
                     % {"service": service})
    if partner.email:
        try:
            validate_email(partner.email)
        except ValidationError:
            _add(errors, "email", _("“%(email)s” is not an email address.")
                 % {"email": partner.email})
    if partner.phone and not _PHONE.match(partner.phone):
        _add(errors, "phone", _("Give the phone number in international form, with its "
                                "country code, such as +964 770 123 4567."))
    if len(partner.contact_name) > 200:
        _add(errors, "contact_name", _("The contact's name is too long (200 characters at "
                                       "most)."))
    _raise(errors)


def _name_in_use(name: str, partner: Partner) -> bool:
    """Do consents or referrals name the partner by `name`?"""
    return (partner.referrals.exists()
            or Consent.objects.filter(purpose=ConsentPurpose.PARTNER,
                                      partner_name__iexact=name).exists())


def create_partner(*, actor: User, office: Office, data: dict[str, Any]) -> Partner:
    """Add an organisation to the directory, kept by `office`. Needs partner.manage in that
    office (a programme manager: any office). The name is unique (case does not matter):
    consents name the partner by it. Audit event 330."""
    if not policy.may_create_in(actor, office.pk):
        raise NotAllowed(_("You may not add partners kept by %(office)s.")
                         % {"office": office})
    refuse_unknown_fields(data, PARTNER_FIELDS)
    partner = Partner(office=office)
    _clean_partner(partner, data)
    _check_partner(partner)
    try:
        with transaction.atomic():
            partner.save()
            audit.record(AuditType.PARTNER_CHANGED, partner, actor=actor,
                         office_id=office.pk,
                         new=audit.snapshot(partner, [*PARTNER_FIELDS, "office"]))
    except IntegrityError:
        raise Invalid(_("A partner named “%(name)s” is already in the directory.")
                      % {"name": partner.name},
                      field_errors={"name": [_("This name is taken.")]}) from None
    return partner


def update_partner(*, actor: User, partner: Partner, data: dict[str, Any],
                   version: int) -> Partner:
    """Change a directory entry, if nobody else changed it since `version` (else
    StaleVersion). Renaming is refused once a consent or a referral names the partner.
    Audit event 330 with old and new values; nothing is written if nothing changed."""
    if not policy.may_manage(actor, partner):
        raise NotAllowed(_("You may not change %(name)s: it is kept by %(office)s.")
                         % {"name": partner.name, "office": partner.office})
    refuse_unknown_fields(data, PARTNER_FIELDS)
    before = audit.snapshot(partner, PARTNER_FIELDS)
    old_name = partner.name
    _clean_partner(partner, data)
    errors: dict[str, list[str]] = {}
    try:
        _check_partner(partner)
    except Invalid as exc:
        errors = {k: list(v) for k, v in exc.field_errors.items()}
    if (partner.name and partner.name != old_name
            and _name_in_use(old_name, partner)):
        _add(errors, "name", _("%(name)s cannot be renamed: consents or referrals name it. "
                               "Add the organisation again under its new name instead.")
             % {"name": old_name})
    _raise(errors)
    old, new = audit.diff(before, audit.snapshot(partner, PARTNER_FIELDS))
    if not new:
        return partner
    try:
        with transaction.atomic():
            save_versioned(partner, version, list(new))
            audit.record(AuditType.PARTNER_CHANGED, partner, actor=actor,
                         office_id=partner.office_id, old=old, new=new)
    except IntegrityError:
        raise Invalid(_("A partner named “%(name)s” is already in the directory.")
                      % {"name": partner.name},
                      field_errors={"name": [_("This name is taken.")]}) from None
    return partner


# ---- agreements ------------------------------------------------------------------------------


def record_agreement(*, actor: User, partner: Partner, signed_on: datetime.date | None,
                     valid_until: datetime.date | None, reference: str = "",
                     scope: str = "") -> Agreement:
    """Record a signed data-sharing agreement with the partner, valid from `signed_on` to
    `valid_until` (after it). Audit event 331."""
    if not policy.may_manage(actor, partner):
        raise NotAllowed(_("You may not record agreements with %(name)s: it is kept by "
                           "%(office)s.") % {"name": partner.name, "office": partner.office})
    errors: dict[str, list[str]] = {}
    if signed_on is None:
        _add(errors, "signed_on", _("Give the date the agreement was signed."))
    if valid_until is None:
        _add(errors, "valid_until", _("Give the date until which the agreement is valid."))
    if signed_on and valid_until and valid_until <= signed_on:
        _add(errors, "valid_until", _("The agreement must be valid until a date after it "
                                      "was signed (%(date)s).") % {"date": _short(signed_on)})
    reference, scope = (reference or "").strip(), (scope or "").strip()
    if len(reference) > 100:
        _add(errors, "reference", _("The reference is too long (100 characters at most)."))
    _raise(errors)
    agreement = Agreement(partner=partner, signed_on=signed_on, valid_until=valid_until,
                          reference=reference, scope=scope, recorded_by=actor)
    with transaction.atomic():
        agreement.save()
        audit.record(AuditType.AGREEMENT_RECORDED, agreement, actor=actor,
                     office_id=partner.office_id, partner=partner.pk,
                     new=audit.snapshot(agreement, AGREEMENT_FIELDS))
    return agreement


def valid_agreement(partner: Partner, on: datetime.date | None = None) -> Agreement | None:
    """The agreement in force on `on` (today by default) that runs longest; None if none."""
    on = on or timezone.localdate()
    return (Agreement.objects.filter(partner_id=partner.pk, signed_on__lte=on,
                                     valid_until__gte=on)
            .order_by("-valid_until", "-id").first())


def agreement_problem(partner: Partner, on: datetime.date | None = None) -> str | None:
    """Why no agreement with `partner` is in force on `on`, or None when one is."""
    on = on or timezone.localdate()
    agreements = list(Agreement.objects.filter(partner_id=partner.pk))
    if any(a.signed_on <= on <= a.valid_until for a in agreements):
        return None
    past = [a for a in agreements if a.valid_until < on]
    future = [a for a in agreements if a.signed_on > on]
    if past:
        last = max(a.valid_until for a in past)
        return _("The data-sharing agreement with %(name)s expired on %(date)s.") % {
            "name": partner.name, "date": _short(last)}
    if future:
        first = min(a.signed_on for a in future)
        return _("The data-sharing agreement with %(name)s takes effect only on %(date)s.") % {
            "name": partner.name, "date": _short(first)}
    return _("%(name)s has no signed data-sharing agreement.") % {"name": partner.name}


# ---- partner users -------------------------------------------------------------------------


def link_partner_user(*, actor: User, partner: Partner, user: User) -> PartnerUser:
    """Make `user` a user of `partner`: the partner role in the partner's office and the
    link. A member of staff (any other role) cannot be a partner user, and a user works
    for one organisation. Audit event 332."""
    if not policy.may_manage(actor, partner):
        raise NotAllowed(_("You may not add users to %(name)s: it is kept by %(office)s.")
                         % {"name": partner.name, "office": partner.office})
    if not user.is_active:
        raise Invalid(_("%(user)s's account is disabled.") % {"user": user})
    if user.memberships.exclude(role=Role.PARTNER).exists():
        raise Invalid(_("%(user)s is a member of staff and cannot also be a partner user.")
                      % {"user": user})
    existing = PartnerUser.objects.filter(user=user).select_related("partner").first()
    if existing is not None:
        raise Invalid(_("%(user)s is already a user of %(name)s.")
                      % {"user": user, "name": existing.partner.name})
    try:
        with transaction.atomic():
            grant_role(user=user, office=partner.office, role=Role.PARTNER)
            link = PartnerUser.objects.create(user=user, partner=partner)
            audit.record(AuditType.PARTNER_USER_LINKED, link, actor=actor,
                         office_id=partner.office_id, partner=partner.pk, user=user.pk)
    except IntegrityError:
        raise Invalid(_("%(user)s is already a partner user.") % {"user": user}) from None
    # A cached answer of the policy (the user object may be the one signed in) is stale.
    for name in ("_retorno_memberships", "_retorno_partner"):
        user.__dict__.pop(name, None)
    return link


def create_partner_user(*, actor: User, partner: Partner, username: str, password: str,
                        first_name: str = "", last_name: str = "",
                        email: str = "") -> User:
    """Open an account for someone who works for `partner` and link it
    (`link_partner_user`). The password must pass the password rules. Audit event 332."""
    if not policy.may_manage(actor, partner):
        raise NotAllowed(_("You may not add users to %(name)s: it is kept by %(office)s.")
                         % {"name": partner.name, "office": partner.office})
    username = (username or "").strip()
    errors: dict[str, list[str]] = {}
    if not username:
        _add(errors, "username", _("Give a username."))
    elif User.objects.filter(username__iexact=username).exists():
        _add(errors, "username", _("The username “%(username)s” is taken.")
             % {"username": username})
    email = (email or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            _add(errors, "email", _("“%(email)s” is not an email address.") % {"email": email})
    if not password:
        _add(errors, "password", _("Give a password."))
    _raise(errors)
    with transaction.atomic():
        user = create_user(username=username, password=password,
                           first_name=(first_name or "").strip(),
                           last_name=(last_name or "").strip(), email=email)
        link_partner_user(actor=actor, partner=partner, user=user)
    return user


# ---- referrals: sending and withdrawing ----------------------------------------------------


def _item_error(item: AssistanceItem | None, case: Case) -> str | None:
    if item is None:
        return None
    if item.plan.case_id != case.pk:
        return _("The assistance item is not part of this case's reintegration plan.")
    return None


def send_referral(*, actor: User, case: Case, person: Person, partner: Partner, service: str,
                  need: str, item: AssistanceItem | None = None) -> Referral:
    """Refer a member of `case` to `partner` for `service`.

    Needs reintegration.record in an office of the case (the origin office once handed
    over, or the host office); the case open; the person a member of it; the partner
    active, offering the service, with a data-sharing agreement valid today; the person's
    active consent to sharing with that partner; the officer's note on the need; `item`,
    if given, part of the case's plan; no open referral of the person to the partner for
    the same service. Copies only the service's minimum fields into `shared`. Audit event
    333 with the fields' names; a timeline entry."""
    office_id = policy.referring_office(actor, case)
    if office_id is None:
        raise NotAllowed(_("Only the reintegration officers and supervisors of the offices "
                           "of case %(ref)s may refer its returnees to partners.")
                         % {"ref": case.reference})
    if not case.is_open:
        raise Invalid(_("Case %(ref)s is %(status)s and can no longer be changed.")
                      % {"ref": case.reference, "status": case.get_status_display()})
    errors: dict[str, list[str]] = {}
    is_member = case.members.filter(person_id=person.pk).exists()
    if not is_member:
        _add(errors, "person", _("This person is not a member of case %(ref)s.")
             % {"ref": case.reference})
    if service not in ItemKind.values:
        _add(errors, "service", _("“%(service)s” is not a kind of assistance.")
             % {"service": service})
    if not partner.active:
        _add(errors, "partner", _("%(name)s is no longer an active partner.")
             % {"name": partner.name})
    elif service in ItemKind.values and service not in partner.services:
        _add(errors, "service", _("%(name)s does not offer %(service)s.")
             % {"name": partner.name, "service": service_label(service)})
    problem = agreement_problem(partner)
    if problem:
        _add(errors, "partner", problem)
    if is_member and not has_consent(person, ConsentPurpose.PARTNER, partner.name):
        _add(errors, "person", _("%(person)s has not consented to sharing their data with "
                                 "%(name)s: record their consent first.")
             % {"person": person.display_name, "name": partner.name})
    need = (need or "").strip()
    if not need:
        _add(errors, "need", _("Say what the person needs from the partner."))
    problem = _item_error(item, case)
    if problem:
        _add(errors, "item", problem)
    if not errors and Referral.objects.filter(
            case_id=case.pk, person_id=person.pk, partner_id=partner.pk, service=service,
            status__in=OPEN_REFERRAL).exists():
        _add(errors, "service", _("%(person)s already has an open referral to %(name)s for "
                                  "%(service)s.") % {"person": person.display_name,
                                                     "name": partner.name,
                                                     "service": service_label(service)})
    _raise(errors)
    agreement = valid_agreement(partner)
    shared = minimum.shared_fields(service, case, person, need)
    referral = Referral(case=case, person_id=person.pk, partner=partner, agreement=agreement,
                        item=item, service=service, shared=shared, sent_by=actor,
                        office_id=office_id)
    with transaction.atomic():
        referral.save()
        audit.record(AuditType.REFERRAL_SENT, referral, actor=actor, office_id=office_id,
                     case_id=case.pk, partner=partner.pk, person=person.pk, service=service,
                     agreement=agreement.pk if agreement else None, fields=list(shared))
        record_timeline(case, actor, TimelineKind.CHANGED,
                        _("Referred to %(partner)s for %(service)s")
                        % {"partner": partner.name, "service": service_label(service)})
    return referral


def _change(*, actor: User, referral: Referral, version: int, to: str,
            values: dict[str, Any], summary: str, reason: str | None = None) -> Referral:
    """Move the referral to `to`, writing `values`, conditionally on `version`."""
    before = audit.snapshot(referral, ["status", *values])
    referral.status = to
    for name, value in values.items():
        setattr(referral, name, value)
    after = audit.snapshot(referral, ["status", *values])
    with transaction.atomic():
        save_versioned(referral, version, ["status", *values])
        audit.record(AuditType.REFERRAL_CHANGED, referral, actor=actor,
                     office_id=referral.office_id, case_id=referral.case_id,
                     partner=referral.partner_id, old=before, new=after, reason=reason)
        record_timeline(referral.case_id, actor, TimelineKind.CHANGED, summary)
    return referral


def withdraw_referral(*, actor: User, referral: Referral, version: int,
                      reason: str) -> Referral:
    """The referring side takes an open referral back (with a reason). Needs
    reintegration.record in an office of the case. Audit event 334; a timeline entry."""
    case = referral.case
    if not policy.may_refer(actor, case):
        raise NotAllowed(_("Only the reintegration officers and supervisors of the offices "
                           "of case %(ref)s may withdraw its referrals.")
                         % {"ref": case.reference})
    _require_current(referral, version)
    if referral.status not in OPEN_REFERRAL:
        raise Invalid(_("This referral is %(status)s: only an open referral can be "
                        "withdrawn.") % {"status": referral.get_status_display()})
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(_("Say why the referral is withdrawn."),
                      field_errors={"reason": [_("Say why the referral is withdrawn.")]})
    return _change(actor=actor, referral=referral, version=version,
                   to=ReferralStatus.WITHDRAWN, values={}, reason=reason,
                   summary=_("Referral to %(partner)s for %(service)s withdrawn") % {
                       "partner": referral.partner.name,
                       "service": service_label(referral.service)})


def withdraw_for_consent(*, actor: User, consent: Consent) -> int:
    """The person withdrew their consent to sharing with a partner: their open referrals
    to it are withdrawn, and the shared copy of each emptied but for the name. Called by
    `privacy.consent.withdraw_consent` inside its transaction, which checked the actor.
    Returns how many were withdrawn."""
    if consent.purpose != ConsentPurpose.PARTNER or not consent.partner_name.strip():
        return 0
    referrals = list(Referral.objects.select_related("partner").filter(
        person_id=consent.person_id, partner__name__iexact=consent.partner_name.strip(),
        status__in=OPEN_REFERRAL))
    now = timezone.now()
    for referral in referrals:
        kept = {k: v for k, v in referral.shared.items() if k in minimum.KEPT_AFTER_WITHDRAWAL}
        updated = Referral.objects.filter(pk=referral.pk, status__in=OPEN_REFERRAL).update(
            status=ReferralStatus.WITHDRAWN, shared=kept, version=F("version") + 1,
            updated_at=now)
        if not updated:
            continue
        audit.record(AuditType.REFERRAL_CHANGED, referral, actor=actor,
                     office_id=referral.office_id, case_id=referral.case_id,
                     partner=referral.partner_id,
                     old={"status": referral.status, "fields": list(referral.shared)},
                     new={"status": ReferralStatus.WITHDRAWN, "fields": list(kept)},
                     reason="consent withdrawn")
        record_timeline(referral.case_id, actor, TimelineKind.CHANGED,
                        _("Referral to %(partner)s for %(service)s withdrawn: consent "
                          "withdrawn") % {"partner": referral.partner.name,
                                          "service": service_label(referral.service)})
    return len(referrals)


# ---- referrals: the partner's side ---------------------------------------------------------


def _require_partner(actor: User, referral: Referral) -> None:
    partner = policy.partner_of(actor)
    if partner is None or partner.pk != referral.partner_id:
        raise NotAllowed(_("Only the users of %(name)s may answer this referral.")
                         % {"name": referral.partner.name})


def _require_current(referral: Referral, version: int) -> None:
    """Refuse a step based on an older version than the one loaded: someone else moved
    the referral on since (409, not a message about its new status)."""
    if referral.version != version:
        raise StaleVersion(
            _("Someone else changed this record after you opened it. Your changes were not "
              "saved: reload the page to see the current version, then make them again."))


def _require_status(referral: Referral, expected: str, message: str, version: int) -> None:
    _require_current(referral, version)
    if referral.status != expected:
        raise Invalid(message % {"status": referral.get_status_display()})


def accept_referral(*, actor: User, referral: Referral, version: int) -> Referral:
    """The partner takes the referral on (sent → accepted). Audit event 334; a timeline
    entry on the case."""
    _require_partner(actor, referral)
    _require_status(referral, ReferralStatus.SENT,
                    _("This referral is %(status)s: only a referral just sent can be "
                      "accepted."), version)
    return _change(actor=actor, referral=referral, version=version,
                   to=ReferralStatus.ACCEPTED,
                   values={"responded_at": timezone.now(), "responded_by": actor},
                   summary=_("%(partner)s accepted the referral")
                   % {"partner": referral.partner.name})


def decline_referral(*, actor: User, referral: Referral, version: int,
                     reason: str) -> Referral:
    """The partner declines the referral, saying why (sent → declined)."""
    _require_partner(actor, referral)
    _require_status(referral, ReferralStatus.SENT,
                    _("This referral is %(status)s: only a referral just sent can be "
                      "declined."), version)
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(_("Say why you decline the referral."),
                      field_errors={"reason": [_("Say why you decline the referral.")]})
    return _change(actor=actor, referral=referral, version=version,
                   to=ReferralStatus.DECLINED,
                   values={"responded_at": timezone.now(), "responded_by": actor,
                           "decline_reason": reason},
                   summary=_("%(partner)s declined the referral")
                   % {"partner": referral.partner.name})


def record_service(*, actor: User, referral: Referral, version: int, service_given: str,
                   service_on: datetime.date | None) -> Referral:
    """The partner records the service it gave and when (accepted → service given); the
    date is not in the future nor before the referral was sent."""
    _require_partner(actor, referral)
    _require_status(referral, ReferralStatus.ACCEPTED,
                    _("This referral is %(status)s: the service is recorded once the "
                      "referral is accepted."), version)
    errors: dict[str, list[str]] = {}
    service_given = (service_given or "").strip()
    if not service_given:
        _add(errors, "service_given", _("Describe the service given."))
    if service_on is None:
        _add(errors, "service_on", _("Give the date the service was given."))
    elif service_on > timezone.localdate():
        _add(errors, "service_on", _("The date the service was given cannot be in the "
                                     "future."))
    elif service_on < timezone.localtime(referral.sent_at).date():
        _add(errors, "service_on", _("The service cannot have been given before the "
                                     "referral was sent (%(date)s).")
             % {"date": _short(timezone.localtime(referral.sent_at).date())})
    _raise(errors)
    return _change(actor=actor, referral=referral, version=version,
                   to=ReferralStatus.SERVICE_GIVEN,
                   values={"service_given": service_given, "service_on": service_on},
                   summary=_("%(partner)s recorded the service given")
                   % {"partner": referral.partner.name})


def close_referral(*, actor: User, referral: Referral, version: int,
                   feedback: str) -> Referral:
    """The partner closes the referral with its feedback (service given → closed)."""
    _require_partner(actor, referral)
    _require_status(referral, ReferralStatus.SERVICE_GIVEN,
                    _("This referral is %(status)s: it is closed once the service given "
                      "is recorded."), version)
    feedback = (feedback or "").strip()
    if not feedback:
        raise Invalid(_("Give your feedback to close the referral."),
                      field_errors={"feedback": [_("Give your feedback to close the "
                                                   "referral.")]})
    return _change(actor=actor, referral=referral, version=version,
                   to=ReferralStatus.CLOSED,
                   values={"feedback": feedback, "closed_at": timezone.now()},
                   summary=_("%(partner)s closed the referral")
                   % {"partner": referral.partner.name})
