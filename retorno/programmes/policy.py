"""Who reads programmes, their finance figures, and who keeps their packages.

Programmes name no case and no person: every member of staff (`partner.view`, which
every staff role holds) reads them, their rules and their assistance packages. The
finance figures — budget, committed, spent — are for `finance.view` (supervisors and
programme managers, organisation-wide); the package, budget, currency, quota and
approval threshold are kept with `finance.manage` (programme managers). Partner users
and statistics viewers hold none of these.
"""

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.http import Http404

from retorno.accounts import permissions as perms
from retorno.accounts.models import User
from retorno.programmes.models import Programme


def can_read(user: User | AnonymousUser) -> bool:
    return perms.can(user, perms.PARTNER_VIEW)


def can_view_finance(user: User | AnonymousUser) -> bool:
    return perms.can(user, perms.FINANCE_VIEW)


def can_manage_package(user: User | AnonymousUser) -> bool:
    return perms.can(user, perms.FINANCE_MANAGE)


def programmes() -> QuerySet[Programme]:
    """Every programme, by name; for those who `can_read`."""
    return Programme.objects.order_by("name", "code")


def access_programme(code: str) -> Programme:
    """One programme by its code, for a caller already checked with `can_read`; 404 for a
    code that names none."""
    programme = programmes().filter(code=code).first()
    if programme is None:
        raise Http404
    return programme


def components(programme: Programme) -> list:
    """The programme's package, in the model's order, each line knowing its programme."""
    lines = list(programme.package.all())
    for line in lines:
        line.programme = programme  # spare a query per line
    return lines
