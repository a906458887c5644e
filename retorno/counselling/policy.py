"""Who may record counselling sessions and who reads their notes.

Sessions are read with their case: whoever may see the case (`cases.policy.access_case`)
sees its sessions. The notes are for the *case team* only: the roles with case.change on
the case (the host office's caseworkers and supervisors). Everyone else, e.g. a movement
officer, sees the session without them.
"""

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.http import Http404

from retorno.accounts import permissions as perms
from retorno.accounts.models import User
from retorno.cases.models import Case
from retorno.cases.policy import can_on_case
from retorno.counselling.models import CounsellingSession


def is_case_team(user: User | AnonymousUser, case: Case) -> bool:
    return can_on_case(user, perms.CASE_CHANGE, case)


def can_read_notes(user: User | AnonymousUser, case: Case) -> bool:
    return is_case_team(user, case)


def can_record(user: User | AnonymousUser, case: Case) -> bool:
    """May record or edit sessions now: the case team, while the case is open."""
    return case.is_open and is_case_team(user, case)


def sessions_of(case: Case) -> QuerySet[CounsellingSession]:
    """The sessions of a case the caller has loaded through `access_case`, newest first."""
    return CounsellingSession.objects.filter(case=case).select_related("recorded_by")


def access_session(case: Case, session_id: int) -> CounsellingSession:
    """A session of `case` (already loaded through `access_case`); 404 otherwise."""
    session = sessions_of(case).filter(pk=session_id).first()
    if session is None:
        raise Http404
    session.case = case
    return session
