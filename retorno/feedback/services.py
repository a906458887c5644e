"""Feedback and complaints: the only way their rows are written.

Each public function checks permission through `feedback.policy`, validates (every
problem at once), writes, and records the audit event, all in one transaction; it raises a
`retorno.lib.errors.ServiceError` with a translated message when it refuses. Changes to an
existing item are versioned (`lib.models.save_versioned`).

The audit events (360–365) name the item only: never its case (so nothing reaches the
case's audit page), never the description, the person's name or contact, or the response.
No feedback writes a case's timeline: a sensitive complaint must never appear there, and
an item can become sensitive after it was recorded.
"""

import datetime
import secrets
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from retorno.accounts import permissions as perms
from retorno.accounts.models import Office, User
from retorno.cases.models import Case
from retorno.cases.policy import visible_cases
from retorno.feedback import deadlines, policy
from retorno.feedback.models import (
    Category,
    Channel,
    Feedback,
    Kind,
    Status,
    is_sensitive,
)
from retorno.lib.errors import Invalid, NotAllowed
from retorno.lib.models import save_versioned
from retorno.privacy import services as audit
from retorno.privacy.models import AuditType

# No 0/O, 1/I/L: a reference is read out on the phone and copied by hand.
REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
REFERENCE_LENGTH = 8
MAX_DESCRIPTION = 10_000
MAX_RESPONSE = 10_000


def new_reference() -> str:
    """An unused reference: "FB-" and 8 random characters (31^8, about 8.5e11)."""
    for _attempt in range(10):
        reference = "FB-" + "".join(secrets.choice(REFERENCE_ALPHABET)
                                    for _i in range(REFERENCE_LENGTH))
        if not Feedback.objects.filter(reference=reference).exists():
            return reference
    raise RuntimeError("no free feedback reference")  # pragma: no cover


def normalise_reference(value: str) -> str:
    """What a person typed, as stored: upper case, without spaces, with the "FB-"."""
    value = "".join(value.split()).upper()
    if value and not value.startswith("FB-"):
        value = "FB-" + value.removeprefix("FB")
    return value


