"""Who reads which statistics (one place; the pages and the API ask here).

- `stats.view` (supervisors, M&E officers, programme managers): the dashboard and the
  reports with exact counts, organisation-wide; they may also look at the published
  version (`public`), as the statistics viewer and the bulletin's readers see it.
- `stats.public` (the statistics viewer): the published figures only — disclosure
  control applied, no case, no person, no link to either.
- `stats.extract`: the pseudonymised case-level extract.
- `report.build`: building the quarterly bulletin and the donor and programme reports.
"""

from django.contrib.auth.models import AnonymousUser

from retorno.accounts import permissions as perms
from retorno.accounts.models import User


def can_view(user: User | AnonymousUser) -> bool:
    return perms.can(user, perms.STATS_VIEW) or perms.can(user, perms.STATS_PUBLIC)


def sees_exact(user: User | AnonymousUser) -> bool:
    return perms.can(user, perms.STATS_VIEW)


def public_for(user: User | AnonymousUser, asked_public: bool) -> bool:
    """Whether `user` is shown the published figures: always without `stats.view`,
    and when they ask for them with it."""
    return asked_public or not sees_exact(user)


def can_extract(user: User | AnonymousUser) -> bool:
    return perms.can(user, perms.STATS_EXTRACT)


def can_build(user: User | AnonymousUser) -> bool:
    return perms.can(user, perms.REPORT_BUILD)


def visible_reports(user: User | AnonymousUser):
    """The kept reports `user` may open: the published ones for every reader of
    statistics, the exact ones for `stats.view` only. Nothing for anyone else."""
    from retorno.reports.models import Report

    if not can_view(user):
        return Report.objects.none()
    reports = Report.objects.all()
    return reports if sees_exact(user) else reports.filter(public=True)


def access_report(user: User | AnonymousUser, report_id: int):
    """The report, or PermissionDenied for someone who reads no statistics, or Http404
    when `user` may not open this one (or it does not exist)."""
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    if not can_view(user):
        raise PermissionDenied
    report = visible_reports(user).filter(pk=report_id).first()
    if report is None:
        raise Http404
    return report
