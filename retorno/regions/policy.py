"""Who reads and who keeps the organisation's regions.

Regions name countries, never a case or a person. They are read by those who read
statistics (staff statistics or the public, suppressed ones) and by those who keep them;
kept, organisation-wide, by `region.manage` holders (programme managers).
"""

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.http import Http404

from retorno.accounts import permissions as perms
from retorno.accounts.models import User
from retorno.regions.models import Region


def can_read(user: User | AnonymousUser) -> bool:
    return any(perms.can(user, action) for action in (
        perms.STATS_VIEW, perms.STATS_PUBLIC, perms.REGION_MANAGE))


def can_manage(user: User | AnonymousUser) -> bool:
    return perms.can(user, perms.REGION_MANAGE)


def regions() -> QuerySet[Region]:
    """Every region, by name; for those who `can_read`."""
    return Region.objects.select_related("updated_by").order_by("name", "code")


def access_region(code: str) -> Region:
    """One region by its code, for a caller already checked; 404 when there is none."""
    region = regions().filter(code=code).first()
    if region is None:
        raise Http404
    return region
