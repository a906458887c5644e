"""Recording and changing counselling sessions. The only way session rows are written.

Each public function checks permission through `counselling.policy`, validates, writes,
records the audit event and the timeline entry, all in one transaction, and raises a
`retorno.lib.errors.ServiceError` with a translated message when it refuses.

The audit log is read by roles outside the case team (supervisors' and data protection
focal points' audit page): it records *that* the notes changed, never what they say.
"""

from typing import Any

from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from retorno.accounts.models import User
from retorno.cases.models import Case, TimelineKind
from retorno.cases.services import record_timeline
from retorno.counselling import policy
from retorno.counselling.models import CounsellingSession
from retorno.lib.errors import Invalid, NotAllowed
from retorno.lib.models import refuse_unknown_fields, save_versioned, validate
from retorno.privacy import services as audit
from retorno.privacy.models import AuditType

FIELDS = ["date", "mode", "language", "interpreter", "topics", "materials", "position",
          "notes"]
# What the audit log shows in full: everything but the notes.
AUDITED = [f for f in FIELDS if f != "notes"]


def _require_record(actor: User, case: Case) -> None:
    if not policy.is_case_team(actor, case):
        raise NotAllowed(_("You may not record counselling sessions on case %(ref)s.")
                         % {"ref": case.reference})
    if not case.is_open:
        raise Invalid(_("Case %(ref)s is %(status)s and can no longer be changed.")
                      % {"ref": case.reference, "status": case.get_status_display()})


def _describe(session: CounsellingSession) -> str:
    # Shown on the timeline to everyone who sees the case: never the notes.
    return _("%(date)s, %(mode)s: %(position)s") % {
        "date": date_format(session.date, "SHORT_DATE_FORMAT"),
        "mode": session.get_mode_display(), "position": session.get_position_display()}


def record_session(*, actor: User, case: Case, data: dict[str, Any]) -> CounsellingSession:
    """Record a counselling session on `case`. Audit event 210 (without the notes'
    text), timeline "counselling session"."""
    _require_record(actor, case)
    refuse_unknown_fields(data, FIELDS)
    session = CounsellingSession(case=case, recorded_by=actor, **data)
    validate(session, exclude=["case", "recorded_by"])
    with transaction.atomic():
        session.save()
        audit.record(AuditType.COUNSELLING_RECORDED, session, actor=actor,
                     office_id=case.host_office_id, case_id=case.pk,
                     new=audit.snapshot(session, AUDITED),
                     notes_given=bool(session.notes) or None)
        record_timeline(session.case_id, actor, TimelineKind.COUNSELLING, _describe(session))
    return session


def update_session(*, actor: User, session: CounsellingSession, data: dict[str, Any],
                   version: int) -> CounsellingSession:
    """Change a session, if nobody else changed it since `version` (else StaleVersion,
    and nothing is written). Audit event 211 with old and new values (the notes only as
    "changed"), timeline entry; nothing is written if nothing changed."""
    case = session.case
    _require_record(actor, case)
    refuse_unknown_fields(data, FIELDS)
    before = audit.snapshot(session, FIELDS)
    for name, value in data.items():
        setattr(session, name, value)
    validate(session, exclude=["case", "recorded_by"])
    old, new = audit.diff(before, audit.snapshot(session, FIELDS))
    if not new:
        return session
    notes_changed = "notes" in new
    old.pop("notes", None)
    changed = list(new)
    new.pop("notes", None)
    with transaction.atomic():
        save_versioned(session, version, changed)
        audit.record(AuditType.COUNSELLING_CHANGED, session, actor=actor,
                     office_id=case.host_office_id, case_id=case.pk, old=old, new=new,
                     notes_changed=notes_changed or None)
        labels = [str(CounsellingSession._meta.get_field(f).verbose_name) for f in changed]
        record_timeline(session.case_id, actor, TimelineKind.COUNSELLING,
                        _("%(session)s — changed: %(fields)s")
                        % {"session": _describe(session), "fields": ", ".join(labels)})
    return session
