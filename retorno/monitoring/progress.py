"""Read functions for the M&E dashboard: whether returnees were followed up.

`followup_done(cases)` is the set of those cases with at least one *conclusive*
follow-up contact after the baseline: a monitoring visit or call whose outcome settles a
contact (reached, has migrated again, declined, deceased: `models.CONCLUSIVE`) dated
after the case's arrival (the baseline is taken on arrival, so a contact on the arrival
day itself does not count). `reached(cases)` narrows it to the returnee actually
reached. Neither checks who may see the cases: the caller passes ids or a queryset it
read through `cases.policy.visible_cases`. At most three queries whatever the number of
cases.
"""

import datetime
from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet

from retorno.cases.models import Case
from retorno.monitoring.models import CONCLUSIVE, MonitoringVisit, Outcome


def _after_arrival(cases: "Iterable[int] | QuerySet[Case]", outcomes: Iterable[str],
                   arrivals: dict[int, datetime.date] | None = None) -> set[int]:
    from retorno.monitoring.services import arrival_dates

    if isinstance(cases, QuerySet) and cases.model is Case:  # else: ids, or a values list
        wanted: Any = cases.values("pk")  # a subquery: no list of ids to send
    else:
        wanted = list(set(cases))
        if not wanted:
            return set()
    rows = list(MonitoringVisit.objects.filter(case_id__in=wanted, outcome__in=list(outcomes))
                .values_list("case_id", "contact_on"))
    if not rows:
        return set()
    if arrivals is None:
        arrivals = arrival_dates({case_id for case_id, _on in rows})
    return {case_id for case_id, on in rows
            if arrivals.get(case_id) is None or on > arrivals[case_id]}


def followup_done(cases: "Iterable[int] | QuerySet[Case]",
                  arrivals: dict[int, datetime.date] | None = None) -> set[int]:
    """The cases among `cases` (ids, or a queryset of cases) with a conclusive contact
    after arrival; `arrivals` when the caller already has them (`arrival_dates`)."""
    return _after_arrival(cases, CONCLUSIVE, arrivals)


def reached(cases: "Iterable[int] | QuerySet[Case]",
            arrivals: dict[int, datetime.date] | None = None) -> set[int]:
    """The cases among `cases` whose returnee was reached after arrival."""
    return _after_arrival(cases, [Outcome.REACHED], arrivals)