def _add(errors: dict[str, list[str]], field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def _raise(errors: dict[str, list[str]]) -> None:
    if errors:
        raise Invalid(*[m for msgs in errors.values() for m in msgs], field_errors=errors)


def _check_content(errors: dict[str, list[str]], *, kind: str, category: str,
                   description: str, anonymous: bool, name: str, contact: str,
                   language: str, channel: str | None = None) -> None:
    if kind not in Kind.values:
        _add(errors, "kind", _("Choose what kind of feedback this is."))
    if category not in Category.values:
        _add(errors, "category", _("Choose what the feedback is about."))
    if channel is not None and channel not in Channel.values:
        _add(errors, "channel", _("Choose how the feedback was received."))
    if not description.strip():
        _add(errors, "description", _("Describe the feedback or complaint."))
    elif len(description) > MAX_DESCRIPTION:
        _add(errors, "description", _("The description is too long: at most %(max)s "
                                      "characters.") % {"max": MAX_DESCRIPTION})
    if anonymous and (name.strip() or contact.strip()):
        _add(errors, "anonymous", _("An anonymous feedback has no name or contact: leave "
                                    "them empty or untick \"anonymous\"."))
    if len(name) > 200:
        _add(errors, "name", _("The name is too long: at most 200 characters."))
    if len(contact) > 200:
        _add(errors, "contact", _("The contact is too long: at most 200 characters."))
    if language and language not in dict(settings.LANGUAGES):
        _add(errors, "language", _("Choose one of the languages offered."))


def _received_event(item: Feedback, *, actor: User | None, concerns: int) -> None:
    # What was received, never who sent it, what it says or which case it names.
    audit.record(AuditType.FEEDBACK_RECEIVED, item, actor=actor, office_id=item.office_id,
                 new={"channel": item.channel, "kind": item.kind, "category": item.category,
                      "sensitive": item.sensitive, "anonymous": item.anonymous,
                      "due_on": item.due_on.isoformat(), "linked_to_case": bool(item.case_id),
                      "staff_concerned": concerns})


def _create(*, office: Office, channel: str, kind: str, category: str, description: str,
            anonymous: bool, name: str, contact: str, language: str,
            received_at: datetime.datetime, actor: User | None, case: Case | None,
            concerns: list[User]) -> Feedback:
    item = Feedback(
        reference=new_reference(), office=office, channel=channel, kind=kind,
        category=category, sensitive=is_sensitive(category), case=case,
        anonymous=anonymous, name=name.strip(), contact=contact.strip(), language=language,
        description=description.strip(), received_at=received_at, recorded_by=actor,
        due_on=deadlines.due_on(kind, category, received_at))
    with transaction.atomic():
        item.save()
        if concerns:
            item.concerns.set(concerns)
        _received_event(item, actor=actor, concerns=len(concerns))
    return item


def submit_public(*, office: Office, kind: str, category: str, description: str,
                  anonymous: bool = False, name: str = "", contact: str = "",
                  language: str = "") -> Feedback:
    """Feedback sent through the public web form: no actor, no case, no staff named.
    Audit event 360 without an actor."""
    errors: dict[str, list[str]] = {}
    _check_content(errors, kind=kind, category=category, description=description,
                   anonymous=anonymous, name=name, contact=contact, language=language)
    _raise(errors)
    return _create(office=office, channel=Channel.WEB, kind=kind, category=category,
                   description=description, anonymous=anonymous, name=name,
                   contact=contact, language=language, received_at=timezone.now(),
                   actor=None, case=None, concerns=[])


def record_feedback(*, actor: User, office: Office, channel: str, kind: str, category: str,
                    description: str, anonymous: bool = False, name: str = "",
                    contact: str = "", language: str = "",
                    received_at: datetime.datetime | None = None, case: Case | None = None,
                    concerns: Iterable[User] = ()) -> Feedback:
    """Feedback a member of staff received (in person, on the phone, by email...), for an
    office where they hold feedback.record. A linked case must be one they may see; the
    staff concerned never see the item. Audit event 360."""
    if not perms.can(actor, perms.FEEDBACK_RECORD, office.pk):
        raise NotAllowed(_("You may not record feedback for %(office)s.")
                         % {"office": office})
    errors: dict[str, list[str]] = {}
    _check_content(errors, kind=kind, category=category, description=description,
                   anonymous=anonymous, name=name, contact=contact, language=language,
                   channel=channel)
    if channel == Channel.WEB:
        _add(errors, "channel", _("Feedback from the public web form arrives by itself: "
                                  "choose how you received this one."))
    now = timezone.now()
    received_at = received_at or now
    if received_at > now + datetime.timedelta(minutes=5):
        _add(errors, "received_at", _("The feedback cannot have been received in the "
                                      "future."))
    if case is not None and not visible_cases(actor).filter(pk=case.pk).exists():
        _add(errors, "case", _("No case with this reference that you may see."))
    concerns = list(concerns)
    staff = set(policy.staff_users().filter(pk__in=[u.pk for u in concerns])
                .values_list("pk", flat=True))
    if any(u.pk not in staff for u in concerns):
        _add(errors, "concerns", _("Only members of staff can be named as concerned."))
    _raise(errors)
    return _create(office=office, channel=channel, kind=kind, category=category,
                   description=description, anonymous=anonymous, name=name,
                   contact=contact, language=language, received_at=received_at,
                   actor=actor, case=case, concerns=concerns)


def _require_handle(actor: User, item: Feedback) -> None:
    if not policy.may_handle(actor, item):
        raise NotAllowed(_("You may not handle this feedback."))


def categorise(*, actor: User, item: Feedback, version: int, kind: str, category: str,
               add_concerns: Iterable[User] = (),
               remove_concerns: Iterable[User] = ()) -> Feedback:
    """Change the kind and category (the deadline follows) and the staff concerned.
    Moving to a sensitive category hands the item to the focal points (an assignee who is
    not one is taken off); only a focal point may move it out of one, or remove a person
    concerned. Audit event 361."""
    _require_handle(actor, item)
    errors: dict[str, list[str]] = {}
    if kind not in Kind.values:
        _add(errors, "kind", _("Choose what kind of feedback this is."))
    if category not in Category.values:
        _add(errors, "category", _("Choose what the feedback is about."))
    _raise(errors)
    sensitive = is_sensitive(category)
    if item.sensitive and not sensitive and not policy.may_make_not_sensitive(actor, item):
        raise NotAllowed(_("Only a complaints focal point may move a complaint out of a "
                           "sensitive category."))
    add, remove = list(add_concerns), list(remove_concerns)
    if remove and not policy.may_remove_concerns(actor, item):
        raise NotAllowed(_("Only a complaints focal point may take someone off the staff "
                           "concerned."))
    staff = set(policy.staff_users().filter(pk__in=[u.pk for u in add])
                .values_list("pk", flat=True))
    if any(u.pk not in staff for u in add):
        raise Invalid(_("Only members of staff can be named as concerned."),
                      field_errors={"concerns": [_("Only members of staff can be named as "
                                                   "concerned.")]})
    old = {"kind": item.kind, "category": item.category, "sensitive": item.sensitive,
           "due_on": item.due_on.isoformat(),
           "assignee": item.assignee_id}
    item.kind, item.category, item.sensitive = kind, category, sensitive
    item.due_on = deadlines.due_on(kind, category, item.received_at)
    concerned_after = (set(item.concerns.values_list("pk", flat=True))
                       | {u.pk for u in add}) - {u.pk for u in remove}
    if item.assignee_id and (
            item.assignee_id in concerned_after
            or not policy.assignable_users(item, sensitive=sensitive)
            .filter(pk=item.assignee_id).exists()):
        item.assignee = None
    new = {"kind": kind, "category": category, "sensitive": sensitive,
           "due_on": item.due_on.isoformat(), "assignee": item.assignee_id}
    old, new = audit.diff(old, new)
    with transaction.atomic():
        save_versioned(item, version, ["kind", "category", "sensitive", "due_on",
                                       "assignee"])
        if add:
            item.concerns.add(*add)
        if remove:
            item.concerns.remove(*remove)
        audit.record(AuditType.FEEDBACK_CATEGORISED, item, actor=actor,
                     office_id=item.office_id, old=old, new=new,
                     concerns_added=len(add) or None, concerns_removed=len(remove) or None)
    return item


def assign(*, actor: User, item: Feedback, version: int, assignee: User) -> Feedback:
    """Give the item to a handler of its office (a focal point for a sensitive item),
    never to someone it concerns; a received item is then in progress. Audit event 362."""
    _require_handle(actor, item)
    if item.status == Status.CLOSED:
        raise Invalid(_("This feedback is closed: reopen it before assigning it."))
    if not policy.assignable_users(item).filter(pk=assignee.pk).exists():
        message = (_("Assign it to a complaints focal point of %(office)s who is not "
                     "concerned by it.") if item.sensitive else
                   _("Assign it to someone who handles feedback in %(office)s and is not "
                     "concerned by it.")) % {"office": item.office}
        raise Invalid(message, field_errors={"assignee": [message]})
    old = {"assignee": item.assignee_id, "status": item.status}
    item.assignee = assignee
    if item.status == Status.RECEIVED:
        item.status = Status.IN_PROGRESS
    old, new = audit.diff(old, {"assignee": assignee.pk, "status": item.status})
    with transaction.atomic():
        save_versioned(item, version, ["assignee", "status"])
        audit.record(AuditType.FEEDBACK_ASSIGNED, item, actor=actor,
                     office_id=item.office_id, old=old, new=new)
    return item


def answer(*, actor: User, item: Feedback, version: int, response: str) -> Feedback:
    """Record the answer given to the person. Audit event 363 (without the text)."""
    _require_handle(actor, item)
    errors: dict[str, list[str]] = {}
    if item.status == Status.CLOSED:
        _add(errors, "response", _("This feedback is closed: reopen it before answering."))
    if not response.strip():
        _add(errors, "response", _("Write the answer given to the person."))
    elif len(response) > MAX_RESPONSE:
        _add(errors, "response", _("The answer is too long: at most %(max)s characters.")
             % {"max": MAX_RESPONSE})
    _raise(errors)
    old_status = item.status
    item.response, item.status = response.strip(), Status.ANSWERED
    item.answered_at, item.answered_by = timezone.now(), actor
    with transaction.atomic():
        save_versioned(item, version, ["response", "status", "answered_at", "answered_by"])
        audit.record(AuditType.FEEDBACK_ANSWERED, item, actor=actor,
                     office_id=item.office_id, old={"status": old_status},
                     new={"status": item.status})
    return item


def close(*, actor: User, item: Feedback, version: int) -> Feedback:
    """Close the item. Audit event 364."""
    _require_handle(actor, item)
    if item.status == Status.CLOSED:
        raise Invalid(_("This feedback is already closed."))
    old_status = item.status
    item.status, item.closed_at = Status.CLOSED, timezone.now()
    with transaction.atomic():
        save_versioned(item, version, ["status", "closed_at"])
        audit.record(AuditType.FEEDBACK_CLOSED, item, actor=actor, office_id=item.office_id,
                     old={"status": old_status}, new={"status": item.status})
    return item


def reopen(*, actor: User, item: Feedback, version: int) -> Feedback:
    """Open a closed item again: it is in progress until answered again. Audit event 365."""
    _require_handle(actor, item)
    if item.status != Status.CLOSED:
        raise Invalid(_("Only closed feedback can be reopened."))
    item.status = Status.IN_PROGRESS
    item.closed_at = None
    with transaction.atomic():
        save_versioned(item, version, ["status", "closed_at"])
        audit.record(AuditType.FEEDBACK_REOPENED, item, actor=actor,
                     office_id=item.office_id, old={"status": Status.CLOSED},
                     new={"status": item.status})
    return item


def public_status(reference: str) -> str | None:
    """The status of a reference, for the public status page: nothing else."""
    reference = normalise_reference(reference)
    if not reference:
        return None
    return (Feedback.objects.filter(reference=reference)
            .values_list("status", flat=True).first())

