"""Recording travel documents and moving them through their statuses. The only way
their rows are written.

Each public function checks permission through `documents.policy`, validates, writes,
records the audit event and the timeline entry (kind "changed"), all in one
transaction, and raises a `retorno.lib.errors.ServiceError` with a translated message
when it refuses.

`change_status` is the one place a document's status changes (a document is *recorded*
as to request, issued or collected; every later status comes through it), so side
effects of a status — a follow-up task when a document is requested — belong there.

Everyone who sees the case reads its timeline, so the timeline names the member, the
kind of document and its status, never its number. The audit log (supervisors, the
data protection focal point) holds the number; it records *that* notes were given or
changed, not what they say.
"""

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from retorno.accounts.models import User
from retorno.cases.models import Case, TimelineKind
from retorno.cases.services import record_timeline
from retorno.documents import policy, workflow
from retorno.documents.models import DocumentStatus, TravelDocument
from retorno.lib.errors import Invalid, NotAllowed, ServiceError
from retorno.lib.models import save_versioned, validate
from retorno.people.models import Person
from retorno.privacy import services as audit
from retorno.privacy.models import AuditType
from retorno.tasks import hooks as task_hooks

FIELDS = ["kind", "number", "issuing_country", "issued_on", "expires_on", "authority",
          "requested_on", "follow_up_on", "notes"]
RECORD_FIELDS = [*FIELDS, "status"]
UPDATE_FIELDS = [*FIELDS, "refusal_reason"]
# Everything the status, the audit and a rollback look at.
STATE = [*UPDATE_FIELDS, "status", "status_changed_on"]
# What the audit log shows in full: everything but the notes.
AUDITED = [f for f in STATE if f != "notes"]


def require_record(actor: User, case: Case) -> None:
    """Refuse unless `actor` may record travel documents on `case` now."""
    if not policy.may_record(actor, case):
        raise NotAllowed(_("Only caseworkers, supervisors and movement officers of the host "
                           "office may record travel documents on case %(ref)s.")
                         % {"ref": case.reference})
    if not case.is_open:
        raise Invalid(_("Case %(ref)s is %(status)s and can no longer be changed.")
                      % {"ref": case.reference, "status": case.get_status_display()})


def _refuse_fields(data: dict[str, Any], allowed: list[str] | tuple[str, ...],
                   message: str) -> None:
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        raise Invalid(message % {"fields": ", ".join(unknown)},
                      field_errors={name: [_("This field cannot be set here.")]
                                    for name in unknown})


def describe(document: TravelDocument) -> str:
    """The document as the timeline names it: kind and holder, never the number."""
    return _("%(kind)s of %(name)s") % {"kind": document.get_kind_display(),
                                        "name": document.person.display_name}


def _prepare(document: TravelDocument) -> None:
    """Tidy, derive, then validate: numbers and codes in capitals without blanks, and a
    request's follow-up two weeks after it unless a date was chosen."""
    document.number = "".join((document.number or "").split()).upper()
    document.issuing_country = (document.issuing_country or "").strip().upper()
    document.authority = (document.authority or "").strip()
    document.refusal_reason = (document.refusal_reason or "").strip()
    if (document.status == DocumentStatus.REQUESTED and document.requested_on
            and document.follow_up_on is None):
        document.follow_up_on = document.requested_on + workflow.FOLLOW_UP_AFTER
    validate(document, exclude=["case", "person", "created_by", "updated_by"])
    if document.number and (
            TravelDocument.objects.filter(case_id=document.case_id,
                                          person_id=document.person_id, kind=document.kind,
                                          issuing_country=document.issuing_country,
                                          number=document.number)
            .exclude(pk=document.pk).exists()):
        message = _("This document is already recorded for %(name)s on this case.") % {
            "name": document.person.display_name}
        raise Invalid(message, field_errors={"number": [message]})


def _state(document: TravelDocument) -> dict[str, Any]:
    return {**{f: getattr(document, f) for f in STATE},
            "updated_by_id": document.updated_by_id}


def _restore(document: TravelDocument, state: dict[str, Any]) -> None:
    """Put back what a refused change had set on the object, so a page that shows it
    again shows what is saved."""
    for name, value in state.items():
        setattr(document, name, value)


def record_document(*, actor: User, case: Case, person: Person,
                    data: dict[str, Any]) -> TravelDocument:
    """Record a travel document of `person`, a member of `case`: one to request, or one
    already issued or collected (a passport the person holds). Needs document.record in
    the case's host office and an open case. Audit event 260 (with the number, without
    the notes' text), timeline entry (without the number)."""
    require_record(actor, case)
    _refuse_fields(data, RECORD_FIELDS, _("These fields cannot be given when recording a "
                                          "travel document: %(fields)s."))
    if not case.members.filter(person=person).exists():
        raise Invalid(_("This person is not a member of this case."))
    status = data.get("status") or DocumentStatus.TO_REQUEST
    if status not in workflow.INITIAL:
        message = _("A travel document is recorded as to request, issued or collected; "
                    "record the request, and any refusal, as a change of its status.")
        raise Invalid(message, field_errors={"status": [message]})
    document = TravelDocument(case=case, person=person, created_by=actor, updated_by=actor,
                              status_changed_on=timezone.localdate(),
                              **{**data, "status": status})
    _prepare(document)
    with transaction.atomic():
        document.save()
        audit.record(AuditType.TRAVEL_DOCUMENT_RECORDED, document, actor=actor,
                     office_id=case.host_office_id, case_id=case.pk,
                     new={"person": person.pk, **audit.snapshot(document, AUDITED)},
                     notes_given=bool(document.notes) or None)
        record_timeline(case, actor, TimelineKind.CHANGED,
                        _("Travel document recorded: %(document)s, %(status)s")
                        % {"document": describe(document),
                           "status": document.get_status_display()})
        task_hooks.after_document_status(document, actor)
    return document


