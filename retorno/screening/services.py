"""Recording a vulnerability screening or a best-interest determination. The only way
screening and BID rows are written.

`record_screening` checks permission, validates, derives the flags and proposals, writes
the screening, and merges the flags into the member's vulnerabilities through
`cases.services.set_member_vulnerabilities`, with the audit events and timeline entries,
all in one transaction.

The timeline is read by everyone who sees the case and the audit log outside the case
team: neither holds the answers or the observations; the audit event holds the flags.
"""

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from retorno.accounts.models import User
from retorno.cases import services as case_services
from retorno.cases.models import Case, CaseMember, TimelineKind
from retorno.cases.services import record_timeline
from retorno.lib.errors import Invalid, NotAllowed
from retorno.lib.models import validate
from retorno.people.models import Person
from retorno.privacy import services as audit
from retorno.privacy.models import AuditType
from retorno.screening import policy, rules
from retorno.screening.bid import needs_best_interest_determination
from retorno.screening.models import BestInterestDetermination, Screening
from retorno.tasks import hooks as task_hooks


def record_screening(*, actor: User, case: Case, member: CaseMember, answers: dict[str, str],
                     screened_on: datetime.date | None = None, notes: str = "") -> Screening:
    """Screen `member` of `case`. Flags come from the "yes" answers and from the member's
    age and who else returns in the case; the member's vulnerabilities become the union
    of theirs and these. Audit event 230 (flags, not answers), 202 when the member's
    flags change; timeline entries naming the person only."""
    if not policy.can_screen(actor, case):
        if not case.is_open:
            raise Invalid(_("Case %(ref)s is %(status)s and can no longer be changed.")
                          % {"ref": case.reference, "status": case.get_status_display()})
        raise NotAllowed(_("You may not screen members of case %(ref)s.")
                         % {"ref": case.reference})
    if member.case_id != case.pk:
        raise Invalid(_("This person is not a member of this case."))
    screening = Screening(case=case, person=member.person, screened_by=actor,
                          screened_on=screened_on or timezone.localdate(),
                          answers=dict(answers) if isinstance(answers, dict) else answers,
                          notes=notes)
    validate(screening, exclude=["case", "person", "screened_by", "flags", "proposals"])
    members = list(case.members.select_related("person"))
    screening.flags = rules.derive(member, members, screening.answers, screening.screened_on)
    screening.proposals = rules.proposals(screening.flags)
    merged = list(member.vulnerabilities) + [f for f in screening.flags
                                             if f not in member.vulnerabilities]
    with transaction.atomic():
        screening.save()
        audit.record(AuditType.SCREENING_RECORDED, screening, actor=actor,
                     office_id=case.host_office_id, case_id=case.pk,
                     new={"person": member.person_id,
                          "screened_on": screening.screened_on.isoformat(),
                          "flags": screening.flags},
                     notes_given=bool(notes) or None)
        record_timeline(case, actor, TimelineKind.CHANGED,
                        _("Vulnerability screening of %(name)s")
                        % {"name": member.person.display_name})
        case_services.set_member_vulnerabilities(actor=actor, case=case, member=member,
                                                 vulnerabilities=merged)
        task_hooks.after_screening(screening, actor)
    return screening


BID_FIELDS = ["decided_on", "decision", "panel", "reasons", "guardian_name"]


def record_bid(*, actor: User, case: Case, person: Person,
               data: dict[str, Any]) -> BestInterestDetermination:
    """Record a best-interest determination for `person`, a child of `case` that
    `needs_best_interest_determination` lists. `data`: decided_on (default today),
    decision, panel, reasons, guardian_name. Needs case.change on the open case. Audit
    event 231 (without the reasons); a timeline entry naming the child only."""
    if not policy.can_screen(actor, case):
        if not case.is_open:
            raise Invalid(_("Case %(ref)s is %(status)s and can no longer be changed.")
                          % {"ref": case.reference, "status": case.get_status_display()})
        raise NotAllowed(_("You may not record a best-interest determination on case "
                           "%(ref)s.") % {"ref": case.reference})
    unknown = set(data) - set(BID_FIELDS)
    if unknown:
        raise ValueError(f"Unknown fields: {sorted(unknown)}")
    if person.pk not in {p.pk for p in needs_best_interest_determination(case)}:
        raise Invalid(_("%(name)s is not an unaccompanied or separated child of this case: "
                        "no best-interest determination is needed.")
                      % {"name": person.display_name})
    bid = BestInterestDetermination(
        case=case, person=person, recorded_by=actor,
        decided_on=data.get("decided_on") or timezone.localdate(),
        decision=data.get("decision", ""), panel=(data.get("panel") or "").strip(),
        reasons=(data.get("reasons") or "").strip(),
        guardian_name=(data.get("guardian_name") or "").strip())
    validate(bid, exclude=["case", "person", "recorded_by"])
    with transaction.atomic():
        bid.save()
        audit.record(AuditType.BID_RECORDED, bid, actor=actor,
                     office_id=case.host_office_id, case_id=case.pk,
                     new={"person": person.pk, "decided_on": bid.decided_on.isoformat(),
                          "decision": bid.decision, "panel": bid.panel,
                          "guardian_name": bid.guardian_name},
                     reasons_given=bool(bid.reasons) or None)
        record_timeline(case, actor, TimelineKind.CHANGED,
                        _("Best-interest determination recorded for %(name)s")
                        % {"name": person.display_name})
    return bid
