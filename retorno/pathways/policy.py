"""Who may propose pathways and change their status.

Pathways are read with their case: whoever may see the case (`cases.policy.access_case`)
sees them. The case team (case.change on the case) proposes them and records their
progress, while the case is open and after it has been referred to the pathway (the
pathway goes on after the case has left the return lifecycle).
"""

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.http import Http404

from retorno.accounts import permissions as perms
from retorno.accounts.models import User
from retorno.cases.models import Case, Status
from retorno.cases.policy import can_on_case
from retorno.pathways.models import Pathway


def is_case_team(user: User | AnonymousUser, case: Case) -> bool:
    return can_on_case(user, perms.CASE_CHANGE, case)


def case_accepts_pathways(case: Case) -> bool:
    return case.is_open or case.status == Status.REFERRED_ALTERNATIVE


def can_record(user: User | AnonymousUser, case: Case) -> bool:
    return case_accepts_pathways(case) and is_case_team(user, case)


def pathways_of(case: Case) -> QuerySet[Pathway]:
    """The pathways of a case the caller loaded through `access_case`, newest first."""
    return (Pathway.objects.filter(case=case).select_related("proposed_by")
            .prefetch_related("changes__by"))


def access_pathway(case: Case, pathway_id: int) -> Pathway:
    """A pathway of `case` (already loaded through `access_case`); 404 otherwise."""
    pathway = Pathway.objects.filter(case=case, pk=pathway_id).first()
    if pathway is None:
        raise Http404
    pathway.case = case
    return pathway
