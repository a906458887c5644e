"""Proposing alternative pathways and recording their progress. The only way pathway rows
are written.

Each public function checks permission through `pathways.policy`, validates, writes,
records the audit event and the timeline entry (kind "changed"), all in one transaction,
and raises a `retorno.lib.errors.ServiceError` with a translated message when it
refuses. The audit log records *that* notes or a comment were given, never what they
say.
"""

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from retorno.accounts.models import User
from retorno.cases.models import Case, TimelineKind
from retorno.cases.services import record_timeline
from retorno.lib.errors import Invalid, NotAllowed, StaleVersion
from retorno.lib.models import refuse_unknown_fields, save_versioned, validate
from retorno.pathways import policy
from retorno.pathways.models import Pathway, PathwayChange, PathwayStatus
from retorno.pathways.transitions import ALLOWED
from retorno.privacy import services as audit
from retorno.privacy.models import AuditType

FIELDS = ["kind", "third_country", "receiving_organisation", "referred_on", "notes"]
AUDITED = [f for f in FIELDS if f != "notes"]


def _require_record(actor: User, case: Case) -> None:
    if not policy.is_case_team(actor, case):
        raise NotAllowed(_("You may not record alternative pathways on case %(ref)s.")
                         % {"ref": case.reference})
    if not policy.case_accepts_pathways(case):
        raise Invalid(_("Case %(ref)s is %(status)s and can no longer be changed.")
                      % {"ref": case.reference, "status": case.get_status_display()})


def describe(pathway: Pathway) -> str:
    if pathway.third_country:
        return _("%(kind)s, %(country)s") % {"kind": pathway.get_kind_display(),
                                             "country": pathway.third_country_name()}
    return str(pathway.get_kind_display())


def propose_pathway(*, actor: User, case: Case, data: dict[str, Any]) -> Pathway:
    """Propose a pathway for `case` (status "proposed"). Audit event 240 (without the
    notes' text), timeline "changed", the first entry of the pathway's history."""
    _require_record(actor, case)
    refuse_unknown_fields(data, FIELDS)
    pathway = Pathway(case=case, proposed_by=actor, **data)
    pathway.third_country = (pathway.third_country or "").strip().upper()
    pathway.receiving_organisation = (pathway.receiving_organisation or "").strip()
    validate(pathway, exclude=["case", "proposed_by"])
    with transaction.atomic():
        pathway.save()
        PathwayChange.objects.create(pathway=pathway, to_status=PathwayStatus.PROPOSED,
                                     at=timezone.now(), by=actor)
        audit.record(AuditType.PATHWAY_PROPOSED, pathway, actor=actor,
                     office_id=case.host_office_id, case_id=case.pk,
                     new={**audit.snapshot(pathway, AUDITED), "status": pathway.status},
                     notes_given=bool(pathway.notes) or None)
        record_timeline(case, actor, TimelineKind.CHANGED,
                        _("Alternative pathway proposed: %(pathway)s")
                        % {"pathway": describe(pathway)})
    return pathway


def change_pathway_status(*, actor: User, pathway: Pathway, status: str, comment: str = "",
                          version: int) -> Pathway:
    """Move `pathway` to `status` if the transition table allows it and nobody changed
    the pathway since `version` (else StaleVersion, and nothing is written). Audit event
    241 with the old and new status, timeline "changed", a history entry."""
    case = pathway.case
    _require_record(actor, case)
    if status not in PathwayStatus.values:
        raise Invalid(_("There is no such pathway status."),
                      field_errors={"status": [_("There is no such pathway status.")]})
    source = PathwayStatus(pathway.status)
    if status not in ALLOWED[source]:
        message = _("A pathway that is %(from)s cannot become %(to)s.") % {
            "from": source.label, "to": PathwayStatus(status).label}
        raise Invalid(message, field_errors={"status": [message]})
    comment = (comment or "").strip()
    pathway.status = status
    with transaction.atomic():
        try:
            save_versioned(pathway, version, ["status"])
        except StaleVersion:
            pathway.status = source
            raise
        PathwayChange.objects.create(pathway=pathway, from_status=source, to_status=status,
                                     at=pathway.updated_at, by=actor, comment=comment)
        audit.record(AuditType.PATHWAY_CHANGED, pathway, actor=actor,
                     office_id=case.host_office_id, case_id=case.pk,
                     old={"status": source.value}, new={"status": status},
                     comment_given=bool(comment) or None)
        record_timeline(case, actor, TimelineKind.CHANGED,
                        _("Alternative pathway %(pathway)s: %(from)s → %(to)s")
                        % {"pathway": describe(pathway), "from": source.label,
                           "to": PathwayStatus(status).label})
    return pathway