def _save_change(actor: User, document: TravelDocument, audited: dict[str, Any],
                 notes: str, version: int, summary: str) -> bool:
    """Write what changed since the `audited` snapshot and the `notes` taken before the
    change (conditionally on `version`), with audit event 261 and a timeline entry;
    False, and nothing written, when nothing changed."""
    old, new = audit.diff(audited, audit.snapshot(document, AUDITED))
    notes_changed = notes != document.notes
    if not new and not notes_changed:
        return False
    changed = [*new, *(["notes"] if notes_changed else [])]
    case = document.case
    document.updated_by = actor
    with transaction.atomic():
        save_versioned(document, version, [*changed, "updated_by"])
        audit.record(AuditType.TRAVEL_DOCUMENT_CHANGED, document, actor=actor,
                     office_id=case.host_office_id, case_id=case.pk, old=old, new=new,
                     person=document.person_id, notes_changed=notes_changed or None)
        record_timeline(case, actor, TimelineKind.CHANGED, summary)
    return True


def update_document(*, actor: User, document: TravelDocument, data: dict[str, Any],
                    version: int) -> TravelDocument:
    """Correct a document's details (not its status: see `change_status`), if nobody
    else changed it since `version` (else StaleVersion, and nothing is written). Same
    permission as recording. Audit event 261 with old and new values (the notes only as
    "changed"), timeline entry naming the changed fields; nothing is written if nothing
    changed."""
    require_record(actor, document.case)
    _refuse_fields(data, UPDATE_FIELDS, _("These fields cannot be changed here: "
                                          "%(fields)s. A status changes on its own page."))
    before, audited = _state(document), audit.snapshot(document, AUDITED)
    try:
        for name, value in data.items():
            setattr(document, name, value)
        _prepare(document)
        changed = [f for f in UPDATE_FIELDS if before[f] != getattr(document, f)]
        labels = [str(TravelDocument._meta.get_field(f).verbose_name) for f in changed]
        _save_change(actor, document, audited, before["notes"], version,
                     _("%(document)s — changed: %(fields)s")
                     % {"document": describe(document), "fields": ", ".join(labels)})
    except ServiceError:
        _restore(document, before)
        raise
    return document


def change_status(*, actor: User, document: TravelDocument, to: str,
                  data: dict[str, Any] | None = None, version: int) -> TravelDocument:
    """Move `document` to status `to` by a move of `workflow.MOVES`, with the fields that
    move takes in `data` (e.g. the number and expiry date of an issued document), if
    nobody else changed it since `version` (else StaleVersion, and nothing is written).

    Requested → requested is a follow-up: it needs a new follow-up date, today or later;
    the same date again changes nothing. Refused → to request clears the last request's
    dates and the refusal. Same permission as recording. Audit event 261 with the old
    and new status and fields, timeline entry "kind of name: from → to" (never the
    number). The one place a status changes.
    """
    require_record(actor, document.case)
    data = dict(data or {})
    if to not in DocumentStatus.values:
        message = _("There is no such travel document status.")
        raise Invalid(message, field_errors={"to": [message]})
    source, target = DocumentStatus(document.status), DocumentStatus(to)
    move = workflow.find_move(source, target)
    if move is None:
        message = _("A travel document that is “%(from)s” cannot become “%(to)s”.") % {
            "from": source.label, "to": target.label}
        raise Invalid(message, field_errors={"to": [message]})
    _refuse_fields(data, move.fields, _("These fields do not go with this change of "
                                        "status: %(fields)s."))
    missing = [f for f in move.required if data.get(f) in (None, "")]
    if missing:
        errors = {f: [_("Give this to change the status.")] for f in missing}
        labels = [str(TravelDocument._meta.get_field(f).verbose_name) for f in missing]
        raise Invalid(_("Give the %(fields)s.") % {"fields": ", ".join(labels)},
                      field_errors=errors)
    follow_up = data.get("follow_up_on")
    if source == target and follow_up < timezone.localdate():
        message = _("The next follow-up cannot be in the past.")
        raise Invalid(message, field_errors={"follow_up_on": [message]})
    before, audited = _state(document), audit.snapshot(document, AUDITED)
    try:
        for name in move.clears:
            setattr(document, name, "" if name == "refusal_reason" else None)
        for name, value in data.items():
            setattr(document, name, value)
        document.status = target
        if source != target:
            document.status_changed_on = timezone.localdate()
        _prepare(document)
        if source == target:
            summary = _("%(document)s: followed up, next follow-up on %(date)s") % {
                "document": describe(document),
                "date": date_format(document.follow_up_on, "SHORT_DATE_FORMAT")}
        else:
            summary = _("%(document)s: %(from)s → %(to)s") % {
                "document": describe(document), "from": source.label, "to": target.label}
        with transaction.atomic():
            if _save_change(actor, document, audited, before["notes"], version, summary):
                task_hooks.after_document_status(document, actor)
    except ServiceError:
        _restore(document, before)
        raise
    return document
