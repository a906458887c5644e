"""Who reads a case's travel documents, and who records them.

Travel documents are read with their case (`cases.policy.access_case` first), and only
by the roles that work with them (`document.view`): the host office's caseworkers,
supervisors and movement officers, its data protection focal point, and — once the
case is handed over on departure — the origin office's reintegration officers and
supervisors, read-only. Others who see the case (the medical officer, the programme
manager…) do not see document numbers; the ready_to_travel guard still tells them
*whose* document is missing, never its number.

Recording a document and changing its status (`document.record`) belong to the
caseworkers, supervisors and movement officers of the case's *host office*, while the
case is open.
"""

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from retorno.accounts import permissions as perms
from retorno.accounts.models import User
from retorno.cases.models import Case
from retorno.cases.policy import can_on_case
from retorno.documents.models import TravelDocument
from retorno.lib.errors import NotAllowed


def can_view(user: User | AnonymousUser, case: Case) -> bool:
    # document.view in an office through which the case is reached: the host office,
    # and the origin office after handover (cases.policy.case_offices).
    return can_on_case(user, perms.DOCUMENT_VIEW, case)


def require_view(user: User | AnonymousUser, case: Case) -> None:
    """403 (NotAllowed) for someone who sees the case but not its travel documents."""
    if not can_view(user, case):
        raise NotAllowed(_("Your role may not read the travel documents of case %(ref)s.")
                         % {"ref": case.reference})


def may_record(user: User | AnonymousUser, case: Case) -> bool:
    """The role check alone: document.record in the case's host office (never the origin
    office, even after handover)."""
    return perms.can(user, perms.DOCUMENT_RECORD, case.host_office_id)


def can_record(user: User | AnonymousUser, case: Case) -> bool:
    """May record documents and change them now: the role, while the case is open."""
    return case.is_open and may_record(user, case)


def documents_of(case: Case) -> QuerySet[TravelDocument]:
    """The travel documents of a case the caller loaded through `access_case` and may
    read (`can_view`): per person, in the order they were recorded."""
    return (TravelDocument.objects.filter(case=case)
            .select_related("person", "created_by", "updated_by").order_by("person_id", "id"))


def access_document(case: Case, document_id: int) -> TravelDocument:
    """A travel document of `case` (already loaded through `access_case`); 404
    otherwise."""
    document = documents_of(case).filter(pk=document_id).first()
    if document is None:
        raise Http404
    document.case = case
    return document
