"""Which cases a user may see, and what they may do to one. Default: nothing.

Every page and API endpoint that touches a case goes through `visible_cases` or
`access_case`; `tools/check-conventions` fails the build if one reaches `Case.objects`
directly.
"""

from collections.abc import Callable

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from retorno.accounts import permissions as perms
from retorno.accounts.models import User
from retorno.cases.models import Case


def visible_case_rule(user: User | AnonymousUser, prefix: str = "") -> Q | None:
    """The condition a case (reached through `prefix`, e.g. "case__") meets when `user`
    may see it; None when they may see no case at all."""
    offices = perms.office_ids(user, perms.CASE_VIEW)
    if not offices:
        return None
    return (
        # The host office sees its own cases, from registration to closure.
        Q(**{f"{prefix}host_office_id__in": offices})
        # The origin office sees a case once it has been handed over to it.
        | Q(**{f"{prefix}origin_office_id__in": offices,
               f"{prefix}handed_over_at__isnull": False})
    )


def visible_cases(user: User | AnonymousUser) -> QuerySet[Case]:
    rule = visible_case_rule(user)
    return Case.objects.none() if rule is None else Case.objects.filter(rule)


def case_offices(case: Case) -> set[int]:
    """The offices through which a case is reached: host, and origin after handover."""
    offices = {case.host_office_id}
    if case.origin_office_id and case.handed_over_at:
        offices.add(case.origin_office_id)
    return offices


def can_on_case(user: User | AnonymousUser, action: str, case: Case) -> bool:
    return bool(perms.office_ids(user, action) & case_offices(case))


def access_case(user: User | AnonymousUser, reference: str) -> Case:
    """The case with this reference if `user` may see it; 404 otherwise.

    A forbidden case and a missing one look the same, so a reference cannot be probed.
    """
    case = (
        visible_cases(user)
        .select_related("host_office", "origin_office", "programme", "assignee")
        .filter(reference=reference)
        .first()
    )
    if case is None:
        raise Http404
    return case


def access_case_for(user: User | AnonymousUser, reference: str,
                    may: Callable[[User | AnonymousUser, Case], bool]) -> Case:
    """The case, if `user` may see it (404 otherwise) and `may(user, case)` (403 otherwise):
    what a page that writes to one part of a case asks first."""
    case = access_case(user, reference)
    if not may(user, case):
        raise PermissionDenied
    return case


def can_view_protection(user: User | AnonymousUser, case: Case) -> bool:
    """Vulnerability flags are protection detail: only roles that act on them read them."""
    return can_on_case(user, perms.CASE_VIEW_PROTECTION, case)
