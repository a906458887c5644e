"""What the reports app records: the downloads of statistics (audit 380). Aggregates hold
no personal data, but who took which figures out, and when, is part of the record."""

from typing import Any

from django.db import transaction

from retorno.accounts.models import User
from retorno.privacy import services as audit
from retorno.privacy.models import AuditType
from retorno.reports.statistics import Period, Selection


def describe(period: Period, selection: Selection, public: bool) -> dict[str, Any]:
    """The parameters of a statistic, as the audit log and a kept report store them."""
    return {
        "start": period.start.isoformat(), "end": period.end.isoformat(),
        "programme": selection.programme_id, "office": selection.office_id,
        "host_countries": sorted(selection.host_countries)
        if selection.host_countries is not None else None,
        "origin_countries": sorted(selection.origin_countries)
        if selection.origin_countries is not None else None,
        "public": public,
    }


def record_export(*, actor: User, table: str, fmt: str, period: Period,
                  selection: Selection, public: bool) -> None:
    with transaction.atomic():
        audit.record(AuditType.STATISTICS_EXPORTED, actor, actor=actor, office_id=None,
                     table=table, format=fmt, **describe(period, selection, public))
