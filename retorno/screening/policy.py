"""Who screens and who reads a screening.

Screenings are read with their case (`cases.policy.access_case`): whoever sees the case
sees *that* a member was screened, and when. The answers, the flags and the proposals are
protection detail, read only by roles with case.view_protection
(`cases.policy.can_view_protection`). Screening is for the case team: case.change on the
open case.
"""

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.http import Http404

from retorno.accounts import permissions as perms
from retorno.accounts.models import User
from retorno.cases.models import Case, CaseMember
from retorno.cases.policy import can_on_case, can_view_protection
from retorno.screening.models import BestInterestDetermination, Screening


def can_screen(user: User | AnonymousUser, case: Case) -> bool:
    return case.is_open and can_on_case(user, perms.CASE_CHANGE, case)


def can_read_detail(user: User | AnonymousUser, case: Case) -> bool:
    return can_view_protection(user, case)


def screenings_of(case: Case) -> QuerySet[Screening]:
    """The screenings of a case the caller loaded through `access_case`, newest first."""
    return Screening.objects.filter(case=case).select_related("person", "screened_by")


def access_member(case: Case, person_id: int) -> CaseMember:
    """The member `person_id` of `case` (loaded through `access_case`); 404 otherwise."""
    member = case.members.select_related("person").filter(person_id=person_id).first()
    if member is None:
        raise Http404
    member.case = case
    return member


def bids_of(case: Case) -> QuerySet[BestInterestDetermination]:
    """The best-interest determinations of a case loaded through `access_case`, newest
    first."""
    return BestInterestDetermination.objects.filter(case=case).select_related(
        "person", "recorded_by")
