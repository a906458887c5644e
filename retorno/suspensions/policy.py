"""Who reads and who manages return suspensions.

Suspensions name a destination, never a case or a person: every staff role that reads
cases somewhere reads the whole list (partners and statistics viewers do not). Setting
and lifting needs `suspension.manage` in any office (accounts.permissions says why).
"""

from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from retorno.accounts import permissions as perms
from retorno.accounts.models import User
from retorno.suspensions.models import ReturnSuspension, SuspensionQuerySet


def can_read(user: User | AnonymousUser) -> bool:
    return perms.can(user, perms.CASE_VIEW)


def can_manage(user: User | AnonymousUser) -> bool:
    return perms.can(user, perms.SUSPENSION_MANAGE)


def suspensions() -> SuspensionQuerySet:
    """Every suspension, newest start first; for those who `can_read`."""
    return ReturnSuspension.objects.select_related("set_by", "lifted_by").order_by(
        "-starts_on", "-id")


def access_suspension(suspension_id: int) -> ReturnSuspension:
    """One suspension, for a caller already checked with `can_read`; 404 otherwise."""
    suspension = suspensions().filter(pk=suspension_id).first()
    if suspension is None:
        raise Http404
    return suspension
